"""The clients measured, each called the way its own users call it.

- ``puhuri``: puhuri-async (``PuhuriClient``, and ``SyncPuhuriClient`` when it is installed),
  on the transport it chooses, and on each HTTP stack explicitly;
- ``raw_httpx``: httpx with JSON decoding only, no models: the practical limit;
- ``raw_aiohttp``: the same requests with aiohttp + orjson (its parser is written in C);
- ``decode_floor``: orjson over the same bodies, no network: the floor under every CPU figure;
- ``legacy``: python-waldur-client 0.6.4 (``WaldurClient``, synchronous, requests);
- ``generated``: waldur-api-client (generated httpx client, ``asyncio.gather`` of ``asyncio_all``).
"""

PUHURI = "puhuri-async"
PUHURI_HTTPX = "puhuri-async [httpx]"
PUHURI_AIOHTTP = "puhuri-async [aiohttp]"
PUHURI_SYNC = "puhuri-async sync"
RAW = "raw httpx"
RAW_AIOHTTP = "raw aiohttp"
FLOOR = "decode floor (orjson)"
LEGACY = "python-waldur-client"
GENERATED = "waldur-api-client"
