"""What the subcommand modules share: the ``App`` decorator, group class and options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from puhuri_async.cli._app import App
from puhuri_async.cli._help import Group
from puhuri_async.cli._options import (
    Filters,
    items_argument,
    list_options,
    output_option,
    parse_filters,
)

__all__ = [
    "Filters",
    "group",
    "items_argument",
    "list_options",
    "output_option",
    "parse_filters",
    "pass_app",
]

#: Passes the invocation's ``App`` (settings and runner) as the first argument.
pass_app = click.make_pass_decorator(App)


def group(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], Group]:
    """``click.group`` with the command classes of ``_help`` (one-line help never cut)."""
    return click.group(name, cls=Group, **attrs)
