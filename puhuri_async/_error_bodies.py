"""Reading Django REST Framework error bodies: a one-line summary and the per-field messages.

A leaf module (standard library only). Every walk over a body is bounded in depth
(``MAX_DEPTH``): a server may send an error body nested a thousand levels deep, and a summary
must never end in ``RecursionError``. Deeper parts are shown as ``…``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_DEPTH", "NON_FIELD_ERRORS", "depth_exceeds", "field_errors_of", "summarize_body"]

NON_FIELD_ERRORS = "non_field_errors"
"""DRF's key for errors of the whole request rather than of one field."""

MAX_DEPTH = 32
"""How deep a summary or the field errors look into an error body."""

_MAX_DETAIL = 500


def depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` (decoded JSON) nests lists and dicts more than ``limit`` levels deep.

    Iterative, so it is safe on any depth the JSON decoder accepted.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node  # type: ignore[assignment]
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _text(value: Any, depth: int = 0) -> str:
    if depth >= MAX_DEPTH:
        return "…"
    if isinstance(value, list):
        return "; ".join(_text(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v, depth + 1)}" for k, v in value.items())
    return str(value)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


def summarize_body(body: Any) -> str:
    """A readable one-line summary of a Django REST Framework error body.

    Handles ``{"detail": ...}``, ``{field: [messages]}``, ``{"non_field_errors": [...]}``, a list
    of strings and plain text (an HTML page is named, not quoted).
    """
    if body is None or body == "" or body == {} or body == []:
        return ""
    if isinstance(body, dict):
        if "detail" in body:
            return _shorten(_text(body["detail"]))
        parts: list[str] = []
        for key, value in body.items():
            if key == "non_field_errors":
                parts.insert(0, _text(value))
            else:
                parts.append(f"{key}: {_text(value)}")
        return _shorten("; ".join(parts))
    if isinstance(body, str):
        stripped = body.lstrip().lower()
        if stripped.startswith(("<!doctype html", "<html")):
            return f"an HTML page ({len(body)} characters)"
        return _shorten(body)
    return _shorten(_text(body))


def field_errors_of(body: Any) -> dict[str, list[str]]:
    """Per-field messages of a DRF validation body; nested serializer errors use dotted keys.

    A body that is a JSON list (DRF's answer for a ``ValidationError`` raised with a list, as
    Waldur's ``set_offerings_username`` does) is the whole request's errors: they are listed
    under ``non_field_errors``, DRF's own key for them, so no message is lost.
    """
    out: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any, depth: int) -> None:
        if depth >= MAX_DEPTH:
            out.setdefault(prefix, []).append("…")
        elif isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub, depth + 1)
        elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
            for index, sub in enumerate(value):
                walk(f"{prefix}[{index}]", sub, depth + 1)
        elif isinstance(value, list):
            out.setdefault(prefix, []).extend(str(v) for v in value)
        else:
            out.setdefault(prefix, []).append(str(value))

    if isinstance(body, dict):
        for key, value in body.items():
            if key != "detail":
                walk(str(key), value, 1)
    elif isinstance(body, list) and body:
        walk(NON_FIELD_ERRORS, body, 1)
    return out
