"""DRF's ``OPTIONS`` answers (``SimpleMetadata``), as a real Waldur gives them.

Every route answers ``OPTIONS`` to every authenticated caller, 200, with the view's name and the
media types; where the route takes a POST, ``actions.POST`` describes the fields of a serializer.
That serializer is the **viewset's own** (Waldur's ``ActionsViewSet`` picks the serializer by
action name, and the ``OPTIONS`` action has none), not the action's body: ``OPTIONS`` on
``marketplace-component-usages/set_usage/`` lists ``ComponentUsage``'s fields, ``date`` among
them, on 7.0.7 too, whose ``set_usage`` drops ``date``. What ``OPTIONS`` does tell reliably is
whether a route exists: a route the version lacks answers 404 like any unknown URL.

The 7.x fields are those a running 7.0.7 server lists (``_options_7.json``); the 8.x fields come
from the 8.0.5 schema's components (``_options_8.json``, written by
``scripts/make_schema_subset.py``).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from puhuri_async.testing._http import Reply, json_reply
from puhuri_async.testing._profiles import ServerProfile

__all__ = ["options_reply"]

_RENDERS = ["application/json", "text/html"]
_PARSES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
_METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


@functools.cache
def _fields(profile: str) -> dict[str, dict[str, Any]]:
    name = "_options_7.json" if profile.startswith("7") else "_options_8.json"
    text = resources.files("puhuri_async.testing").joinpath(name).read_text(encoding="utf-8")
    loaded: dict[str, dict[str, Any]] = json.loads(text)
    return loaded


def allow_header(methods: set[str]) -> str:
    """The ``Allow`` header DRF sends for a view with ``methods``."""
    found = set(methods) | {"OPTIONS"}
    if "GET" in found:
        found.add("HEAD")
    return ", ".join(m for m in _METHOD_ORDER if m in found)


def options_reply(
    profile: ServerProfile, title: str, group: str, methods: set[str], *, may_post: bool
) -> Reply:
    """The ``OPTIONS`` answer of a route named ``title`` whose viewset is ``group``."""
    body: dict[str, Any] = {
        "name": title,
        "description": "",
        "renders": _RENDERS,
        "parses": _PARSES,
    }
    fields = _fields(profile.version).get(group) if group else None
    if "POST" in methods and may_post and fields is not None:
        body["actions"] = {"POST": fields}
    reply = json_reply(200, body)
    reply.headers.append(("Allow", allow_header(methods)))
    return reply
