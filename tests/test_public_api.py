"""The package's public names are listed on purpose, sorted, importable, and nothing private."""

from __future__ import annotations

import puhuri_async
import puhuri_async.models
import puhuri_async.testing

PUBLIC = {
    # clients
    "PuhuriClient",
    "SyncPuhuriClient",
    # policies and transport values
    "RetryPolicy",
    "RetryEvent",
    "Timeout",
    "TransportStats",
    "Paginator",
    "Page",
    "CountDrift",
    # errors and warnings
    "PuhuriError",
    "InvalidArgumentError",
    "APIError",
    "ValidationError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "RateLimitedError",
    "ServerError",
    "TransportError",
    "RequestTimeoutError",
    "DecodeError",
    "OutcomeUnknownError",
    "CrossOriginError",
    "ClientClosedError",
    "CountDriftError",
    "PuhuriWarning",
    "CountDriftWarning",
    "InsecureTLSWarning",
    "EventLoopBlockedWarning",
    # models, enums and inputs
    "PuhuriModel",
    "ActionResult",
    "User",
    "SshKey",
    "Resource",
    "Order",
    "Offering",
    "OfferingComponent",
    "PlanPeriod",
    "PlanPeriodUsage",
    "TeamMember",
    "OfferingUser",
    "ServiceProvider",
    "ServiceProviderUser",
    "Project",
    "ProjectPermission",
    "ComponentUsage",
    "ResourceReportRecord",
    "ComponentUsageRecord",
    "ComponentUserUsage",
    "ComponentUserUsageLimit",
    "ResourceEndpoint",
    "UserUsage",
    "BillingType",
    "BillingUnit",
    "CoreState",
    "LimitPeriod",
    "OfferingState",
    "OfferingUserState",
    "OrderState",
    "OrderType",
    "ProjectKind",
    "ResourceState",
    "__version__",
}


def _check_all(module: object, expected: set[str] | None = None) -> None:
    names = list(module.__all__)  # type: ignore[attr-defined]
    assert names == sorted(names, key=lambda n: (n.startswith("_"), n)), "keep __all__ sorted"
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(module, name), name
        assert not name.startswith("_") or name == "__version__", name
    if expected is not None:
        assert set(names) - expected == set(), "new public names must be added here on purpose"
        assert expected - set(names) == set(), "public names went missing"


def test_package_all_is_exactly_the_public_api() -> None:
    _check_all(puhuri_async, PUBLIC)


def test_models_and_testing_all_are_sorted_and_importable() -> None:
    _check_all(puhuri_async.models)
    _check_all(puhuri_async.testing)


def test_public_objects_say_where_they_live() -> None:
    for name in puhuri_async.__all__:
        obj = getattr(puhuri_async, name)
        module = getattr(obj, "__module__", "puhuri_async")
        assert module.startswith("puhuri_async"), (name, module)
