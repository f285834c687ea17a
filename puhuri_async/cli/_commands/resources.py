"""``puhuri resources``: the allocations of the provider's offerings, and what it does to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from puhuri_async import ResourceReportRecord
from puhuri_async.cli._app import App, output_option
from puhuri_async.cli._commands._common import Filters, columns_for, list_options, pass_app
from puhuri_async.cli._output import Format, Output

__all__ = ["resources"]

RESOURCE_COLUMNS = ("uuid", "name", "state", "offering_name", "project_name", "backend_id")
TEAM_COLUMNS = ("uuid", "username", "full_name", "email", "role", "offering_user_username")
PERIOD_COLUMNS = ("uuid", "plan_name", "start", "end", "usage")

_RESOURCE = click.argument("resource", metavar="UUID")


@click.group()
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
@list_options
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
    """Resources matching the filters, e.g. --state OK --field uuid --field name."""
    app.show_list(
        out,
        "resources",
        columns_for(columns or fields, RESOURCE_COLUMNS),
        lambda client, progress: client.list_marketplace_resources(
            provider_uuid=provider,
            state=list(states) or None,
            offering_uuid=offering,
            fields=list(fields) or None,
            filters=filters,
            limit=limit,
            progress=progress,
        ),
    )


@resources.command("set-backend-id")
@_RESOURCE
@click.argument("backend_id", metavar="ID")
@output_option
@pass_app
def set_backend_id(app: App, resource: str, backend_id: str, out: Output) -> None:
    """Link the resource UUID to the provider's own id ID (an account, a project...)."""
    app.act(
        out,
        lambda client: client.marketplace_resource_set_backend_id(resource, backend_id),
        f"backend id of resource {resource} set to {backend_id!r}",
        {"resource": resource, "backend_id": backend_id},
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
    app.act(
        out,
        lambda client: client.marketplace_resource_submit_report(resource, report),
        f"report of resource {resource} submitted ({len(report)} sections)",
        {"resource": resource, "report": [record.to_request() for record in report]},
    )


@resources.command("team")
@_RESOURCE
@output_option
@pass_app
def team(app: App, resource: str, out: Output) -> None:
    """Members of the project that holds resource UUID, with their roles."""
    members = app.with_client(lambda client: client.marketplace_resource_get_team(resource))
    out.items(members, TEAM_COLUMNS, kind="team members")


@resources.command("plan-periods")
@_RESOURCE
@output_option
@pass_app
def plan_periods(app: App, resource: str, out: Output) -> None:
    """Plan periods of resource UUID, with the usage reported in each."""
    periods = app.with_client(lambda client: client.marketplace_resource_get_plan_periods(resource))
    if out.format is not Format.TABLE:
        out.items(periods, PERIOD_COLUMNS, kind="plan periods")
        return
    out.items(
        [_with_usage(period.to_dict()) for period in periods], PERIOD_COLUMNS, kind="plan periods"
    )


def _with_usage(period: dict[str, Any]) -> dict[str, Any]:
    """A plan period with its usages as one ``type=amount`` cell, for the table."""
    usages = period.get("components") or []
    period["usage"] = " ".join(f"{u.get('type')}={u.get('usage')}" for u in usages)
    return period
