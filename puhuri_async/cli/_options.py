"""Options shared by the subcommands: the output format, table columns, filters, UUID lists."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import attrs
import click

from puhuri_async.cli._app import App
from puhuri_async.cli._output import Format, Output

__all__ = [
    "Filters",
    "check_columns",
    "columns_option",
    "items_argument",
    "list_options",
    "model_columns",
    "output_option",
    "parse_filters",
]

F = TypeVar("F", bound=Callable[..., Any])

#: Filters as the client takes them: a repeated name gives a list of values.
Filters = dict[str, str | list[str]]

_FORMATS = [f.value for f in Format]


def _chosen_format(output: str | None, as_json: bool, as_jsonl: bool) -> Format:
    """The format the options ask for; two different ones are a usage error."""
    asked: dict[str, str] = {}
    if output is not None:
        asked[f"--output {output}"] = output
    if as_json:
        asked["--json"] = "json"
    if as_jsonl:
        asked["--jsonl"] = "jsonl"
    if len(set(asked.values())) > 1:
        raise click.UsageError(f"{' and '.join(asked)} contradict each other: choose one format")
    return Format(next(iter(asked.values()), "table"))


def output_option(func: F) -> F:
    """``-o/--output table|json|jsonl|tsv`` (``--json``, ``--jsonl``: the same); the command
    receives ``out: Output``."""

    @functools.wraps(func)
    def command(
        *args: Any, output: str | None, as_json: bool, as_jsonl: bool, **kwargs: Any
    ) -> Any:
        app = click.get_current_context().find_object(App)
        fmt = _chosen_format(output, as_json, as_jsonl)
        out = Output(fmt, secret=app.known_token if app else None)
        return func(*args, out=out, **kwargs)

    wrapped = click.option("--jsonl", "as_jsonl", is_flag=True, help="The same as --output jsonl.")(
        command
    )
    wrapped = click.option("--json", "as_json", is_flag=True, help="The same as --output json.")(
        wrapped
    )
    wrapped = click.option(
        "-o",
        "--output",
        type=click.Choice(_FORMATS),
        default=None,
        help="Output format: table (default, for people), json, jsonl (one object per line) "
        "or tsv; JSON is the server's JSON, every field included.",
    )(wrapped)
    return cast(F, wrapped)


def model_columns(model: type[Any] | None, extra: Sequence[str] = ()) -> list[str]:
    """The column names a table of ``model`` objects may show: its fields, then ``extra``."""
    names = [a.name for a in attrs.fields(model) if not a.name.startswith("_")] if model else []
    return [*names, *(name for name in extra if name not in names)]


def check_columns(
    chosen: Sequence[str], valid: Sequence[str], *, option: str = "--column"
) -> list[str]:
    """``chosen`` if every name is valid, else a usage error naming the valid ones."""
    unknown = [name for name in chosen if name not in valid]
    if unknown:
        raise click.BadParameter(
            f"unknown column {unknown[0]!r}; valid columns: {', '.join(valid)}",
            param_hint=f"'{option}'",
        )
    return list(dict.fromkeys(chosen))


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


def columns_option(
    model: type[Any] | None, default: Sequence[str], *, extra: Sequence[str] = ()
) -> Callable[[F], F]:
    """``--column NAME`` (repeatable) and the format options.

    The command receives ``columns``: the checked ``--column`` names (marked on ``out`` as
    chosen, so none is left out of a narrow table), or ``default``. A column must be a field of
    ``model`` or one of ``extra``.
    """
    valid = model_columns(model, extra)

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def command(*args: Any, columns: Sequence[str], out: Output, **kwargs: Any) -> Any:
            chosen = check_columns(columns, valid)
            out.chosen_columns = bool(chosen)
            return func(*args, columns=chosen or list(default), out=out, **kwargs)

        wrapped = output_option(command)
        return cast(
            F,
            click.option(
                "--column",
                "-c",
                "columns",
                multiple=True,
                metavar="NAME",
                help="A column of the table (repeatable; default: a few useful ones; an "
                "unknown name lists the valid ones).",
            )(wrapped),
        )

    return decorate


def list_options(
    model: type[Any] | None, default: Sequence[str], *, extra: Sequence[str] = ()
) -> Callable[[F], F]:
    """``--filter NAME=VALUE`` (repeatable), ``--limit N``, and :func:`columns_option`."""

    def decorate(func: F) -> F:
        wrapped = columns_option(model, default, extra=extra)(func)
        wrapped = click.option(
            "--limit",
            type=click.IntRange(min=1),
            default=None,
            metavar="N",
            help="Stop after N items.",
        )(wrapped)
        return click.option(
            "--filter",
            "filters",
            multiple=True,
            metavar="NAME=VALUE",
            callback=_filters_callback,
            help="A server-side filter (repeatable; a name given twice matches either value).",
        )(wrapped)

    return decorate


def items_argument(name: str = "items", metavar: str = "UUID...") -> Callable[[F], F]:
    """One or more UUIDs; ``-`` reads more from stdin (white-space separated)."""
    return click.argument(name, nargs=-1, required=True, metavar=metavar)
