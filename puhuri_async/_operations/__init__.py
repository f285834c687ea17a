"""The operation table: one ``Operation`` row per API operation the client offers.

The rows live in one module per API area (``users``, ``orders``, ...); this module gathers them:

- ``OPERATIONS``: name -> ``Operation``, in the order the client documents them;
- ``METHODS``: every client method name (``list_``/``iter_`` twins and aliases included) -> the
  row it belongs to. A method reports its own name in errors and logs.

From the rows come the generated async methods (``scripts/gen_operations.py``, which writes
``puhuri_async/_endpoints/_generated.py``), through them the sync facade, the schema tables the
list filters are checked against (``scripts/gen_schema_tables.py`` keeps those the rows read)
and the tests' operation registries. ``CONTRIBUTING.md`` says how to add a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from puhuri_async._operations import (
    offering_users,
    offerings,
    orders,
    providers,
    resources,
    usages,
    users,
)
from puhuri_async._operations._keys import permission_key
from puhuri_async._operations._spec import Alias, Kind, Operation, Param

__all__ = ["METHODS", "OPERATIONS", "Alias", "Kind", "Operation", "Param", "permission_key"]

#: The areas in the order their methods are generated and documented.
AREAS = (users, resources, orders, offerings, usages, offering_users, providers)


def _gather() -> tuple[dict[str, Operation], dict[str, Operation]]:
    rows: dict[str, Operation] = {}
    methods: dict[str, Operation] = {}
    for area in AREAS:
        for row in area.OPERATIONS:
            if row.name in rows:
                raise ValueError(f"operation {row.name} is in the table twice")
            rows[row.name] = row
            for name in row.method_names:
                if name in methods:
                    raise ValueError(f"method {name} belongs to two operations")
                methods[name] = row
    return rows, methods


_rows, _methods = _gather()
OPERATIONS: Mapping[str, Operation] = MappingProxyType(_rows)
METHODS: Mapping[str, Operation] = MappingProxyType(_methods)
