"""The base of every response model: typed attributes plus the server's JSON, kept whole.

A model has two faces over the same object:

- attributes (``order.state``, ``resource.created``) give typed values: ``datetime``, ``Decimal``,
  enum members, nested models;
- mapping access (``order["state"]``, ``.get()``, ``in``, ``keys()``) gives the JSON exactly as
  the server sent it, like the plain dicts of ``waldur_client``, so old scripts keep working.

``to_dict()`` returns that JSON unchanged, including fields this version does not know, and
``json.dumps(model, default=json_default)`` writes it.

Types follow the schema. An attribute is typed without ``None`` (``uuid: str``) when the 8.0.5
schema says the server always sends a value for it, and 7.x servers send it too, to every role;
it is ``X | None`` when the schema allows null, or when some server version or role leaves the
field out (each model's docs say which). What a reader gets when the server breaks that
promise: a field the server did not send (``fields=`` selected others, an older server lacks
it, the token's role may not see it) is *absent*: ``"name" in obj`` is False, ``obj["name"]``
raises ``KeyError`` and ``obj.name`` reads ``None``, whatever its type says. A field sent as
``null`` is present: ``"name" in obj`` is True and both faces give ``None``. Use ``in`` to
tell the two apart. A ``null`` anywhere below a field (a list element, a map value such as
``"limit_usage": {"storage": null}``, a nested object) reads ``None`` there too: a null is
never a decode error.

Models are frozen. Mapping access and ``to_dict()`` return copies of nested lists and dicts, so
changing what they return never changes the model. Attributes of free-form JSON fields (such as
``Resource.attributes`` values or ``User.affiliations``) are the model's own lists and dicts,
not copies, for speed: read them, don't change them. The items of a long ``list_*`` call share
equal strings and one immutable empty list (``EMPTY_LIST``, see ``_compact``); neither face
hands that list out (a free-form attribute reads a new ``[]``).

When typed values are made: ``structure()`` (single objects: a GET, an action's answer, a
``team`` list) converts and checks every field at once, so malformed JSON raises
``DecodeError`` naming every bad field before the model exists. Items of paginated lists
(``list_*``, ``iter_*``) are lazy: a model keeps its JSON and converts each attribute the first
time it is read, then caches it; a malformed field (a string where a number belongs) raises
``DecodeError`` when that attribute is read, naming the operation and the page's URL (and an
item that is not a JSON object still fails the list call). A bulk fetch of 40,000 objects then
costs little more than decoding the JSON, and a program pays only for the attributes it reads.
Mapping access and ``to_dict()`` never convert, on either kind of model.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, NoReturn, TypeAlias, TypeVar

import attrs

#: A JSON value as decoded by ``json.loads``: dict, list, str, int, float, bool or None.
JSON: TypeAlias = Any

_M = TypeVar("_M", bound="PuhuriModel")


class _EmptyList(list[Any]):
    """The type of ``EMPTY_LIST``: an empty list that refuses to change (``TypeError``).

    It is a ``list`` for ``isinstance``, equality and both JSON encoders; ``copy``, ``deepcopy``
    and ``pickle`` give a plain ``[]``.
    """

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("this empty list is shared by many objects and cannot change")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse

    def __reduce__(self) -> tuple[type[list[Any]], tuple[()]]:
        return list, ()


EMPTY_LIST: list[Any] = _EmptyList()
"""One shared ``[]`` for the ``[]`` values of collected list items (see ``_compact``). The
models never hand it out: ``copy_json`` copies it, free-form attributes read a new ``[]``."""


def copy_json(value: JSON) -> JSON:
    """A deep copy of decoded JSON (dicts and lists rebuilt, scalars shared: they are immutable)."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value


class _AttributeCache:
    """What every model instance has: a ``__dict__``, the cache of its typed values (filled by
    ``structure`` at once or by lazy attributes on first read, see ``models._fields``), and
    ``_origin``, the operation and URL it came from, named in its errors.

    The response models are attrs classes without slots of their own (``slots=False``): their
    typed values live in that ``__dict__`` either way, so slots for fifty fields would only be
    allocated, zeroed and walked by the garbage collector for nothing in every list item."""

    __slots__ = ("__dict__", "_origin")


