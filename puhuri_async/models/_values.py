"""JSON values into typed values: the one cattrs converter and its hooks, one per field type.

cattrs is the registry: ``converter.get_structure_hook(SomeType)`` gives the function that turns a
JSON value into ``SomeType``, resolved once per type when a model class is defined (see
``_fields``), never per object. The hooks are:

- strict about JSON types, because a wrong type is a server (or proxy) fault the caller must
  hear about: ``"5"`` is not an integer, ``1`` is not a boolean, a string is not a list;
- lenient about vocabularies: an enum value a newer server introduces is kept as ``str``;
- tolerant of ``null`` everywhere below a model: a null field, a null list element, a null map
  value and a null nested object all read ``None`` (real servers send nulls their schema does
  not admit, such as ``"limit_usage": {"storage": null}``). The field-level null is handled by
  ``_fields``; the containers here pass null elements through as ``None``.

A hook raises ``TypeError`` or ``ValueError`` for a bad scalar; the containers gather their bad
elements in cattrs' ``IterableValidationError`` with the index or key of each, so
``cattrs.transform_error`` can name the JSON path of every problem.
"""

from __future__ import annotations

import functools
import operator
import types
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from inspect import isclass
from typing import Any, Union, get_args, get_origin

import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote

from puhuri_async.models._base import JSON

__all__ = [
    "Hook",
    "converter",
    "describe",
    "expected",
    "field_hook",
    "problems",
    "structure_json",
    "summary",
]

Hook = Callable[[Any, Any], Any]

#: The shared converter. Register hooks here, never on a second converter.
converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=False)


