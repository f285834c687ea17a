"""Generated fill functions: the fast way from a JSON object to a model.

A list of 100,000 users means 100,000 objects of some fifty fields each, so the per-field cost
decides. For each model, Python source is generated once that does exactly what cattrs' lean
structure function does with the converter's hooks (a field absent from the JSON keeps its
default; a present one goes through its hook), with less work per field:

- an optional JSON scalar (``str | None``, ``int | None``, ``bool | None``) is one class check,
  inlined instead of a hook call;
- free-form JSON (``JSON | None``) is taken as it is;
- any other optional field calls its inner hook only when the value is not null;
- attributes are set through the class's slots, without calling ``__init__`` (the models are
  frozen attrs classes without validators, converters or ``__attrs_post_init__``; a model that
  has any of these, or a field the generator does not know, is left to cattrs).

Two functions are made from the same field code:

- ``fill(obj)``: the model without its JSON (the converter stores a copy); it raises on any bad
  value and the converter then runs cattrs' detailed validation to describe the problem;
- ``fresh(obj)``: the whole model for JSON nothing else holds, keeping ``obj`` itself as the
  model's JSON; on any problem it returns ``slow(obj)``, the full path, which raises the
  described ``DecodeError`` (or accepts what only the full path accepts, such as a dict
  subclass).
"""

from __future__ import annotations

import linecache
import types
from collections.abc import Callable
from typing import Any, get_type_hints

import attrs

__all__ = ["Filler", "Inline", "generate", "slot_setter"]

Hook = Callable[[Any, Any], Any]


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
class Filler:
    """The two generated functions of one model (see the module docs)."""

    fill: Callable[[dict[str, Any]], Any]
    fresh: Callable[[Any], Any]


def slot_setter(cls: type, name: str) -> Callable[[Any, Any], None] | None:
    """The ``__set__`` of the slot ``name`` of ``cls`` (a frozen class's own way in), or None."""
    for klass in cls.__mro__:
        found = klass.__dict__.get(name)
        if found is not None:
            if isinstance(found, types.MemberDescriptorType):
                setter: Callable[[Any, Any], None] = found.__set__
                return setter
            return None
    return None


def _field_code(
    cls: Any,
    hook_of: Callable[[Any], Hook],
    inline_of: Callable[[Hook], Inline | None],
    identity: Hook,
    namespace: dict[str, Any],
) -> list[str] | None:
    """The statements that fill every field of ``cls`` from ``o`` into ``self``, or None."""
    try:
        hints = get_type_hints(cls)
    except Exception:  # an unresolvable annotation: leave the model to cattrs
        return None
    lines = []
    for index, field in enumerate(f for f in attrs.fields(cls) if f.init):
        setter = slot_setter(cls, field.name)
        default = field.default
        if (
            setter is None
            or field.validator is not None
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
        namespace[f"_set{index}"] = setter
        key = repr(field.name)
        if inline is not None and default is None:
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
            namespace[f"_hook{index}"] = hook
            namespace[f"_type{index}"] = type_
            namespace[f"_default{index}"] = default
            lines.append(f"v = g({key}, _missing)")
            lines.append(f"v = _default{index} if v is _missing else _hook{index}(v, _type{index})")
        lines.append(f"_set{index}(self, v)")
    return lines


def generate(
    cls: Any,
    *,
    hook_of: Callable[[Any], Hook],
    inline_of: Callable[[Hook], Inline | None],
    identity: Hook,
    expected: Callable[[str, object], Exception],
    slow: Callable[[Any], Any],
) -> Filler | None:
    """The ``Filler`` of model ``cls``, or ``None`` when cattrs must fill it.

    ``hook_of(type)``: the converter's hook for a field type; ``inline_of(hook)``: how it may be
    inlined; ``identity``: the hook of free-form JSON; ``expected(what, value)``: the error of a
    wrong JSON type; ``slow(obj)``: the full structuring path that ``fresh`` falls back to.
    """
    set_data = slot_setter(cls, "_data")
    if not attrs.has(cls) or "__attrs_post_init__" in dir(cls) or set_data is None:
        return None
    namespace: dict[str, Any] = {
        "_new": object.__new__, "_cls": cls, "_missing": attrs.NOTHING, "_expected": expected,
        "_dict": dict, "_set_data": set_data, "_slow": slow,
    }
    fields = _field_code(cls, hook_of, inline_of, identity, namespace)
    if fields is None:
        return None
    start = ["g = o.get", "self = _new(_cls)"]
    fill = ["def fill(o):", *(f"    {line}" for line in (*start, *fields, "return self"))]
    fresh = [
        "def fresh(o):",
        "    try:",
        "        if o.__class__ is not _dict:",
        "            raise _expected('an object', o)",
        *(f"        {line}" for line in (*start, *fields, "_set_data(self, o)", "return self")),
        "    except Exception:",
        "        return _slow(o)",
    ]
    source = "\n".join([*fill, "", *fresh]) + "\n"
    filename = f"<puhuri-async fill {cls.__module__}.{cls.__qualname__}>"
    # The source is made of the model's own field names (checked identifiers) and fixed text.
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return Filler(fill=namespace["fill"], fresh=namespace["fresh"])
