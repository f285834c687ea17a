"""The public ways to make models from decoded JSON: ``structure`` and ``structure_many``
(eager), ``structurer`` and ``page_structurer`` (lazy). Bad JSON raises ``DecodeError``.

Which to use: a single object (a GET, an action's answer, a short list answered whole such as
``team/``) goes through ``structure`` or ``structure_many``: every field is converted now and a
malformed object is refused with every bad field named. The items of paginated lists go through
``page_structurer`` (a whole page with C-level loops, no Python call per row) or, row by row,
``structurer``: each model keeps its JSON and converts an attribute when it is first read (see
``_fields`` for both, and why). A lazy model remembers the operation and its page's URL, which
its ``DecodeError`` names.

All four take response models only (classes declared with ``@response_model``); any other class
is a programming error and raises ``TypeError``.
"""

from __future__ import annotations

from collections import deque
from itertools import repeat, starmap
from typing import Any, Protocol, TypeVar

from puhuri_async._errors import DecodeError
from puhuri_async.models._fields import NO_ORIGIN, Origin, build, is_response_model, slot_setter
from puhuri_async.models._values import converter, describe, problems, summary

__all__ = [
    "ItemStructurer",
    "PageStructurer",
    "converter",
    "page_structurer",
    "structure",
    "structure_many",
    "structurer",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class ItemStructurer(Protocol[T_co]):
    """``make(row, url=None)``: the lazy model of one list item (see ``structurer``)."""

    def __call__(self, row: Any, url: str | None = None, /) -> T_co: ...


class PageStructurer(Protocol[T]):
    """``make_page(rows, url=None)``: the lazy models of one page (see ``page_structurer``)."""

    def __call__(self, rows: list[Any], url: str | None = None, /) -> list[T] | None: ...


def _name(cls: Any) -> str:
    return getattr(cls, "__name__", None) or repr(cls)


def _check(cls: Any) -> None:
    if not is_response_model(cls):
        raise TypeError(f"{_name(cls)} is not a response model (declare it with @response_model)")


def _decode_error(exc: Exception, what: str, origin: Origin = NO_ORIGIN) -> DecodeError:
    return DecodeError(
        f"cannot decode {what}: {summary(problems(exc))}",
        operation=origin.operation,
        url=origin.url,
    )


def structure(data: Any, cls: type[T]) -> T:
    """Turn decoded JSON into ``cls`` (a model); any malformed input raises ``DecodeError``.

    Every field is converted now; the message names each bad field by its JSON path, e.g.
    ``cannot decode Order: expected an ISO 8601 timestamp, got string 'soon' @ $.created``.
    The model keeps a copy of the object (not of the lists and objects inside it).
    """
    _check(cls)
    try:
        return build(cls, data)
    except Exception as exc:
        raise _decode_error(exc, _name(cls)) from exc


def structure_many(data: Any, cls: type[T]) -> list[T]:
    """Turn a decoded JSON array into a list of ``cls``; bad input raises ``DecodeError``."""
    _check(cls)
    if not isinstance(data, list):
        what = f"a list of {_name(cls)}"
        raise DecodeError(f"cannot decode {what}: expected an array, got {describe(data)}")
    result: list[T] = []
    append = result.append
    index = 0
    try:
        for item in data:
            append(build(cls, item))
            index += 1
    except Exception as exc:
        raise _decode_error(exc, f"item {index} of a list of {_name(cls)}") from exc
    return result


_set_data = slot_setter("_data")
_set_origin = slot_setter("_origin")


def structurer(cls: type[T], operation: str | None = None) -> ItemStructurer[T]:
    """``make(row, url=None)``: a lazy model of ``cls`` over one freshly decoded JSON object.

    The model keeps the object it is given (not a copy: use it only on JSON that nothing else
    holds or changes, such as a response body just decoded) and converts each attribute when
    it is first read. A row that is not a plain ``dict`` is handled as ``structure`` does: a
    dict subclass is copied and converted now, anything else raises ``DecodeError`` at once. A
    malformed field raises ``DecodeError`` when its attribute is read. Both errors name
    ``operation`` and ``url`` (the page's) when given.
    """
    _check(cls)
    new = object.__new__
    plain = dict
    default = Origin(operation)

    def make(row: Any, url: str | None = None, /) -> T:
        origin = default if url is None else Origin(operation, url)
        if row.__class__ is not plain:
            try:
                result: T = build(cls, row, origin)
            except Exception as exc:
                raise _decode_error(exc, _name(cls), origin) from exc
            return result
        model: T = new(cls)
        _set_data(model, row)
        _set_origin(model, origin)
        return model

    return make


def page_structurer(cls: type[T], operation: str | None = None) -> PageStructurer[T]:
    """``make_page(rows, url=None)``: what ``structurer(cls, operation)`` makes, for a page.

    ``url`` is the page's URL, named with ``operation`` by the ``DecodeError`` of any of its
    models. The models of a list of plain JSON objects are made with C-level loops, no Python
    call per row: a bulk fetch of 40,000 objects spends its time decoding JSON, not here. It
    returns ``None`` when a row is anything else (a dict subclass, not an object): such a page
    is left to ``structurer``, row by row, which copies or refuses it.
    """
    _check(cls)
    plain = {dict}
    new = object.__new__

    def make_page(rows: list[Any], url: str | None = None, /) -> list[T] | None:
        if not plain.issuperset(map(type, rows)):
            return None
        # starmap over one repeated tuple, and over zip (which reuses its tuple), calls these
        # tuple-taking wrappers without a new argument tuple per row, as map would build.
        models: list[T] = list(starmap(new, repeat((cls,), len(rows))))
        origin = repeat(Origin(operation, url))
        deque(starmap(_set_data, zip(models, rows, strict=True)), maxlen=0)
        deque(starmap(_set_origin, zip(models, origin, strict=False)), maxlen=0)
        return models

    return make_page
