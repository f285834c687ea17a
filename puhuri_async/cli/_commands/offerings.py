"""``puhuri offerings``: an offering as its provider sees it, with its components."""

from __future__ import annotations

from collections.abc import Sequence

from puhuri_async import Offering, PuhuriClient
from puhuri_async.cli._app import App
from puhuri_async.cli._commands._common import group, items_argument, output_option, pass_app
from puhuri_async.cli._output import Format, Output
from puhuri_async.cli._verbs import get_each

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
OFFERING_COLUMNS = ("uuid", "name", "state", "type", "customer_name")
COMPONENT_COLUMNS = (
    "type",
    "name",
    "measured_unit",
    "billing_type",
    "limit_period",
    "limit_amount",
)


@group()
def offerings() -> None:
    """Offerings (GET marketplace-provider-offerings/UUID/)."""


@offerings.command("get")
@items_argument()
@output_option
@pass_app
def get_offering(app: App, items: Sequence[str], out: Output) -> None:
    """Show offerings by UUID; one shows its components, the usage types to report."""
    shown: list[Offering] = []

    async def fetch(client: PuhuriClient, item: str) -> Offering:
        found = await client.get_marketplace_offering(item)
        shown.append(found)
        return found

    get_each(
        app,
        out,
        items,
        fetch,
        operation="get_marketplace_offering",
        argument="offering_uuid",
        noun="offering",
        fields=OFFERING_FIELDS,
        columns=OFFERING_COLUMNS,
    )
    if len(shown) == 1 and out.format is Format.TABLE:
        components = shown[0].get("components") or []
        if components:
            print(file=out.out)
            out.table(
                COMPONENT_COLUMNS,
                [[c.get(name) for name in COMPONENT_COLUMNS] for c in components],
            )
