"""How a model's attributes come from its JSON: one conversion per field, made now or on first read.

``@response_model`` declares a model (``users.py`` has examples). It applies attrs (frozen,
``slots=False``: the typed values live in the instance ``__dict__``), then, explicitly and once,
resolves each field's annotation to its conversion (the converter's hook for the type, see
``_values``) and installs a ``LazyField`` descriptor for it on the class. That table is the
only way a JSON value becomes an attribute value:

- *lazily*, for list items: the model holds only its JSON (``_data``); the first read of
  ``obj.name`` runs the descriptor, which converts ``_data["name"]`` and stores the result in
  the instance ``__dict__``, where later reads find it at the speed of a plain attribute (the
  descriptor defines no ``__set__``, so the stored value wins). A malformed value raises
  ``DecodeError`` at that read, naming the operation and page URL the model came from.
- *eagerly*, for single objects (``structure()``) and nested models: ``fill`` runs the same
  conversions for every field at once and reports every bad field before the model is used.

Why lazy for lists: converting fifty fields per object was most of a bulk fetch's cost beyond
decoding the JSON (about 9 µs per user, plus the garbage collector walking the values), and a
program reads a few attributes of each object. Why eager for single objects: one GET costs
milliseconds, converting its fields a few µs, and a malformed answer is then reported where the
call was made.

What a field reads: the converted JSON value, or ``None`` when the server sent ``null`` or left
the field out (``fields=`` selection, an older server, a role that does not see it), whatever
its annotation says. A response model has no other defaults, validators or converters: the
server's JSON is the single source of its values.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import (
    Any,
    ClassVar,
    TypeAlias,
    TypeVar,
    dataclass_transform,
    get_origin,
    get_type_hints,
)

import attrs
from cattrs.errors import AttributeValidationNote, ClassValidationError

from puhuri_async._errors import DecodeError
from puhuri_async.models._base import EMPTY_LIST, PuhuriModel
from puhuri_async.models._values import Hook, converter, expected, field_hook, problems, summary

__all__ = [
    "NO_ORIGIN",
    "LazyField",
    "Origin",
    "build",
    "fill",
    "invalid",
    "is_response_model",
    "response_model",
    "slot_setter",
]

M = TypeVar("M", bound=PuhuriModel)
T = TypeVar("T")

#: One field: (name, hook, type, exact). ``hook(value, type)`` converts a non-null JSON value
#: unless its class is exactly ``exact`` (a checked JSON scalar, taken as it is); ``hook`` is
#: ``None`` for free-form JSON.
Row: TypeAlias = tuple[str, Hook | None, Any, type | None]

#: The field table of every response model, by class (filled by ``@response_model``).
_TABLES: dict[type, tuple[Row, ...]] = {}


@attrs.frozen
class Origin:
    """Where a lazy model came from, named by the ``DecodeError`` of a bad attribute: the
    operation (the public method's name) and the URL of its page. One per page, shared."""

    operation: str | None = None
    url: str | None = None


NO_ORIGIN = Origin()


def slot_setter(name: str) -> Callable[[Any, Any], None]:
    """The ``__set__`` of the model slot ``name`` (``_data`` or ``_origin``): how a frozen
    model's own state is written, also from C-level loops (``page_structurer``)."""
    for klass in PuhuriModel.__mro__:
        member = klass.__dict__.get(name)
        if isinstance(member, types.MemberDescriptorType):
            return member.__set__
    raise AssertionError(f"PuhuriModel has no slot {name!r}")


_set_data = slot_setter("_data")
_set_origin = slot_setter("_origin")


def _lazy_error(model: Any, name: str, exc: Exception) -> DecodeError:
    """The ``DecodeError`` of a lazy attribute whose JSON value its hook refused."""
    origin = getattr(model, "_origin", NO_ORIGIN)
    return DecodeError(
        f"cannot decode {type(model).__name__}: {summary(problems(exc, f'$.{name}'))}",
        operation=origin.operation,
        url=origin.url,
    )


class LazyField:
    """A model attribute converted from the model's JSON when first read, then cached."""

    __slots__ = ("exact", "hook", "name", "type_")

    def __init__(self, row: Row) -> None:
        self.name, self.hook, self.type_, self.exact = row

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        try:
            data = obj._data
        except AttributeError:  # made by the constructor, which stored every value it took
            raise AttributeError(
                f"{type(obj).__name__!r} object has no attribute {self.name!r}"
            ) from None
        value = data.get(self.name)
        if value is not None and value.__class__ is not self.exact:
            if self.hook is not None:
                try:
                    value = self.hook(value, self.type_)
                except Exception as exc:
                    raise _lazy_error(obj, self.name, exc) from exc
            elif value is EMPTY_LIST:  # free-form JSON is the model's own: never the shared one
                value = []
        obj.__dict__[self.name] = value
        return value

    def __repr__(self) -> str:
        return f"<lazy field {self.name!r}>"


def is_response_model(cls: Any) -> bool:
    """Whether ``cls`` was declared with ``@response_model``."""
    return cls in _TABLES


def fill(model: Any, data: dict[str, Any]) -> list[tuple[str, Exception]]:
    """Convert every field of ``model`` from ``data`` into its attribute cache, now.

    Returns each field whose value its hook refused, with the error (that attribute is left to
    its descriptor); an empty list means the model is complete.
    """
    cache = model.__dict__
    failures: list[tuple[str, Exception]] = []
    get = data.get
    for name, hook, type_, exact in _TABLES[model.__class__]:
        value = get(name)
        if value is not None and value.__class__ is not exact and hook is not None:
            try:
                value = hook(value, type_)
            except Exception as exc:
                failures.append((name, exc))
                continue
        cache[name] = value
    return failures


def invalid(cls: type, failures: list[tuple[str, Exception]]) -> ClassValidationError:
    """The failures of ``fill`` as cattrs' error tree, each noted with its field's name."""
    errors = []
    for name, exc in failures:
        note = AttributeValidationNote(f"Structuring {cls.__name__} @ attribute {name}", name, None)
        exc.__notes__ = [*getattr(exc, "__notes__", []), note]
        errors.append(exc)
    return ClassValidationError(f"While structuring {cls.__name__}", errors, cls)


def build(cls: type[T], value: Any, origin: Origin = NO_ORIGIN) -> T:
    """A complete model of ``cls`` over a copy of the JSON object ``value`` (the object is
    copied, its contents shared); anything else, or a malformed field, raises (see
    ``invalid``)."""
    if not isinstance(value, dict):
        raise expected("an object", value)
    model: T = object.__new__(cls)
    data = dict(value)
    _set_data(model, data)
    _set_origin(model, origin)
    failures = fill(model, data)
    if failures:
        raise invalid(cls, failures)
    return model


def _make_nested(cls: Any) -> Hook:
    """A model nested in another (``Resource.order_in_progress``): made complete when read."""

    def structure_nested(value: Any, _: Any) -> Any:
        return build(cls, value)

    return structure_nested


converter.register_structure_hook_factory(is_response_model, _make_nested)


@dataclass_transform(frozen_default=True)
def response_model(cls: type[M]) -> type[M]:
    """Declare ``cls``, a ``PuhuriModel`` subclass, a response model (see the module docs).

    Each annotated name of the class body (``uuid: str``, without a value) is a field;
    ``ClassVar`` annotations are class settings. Types resolve now, so a field's type must be
    defined before the model (nested models first).
    """
    if not (isinstance(cls, type) and issubclass(cls, PuhuriModel)):
        raise TypeError("@response_model applies to PuhuriModel subclasses")
    hints = get_type_hints(cls)
    for name in inspect.get_annotations(cls):
        if get_origin(hints[name]) is ClassVar:
            continue
        if name in cls.__dict__:
            raise TypeError(
                f"{cls.__name__}.{name}: a response model field takes no value "
                "(an absent or null field reads None)"
            )
        setattr(cls, name, attrs.field(default=None))
    cls = attrs.frozen(eq=False, repr=False, slots=False)(cls)
    rows: list[Row] = []
    for attribute in attrs.fields(cls):
        if attribute.init:
            hook, exact = field_hook(hints[attribute.name])
            rows.append((attribute.name, hook, hints[attribute.name], exact))
    _TABLES[cls] = tuple(rows)
    for row in rows:
        setattr(cls, row[0], LazyField(row))
    return cls
