"""Values a provider sends about a resource: its limits, access endpoints and back-end metadata.

Each check runs before any request, so a bad value raises ``InvalidArgumentError`` naming the
argument (``limits['cpu']``, ``endpoints[1].url``) where it was written.

- ``limits_payload(limits)``: the ``limits`` of ``set_limits`` (component type -> integer).
- ``ResourceEndpoint`` and ``endpoints_payload(endpoints)``: the ``endpoints`` of
  ``set_endpoints`` (8.1; a list of name and URL that replaces the resource's endpoints).
- ``backend_metadata_payload(metadata)``: the ``backend_metadata`` of ``set_backend_metadata``
  (any JSON object).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import attrs

from puhuri_async._arguments import non_empty_str
from puhuri_async._errors import InvalidArgumentError
from puhuri_async.models._base import JSON

__all__ = [
    "ResourceEndpoint",
    "backend_metadata_payload",
    "endpoints_payload",
    "limits_payload",
]

#: The longest endpoint name the server stores (``NestedEndpoint.name``).
ENDPOINT_NAME_MAX_LENGTH = 150


def limits_payload(limits: object, argument: str = "limits") -> dict[str, int]:
    """``limits`` (component type -> limit) checked, as the JSON ``set_limits`` sends.

    The types are non-empty strings (``offering.components[i].type``); the limits are
    non-negative integers, as the server keeps them (``Resource.limits``): a ``bool``, a float
    or a decimal string is refused rather than rounded. An empty mapping is refused too: it
    would change nothing.
    """
    if not isinstance(limits, Mapping):
        raise InvalidArgumentError(argument, f"must be a mapping, got {type(limits).__name__}")
    if not limits:
        raise InvalidArgumentError(argument, "must name at least one component type")
    checked: dict[str, int] = {}
    for key, value in limits.items():
        if not isinstance(key, str) or not key.strip():
            raise InvalidArgumentError(argument, f"has a key that is not a component type: {key!r}")
        where = f"{argument}[{key!r}]"
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidArgumentError(where, f"must be an int, got {type(value).__name__}")
        if value < 0:
            raise InvalidArgumentError(where, f"must not be negative, got {value}")
        checked[key] = int(value)
    return checked


def _endpoint_name(value: str) -> str:
    return non_empty_str(value, "name", max_length=ENDPOINT_NAME_MAX_LENGTH)


def _endpoint_url(value: str) -> str:
    text = non_empty_str(value, "url")
    parts = urlsplit(text.strip())
    if not parts.scheme or not parts.netloc:
        raise InvalidArgumentError("url", f"must be an absolute URL (scheme://host), got {text!r}")
    return text.strip()


@attrs.frozen
class ResourceEndpoint:
    """An access endpoint of a resource, as ``set_endpoints`` sets it: a ``name`` (at most 150
    characters) and an absolute ``url`` (``https://...``, ``ssh://...``)."""

    name: str = attrs.field(converter=_endpoint_name)
    url: str = attrs.field(converter=_endpoint_url)

    def to_request(self) -> dict[str, str]:
        """The JSON item of ``set_endpoints``' ``endpoints`` list."""
        return {"name": self.name, "url": self.url}


def endpoints_payload(endpoints: object, argument: str = "endpoints") -> list[dict[str, str]]:
    """``endpoints`` (``ResourceEndpoint`` items, or mappings with ``name`` and ``url``) as the
    JSON ``set_endpoints`` sends. An empty list is allowed: it removes every endpoint."""
    if isinstance(endpoints, str | bytes | Mapping) or not isinstance(endpoints, Iterable):
        raise InvalidArgumentError(argument, f"must be a list, got {type(endpoints).__name__}")
    result = []
    for index, item in enumerate(endpoints):
        where = f"{argument}[{index}]"
        if isinstance(item, Mapping):
            try:
                item = ResourceEndpoint(**item)
            except InvalidArgumentError as exc:
                raise InvalidArgumentError(f"{where}.{exc.argument}", exc.problem) from None
            except TypeError as exc:
                raise InvalidArgumentError(where, str(exc)) from None
        if not isinstance(item, ResourceEndpoint):
            raise InvalidArgumentError(
                where, f"must be a ResourceEndpoint, got {type(item).__name__}"
            )
        result.append(item.to_request())
    return result


def _check_json(value: Any, where: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidArgumentError(where, f"has a key that is not a string: {key!r}")
            _check_json(item, f"{where}[{key!r}]")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_json(item, f"{where}[{index}]")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidArgumentError(where, f"must be a finite number, got {value!r}")
    elif value is not None and not isinstance(value, str | int):
        raise InvalidArgumentError(where, f"is not JSON: {type(value).__name__}")


def backend_metadata_payload(
    metadata: object, argument: str = "backend_metadata"
) -> dict[str, JSON]:
    """``metadata`` (a mapping of JSON values: dicts, lists, strings, numbers, booleans, None)
    as the JSON ``set_backend_metadata`` sends, copied (changing yours later changes nothing).

    The server replaces the resource's whole ``backend_metadata`` with it.
    """
    if not isinstance(metadata, Mapping):
        raise InvalidArgumentError(argument, f"must be a mapping, got {type(metadata).__name__}")
    plain = dict(metadata.items())
    _check_json(plain, argument)
    copied: dict[str, JSON] = json.loads(json.dumps(plain))  # a deep copy, tuples as lists
    return copied
