"""``puhuri resources``: the allocations of the provider's offerings, and what it does to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from puhuri_async import PlanPeriod, Resource, ResourceReportRecord, TeamMember
from puhuri_async.cli._app import App
from puhuri_async.cli._commands._common import (
    Filters,
    group,
    list_options,
    output_option,
    parse_filters,
    pass_app,
)
from puhuri_async.cli._commands._rows import ActionRow, Option, add_actions, add_gets, get_row
from puhuri_async.cli._commands._rows import available as client_has
from puhuri_async.cli._options import check_columns, columns_option, model_columns
from puhuri_async.cli._output import Output
from puhuri_async.cli._verbs import act_each

__all__ = ["RESOURCE_COLUMNS", "resources"]

RESOURCE_COLUMNS = ("uuid", "name", "state", "offering_name", "project_name", "backend_id")
RESOURCE_FIELDS = (
    "uuid",
    "name",
    "state",
    "backend_id",
    "offering_name",
    "offering_uuid",
    "project_name",
    "project_uuid",
    "customer_name",
    "plan_name",
    "limits",
    "created",
    "modified",
    "end_date",
)
TEAM_COLUMNS = ("uuid", "username", "full_name", "email", "role", "offering_user_username")
PERIOD_COLUMNS = ("uuid", "plan_name", "start", "end", "usage")

_RESOURCE = click.argument("resource", metavar="UUID")


@group()
def resources() -> None:
    """Resources of the provider's offerings (marketplace-provider-resources/)."""


@resources.command("list")
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="STATE",
    help="Creating, OK, Erred, Updating, Terminating or Terminated (repeatable).",
)
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="NAME",
    help="Ask the server for this field only (repeatable); also the table's columns.",
)
@click.option("--offering", metavar="UUID", help="Resources of this offering only.")
@click.option("--provider", metavar="UUID", help="Resources of this provider organisation only.")
@list_options(Resource, RESOURCE_COLUMNS)
@pass_app
def list_resources(
    app: App,
    states: Sequence[str],
    fields: Sequence[str],
    offering: str | None,
    provider: str | None,
    filters: Filters,
    limit: int | None,
    columns: Sequence[str],
    out: Output,
) -> None:
    """List the resources that match --state, --offering, --provider and --filter.

    Such as: puhuri resources list --state OK --field uuid --field name
    """
    if fields and not out.chosen_columns:
        columns = check_columns(fields, model_columns(Resource), option="--field")
        out.chosen_columns = True
    filtered = bool(states or offering or provider or filters)
    app.show_list(
        out,
        "resources",
        columns,
        lambda client, progress: client.list_marketplace_resources(
            provider_uuid=provider,
            state=list(states) or None,
            offering_uuid=offering,
            fields=list(fields) or None,
            filters=filters,
            limit=limit,
            progress=progress,
        ),
        operation="list_marketplace_resources",
        empty="no resources match" if filtered else "no resources",
    )


@resources.command("set-backend-id")
@_RESOURCE
@click.argument("backend_id", metavar="ID")
@output_option
@pass_app
def set_backend_id(app: App, resource: str, backend_id: str, out: Output) -> None:
    """Link resource UUID to the provider's own id ID (an account, a project...)."""
    act_each(
        app,
        out,
        [resource],
        lambda client, item: client.marketplace_resource_set_backend_id(item, backend_id),
        operation="marketplace_resource_set_backend_id",
        done=f"backend id set to {backend_id!r}",
        data=lambda item: {"resource": item, "backend_id": backend_id},
        argument="resource_uuid",
        noun="resource",
    )


@resources.command("report")
@_RESOURCE
@click.option(
    "--header",
    "headers",
    multiple=True,
    required=True,
    metavar="TEXT",
    help="A section's header (repeatable; one --body per --header, in order).",
)
@click.option(
    "--body", "bodies", multiple=True, required=True, metavar="TEXT", help="A section's body."
)
@output_option
@pass_app
def submit_report(
    app: App, resource: str, headers: Sequence[str], bodies: Sequence[str], out: Output
) -> None:
    """Submit the access report of resource UUID (how to log in, where the docs are...)."""
    if len(headers) != len(bodies):
        raise click.UsageError(
            f"give one --body per --header (got {len(headers)} headers, {len(bodies)} bodies)"
        )
    report = [
        ResourceReportRecord(header, body) for header, body in zip(headers, bodies, strict=True)
    ]
    act_each(
        app,
        out,
        [resource],
        lambda client, item: client.marketplace_resource_submit_report(item, report),
        operation="marketplace_resource_submit_report",
        done=f"report submitted ({len(report)} sections)",
        data=lambda item: {"resource": item, "report": [r.to_request() for r in report]},
        argument="resource_uuid",
        noun="resource",
    )


