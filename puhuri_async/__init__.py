"""puhuri-async: an asyncio-native client for Puhuri Core, with a synchronous facade.

Typical use:

```python
from puhuri_async import PuhuriClient

async def main() -> None:
    async with PuhuriClient.from_env() as client:
        users = await client.list_users()
```

and from code that cannot be async:

```python
from puhuri_async import SyncPuhuriClient

with SyncPuhuriClient.from_env() as client:
    users = client.list_users()
```
"""

import puhuri_async._logging  # noqa: F401 - applies PUHURI_LOG
from puhuri_async._auth import TokenProvider
from puhuri_async._capabilities import ServerInfo
from puhuri_async._client import PuhuriClient
from puhuri_async._config import ResponseLimits, Timeout, TimeoutLike
from puhuri_async._errors import (
    APIError,
    AuthenticationError,
    ClientClosedError,
    ConflictError,
    CountDriftError,
    CountDriftWarning,
    CrossOriginError,
    DecodeError,
    EventLoopMismatchError,
    FilterIgnoredError,
    FilterIgnoredWarning,
    InsecureTLSWarning,
    InvalidArgumentError,
    NotFoundError,
    OutcomeUnknownError,
    PaginationError,
    PermissionDeniedError,
    PuhuriError,
    PuhuriWarning,
    RateLimitedError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ServerError,
    TransportError,
    UnstableOrderError,
    UnstableOrderWarning,
    UnsupportedByServerError,
    ValidationError,
)
from puhuri_async._exchange import TransportStats
from puhuri_async._http import HttpxAsyncTransport
from puhuri_async._pagination import CountDrift, Page, Paginator
from puhuri_async._progress import Progress
from puhuri_async._retry import RetryEvent, RetryPolicy
from puhuri_async._urls import Params
from puhuri_async._version import __version__
from puhuri_async.models import (
    ActionResult,
    BillingType,
    BillingUnit,
    ComponentUsage,
    ComponentUsageRecord,
    ComponentUserUsage,
    ComponentUserUsageLimit,
    CoreState,
    LimitPeriod,
    Offering,
    OfferingComponent,
    OfferingState,
    OfferingUser,
    OfferingUserState,
    Order,
    OrderState,
    OrderType,
    PlanPeriod,
    PlanPeriodUsage,
    Project,
    ProjectKind,
    ProjectPermission,
    PuhuriModel,
    Resource,
    ResourceEndpoint,
    ResourceReportRecord,
    ResourceState,
    ServiceProvider,
    ServiceProviderUser,
    SshKey,
    TeamMember,
    User,
    UserUsage,
)
from puhuri_async.sync import EventLoopBlockedWarning, SyncPaginator, SyncPuhuriClient

__all__ = [
    "APIError",
    "ActionResult",
    "AuthenticationError",
    "BillingType",
    "BillingUnit",
    "ClientClosedError",
    "ComponentUsage",
    "ComponentUsageRecord",
    "ComponentUserUsage",
    "ComponentUserUsageLimit",
    "ConflictError",
    "CoreState",
    "CountDrift",
    "CountDriftError",
    "CountDriftWarning",
    "CrossOriginError",
    "DecodeError",
    "EventLoopBlockedWarning",
    "EventLoopMismatchError",
    "FilterIgnoredError",
    "FilterIgnoredWarning",
    "HttpxAsyncTransport",
    "InsecureTLSWarning",
    "InvalidArgumentError",
    "LimitPeriod",
    "NotFoundError",
    "Offering",
    "OfferingComponent",
    "OfferingState",
    "OfferingUser",
    "OfferingUserState",
    "Order",
    "OrderState",
    "OrderType",
    "OutcomeUnknownError",
    "Page",
    "PaginationError",
    "Paginator",
    "Params",
    "PermissionDeniedError",
    "PlanPeriod",
    "PlanPeriodUsage",
    "Progress",
    "Project",
    "ProjectKind",
    "ProjectPermission",
    "PuhuriClient",
    "PuhuriError",
    "PuhuriModel",
    "PuhuriWarning",
    "RateLimitedError",
    "RequestTimeoutError",
    "Resource",
    "ResourceEndpoint",
    "ResourceReportRecord",
    "ResourceState",
    "ResponseLimits",
    "ResponseTooLargeError",
    "RetryEvent",
    "RetryPolicy",
    "ServerError",
    "ServerInfo",
    "ServiceProvider",
    "ServiceProviderUser",
    "SshKey",
    "SyncPaginator",
    "SyncPuhuriClient",
    "TeamMember",
    "Timeout",
    "TimeoutLike",
    "TokenProvider",
    "TransportError",
    "TransportStats",
    "UnstableOrderError",
    "UnstableOrderWarning",
    "UnsupportedByServerError",
    "User",
    "UserUsage",
    "ValidationError",
    "__version__",
]
