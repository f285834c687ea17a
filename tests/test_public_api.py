"""The package's public names are listed on purpose, sorted, importable, and nothing private."""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import puhuri_async
import puhuri_async.models
import puhuri_async.sync
import puhuri_async.testing

PUBLIC = {
    # clients
    "PuhuriClient",
    "SyncPuhuriClient",
    # policies and transport values
    "RetryPolicy",
    "RetryEvent",
    "Timeout",
    "TimeoutLike",
    "TokenProvider",
    "HttpxAsyncTransport",
    "ResponseLimits",
    "TransportStats",
    "Paginator",
    "SyncPaginator",
    "Page",
    "CountDrift",
    "Progress",
    "Params",
    "ServerInfo",
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
    "EventLoopMismatchError",
    "CountDriftError",
    "UnstableOrderError",
    "UnsupportedByServerError",
    "ResponseTooLargeError",
    "PaginationError",
    "FilterIgnoredError",
    "PuhuriWarning",
    "CountDriftWarning",
    "UnstableOrderWarning",
    "FilterIgnoredWarning",
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

# annotations made of other types
TYPE_ALIASES = {"HttpxAsyncTransport", "Params", "TimeoutLike", "TokenProvider"}


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
    for name in set(puhuri_async.__all__) - TYPE_ALIASES:
        obj = getattr(puhuri_async, name)
        module = getattr(obj, "__module__", "puhuri_async")
        assert module.startswith("puhuri_async"), (name, module)


def test_private_rooms_are_private_and_public_modules_say_so() -> None:
    for name in ("_endpoints", "_operations", "_demo", "_arguments", "_filters", "_progress"):
        importlib.import_module(f"puhuri_async.{name}")
    for gone in ("endpoints", "demo", "_validation", "_sync_client", "_transport"):
        try:
            importlib.import_module(f"puhuri_async.{gone}")
        except ImportError:
            continue
        raise AssertionError(f"puhuri_async.{gone} should not exist any more")
    _check_all(puhuri_async.sync, {"EventLoopBlockedWarning", "SyncPaginator", "SyncPuhuriClient"})
    assert puhuri_async.sync.SyncPuhuriClient is puhuri_async.SyncPuhuriClient
    assert puhuri_async.sync.SyncPaginator is puhuri_async.SyncPaginator


#: Names a public signature may use without their being ours: typing and the standard library.
FOREIGN = {
    "Any",
    "AsyncGenerator",
    "Callable",
    "Hashable",
    "Iterable",
    "Iterator",
    "Mapping",
    "Self",
    "T",
    "date",
    "date_type",
    "datetime",
    "Decimal",
}
#: Types of public signatures whose export belongs to the transport's rooms (renamed there).
EXPORTED_BY_THE_TRANSPORT = {"HTTPTransport", "TimeoutTypes"}


def _public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    """The public methods and properties of the clients and paginators, and the clients'
    constructors (paginators are handed out, never made by the user)."""
    for owner in (
        puhuri_async.PuhuriClient,
        puhuri_async.SyncPuhuriClient,
        puhuri_async.Paginator,
        puhuri_async.SyncPaginator,
    ):
        made_by_users = owner in (puhuri_async.PuhuriClient, puhuri_async.SyncPuhuriClient)
        for name, member in vars(owner).items():
            if name.startswith("_") and not (name == "__init__" and made_by_users):
                continue
            if isinstance(member, property) and member.fget is not None:
                yield f"{owner.__name__}.{name}", member.fget
            elif isinstance(member, classmethod):
                yield f"{owner.__name__}.{name}", member.__func__
            elif inspect.isfunction(member):
                yield f"{owner.__name__}.{name}", member
        for base in owner.__mro__[1:]:
            if base.__module__.startswith("puhuri_async") and base is not object:
                for name, member in vars(base).items():
                    if not name.startswith("_") and inspect.isfunction(member):
                        yield f"{owner.__name__}.{name}", member


def _names(annotation: Any) -> set[str]:
    if not isinstance(annotation, str):
        return set()
    tree = ast.parse(annotation, mode="eval")
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    modules = {
        node.value.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    }
    return names - modules


def test_every_type_in_a_public_signature_is_importable_from_the_package() -> None:
    used: dict[str, str] = {}
    for where, function in _public_callables():
        signature = inspect.signature(function)
        annotations = [p.annotation for p in signature.parameters.values()]
        for annotation in [*annotations, signature.return_annotation]:
            for name in _names(annotation):
                used.setdefault(name, where)
    ours = {name for name in used if not hasattr(builtins, name) and name not in FOREIGN}
    assert {"Progress", "SyncPaginator", "Paginator", "User", "RetryPolicy"} <= ours
    missing = {name: used[name] for name in ours - set(puhuri_async.__all__)}
    assert set(missing) <= EXPORTED_BY_THE_TRANSPORT, missing
