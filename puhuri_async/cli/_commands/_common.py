"""Options and argument types shared by the subcommands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from puhuri_async.cli._app import App, output_option

__all__ = ["Filters", "columns_for", "list_options", "parse_filters", "pass_app"]

F = TypeVar("F", bound=Callable[..., Any])

#: Filters as the client takes them: a repeated name gives a list of values.
Filters = dict[str, str | list[str]]


def parse_filters(pairs: Sequence[str], *, option: str = "--filter") -> Filters:
    """``("state=OK", "state=Erred", "name=x")`` as ``{"state": ["OK", "Erred"], "name": "x"}``."""
    filters: Filters = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint=option)
        previous = filters.get(name)
        if previous is None:
            filters[name] = value
        elif isinstance(previous, list):
            previous.append(value)
        else:
            filters[name] = [previous, value]
    return filters


def _filters_callback(ctx: click.Context, param: click.Parameter, value: Sequence[str]) -> Filters:
    return parse_filters(value)


def list_options(func: F) -> F:
    """``--filter NAME=VALUE`` (repeatable), ``--limit N``, ``--column NAME`` and the format."""
    func = output_option(func)
    func = click.option(
        "--column",
        "-c",
        "columns",
        multiple=True,
        metavar="NAME",
        help="A column of the table (repeatable; default: a few useful ones).",
    )(func)
    func = click.option(
        "--limit",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Stop after N items.",
    )(func)
    return click.option(
        "--filter",
        "filters",
        multiple=True,
        metavar="NAME=VALUE",
        callback=_filters_callback,
        help="A server-side filter (repeatable; a name given twice matches either value).",
    )(func)


def columns_for(chosen: Sequence[str], default: Sequence[str]) -> list[str]:
    """The table's columns: those chosen with ``--column`` (or ``--field``), else the default."""
    return list(chosen) if chosen else list(default)


#: Passes the invocation's ``App`` (settings and runner) as the first argument.
pass_app = click.make_pass_decorator(App)
