"""The one cattrs converter: decoded JSON in, models out, or ``DecodeError``.

Bulk jobs structure 100,000 objects, so every field type resolves once, when a model's functions
are made, to a small strict hook; nothing is looked up per object. Two ways to use them (see
``_fill`` for how, and the measurements that decided it):

- ``structure(data, Model)`` converts every field at once: a malformed object raises
  ``DecodeError`` naming every bad field, before any model exists. Single objects use it.
- ``structurer(Model, operation)`` makes lazy models for list items: the model keeps the item's
  JSON and each attribute is converted on its first read (then cached), so a malformed field
  raises ``DecodeError`` at that read. Converting fifty fields per object eagerly was most of a
  bulk fetch's cost beyond decoding the JSON (about 9 µs per user, plus the garbage collector
  walking the values); the error is as strict, only later, and never another type.

The hooks are strict about JSON types, because a wrong type is a server (or proxy) fault the
caller must hear about: ``"5"`` is not an integer, ``1`` is not a boolean, a string is not a list.
They are lenient about vocabularies: an enum value a newer server introduces is kept as ``str``.
``null`` is accepted for every field (it reads ``None``), and a missing field is simply absent.
"""

from __future__ import annotations

import functools
import operator
import types
from collections import deque
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from inspect import isclass
from itertools import repeat
from typing import Any, TypeVar, Union, get_args, get_origin

import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn

from puhuri_async._errors import DecodeError
from puhuri_async.models import _fill
from puhuri_async.models._base import JSON, PuhuriModel
from puhuri_async.models._fill import Inline

T = TypeVar("T")
Hook = Callable[[Any, Any], Any]

#: The shared converter. Register hooks here, never on a second converter.
converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=False)

_MAX_REPORTED_ERRORS = 5


def _describe(value: object) -> str:
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


def _expected(what: str, value: object) -> TypeError:
    return TypeError(f"expected {what}, got {_describe(value)}")


# Scalar hooks. Each takes (value, type) as cattrs calls it and checks the JSON type first.


def _structure_str(value: Any, _: Any) -> str:
    if value.__class__ is str:
        return str(value)
    raise _expected("a string", value)


def _structure_int(value: Any, _: Any) -> int:
    if value.__class__ is int:
        return int(value)
    raise _expected("an integer", value)


def _structure_bool(value: Any, _: Any) -> bool:
    if value is True or value is False:
        return bool(value)
    raise _expected("a boolean", value)


def _structure_float(value: Any, _: Any) -> float:
    if value.__class__ is float or value.__class__ is int:
        return float(value)
    raise _expected("a number", value)


def _structure_decimal(value: Any, _: Any) -> Decimal:
    """Decimal strings (``"12.50"``) and JSON numbers, kept exact: a float goes via its repr."""
    cls = value.__class__
    if cls is str:
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"expected a decimal number, got {_describe(value)}") from None
    elif cls is int:
        result = Decimal(value)
    elif cls is float:
        result = Decimal(repr(value))
    else:
        raise _expected("a decimal number", value)
    if not result.is_finite():
        raise ValueError(f"expected a finite decimal number, got {_describe(value)}")
    return result


def _structure_datetime(value: Any, _: Any) -> datetime:
    """ISO 8601 timestamps (``...Z`` included); one without an offset is taken as UTC."""
    if value.__class__ is not str:
        raise _expected("an ISO 8601 timestamp string", value)
    try:
        result = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected an ISO 8601 timestamp, got {_describe(value)}") from None
    if result.tzinfo is None:
        result = result.replace(tzinfo=UTC)
    return result


