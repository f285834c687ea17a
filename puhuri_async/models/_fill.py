"""How a JSON object becomes a model: a generated eager fill function, and lazy attributes.

A list of 100,000 users means 100,000 objects of some fifty fields each, so the per-field cost
decides. Two ways are made once per model:

- ``fill(obj)``, eager: Python source generated for the model that converts every field at once
  and stores each typed value in the model's attribute cache (its instance ``__dict__``). It
  does exactly what cattrs' lean structure function does with the converter's hooks (a field
  absent from the JSON keeps its default; a present one goes through its hook), with less work
  per field: an optional JSON scalar (``str | None`` and kin) is one inlined class check,
  free-form JSON is taken as it is, any other optional field calls its inner hook only when the
  value is not null. It raises on any bad value; the converter then runs cattrs' detailed
  validation to name every bad field. ``structure()`` uses it.
- ``LazyField``, lazy: each field of the model class becomes a descriptor that converts the
  field from the model's JSON the first time it is read and caches the result in the instance
  ``__dict__``, where later reads find it at the speed of a plain attribute (the descriptor
  defines no ``__set__``, so the cached value wins). A model made lazily holds nothing but its
  JSON until then. List items are made this way (see ``_converter.structurer``).

Why lazy for lists: building and checking fifty typed attributes per object was most of the
client's own cost in bulk fetches (about 9 µs per user, plus the garbage collector walking the
values), and most programs read a few attributes of each object. A malformed field is still
refused with ``DecodeError``, when it is read instead of when the list arrives; mapping access
and ``to_dict()`` never convert anything, so they are unaffected.

Both need a model the generator understands: an attrs class with a ``_data`` slot, without
validators, converters or ``__attrs_post_init__``, every field with a plain default. Any other
model is left to cattrs (eager, through ``__init__``). The response models keep their fields
in the instance ``__dict__`` (attrs ``slots=False``); a model whose fields are slots works too,
its descriptors then replaced by the lazy ones.
"""

from __future__ import annotations

import linecache
import types
from collections.abc import Callable
from typing import Any, get_type_hints

import attrs

__all__ = ["Field", "Filler", "Inline", "LazyField", "generate", "slot_setter"]

Hook = Callable[[Any, Any], Any]

_MISSING: Any = attrs.NOTHING


@attrs.frozen
class Inline:
    """What a fill function may inline of an optional field's hook.

    ``exact``: the value is kept when its class is exactly this (or it is null), otherwise
    ``expected(what, value)`` is raised; else null stays null and any other value goes to
    ``hook(value, type_)``.
    """

    exact: type | None = None
    what: str = ""
    hook: Hook | None = None
    type_: Any = None


@attrs.frozen
class Field:
    """One field as both ways convert it: ``hook(value, type_)`` for a present value.

    ``nullable``: null is taken as ``None`` without the hook (the field is optional);
    ``exact``: a value of exactly this class is taken as it is (a checked JSON scalar).
    """

    name: str
    hook: Hook
    type_: Any
    default: Any
    nullable: bool
    exact: type | None


@attrs.frozen
class Filler:
    """What is made once per model (see the module docs)."""

    fill: Callable[[dict[str, Any]], Any]
    fields: tuple[Field, ...]


def slot_setter(cls: type, name: str) -> Callable[[Any, Any], None] | None:
    """The ``__set__`` of the slot ``name`` of ``cls`` (a frozen class's own way in), or None."""
    member = _member(cls, name)
    return None if member is None else member.__set__


def _member(cls: type, name: str) -> types.MemberDescriptorType | None:
    """The slot descriptor ``name`` of ``cls`` (its own or a base's), or None."""
    for klass in cls.__mro__:
        found = klass.__dict__.get(name)
        if found is not None:
            return found if isinstance(found, types.MemberDescriptorType) else None
    return None


class LazyField:
    """A model attribute converted from the model's JSON when first read, then cached.

    ``fail(model, name, exc)`` makes the ``DecodeError`` for a value its hook refused. A model
    made by its constructor has its values in its ``__dict__``, where reads find them first;
    one made before this descriptor replaced a field's slot keeps its value in that slot,
    which ``member`` (``None`` for a field without a slot) still reads.
    """

    __slots__ = ("default", "exact", "fail", "hook", "member", "name", "nullable", "type_")

    def __init__(
        self,
        field: Field,
        member: types.MemberDescriptorType | None,
        fail: Callable[[Any, str, Exception], Exception],
    ) -> None:
        self.name = field.name
        self.hook = field.hook
        self.type_ = field.type_
        self.default = field.default
        self.nullable = field.nullable
        self.exact = field.exact
        self.member = member
        self.fail = fail

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        try:
            data = obj._data
        except AttributeError:
            if self.member is None:
                raise AttributeError(
                    f"{type(obj).__name__!r} object has no attribute {self.name!r}"
                ) from None
            return self.member.__get__(obj, owner)
        name = self.name
        value = data.get(name, _MISSING)
        if value is _MISSING:
            result = self.default
        elif value.__class__ is self.exact or (value is None and self.nullable):
            result = value
        else:
            try:
                result = self.hook(value, self.type_)
            except Exception as exc:
                raise self.fail(obj, name, exc) from exc
        obj.__dict__[name] = result
        return result

    def __repr__(self) -> str:
        return f"<lazy field {self.name!r}>"


