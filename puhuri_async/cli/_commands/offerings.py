"""``puhuri offerings``: an offering as its provider sees it, with its components."""

from __future__ import annotations

import click

from puhuri_async.cli._app import App, output_option
from puhuri_async.cli._commands._common import pass_app
from puhuri_async.cli._output import Format, Output

__all__ = ["offerings"]

OFFERING_FIELDS = (
    "uuid",
    "name",
    "state",
    "type",
    "customer_name",
    "category_title",
    "billable",
    "shared",
)
COMPONENT_COLUMNS = (
    "type",
    "name",
    "measured_unit",
    "billing_type",
    "limit_period",
    "limit_amount",
)


@click.group()
def offerings() -> None:
    """Offerings (GET marketplace-provider-offerings/UUID/)."""


@offerings.command("get")
@click.argument("offering", metavar="UUID")
@output_option
@pass_app
def get_offering(app: App, offering: str, out: Output) -> None:
    """The offering UUID; its components are the usage types to report."""
    found = app.show_item(
        out, lambda client: client.get_marketplace_offering(offering), columns=OFFERING_FIELDS
    )
    components = found.get("components") or []
    if out.format is Format.TABLE and components:
        print(file=out.out)
        out.table(
            COMPONENT_COLUMNS, [[c.get(name) for name in COMPONENT_COLUMNS] for c in components]
        )