@resources.command("team")
@_RESOURCE
@columns_option(TeamMember, TEAM_COLUMNS)
@pass_app
def team(app: App, resource: str, columns: Sequence[str], out: Output) -> None:
    """List the members of the project that holds resource UUID, with their roles."""
    members = app.with_client(
        lambda client: app.call(
            "marketplace_resource_get_team",
            lambda: client.marketplace_resource_get_team(resource),
        )
    )
    out.items(members, columns, kind="team members")


@resources.command("plan-periods")
@_RESOURCE
@columns_option(PlanPeriod, PERIOD_COLUMNS, extra=("usage",))
@pass_app
def plan_periods(app: App, resource: str, columns: Sequence[str], out: Output) -> None:
    """List the plan periods of resource UUID, with the usage reported in each."""
    periods = app.with_client(
        lambda client: app.call(
            "marketplace_resource_get_plan_periods",
            lambda: client.marketplace_resource_get_plan_periods(resource),
        )
    )
    rows: Sequence[Any] = periods
    if not out.structured:
        rows = [_with_usage(period.to_dict()) for period in periods]
    out.items(rows, columns, kind="plan periods")


def _with_usage(period: dict[str, Any]) -> dict[str, Any]:
    """A plan period with its usages as one ``type=amount`` cell, for the table."""
    usages = period.get("components") or []
    period["usage"] = " ".join(f"{u.get('type')}={u.get('usage')}" for u in usages)
    return period


GETS = [
    get_row(
        "get_marketplace_provider_resource",
        "resource",
        fields=RESOURCE_FIELDS,
        columns=RESOURCE_COLUMNS,
    )
]
add_gets(resources, GETS)
ACTIONS: list[ActionRow] = [
    ActionRow(
        "ok",
        "marketplace_provider_resource_set_as_ok",
        done="set OK",
        help="Set resources OK: the allocation exists and works.",
        argument="resource_uuid",
        noun="resource",
    ),
    ActionRow(
        "erred",
        "marketplace_provider_resource_set_as_erred",
        done="set erred",
        help="Set resources erred: the allocation failed.",
        options=[
            Option("--message", "error_message", "What went wrong, for the consumer."),
            Option("--traceback", "error_traceback", "Details for the operators."),
        ],
        argument="resource_uuid",
        noun="resource",
    ),
]
add_actions(resources, ACTIONS)

_SET_LIMITS = "marketplace_provider_resource_set_limits"

if client_has(_SET_LIMITS):

    @resources.command("limits")
    @_RESOURCE
    @click.argument("limits", nargs=-1, required=True, metavar="TYPE=AMOUNT...")
    @output_option
    @pass_app
    def set_limits(app: App, resource: str, limits: Sequence[str], out: Output) -> None:
        """Set the limits of resource UUID, such as `cpu=1000 gpu=10`."""
        pairs = parse_filters(limits, option="TYPE=AMOUNT")
        values: dict[str, int] = {}
        for kind, amount in pairs.items():
            if isinstance(amount, list) or not amount.isdigit():
                raise click.BadParameter(
                    f"give each component once, with a whole number: {kind}={amount}",
                    param_hint="TYPE=AMOUNT",
                )
            values[kind] = int(amount)
        shown = ", ".join(f"{kind}={amount}" for kind, amount in values.items())
        act_each(
            app,
            out,
            [resource],
            lambda client, item: getattr(client, _SET_LIMITS)(item, values),
            operation=_SET_LIMITS,
            done=f"limits set: {shown}",
            data=lambda item: {"resource": item, "limits": values},
            argument="resource_uuid",
            noun="resource",
        )