@attrs.frozen(eq=False, repr=False)
class PuhuriModel(_AttributeCache):
    """Base of the response models: the typed attributes of a subclass plus the JSON they came from.

    Build models with ``puhuri_async.models.structure`` (or ``Model.from_dict``), never with
    the constructor: only those keep the JSON that mapping access and ``to_dict()`` read.
    """

    #: JSON keys shown by ``repr``, when present, to identify the object.
    _repr_keys: ClassVar[tuple[str, ...]] = ("uuid",)
    #: The OpenAPI component schema the model's fields come from.
    schema_component: ClassVar[str] = ""
    #: Fields older servers (7.x) send that the 8.0.5 schema does not have.
    older_fields: ClassVar[tuple[str, ...]] = ()
    #: Fields the schema requires (or does not mark nullable) that some answers leave out.
    sometimes_absent: ClassVar[tuple[str, ...]] = ()

    _data: dict[str, JSON] = attrs.field(init=False, alias="_data")

    @classmethod
    def from_dict(cls: type[_M], data: JSON) -> _M:
        """Structure ``data`` (decoded JSON) into this model; bad input raises ``DecodeError``."""
        from puhuri_async.models._converter import structure

        return structure(data, cls)

    def to_dict(self) -> dict[str, JSON]:
        """The JSON object the server sent, unchanged (a deep copy: yours to change)."""
        result: dict[str, JSON] = copy_json(self._data)
        return result

    # Mapping-style read access over the server's JSON.

    def __getitem__(self, key: str) -> JSON:
        value = self._data[key]
        if isinstance(value, dict | list):
            return copy_json(value)
        return value

    def get(self, key: str, default: JSON = None) -> JSON:
        """The JSON value of ``key``, or ``default`` when the server did not send it."""
        if key in self._data:
            return self[key]
        return default

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def keys(self) -> KeysView[str]:
        """The JSON keys the server sent (``dict(model)`` works, as on a mapping)."""
        return self._data.keys()

    def values(self) -> ValuesView[JSON]:
        """The JSON values, copied."""
        return self.to_dict().values()

    def items(self) -> ItemsView[str, JSON]:
        """The JSON ``(key, value)`` pairs, copied."""
        return self.to_dict().items()

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    # Identity and display.

    def __eq__(self, other: object) -> bool:
        """Equal when of the same model and built from equal JSON."""
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, PuhuriModel)
        return self._data == other._data

    def __hash__(self) -> int:
        identity = self._data.get("uuid") or self._data.get("url")
        return hash((self.__class__.__name__, identity if isinstance(identity, str) else None))

    def __repr__(self) -> str:
        shown = [f"{key}={self._data[key]!r}" for key in self._repr_keys if key in self._data]
        if len(shown) < len(self._data):
            shown.append(f"<{len(self._data)} fields>")
        return f"{self.__class__.__name__}({', '.join(shown)})"


def json_default(value: object) -> JSON:
    """The ``default=`` hook of ``json.dumps`` / ``json.dump`` for puhuri-async values.

    ``json.dumps(order, default=json_default)`` writes the JSON the server sent (a model is its
    ``to_dict()``, unknown fields included), so ``json.loads`` of it and ``structure`` give the
    model back. Typed values read from attributes are written as the API writes them: a
    ``Decimal`` as a decimal string (``"12.50"``), a ``datetime`` or ``date`` in ISO 8601; enum
    members and tuples need no hook (they are a ``str`` and a sequence). An input value such as
    ``ComponentUsage`` is written as the JSON it is sent as (its ``to_request()``). Anything
    else raises ``TypeError``, as ``json`` does without a hook.
    """
    if isinstance(value, PuhuriModel):
        return value.to_dict()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    to_request = getattr(value, "to_request", None)
    if callable(to_request) and attrs.has(type(value)):
        return to_request()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
