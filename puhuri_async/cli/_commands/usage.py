"""``puhuri usage``: report the usage of a resource's components."""

from __future__ import annotations

from collections.abc import Sequence

import click

from puhuri_async import ComponentUsage, ComponentUsageRecord, ComponentUserUsage
from puhuri_async.cli._app import App
from puhuri_async.cli._commands._common import group, output_option, parse_filters, pass_app
from puhuri_async.cli._commands._rows import ListFilter, ListRow, add_lists
from puhuri_async.cli._output import Output
from puhuri_async.cli._verbs import act_each

__all__ = ["usage"]


@group()
def usage() -> None:
    """Component usage: report it, list it per component and per user."""


@usage.command("report")
@click.argument("target", metavar="RESOURCE")
@click.argument("amounts", nargs=-1, required=True, metavar="TYPE=AMOUNT...")
@click.option(
    "--plan-period",
    "is_plan_period",
    is_flag=True,
    help="RESOURCE is a plan period's UUID (from `resources plan-periods`).",
)
@click.option(
    "--date",
    metavar="DATETIME",
    help="A moment in the billing month, ISO 8601 with an offset (default: now).",
)
@click.option("--description", default="", metavar="TEXT", help="Note stored with each amount.")
@output_option
@pass_app
def report(
    app: App,
    target: str,
    amounts: Sequence[str],
    is_plan_period: bool,
    date: str | None,
    description: str,
    out: Output,
) -> None:
    """Report this month's usage of resource RESOURCE, such as `cpu=10 gpu=2.5`.

    A second report for the same component and month replaces the first.
    """
    pairs = parse_filters(amounts, option="TYPE=AMOUNT")
    repeated = [kind for kind, value in pairs.items() if isinstance(value, list)]
    if repeated:
        raise click.UsageError(f"component {repeated[0]!r} given more than once")
    usages = [ComponentUsage(kind, str(value), description) for kind, value in pairs.items()]
    where = "plan_period" if is_plan_period else "resource"
    shown = ", ".join(f"{u.type}={u.amount}" for u in usages)
    act_each(
        app,
        out,
        [target],
        lambda client, item: client.create_component_usages(usages, date=date, **{where: item}),
        operation="create_component_usages",
        argument=where,
        noun=where.replace("_", " "),
        done=lambda item: f"usage reported for {where.replace('_', ' ')} {item}: {shown}",
        data=lambda item: {where: item, "usages": [u.to_request() for u in usages], "date": date},
    )


USAGE_COLUMNS = ("uuid", "type", "usage", "billing_period", "resource_name", "date")
USER_USAGE_COLUMNS = ("uuid", "username", "usage", "measured_unit", "resource_name", "created")
_RESOURCE = ListFilter("--resource", "resource_uuid", "Of this resource only.")
_OFFERING = ListFilter("--offering", "offering_uuid", "Of this offering's resources only.")
LISTS = [
    ListRow(
        "list_component_usages",
        "component usages",
        ComponentUsageRecord,
        USAGE_COLUMNS,
        help="List the usage reported, one row per component and month.\n\n"
        "Such as: puhuri usage list --resource UUID --billing-period 2025-03-01",
        filters=[
            _RESOURCE,
            _OFFERING,
            ListFilter(
                "--billing-period",
                "billing_period",
                "The month, as its first day (YYYY-MM-01).",
                metavar="DATE",
            ),
        ],
    ),
    ListRow(
        "list_component_user_usages",
        "user usages",
        ComponentUserUsage,
        USER_USAGE_COLUMNS,
        name="users",
        help="List each user's part of the usage reported.\n\n"
        "Such as: puhuri usage users --resource UUID",
        filters=[
            _RESOURCE,
            _OFFERING,
            ListFilter("--username", "username", "Of this account name only.", metavar="NAME"),
        ],
    ),
]
add_lists(usage, LISTS)
