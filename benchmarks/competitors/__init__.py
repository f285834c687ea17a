"""The clients measured, each called the way its own users call it.

- ``puhuri``: puhuri-async (``PuhuriClient``, and ``SyncPuhuriClient`` when it is installed);
- ``raw_httpx``: httpx with JSON decoding only, no models: the practical limit;
- ``legacy``: python-waldur-client 0.6.4 (``WaldurClient``, synchronous, requests);
- ``generated``: waldur-api-client (generated httpx client, ``asyncio.gather`` of ``asyncio_all``).
"""

PUHURI = "puhuri-async"
PUHURI_SYNC = "puhuri-async sync"
RAW = "raw httpx"
LEGACY = "python-waldur-client"
GENERATED = "waldur-api-client"
