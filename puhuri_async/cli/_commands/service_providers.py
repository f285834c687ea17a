"""``puhuri service-providers``: providers and the users, keys, projects, permissions they serve."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import click

from puhuri_async import (
    Project,
    ProjectPermission,
    PuhuriClient,
    ServiceProvider,
    ServiceProviderUser,
    SshKey,
)
from puhuri_async.cli._app import App, Progress
from puhuri_async.cli._commands._common import Filters, group, list_options, pass_app
from puhuri_async.cli._commands.users import SSH_KEY_COLUMNS
from puhuri_async.cli._output import Output

__all__ = ["service_providers"]

PROVIDER_COLUMNS = (
    "uuid",
    "customer_name",
    "customer_abbreviation",
    "customer_uuid",
    "offering_count",
)
PROVIDER_USER_COLUMNS = ("uuid", "username", "full_name", "email", "projects_count")
PROJECT_COLUMNS = ("uuid", "name", "customer_name", "created", "end_date")
PERMISSION_COLUMNS = (
    "user_username",
    "user_full_name",
    "project_name",
    "role_name",
    "expiration_time",
)

_SP = click.argument("service_provider", metavar="SP")


@group("service-providers")
def service_providers() -> None:
    """Service providers and what they serve (GET marketplace-service-providers/...)."""


@service_providers.command("list")
@list_options(ServiceProvider, PROVIDER_COLUMNS)
@pass_app
def list_providers(
    app: App, filters: Filters, limit: int | None, columns: Sequence[str], out: Output
) -> None:
    """List service providers (--filter customer_uuid=UUID finds an organisation's)."""
    app.show_list(
        out,
        "service providers",
        columns,
        lambda client, progress: client.list_service_providers(
            filters, limit=limit, progress=progress
        ),
        operation="list_service_providers",
        empty="no service providers match" if filters else "no service providers",
    )


_OPERATIONS = {
    "users": "list_service_provider_users",
    "ssh-keys": "list_service_provider_ssh_keys",
    "projects": "list_service_provider_projects",
    "permissions": "list_service_provider_project_permissions",
}

#: ``fetch(client, sp, filters, limit, progress)``: one of the provider's sub-lists.
SubList = Callable[[PuhuriClient, str, Filters, int | None, Progress], Awaitable[Sequence[Any]]]


def _sub_list(
    name: str,
    kind: str,
    model: type[Any],
    default: Sequence[str],
    summary: str,
    fetch: SubList,
) -> None:
    """Add ``service-providers NAME SP``, printing what ``fetch`` returns."""
    operation = _OPERATIONS[name]

    @service_providers.command(name, help=summary)
    @_SP
    @list_options(model, default)
    @pass_app
    def command(
        app: App,
        service_provider: str,
        filters: Filters,
        limit: int | None,
        columns: Sequence[str],
        out: Output,
    ) -> None:
        app.show_list(
            out,
            kind,
            columns,
            lambda client, progress: fetch(client, service_provider, filters, limit, progress),
            operation=operation,
            empty=f"no {kind} match" if filters else f"no {kind}",
        )


_sub_list(
    "users",
    "users",
    ServiceProviderUser,
    PROVIDER_USER_COLUMNS,
    "List the users of the projects that use the provider SP's offerings.",
    lambda client, sp, filters, limit, progress: client.list_service_provider_users(
        sp, filters, limit=limit, progress=progress
    ),
)
_sub_list(
    "ssh-keys",
    "SSH keys",
    SshKey,
    SSH_KEY_COLUMNS,
    "List the SSH keys of the users of the provider SP's resources.",
    lambda client, sp, filters, limit, progress: client.list_service_provider_ssh_keys(
        sp, filters, limit=limit, progress=progress
    ),
)
_sub_list(
    "projects",
    "projects",
    Project,
    PROJECT_COLUMNS,
    "List the projects that have the provider SP's resources.",
    lambda client, sp, filters, limit, progress: client.list_service_provider_projects(
        sp, filters, limit=limit, progress=progress
    ),
)
_sub_list(
    "permissions",
    "project permissions",
    ProjectPermission,
    PERMISSION_COLUMNS,
    "List the active permissions in projects that use the provider SP's offerings.",
    lambda client, sp, filters, limit, progress: client.list_service_provider_project_permissions(
        sp, filters, limit=limit, progress=progress
    ),
)