def _structure_date(value: Any, _: Any) -> date:
    if value.__class__ is not str:
        raise _expected("an ISO 8601 date string", value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected an ISO 8601 date, got {_describe(value)}") from None


def _structure_json(value: Any, _: Any) -> JSON:
    """Free-form JSON: any value, as is (shared with the model's JSON, which is never changed)."""
    return value


converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook(int, _structure_int)
converter.register_structure_hook(bool, _structure_bool)
converter.register_structure_hook(float, _structure_float)
converter.register_structure_hook(Decimal, _structure_decimal)
converter.register_structure_hook(datetime, _structure_datetime)
converter.register_structure_hook(date, _structure_date)
converter.register_structure_hook_func(lambda t: t is Any, _structure_json)


# Hook factories for the generic shapes the models use. Each resolves its inner hook once.


def _union_args(type_: Any) -> tuple[Any, ...] | None:
    if get_origin(type_) in (Union, types.UnionType):
        return get_args(type_)
    return None


def _is_optional(type_: Any) -> bool:
    args = _union_args(type_)
    return args is not None and type(None) in args


def _make_optional(type_: Any) -> Hook:
    """``X | None``: null is None, anything else goes to X's hook (fused for plain JSON scalars)."""
    rest = [arg for arg in get_args(type_) if arg is not type(None)]
    inner_type = functools.reduce(operator.or_, rest)
    exact = _JSON_SCALARS.get(inner_type)
    if exact is not None:
        return _make_optional_scalar(*exact)
    inner = converter.get_structure_hook(inner_type)

    def structure_optional(value: Any, _: Any) -> Any:
        if value is None:
            return None
        return inner(value, inner_type)

    _INLINE[structure_optional] = Inline(hook=inner, type_=inner_type)
    return structure_optional


#: Types whose JSON value is used as is, once its class is checked: (class, what to expect).
_JSON_SCALARS: dict[Any, tuple[type, str]] = {
    str: (str, "a string"),
    int: (int, "an integer"),
    bool: (bool, "a boolean"),
}


def _make_optional_scalar(cls: type, what: str) -> Hook:
    """One call instead of two for the commonest field shape, ``str | None`` and kin."""

    def structure_optional_scalar(value: Any, _: Any) -> Any:
        if value.__class__ is cls or value is None:
            return value
        raise _expected(what, value)

    _INLINE[structure_optional_scalar] = Inline(exact=cls, what=what)
    return structure_optional_scalar


#: The optional hooks made here, by hook, with what a fill function may inline of them.
_INLINE: dict[Hook, Inline] = {}


def _is_tolerant_enum(type_: Any) -> bool:
    args = _union_args(type_)
    return (
        args is not None
        and len(args) == 2
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
        raise _expected(f"a string ({enum_cls.__name__})", value)

    return structure_enum


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _make_tuple(type_: Any) -> Hook:
    """``tuple[X, ...]`` from a JSON array (and nothing else: a string is not a sequence here)."""
    item_type = get_args(type_)[0]
    item = converter.get_structure_hook(item_type)
    if item is _structure_json:

        def structure_json_tuple(value: Any, _: Any) -> tuple[Any, ...]:
            if not isinstance(value, list):
                raise _expected("an array", value)
            return tuple(value)

        return structure_json_tuple

    def structure_tuple(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _expected("an array", value)
        try:
            return tuple([item(element, item_type) for element in value])
        except Exception:
            _raise_item_errors(enumerate(value), item, item_type, type_)
            raise

    return structure_tuple


def _is_str_mapping(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) in (Mapping, dict) and len(args) == 2 and args[0] is str


def _make_mapping(type_: Any) -> Hook:
    """``Mapping[str, X]`` from a JSON object."""
    value_type = get_args(type_)[1]
    item = converter.get_structure_hook(value_type)

    def structure_mapping(value: Any, _: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _expected("an object", value)
        try:
            return {key: item(element, value_type) for key, element in value.items()}
        except Exception:
            _raise_item_errors(value.items(), item, value_type, type_)
            raise

    return structure_mapping


def _raise_item_errors(entries: Any, item: Hook, item_type: Any, type_: Any) -> None:
    """Slow path after a failure: collect each bad element with its index (or key) for the path."""
    errors: list[Exception] = []
    for index, element in entries:
        try:
            item(element, item_type)
        except Exception as exc:
            note = IterableValidationNote(f"Structuring {type_} @ {index!r}", index, item_type)
            exc.__notes__ = [*getattr(exc, "__notes__", []), note]
            errors.append(exc)
    if errors:
        raise IterableValidationError(f"While structuring {type_!r}", errors, type_)


def _is_model(type_: Any) -> bool:
    return isclass(type_) and issubclass(type_, PuhuriModel)


def _make_model(cls: Any) -> Hook:
    """A model from a JSON object, eagerly: every field converted now, then the JSON kept.

    The fill function is generated (``_fill``) when the model's fields allow it, else it is
    cattrs' own; cattrs' function with detailed validation runs only after a failure, to name
    every bad field. A generated model also gets its lazy attributes (``_fill.LazyField``),
    which ``structurer`` relies on.
    """
    filler = _fill.generate(
        cls,
        hook_of=converter.get_structure_hook,
        inline_of=_INLINE.get,
        identity=_structure_json,
        expected=_expected,
    )
    if filler is not None:
        fill = filler.fill
        _fill.install_lazy_fields(cls, filler.fields, _field_error)
        _LAZY.add(cls)
    else:
        lean = make_dict_structure_fn(
            cls, converter, _cattrs_forbid_extra_keys=False, _cattrs_detailed_validation=False
        )

        def fill(value: dict[str, Any]) -> Any:
            return lean(value, cls)

    diagnose = make_dict_structure_fn(
        cls, converter, _cattrs_forbid_extra_keys=False, _cattrs_detailed_validation=True
    )
    keep = _fill.slot_setter(cls, "_data") or _set_data

    def structure_model(value: Any, _: Any) -> Any:
        if not isinstance(value, dict):
            raise _expected("an object", value)
        try:
            model = fill(value)
        except Exception:
            diagnose(value, cls)  # raises the detailed error
            raise
        keep(model, dict(value))
        return model

    return structure_model


#: The model classes that have lazy attributes (see ``structurer``).
_LAZY: set[Any] = set()


def _set_data(model: Any, data: dict[str, Any]) -> None:
    object.__setattr__(model, "_data", data)


def _field_error(model: Any, name: str, exc: Exception) -> DecodeError:
    """The ``DecodeError`` of a lazy attribute whose JSON value its hook refused."""
    problems = cattrs.transform_error(exc, path=f"$.{name}", format_exception=_format_exception)
    return DecodeError(
        f"cannot decode {type(model).__name__}: {_summary(problems)}",
        operation=getattr(model, "_operation", None),
    )


converter.register_structure_hook_factory(_is_homogeneous_tuple, _make_tuple)
converter.register_structure_hook_factory(_is_str_mapping, _make_mapping)
converter.register_structure_hook_factory(_is_tolerant_enum, _make_tolerant_enum)
converter.register_structure_hook_factory(_is_optional, _make_optional)
converter.register_structure_hook_factory(_is_model, _make_model)


# The public face.


def _format_exception(exc: BaseException, _type: Any) -> str:
    if isinstance(exc, TypeError | ValueError) and str(exc):
        return str(exc)
    return f"{exc.__class__.__name__}: {exc}"


def _summary(problems: list[str]) -> str:
    shown = "; ".join(problems[:_MAX_REPORTED_ERRORS])
    if len(problems) > _MAX_REPORTED_ERRORS:
        shown += f"; and {len(problems) - _MAX_REPORTED_ERRORS} more"
    return shown


def _decode_error(exc: Exception, what: str) -> DecodeError:
    problems = cattrs.transform_error(exc, path="$", format_exception=_format_exception)
    return DecodeError(f"cannot decode {what}: {_summary(problems)}")


_hooks: dict[Any, Hook] = {}


def _hook(cls: Any) -> Hook:
    """The structure hook of ``cls``, looked up once."""
    hook = _hooks.get(cls)
    if hook is None:
        hook = _hooks[cls] = converter.get_structure_hook(cls)
    return hook


def _name(cls: Any) -> str:
    return getattr(cls, "__name__", None) or repr(cls)


def structure(data: Any, cls: type[T]) -> T:
    """Turn decoded JSON into ``cls`` (a model); any malformed input raises ``DecodeError``.

    The message names each bad field by its JSON path, e.g.
    ``cannot decode Order: expected an ISO 8601 timestamp, got string 'soon' @ $.created``.
    """
    hook = _hook(cls)
    try:
        result: T = hook(data, cls)
    except Exception as exc:
        raise _decode_error(exc, _name(cls)) from exc
    return result


def structurer(cls: type[T], operation: str | None = None) -> Callable[[Any], T]:
    """A one-argument function that makes lazy models of ``cls`` from freshly decoded JSON.

    The model keeps the JSON object it is given (not a copy: use it only on JSON that nothing
    else holds or changes, such as a response body just decoded) and converts each attribute
    when it is first read (see ``_fill``). Something that is not a JSON object raises
    ``DecodeError`` at once; a malformed field raises ``DecodeError`` when its attribute is
    read, named after ``operation`` when one is given. A model the generator does not handle
    is structured eagerly, as ``structure`` does.
    """
    _hook(cls)  # makes the model's functions and installs its lazy attributes
    if cls not in _LAZY:

        def structure_eagerly(data: Any) -> T:
            try:
                return structure(data, cls)
            except DecodeError as exc:
                raise _with_operation(exc, operation) from exc

        return structure_eagerly
    new = object.__new__
    set_data = _fill.slot_setter(cls, "_data")
    set_operation = _fill.slot_setter(cls, "_operation")
    assert set_data is not None
    assert set_operation is not None
    plain = dict

    def structure_lazily(data: Any) -> T:
        if data.__class__ is not plain:
            # A dict subclass (copied, checked at once), or not an object at all (refused).
            try:
                return structure(data, cls)
            except DecodeError as exc:
                raise _with_operation(exc, operation) from exc
        model: T = new(cls)
        set_data(model, data)
        set_operation(model, operation)
        return model

    return structure_lazily


def page_structurer(
    cls: type[T], operation: str | None = None
) -> Callable[[list[Any]], list[T] | None] | None:
    """``structurer(cls, operation)`` for a whole page of rows at once, or ``None`` if ``cls``
    is structured eagerly.

    The function makes the lazy models of a list of plain JSON objects with C-level loops, no
    Python call per row: a bulk fetch of 40,000 objects spends its time decoding JSON, not
    here. It returns ``None`` when a row is anything else (a dict subclass, not an object):
    such a page is left to ``structurer``, row by row, which copies or refuses it.
    """
    structurer(cls, operation)  # installs the lazy attributes (or finds cattrs must do it)
    if cls not in _LAZY:
        return None
    set_data = _fill.slot_setter(cls, "_data")
    set_operation = _fill.slot_setter(cls, "_operation")
    assert set_data is not None
    assert set_operation is not None
    plain = {dict}

    def structure_page(rows: list[Any]) -> list[T] | None:
        if not plain.issuperset(map(type, rows)):
            return None
        models: list[T] = list(map(object.__new__, repeat(cls, len(rows))))
        deque(map(set_data, models, rows), maxlen=0)
        deque(map(set_operation, models, repeat(operation)), maxlen=0)
        return models

    return structure_page


def _with_operation(exc: DecodeError, operation: str | None) -> DecodeError:
    return DecodeError(str(exc), operation=operation) if operation else exc


def structure_many(data: Any, cls: type[T]) -> list[T]:
    """Turn a decoded JSON array into a list of ``cls``; bad input raises ``DecodeError``."""
    if not isinstance(data, list):
        what = f"a list of {_name(cls)}"
        raise DecodeError(f"cannot decode {what}: expected an array, got {_describe(data)}")
    hook = _hook(cls)
    result: list[T] = []
    append = result.append
    index = 0
    try:
        for item in data:
            append(hook(item, cls))
            index += 1
    except Exception as exc:
        raise _decode_error(exc, f"item {index} of a list of {_name(cls)}") from exc
    return result
