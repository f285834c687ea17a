"""Verbs made from one row each: lists, ``get`` verbs and UUID-only actions (transitions).

A row names the client operation it calls. A verb appears when ``PuhuriClient`` has that
operation, so the verbs of operations the client gains later (``orders get``, ``orders done``,
``resources ok``, the offering users' lists and transitions...) need no code here beyond their
row; a test checks that every row that appears passes only keyword arguments its operation
takes, and only filters its list has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import click

from puhuri_async import PuhuriClient
from puhuri_async.cli._app import App
from puhuri_async.cli._help import Command
from puhuri_async.cli._options import Filters, items_argument, list_options, output_option
from puhuri_async.cli._output import Output
from puhuri_async.cli._verbs import act_each, get_each

__all__ = [
    "ActionRow",
    "GetRow",
    "ListFilter",
    "ListRow",
    "Option",
    "add_actions",
    "add_gets",
    "add_lists",
    "available",
    "get_row",
]


@dataclass(frozen=True)
class ListFilter:
    """An option of a list, sent as the filter ``name`` (repeatable when ``multiple``)."""

    flag: str
    name: str
    help: str
    metavar: str = "UUID"
    multiple: bool = False


@dataclass(frozen=True)
class ListRow:
    """``puhuri GROUP NAME``: ``method(filters, limit=, progress=)``, printed as a table."""

    method: str
    kind: str
    model: type[Any]
    columns: Sequence[str]
    help: str
    name: str = "list"
    filters: Sequence[ListFilter] = field(default_factory=tuple)


@dataclass(frozen=True)
class GetRow:
    """``puhuri GROUP get UUID...``: ``method(uuid)`` for each UUID."""

    method: str
    argument: str
    noun: str
    fields: Sequence[str]
    columns: Sequence[str]
    help: str


@dataclass(frozen=True)
class Option:
    """An option of an action, passed to the operation as ``keyword=value`` when given."""

    flag: str
    keyword: str
    help: str
    metavar: str = "TEXT"


@dataclass(frozen=True)
class ActionRow:
    """``puhuri GROUP NAME UUID...``: ``method(uuid, **options)`` for each UUID."""

    name: str
    method: str
    argument: str
    noun: str
    done: str
    help: str
    options: Sequence[Option] = field(default_factory=tuple)


def get_row(method: str, noun: str, *, fields: Sequence[str], columns: Sequence[str]) -> GetRow:
    """The row of ``get`` for ``noun`` objects (argument ``{noun}_uuid``)."""
    return GetRow(
        method,
        argument=f"{noun.replace(' ', '_')}_uuid",
        noun=noun,
        fields=fields,
        columns=columns,
        help=f"Show {noun}s by UUID (one shows every field, several a table).",
    )


def available(method: str) -> bool:
    """Whether the client has the operation ``method``."""
    return callable(getattr(PuhuriClient, method, None))


def _call(client: PuhuriClient, method: str, item: str, keywords: dict[str, Any]) -> Any:
    return getattr(client, method)(item, **keywords)


def add_gets(group: click.Group, rows: Sequence[GetRow]) -> None:
    """Add ``get`` to ``group`` from the first row whose operation the client has."""
    for row in rows:
        if available(row.method):
            group.add_command(_get_command(row), "get")
            return


def _get_command(row: GetRow) -> click.Command:
    @click.command("get", cls=Command, help=row.help)
    @items_argument()
    @output_option
    @click.pass_obj
    def command(app: App, items: Sequence[str], out: Output) -> None:
        get_each(
            app,
            out,
            items,
            lambda client, item: _call(client, row.method, item, {}),
            operation=row.method,
            argument=row.argument,
            noun=row.noun,
            fields=row.fields,
            columns=row.columns,
        )

    return command


def add_actions(group: click.Group, rows: Sequence[ActionRow]) -> None:
    """Add to ``group`` a command for each row whose operation the client has."""
    for row in rows:
        if available(row.method):
            group.add_command(_action_command(row), row.name)


def _action_command(row: ActionRow) -> click.Command:
    def command(app: App, items: Sequence[str], out: Output, **given: str | None) -> None:
        keywords = {option.keyword: given[option.keyword] for option in row.options}
        keywords = {name: value for name, value in keywords.items() if value is not None}
        act_each(
            app,
            out,
            items,
            lambda client, item: _call(client, row.method, item, keywords),
            operation=row.method,
            argument=row.argument,
            noun=row.noun,
            done=row.done,
            data=lambda item: {row.noun: item, "action": row.name, **keywords},
        )

    decorated: Any = click.pass_obj(command)
    decorated = output_option(decorated)
    for option in reversed(row.options):
        decorated = click.option(
            option.flag, option.keyword, metavar=option.metavar, help=option.help
        )(decorated)
    decorated = items_argument()(decorated)
    return click.command(row.name, cls=Command, help=row.help)(decorated)


def add_lists(group: click.Group, rows: Sequence[ListRow]) -> None:
    """Add to ``group`` a list command for each row whose operation the client has."""
    for row in rows:
        if available(row.method):
            group.add_command(_list_command(row), row.name)


def _list_command(row: ListRow) -> click.Command:
    def command(
        app: App,
        filters: Filters,
        limit: int | None,
        columns: Sequence[str],
        out: Output,
        **given: Any,
    ) -> None:
        named = {f.name: given[f.name] for f in row.filters}
        named = {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in named.items()
        }
        query = {
            **filters,
            **{name: value for name, value in named.items() if value not in (None, [])},
        }
        app.show_list(
            out,
            row.kind,
            columns,
            lambda client, progress: getattr(client, row.method)(
                filters=query, limit=limit, progress=progress
            ),
            operation=row.method,
            empty=f"no {row.kind} match" if query else f"no {row.kind}",
        )

    decorated: Any = click.pass_obj(command)
    decorated = list_options(row.model, row.columns)(decorated)
    for option in reversed(row.filters):
        decorated = click.option(
            option.flag,
            option.name,
            metavar=option.metavar,
            multiple=option.multiple,
            help=option.help,
        )(decorated)
    return click.command(row.name, cls=Command, help=row.help)(decorated)
