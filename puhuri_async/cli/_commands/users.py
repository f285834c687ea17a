"""``puhuri users`` and ``puhuri ssh-keys``: everyone the token can see."""

from __future__ import annotations

from collections.abc import Sequence

import click

from puhuri_async.cli._app import App
from puhuri_async.cli._commands._common import Filters, columns_for, list_options, pass_app
from puhuri_async.cli._output import Output

__all__ = ["SSH_KEY_COLUMNS", "USER_COLUMNS", "ssh_keys", "users"]

USER_COLUMNS = ("uuid", "username", "full_name", "email", "organization", "is_active")
SSH_KEY_COLUMNS = ("uuid", "name", "type", "user_uuid", "fingerprint_sha256")


@click.group()
def users() -> None:
    """Users (GET users/)."""


@users.command("list")
@list_options
@pass_app
def list_users(
    app: App, filters: Filters, limit: int | None, columns: Sequence[str], out: Output
) -> None:
    """Every user matching the filters (e.g. --filter is_active=true)."""
    app.show_list(
        out,
        "users",
        columns_for(columns, USER_COLUMNS),
        lambda client, progress: client.list_users(filters, limit=limit, progress=progress),
    )


@click.group("ssh-keys")
def ssh_keys() -> None:
    """SSH keys (GET keys/)."""


@ssh_keys.command("list")
@list_options
@pass_app
def list_ssh_keys(
    app: App, filters: Filters, limit: int | None, columns: Sequence[str], out: Output
) -> None:
    """Every SSH key matching the filters (e.g. --filter user_uuid=UUID)."""
    app.show_list(
        out,
        "SSH keys",
        columns_for(columns, SSH_KEY_COLUMNS),
        lambda client, progress: client.list_ssh_keys(filters, limit=limit, progress=progress),
    )
