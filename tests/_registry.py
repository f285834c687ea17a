"""The tests' view of the operation table: well-formed arguments for any method, and a call.

Registries of operations in the tests come from ``puhuri_async._operations`` instead of being
kept by hand, so a new row is covered by them at once. The arguments of a plain row come from
the row (a UUID for each path argument and each UUID parameter, ``"x"`` for other required
parameters); the few hand-written operations have theirs here.
"""

from __future__ import annotations

from typing import Any

from puhuri_async import ComponentUsage, PuhuriClient, ResourceReportRecord
from puhuri_async._arguments import date_arg, uuid_arg
from puhuri_async._operations import METHODS, OPERATIONS, Kind, Operation
from puhuri_async.models import backend_metadata_payload, endpoints_payload, limits_payload

__all__ = ["METHODS", "OPERATIONS", "Kind", "Operation", "arguments", "call", "path_of"]

UUID = "0123456789abcdef0123456789abcdef"

#: A well-formed value for each check of a body argument that takes more than a string.
GOOD: dict[Any, Any] = {
    date_arg: "2030-01-31",
    limits_payload: {"cpu": 10},
    backend_metadata_payload: {"cluster": "c1"},
    endpoints_payload: [{"name": "Login", "url": "ssh://login.example.org"}],
}


def _handwritten(uuid: str) -> dict[str, tuple[tuple[Any, ...], dict[str, Any]]]:
    report = [ResourceReportRecord("h", "b")]
    return {
        "create_component_usages": (([ComponentUsage("cpu", 1)],), {"resource": uuid}),
        "marketplace_resource_submit_report": ((uuid, report), {}),
        "marketplace_provider_resource_submit_report": ((uuid, report), {}),
        "create_remote_offering_user": ((uuid, uuid, "u1"), {}),
        "marketplace_provider_resource_set_as_erred": ((uuid,), {"error_message": "failed"}),
        "delete_offering_user": ((uuid,), {}),
        "create_component_user_usage": ((uuid, "1.5", "jdoe"), {"offering_user_uuid": uuid}),
    }


def arguments(name: str, uuid: str = UUID) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Well-formed (positional, keyword) arguments for method ``name``, every UUID ``uuid``."""
    handwritten = _handwritten(uuid)
    if name in handwritten:
        return handwritten[name]
    row = METHODS[name]
    if row.handwritten:
        raise LookupError(f"{name} is hand-written: give it arguments in tests/_registry.py")
    values: list[Any] = [uuid] * len(row.path_args)
    good = {**GOOD, uuid_arg: uuid}
    values += [good.get(p.check, "x") for p in row.params if p.default is None]
    return tuple(values), {}


async def call(client: PuhuriClient, name: str, uuid: str = UUID) -> Any:
    """Method ``name`` called with well-formed arguments; an ``iter_`` one drained to a list."""
    args, kwargs = arguments(name, uuid)
    result = getattr(client, name)(*args, **kwargs)
    if name.startswith("iter_"):
        return [item async for item in result]
    return await result


def path_of(row: Operation, **values: str) -> str:
    """The row's path relative to the API root, its arguments filled in from ``values``."""
    return row.path.format_map(values)
