"""``puhuri orders``: orders for the provider's offerings, and its decisions on them."""

from __future__ import annotations

from collections.abc import Sequence

import click

from puhuri_async.cli._app import App, output_option
from puhuri_async.cli._commands._common import Filters, columns_for, list_options, pass_app
from puhuri_async.cli._output import Output

__all__ = ["orders"]

ORDER_COLUMNS = (
    "uuid",
    "type",
    "state",
    "resource_name",
    "project_name",
    "offering_name",
    "created",
)

_ORDER = click.argument("order", metavar="UUID")


@click.group()
def orders() -> None:
    """Orders (marketplace-orders/)."""


@orders.command("list")
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="STATE",
    help="e.g. pending-provider, executing, done (repeatable).",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Create, Update, Terminate or Restore (repeatable).",
)
@click.option("--resource", metavar="UUID", help="Orders of this resource only.")
@list_options
@pass_app
def list_orders(
    app: App,
    states: Sequence[str],
    types: Sequence[str],
    resource: str | None,
    filters: Filters,
    limit: int | None,
    columns: Sequence[str],
    out: Output,
) -> None:
    """Orders matching the filters, e.g. --state pending-provider."""
    named = {"state": list(states) or None, "type": list(types) or None, "resource_uuid": resource}
    query = {**filters, **{name: value for name, value in named.items() if value is not None}}
    app.show_list(
        out,
        "orders",
        columns_for(columns, ORDER_COLUMNS),
        lambda client, progress: client.list_orders(query, limit=limit, progress=progress),
    )


@orders.command("approve")
@_ORDER
@output_option
@pass_app
def approve(app: App, order: str, out: Output) -> None:
    """Approve order UUID (it must be pending-provider)."""
    app.act(
        out,
        lambda client: client.marketplace_order_approve_by_provider(order),
        f"order {order} approved",
        {"order": order, "action": "approve"},
    )


@orders.command("reject")
@_ORDER
@click.option("--comment", metavar="TEXT", help="Why, shown to the consumer.")
@output_option
@pass_app
def reject(app: App, order: str, comment: str | None, out: Output) -> None:
    """Reject order UUID (it must be pending-provider)."""
    app.act(
        out,
        lambda client: client.marketplace_order_reject_by_provider(order, comment),
        f"order {order} rejected",
        {"order": order, "action": "reject", "comment": comment},
    )


@orders.command("cancel")
@_ORDER
@output_option
@pass_app
def cancel(app: App, order: str, out: Output) -> None:
    """Cancel order UUID (pending-consumer or pending-provider)."""
    app.act(
        out,
        lambda client: client.marketplace_order_cancel(order),
        f"order {order} canceled",
        {"order": order, "action": "cancel"},
    )
