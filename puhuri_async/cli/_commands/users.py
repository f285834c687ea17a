"""``puhuri users`` and ``puhuri ssh-keys``: everyone the token can see."""

from __future__ import annotations

from collections.abc import Sequence

from puhuri_async import SshKey, User
from puhuri_async.cli._app import App
from puhuri_async.cli._commands._common import Filters, group, list_options, pass_app
from puhuri_async.cli._commands._rows import add_gets, get_row
from puhuri_async.cli._output import Output

__all__ = ["SSH_KEY_COLUMNS", "USER_COLUMNS", "USER_FIELDS", "ssh_keys", "users"]

USER_COLUMNS = ("uuid", "username", "full_name", "email", "organization", "is_active")
USER_FIELDS = (
    "uuid",
    "username",
    "full_name",
    "email",
    "organization",
    "job_title",
    "is_active",
    "is_staff",
    "is_support",
    "registration_method",
    "date_joined",
    "token_expires_at",
)
SSH_KEY_COLUMNS = ("uuid", "name", "type", "user_uuid", "fingerprint_sha256")


@group()
def users() -> None:
    """Users (GET users/)."""


@users.command("list")
@list_options(User, USER_COLUMNS)
@pass_app
def list_users(
    app: App, filters: Filters, limit: int | None, columns: Sequence[str], out: Output
) -> None:
    """List every user that matches the filters, such as --filter is_active=true."""
    app.show_list(
        out,
        "users",
        columns,
        lambda client, progress: client.list_users(filters, limit=limit, progress=progress),
        operation="list_users",
        empty="no users match" if filters else "no users",
    )


GETS = [get_row("get_user", "user", fields=USER_FIELDS, columns=USER_COLUMNS)]
add_gets(users, GETS)


@group("ssh-keys")
def ssh_keys() -> None:
    """SSH keys (GET keys/)."""


@ssh_keys.command("list")
@list_options(SshKey, SSH_KEY_COLUMNS)
@pass_app
def list_ssh_keys(
    app: App, filters: Filters, limit: int | None, columns: Sequence[str], out: Output
) -> None:
    """List every SSH key that matches the filters, such as --filter user_uuid=UUID."""
    app.show_list(
        out,
        "SSH keys",
        columns,
        lambda client, progress: client.list_ssh_keys(filters, limit=limit, progress=progress),
        operation="list_ssh_keys",
        empty="no SSH keys match" if filters else "no SSH keys",
    )
