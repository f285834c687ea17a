"""What one row of the operation table says: ``Operation`` and the values it is made of.

A row describes one API operation completely enough that its client methods can be generated
(``scripts/gen_operations.py`` writes ``puhuri_async/_endpoints/_generated.py`` from the rows)
and that the CLI, the docs reference and the tests can read what they need from it instead of
restating it. Every field is documented here, in the order a reader meets them in a row.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import attrs

__all__ = ["Alias", "Kind", "Operation", "Param"]

_PATH_ARGUMENT = re.compile(r"\{(\w+)\}")
_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


class Kind(enum.StrEnum):
    """What an operation gives back, which decides the methods it becomes."""

    LIST = "list"
    """A paged list: ``list_<x>`` collects every page, ``iter_<x>`` returns the ``Paginator``."""
    GET = "get"
    """One object read by its path."""
    ROWS = "rows"
    """A list the server answers whole, in one response without paging (a resource's team)."""
    ACTION = "action"
    """A write (POST, PUT, PATCH, DELETE) answering a model, an ``ActionResult`` or nothing."""


@attrs.frozen
class Param:
    """An argument of a generated write, sent as one field of the JSON body.

    Arguments are checked in the order of the row's ``params``, after the path arguments.
    """

    name: str
    """The Python parameter name."""
    annotation: str
    """Its annotation as source text (``"str"``, ``"str | None"``), copied into the signature."""
    check: Callable[[Any, str], Any]
    """``check(value, name)``: the value in its wire form, or ``InvalidArgumentError``."""
    wire: str = ""
    """The body field it is sent as (default: ``name``)."""
    default: str | None = None
    """The default as source text (``"None"``); ``None`` makes the argument required. A value
    that is ``None`` after the check is left out of the body."""

    @property
    def field(self) -> str:
        """The body field it is sent as."""
        return self.wire or self.name


@attrs.frozen
class Alias:
    """Another name of a method (often the spelling a ``waldur_client`` release used).

    An alias is a method of its own, reporting its own name in errors and logs. For a list
    operation the name says which method it doubles: ``list_...`` or ``iter_...``.
    """

    name: str
    note: str = ""
    """Said in parentheses after "Alias of ``<method>``" in its docstring."""


@attrs.frozen(kw_only=True)
class Operation:
    """One row of the operation table.

    Identity and wire:

    - ``name``: the method name (for a list, the ``list_`` one; ``iter_`` is derived).
    - ``method``, ``path``: the HTTP method and the path template relative to the API root,
      ending in ``/``. Each ``{argument}`` in it is a UUID argument of the method, in order.
    - ``kind``: a ``Kind``. ``model``: the response model (of each item for lists and rows;
      ``ActionResult`` for a status answer; ``None`` for a write answering nothing).
    - ``operation_id``: the operationId in the OpenAPI schema, for contract tests and docs.

    Behaviour:

    - ``idempotent``: may the request be sent again after it may have reached the server (a
      502, a timeout)? Reads always may. ``why``: one line saying why, required for every
      write, and above all for every write that is retried.
    - ``aliases``: ``Alias`` values, each a method reporting its own name.
    - ``params``: the body arguments of a generated write (``Param``). ``sends_body``: whether
      a JSON object is sent at all (``{}`` when no argument is given); some actions take none.
    - List options: the list's filters are the schema's (the ``filters`` property reads them
      from the generated tables); ``named_filters`` are filters taken as positional parameters
      (before ``filters``); ``fields`` makes a ``fields=`` argument (repeated ``field``; positional
      after the named filters, else keyword-only); ``key`` is the identity of a row for
      deduplication when items have no ``uuid``.
    - ``handwritten``: the method has real argument logic and is written in ``_endpoints/``;
      the generator leaves it out, everything else in the row still holds.

    Text: ``doc`` is the method's docstring (its first line is the summary shown by the CLI and
    the reference); ``iter_doc`` the ``iter_`` twin's. A hand-written method keeps its
    docstring in code, and ``doc`` repeats its first line (a test compares them).

    For what servers differ in (filled as they are learnt):

    - ``since``: the first server version that has the endpoint (``None``: every supported one).
    - ``body_since``: body field -> the oldest server version known to store it (older ones
      may drop it: DRF ignores unknown fields and answers 2xx).
    - ``ordering``: an ``o=`` value that orders the list uniquely, for stable paging.
    - ``item_filters``: equality filter -> the field of each item it compares, so that a filter
      the server ignored can be noticed on the items and applied by the client.
    """

    name: str
    method: str
    path: str
    kind: Kind
    model: type | None
    operation_id: str
    doc: str
    idempotent: bool | None = None
    why: str = ""
    aliases: tuple[Alias, ...] = ()
    params: tuple[Param, ...] = ()
    sends_body: bool = True
    named_filters: tuple[str, ...] = ()
    fields: bool = False
    key: Callable[[dict[str, Any]], Hashable | None] | None = None
    handwritten: bool = False
    iter_doc: str = ""
    since: str | None = None
    body_since: Mapping[str, str] = attrs.field(factory=dict)
    ordering: str | None = None
    item_filters: Mapping[str, str] = attrs.field(factory=dict)
    path_args: tuple[str, ...] = attrs.field(init=False)
    """The UUID arguments named in ``path``, in order (derived)."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "path_args", tuple(_PATH_ARGUMENT.findall(self.path)))
        if self.idempotent is None:
            object.__setattr__(self, "idempotent", self.method == "GET")
        problem = self._problem()
        if problem:
            raise ValueError(f"operation {self.name}: {problem}")

    def _problem(self) -> str:
        """What is wrong with the row, or ``""``."""
        if self.method not in _METHODS:
            return f"unknown method {self.method!r}"
        if self.path.startswith("/") or not self.path.endswith("/"):
            return "the path is relative to the API root and ends in '/'"
        is_read = self.kind is not Kind.ACTION
        if is_read != (self.method == "GET"):
            return "reads (list, get, rows) are GETs and only they are"
        if is_read and not self.idempotent:
            return "a read is idempotent"
        if not is_read and not self.why:
            return "a write says why it is (or is not) retried"
        if self.model is None and is_read:
            return "a read has a model"
        if not self.doc.strip():
            return "every operation has a docstring"
        if self.kind is Kind.LIST:
            if not self.name.startswith("list_"):
                return "a list operation is named list_<x>"
            if not self.handwritten and not self.iter_doc:
                return "a list operation documents its iter_ twin"
            if any(not alias.name.startswith(("list_", "iter_")) for alias in self.aliases):
                return "an alias of a list names list_... or iter_..."
        elif self.named_filters or self.fields or self.key is not None or self.iter_doc:
            return "named_filters, fields, key and iter_doc are for lists"
        if self.params and self.kind is not Kind.ACTION:
            return "params are body arguments of a write"
        names = [*self.path_args, *self.named_filters, *(p.name for p in self.params)]
        if len(set(names)) != len(names):
            return "an argument name is used twice"
        return ""

    @property
    def summary(self) -> str:
        """The first line of the docstring."""
        return self.doc.strip().splitlines()[0]

    @property
    def iter_name(self) -> str | None:
        """The ``iter_`` twin of a list operation (``None`` for the other kinds)."""
        if self.kind is not Kind.LIST:
            return None
        return "iter_" + self.name.removeprefix("list_")

    @property
    def method_names(self) -> tuple[str, ...]:
        """Every client method this row makes: the name, the ``iter_`` twin, the aliases."""
        own = (self.name,) if self.iter_name is None else (self.name, self.iter_name)
        return own + tuple(alias.name for alias in self.aliases)

    def target_of(self, alias: Alias) -> str:
        """The method an alias doubles."""
        if self.iter_name is not None and alias.name.startswith("iter_"):
            return self.iter_name
        return self.name

    @property
    def filters(self) -> Mapping[str, str]:
        """A list's filters, name -> type of a value (``uuid``, ``boolean``, ``date-time``...),
        from the schema tables; empty for the other kinds. ``_schema.MULTI_VALUE`` and
        ``_schema.ENUM_VALUES`` say which take several values and which values are allowed."""
        from puhuri_async import _schema  # generated from the rows: read when asked, not before

        return _schema.PARAMETER_TYPES.get(self.path, {}) if self.reads_filters else {}

    @property
    def reads_filters(self) -> bool:
        """Whether a request checks query parameters against the schema tables (lists do)."""
        return self.kind is Kind.LIST
