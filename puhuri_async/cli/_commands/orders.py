"""``puhuri orders``: orders for the provider's offerings, and its decisions on them."""

from __future__ import annotations

from collections.abc import Sequence

import click

from puhuri_async import Order
from puhuri_async.cli._app import App
from puhuri_async.cli._commands._common import Filters, group, list_options, pass_app
from puhuri_async.cli._commands._rows import ActionRow, Option, add_actions, add_gets, get_row
from puhuri_async.cli._output import Output

__all__ = ["ORDER_COLUMNS", "orders"]

ORDER_COLUMNS = (
    "uuid",
    "type",
    "state",
    "resource_name",
    "project_name",
    "offering_name",
    "created",
)
ORDER_FIELDS = (
    "uuid",
    "type",
    "state",
    "resource_name",
    "resource_uuid",
    "project_name",
    "project_uuid",
    "offering_name",
    "offering_uuid",
    "customer_name",
    "created_by_full_name",
    "created",
    "modified",
    "error_message",
)


@group()
def orders() -> None:
    """Orders for the provider's offerings (marketplace-orders/)."""


@orders.command("list")
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="STATE",
    help="pending-provider, executing, done, erred, canceled... (repeatable).",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Create, Update, Terminate or Restore (repeatable).",
)
@click.option("--resource", metavar="UUID", help="Orders of this resource only.")
@list_options(Order, ORDER_COLUMNS)
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
    """List the orders that match --state, --type, --resource and --filter.

    Such as: puhuri orders list --state pending-provider
    """
    named = {"state": list(states) or None, "type": list(types) or None, "resource_uuid": resource}
    query = {**filters, **{name: value for name, value in named.items() if value is not None}}
    app.show_list(
        out,
        "orders",
        columns,
        lambda client, progress: client.list_orders(query, limit=limit, progress=progress),
        operation="list_orders",
        empty="no orders match" if query else "no orders",
    )


GETS = [get_row("get_order", "order", fields=ORDER_FIELDS, columns=ORDER_COLUMNS)]
add_gets(orders, GETS)
ACTIONS: list[ActionRow] = [
    ActionRow(
        "approve",
        "marketplace_order_approve_by_provider",
        done="approved",
        help="Approve pending-provider orders; they move on to executing.",
        argument="order_uuid",
        noun="order",
    ),
    ActionRow(
        "reject",
        "marketplace_order_reject_by_provider",
        done="rejected",
        help="Reject pending-provider orders, with a comment for the consumer.",
        options=[Option("--comment", "comment", "Why, shown to the consumer.")],
        argument="order_uuid",
        noun="order",
    ),
    ActionRow(
        "cancel",
        "marketplace_order_cancel",
        done="canceled",
        help="Cancel orders still pending-consumer or pending-provider.",
        argument="order_uuid",
        noun="order",
    ),
    ActionRow(
        "executing",
        "marketplace_order_set_state_executing",
        done="marked executing",
        help="Mark orders executing: the provider is creating what they ask for.",
        argument="order_uuid",
        noun="order",
    ),
    ActionRow(
        "done",
        "marketplace_order_set_state_done",
        done="marked done",
        help="Mark executing orders done: what they asked for exists.",
        argument="order_uuid",
        noun="order",
    ),
    ActionRow(
        "erred",
        "marketplace_order_set_state_erred",
        done="marked erred",
        help="Mark orders erred: what they asked for could not be done.",
        options=[
            Option("--message", "error_message", "What went wrong, for the consumer."),
            Option("--traceback", "error_traceback", "Details for the operators."),
        ],
        argument="order_uuid",
        noun="order",
    ),
]
add_actions(orders, ACTIONS)
