"""An embedded fake Puhuri Core (Waldur Mastermind) for tests, demos and benchmarks.

``FakePuhuri`` is an in-memory HTTP server for the service-provider part of the Waldur API,
with its real semantics: page-number pagination with ``Link`` and ``X-Result-Count``, filters,
field selection, token authentication, the order state machine, usage upserts, DRF-shaped
errors. It injects latency, faults and data changes on demand and logs every request. It imports
nothing from the client, so any HTTP client (raw httpx, ``python-waldur-client``, the generated
``waldur-api-client``) can talk to it.

Install with the ``testing`` extra (``pip install ".[testing]"`` from a checkout) to run it on
a port.

In-process, with any httpx client:

```python
import httpx
from puhuri_async.testing import FakePuhuri

fake = FakePuhuri()                                   # FakeData.generate(): small data
async with httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url,
                             headers={"Authorization": "Token test-token"}) as http:
    users = (await http.get("users/", params={"page_size": 300})).json()
```

On a loopback port (from sync or async code; other processes can use it):

```python
with fake.serve() as api_url:                         # "http://127.0.0.1:PORT/api/"
    ...
```

From a shell: ``python -m puhuri_async.testing serve --users 20000 --latency-ms 20`` prints the
API URL and the token, and serves until interrupted.

Sizing and faults:

```python
from puhuri_async.testing import DataChange, FakeData, FakePuhuri, Fault

fake = FakePuhuri(
    FakeData.generate(users=500, orders=40, seed=7),
    latency=0.001,
    faults=[Fault.error(503, every=7), Fault.error(429, retry_after=1, at=(1,))],
    changes=[DataChange("users", insert=3, after=2, path="users/")],
)
fake.add_fault(Fault.error(502, method="POST", path="marketplace-orders/*", applied=True))
...
assert len(fake.requests_for("POST", "marketplace-orders/*/approve_by_provider/")) == 1
```

Server versions, roles and real-server behaviours:

```python
from puhuri_async.testing import FakePuhuri, Quirks

fake = FakePuhuri(profile="7.0", quirks=Quirks.real())   # Waldur 7.0.7, every quirk on
# tokens: "test-token" (staff), "owner-token" (the provider's owner), "other-owner-token",
# "member-token" (a project member), "support-token"
```

With pytest, the plugin (registered automatically) gives the ``puhuri_fake`` fixture: a fresh
in-process fake with small data. Size it per test with the ``puhuri_fake_data`` marker:

```python
@pytest.mark.puhuri_fake_data(users=50, orders=20)
async def test_sync(puhuri_fake):
    client = PuhuriClient(puhuri_fake.base_url, "test-token",
                          transport=puhuri_fake.transport())
    ...
    puhuri_fake.add_fault(Fault.error(503, at=(1,)))
```
"""

from puhuri_async.testing._app import DEFAULT_TOKEN, FakePuhuri
from puhuri_async.testing._data import COLLECTIONS, DEFAULT_BASE_URL, FakeData
from puhuri_async.testing._faults import DataChange, Fault
from puhuri_async.testing._log import RequestRecord
from puhuri_async.testing._profiles import PROFILES, ServerProfile
from puhuri_async.testing._quirks import Quirks
from puhuri_async.testing._seeding import ROLES
from puhuri_async.testing._transport import FakeTransport
from puhuri_async.testing._visibility import DEFAULT_TOKENS

__all__ = [
    "COLLECTIONS",
    "DEFAULT_BASE_URL",
    "DEFAULT_TOKEN",
    "DEFAULT_TOKENS",
    "DataChange",
    "FakeData",
    "FakePuhuri",
    "FakeTransport",
    "Fault",
    "PROFILES",
    "Quirks",
    "ROLES",
    "RequestRecord",
    "ServerProfile",
]