def describe(value: object) -> str:
    """A short description of a JSON value for error messages: its JSON type and a preview."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    kind = {str: "string", int: "integer", float: "number"}.get(type(value), type(value).__name__)
    preview = repr(value)
    if len(preview) > 40:
        preview = preview[:37] + "..."
    return f"{kind} {preview}"


def expected(what: str, value: object) -> TypeError:
    """The error of a JSON value of the wrong type."""
    return TypeError(f"expected {what}, got {describe(value)}")


# Scalar hooks. Each takes (value, type) as cattrs calls it and checks the JSON type first.


def _structure_str(value: Any, _: Any) -> str:
    if value.__class__ is str:
        return str(value)
    raise expected("a string", value)


def _structure_int(value: Any, _: Any) -> int:
    if value.__class__ is int:
        return int(value)
    raise expected("an integer", value)


def _structure_bool(value: Any, _: Any) -> bool:
    if value is True or value is False:
        return bool(value)
    raise expected("a boolean", value)


def _structure_float(value: Any, _: Any) -> float:
    if value.__class__ is float or value.__class__ is int:
        return float(value)
    raise expected("a number", value)


def _structure_decimal(value: Any, _: Any) -> Decimal:
    """Decimal strings (``"12.50"``) and JSON numbers, kept exact: a float goes via its repr."""
    cls = value.__class__
    if cls is str:
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"expected a decimal number, got {describe(value)}") from None
    elif cls is int:
        result = Decimal(value)
    elif cls is float:
        result = Decimal(repr(value))
    else:
        raise expected("a decimal number", value)
    if not result.is_finite():
        raise ValueError(f"expected a finite decimal number, got {describe(value)}")
    return result


def _structure_datetime(value: Any, _: Any) -> datetime:
    """ISO 8601 timestamps (``...Z`` included); one without an offset is taken as UTC."""
    if value.__class__ is not str:
        raise expected("an ISO 8601 timestamp string", value)
    try:
        result = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected an ISO 8601 timestamp, got {describe(value)}") from None
    if result.tzinfo is None:
        result = result.replace(tzinfo=UTC)
    return result


def _structure_date(value: Any, _: Any) -> date:
    if value.__class__ is not str:
        raise expected("an ISO 8601 date string", value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected an ISO 8601 date, got {describe(value)}") from None


def structure_json(value: Any, _: Any) -> JSON:
    """Free-form JSON: any value, as is (shared with the model's JSON, which is never changed)."""
    return value


converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook(int, _structure_int)
converter.register_structure_hook(bool, _structure_bool)
converter.register_structure_hook(float, _structure_float)
converter.register_structure_hook(Decimal, _structure_decimal)
converter.register_structure_hook(datetime, _structure_datetime)
converter.register_structure_hook(date, _structure_date)
converter.register_structure_hook_func(lambda t: t is Any, structure_json)


# Hook factories for the generic shapes the models use. Each resolves its inner hook once.


def without_none(type_: Any) -> Any:
    """``type_`` without ``None`` in its union (``str | None`` -> ``str``); others unchanged."""
    if get_origin(type_) in (Union, types.UnionType):
        rest = [arg for arg in get_args(type_) if arg is not type(None)]
        return functools.reduce(operator.or_, rest)
    return type_


def _is_optional(type_: Any) -> bool:
    return get_origin(type_) in (Union, types.UnionType) and type(None) in get_args(type_)


def _make_optional(type_: Any) -> Hook:
    """``X | None`` (inside a container): null is None, anything else goes to X's hook."""
    inner_type = without_none(type_)
    inner = converter.get_structure_hook(inner_type)

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else inner(value, inner_type)

    return structure_optional


def _is_tolerant_enum(type_: Any) -> bool:
    args = get_args(type_) if get_origin(type_) in (Union, types.UnionType) else ()
    return (
        len(args) == 2
        and str in args
        and any(isclass(arg) and issubclass(arg, StrEnum) for arg in args)
    )


def _make_tolerant_enum(type_: Any) -> Hook:
    """``SomeEnum | str``: a known value becomes its member, an unknown one stays a string."""
    enum_cls = next(arg for arg in get_args(type_) if arg is not str)
    members: dict[str, StrEnum] = {member.value: member for member in enum_cls}

    def structure_enum(value: Any, _: Any) -> Any:
        if value.__class__ is str:
            return members.get(value, value)
        raise expected(f"a string ({enum_cls.__name__})", value)

    return structure_enum


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _make_tuple(type_: Any) -> Hook:
    """``tuple[X, ...]`` from a JSON array (a string is not a sequence here); null items read
    ``None``."""
    item_type = get_args(type_)[0]
    item = converter.get_structure_hook(item_type)
    if item is structure_json:

        def structure_json_tuple(value: Any, _: Any) -> tuple[Any, ...]:
            if not isinstance(value, list):
                raise expected("an array", value)
            return tuple(value)

        return structure_json_tuple

    def structure_tuple(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise expected("an array", value)
        try:
            return tuple([None if one is None else item(one, item_type) for one in value])
        except Exception:
            _raise_item_errors(enumerate(value), item, item_type, type_)
            raise

    return structure_tuple


def _is_str_mapping(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) in (Mapping, dict) and len(args) == 2 and args[0] is str


def _make_mapping(type_: Any) -> Hook:
    """``Mapping[str, X]`` from a JSON object; null values read ``None``."""
    value_type = get_args(type_)[1]
    item = converter.get_structure_hook(value_type)

    def structure_mapping(value: Any, _: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise expected("an object", value)
        try:
            return {
                key: None if one is None else item(one, value_type) for key, one in value.items()
            }
        except Exception:
            _raise_item_errors(value.items(), item, value_type, type_)
            raise

    return structure_mapping


def _raise_item_errors(
    entries: Iterable[tuple[Any, Any]], item: Hook, item_type: Any, type_: Any
) -> None:
    """Slow path after a failure: collect each bad element with its index (or key) for the path."""
    errors: list[Exception] = []
    for index, element in entries:
        if element is None:
            continue
        try:
            item(element, item_type)
        except Exception as exc:
            note = IterableValidationNote(f"Structuring {type_} @ {index!r}", index, item_type)
            exc.__notes__ = [*getattr(exc, "__notes__", []), note]
            errors.append(exc)
    if errors:
        raise IterableValidationError(f"While structuring {type_!r}", errors, type_)


converter.register_structure_hook_factory(_is_homogeneous_tuple, _make_tuple)
converter.register_structure_hook_factory(_is_str_mapping, _make_mapping)
converter.register_structure_hook_factory(_is_tolerant_enum, _make_tolerant_enum)
converter.register_structure_hook_factory(_is_optional, _make_optional)

#: JSON scalars a field takes as they are once their class is checked (no call per value).
_EXACT: dict[Any, type] = {str: str, int: int, bool: bool, float: float}


def field_hook(type_: Any) -> tuple[Hook | None, type | None]:
    """How a model field of annotation ``type_`` converts a non-null JSON value.

    ``(hook, exact)``: a value whose class is exactly ``exact`` is taken as it is; any other
    goes to ``hook(value, type)``. ``hook`` is ``None`` for free-form JSON (taken as it is).
    ``None`` in the annotation is dropped first: null is handled by the field itself.
    """
    inner = without_none(type_)
    hook = converter.get_structure_hook(inner)
    if hook is structure_json:
        return None, None
    return hook, _EXACT.get(inner)


# What the errors say.

_MAX_REPORTED_ERRORS = 5


def _format_exception(exc: BaseException, _type: Any) -> str:
    if isinstance(exc, TypeError | ValueError) and str(exc):
        return str(exc)
    return f"{exc.__class__.__name__}: {exc}"


def problems(exc: Exception, path: str = "$") -> list[str]:
    """Each problem in ``exc`` (a hook's error, or cattrs' tree of them) with its JSON path,
    e.g. ``expected a string, got integer 5 @ $.uuid``."""
    found: list[str] = cattrs.transform_error(exc, path=path, format_exception=_format_exception)
    return found


def summary(found: list[str]) -> str:
    """The first few problems, joined, and how many more there were."""
    shown = "; ".join(found[:_MAX_REPORTED_ERRORS])
    if len(found) > _MAX_REPORTED_ERRORS:
        shown += f"; and {len(found) - _MAX_REPORTED_ERRORS} more"
    return shown
