"""Identities of list rows that have no ``uuid``, for the paginator's deduplication."""

from __future__ import annotations

from collections.abc import Hashable
from itertools import repeat
from typing import Any

from puhuri_async._page_items import RowKey, all_strings

__all__ = ["permission_key"]

_ABSENT: Any = object()


def _permission_key(row: dict[str, Any]) -> Hashable | None:
    """A permission's identity: it has no ``uuid``, but one user holds a role in a project once.

    Only strings make an identity: a malformed row (a list for a uuid) is not deduplicated (it
    must not break the set of seen keys); reading its fields then raises the ``DecodeError``.
    The identity is one string, not a tuple: a bulk fetch keeps 20,000 of them in its set of
    seen keys, and strings, unlike tuples, are no work for the garbage collector. It encodes
    (user, project, role) without ambiguity: two 32-character uuids (the usual case) follow an
    "=", other lengths are written before each uuid (so the key starts with a digit), and the
    role is marked "+" (or "-" for null).
    """
    user = row.get("user_uuid")
    project = row.get("project_uuid")
    role = row.get("role_name", _ABSENT)
    if role is _ABSENT:
        role = row.get("role")
    if not (isinstance(user, str) and isinstance(project, str)):
        return None
    if role is None:
        role = "-"
    elif isinstance(role, str):
        role = "+" + role
    else:
        return None
    if len(user) == 32 and len(project) == 32:
        return f"={user}{project}{role}"
    return f"{len(user)}:{user}{len(project)}:{project}{role}"


_UUID_LENGTH = {32}


def _permission_keys(rows: list[dict[str, Any]]) -> list[Hashable | None] | None:
    """``_permission_key`` of every row of a page, when every row has the usual shape (two
    32-character uuids and a string role: ``role_name``, or ``role`` on a page without
    ``role_name``, as Waldur 7.x sends it); ``None`` otherwise."""
    users: list[Any] = list(map(dict.get, rows, repeat("user_uuid")))
    projects: list[Any] = list(map(dict.get, rows, repeat("project_uuid")))
    roles: list[Any] = list(map(dict.get, rows, repeat("role_name"), repeat(_ABSENT)))
    if roles and roles.count(_ABSENT) == len(roles):
        roles = list(map(dict.get, rows, repeat("role")))
    if not (
        all_strings(users)
        and all_strings(projects)
        and all_strings(roles)
        and _UUID_LENGTH.issuperset(map(len, users))
        and _UUID_LENGTH.issuperset(map(len, projects))
    ):
        return None
    return list(map("".join, zip(repeat("="), users, projects, repeat("+"), roles)))


permission_key = RowKey(_permission_key, _permission_keys)
"""A permission's identity (see ``_permission_key``), with its form for a whole page."""