def _fields(
    cls: Any,
    hook_of: Callable[[Any], Hook],
    inline_of: Callable[[Hook], Inline | None],
) -> list[tuple[Field, Inline | None]] | None:
    """Every field of ``cls`` with its hook (and what may be inlined), or None if unsupported."""
    try:
        hints = get_type_hints(cls)
    except Exception:  # an unresolvable annotation: leave the model to cattrs
        return None
    found = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        default = field.default
        if (
            field.validator is not None
            or field.converter is not None
            or field.alias != field.name
            or isinstance(default, attrs.Factory)  # type: ignore[arg-type]
            or default is attrs.NOTHING
            or not field.name.isidentifier()
        ):
            return None
        type_ = hints[field.name]
        hook = hook_of(type_)
        inline = inline_of(hook)
        nullable = inline is not None
        exact = inline.exact if inline is not None else None
        found.append((Field(field.name, hook, type_, default, nullable, exact), inline))
    return found


def _field_code(
    fields: list[tuple[Field, Inline | None]], identity: Hook, namespace: dict[str, Any]
) -> list[str]:
    """The statements that convert every field of ``o`` into the cache ``d``."""
    lines = []
    for index, (field, inline) in enumerate(fields):
        key = repr(field.name)
        if inline is not None and field.default is None:
            lines.append(f"v = g({key})")
            if inline.exact is not None:
                namespace[f"_cls{index}"] = inline.exact
                namespace[f"_what{index}"] = inline.what
                lines.append(f"if v.__class__ is not _cls{index} and v is not None:")
                lines.append(f"    raise _expected(_what{index}, v)")
            elif inline.hook is not identity:
                namespace[f"_hook{index}"] = inline.hook
                namespace[f"_type{index}"] = inline.type_
                lines.append(f"if v is not None: v = _hook{index}(v, _type{index})")
        else:
            namespace[f"_hook{index}"] = field.hook
            namespace[f"_type{index}"] = field.type_
            namespace[f"_default{index}"] = field.default
            lines.append(f"v = g({key}, _missing)")
            lines.append(f"v = _default{index} if v is _missing else _hook{index}(v, _type{index})")
        lines.append(f"d[{key}] = v")
    return lines


def generate(
    cls: Any,
    *,
    hook_of: Callable[[Any], Hook],
    inline_of: Callable[[Hook], Inline | None],
    identity: Hook,
    expected: Callable[[str, object], Exception],
) -> Filler | None:
    """The ``Filler`` of model ``cls``, or ``None`` when cattrs must fill it.

    ``hook_of(type)``: the converter's hook for a field type; ``inline_of(hook)``: how it may be
    inlined; ``identity``: the hook of free-form JSON; ``expected(what, value)``: the error of a
    wrong JSON type.
    """
    if not attrs.has(cls) or "__attrs_post_init__" in dir(cls) or _member(cls, "_data") is None:
        return None
    fields = _fields(cls, hook_of, inline_of)
    if fields is None:
        return None
    namespace: dict[str, Any] = {
        "_new": object.__new__,
        "_cls": cls,
        "_missing": attrs.NOTHING,
        "_expected": expected,
    }
    body = [
        "g = o.get",
        "self = _new(_cls)",
        "d = self.__dict__",
        *_field_code(fields, identity, namespace),
        "return self",
    ]
    source = "\n".join(["def fill(o):", *(f"    {line}" for line in body)]) + "\n"
    filename = f"<puhuri-async fill {cls.__module__}.{cls.__qualname__}>"
    # The source is made of the model's own field names (checked identifiers) and fixed text.
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return Filler(fill=namespace["fill"], fields=tuple(field for field, _ in fields))


def install_lazy_fields(
    cls: Any, fields: tuple[Field, ...], fail: Callable[[Any, str, Exception], Exception]
) -> None:
    """Make each field of ``cls`` a ``LazyField`` (once per class), in place of its slot if
    it has one."""
    for field in fields:
        current = cls.__dict__.get(field.name)
        if isinstance(current, LazyField):
            continue
        setattr(cls, field.name, LazyField(field, _member(cls, field.name), fail))
