"""``puhuri offering-users``: users' accounts on the provider's offerings."""

from __future__ import annotations

import click

from puhuri_async.cli._app import App, output_option
from puhuri_async.cli._commands._common import pass_app
from puhuri_async.cli._output import Output

__all__ = ["offering_users"]

OFFERING_USER_FIELDS = (
    "uuid",
    "username",
    "state",
    "offering_uuid",
    "offering_name",
    "user_uuid",
    "user_username",
    "user_full_name",
    "created",
)


@click.group("offering-users")
def offering_users() -> None:
    """Offering users: a user's account name on an offering."""


@offering_users.command("create")
@click.argument("offering", metavar="OFFERING")
@click.argument("user", metavar="USER")
@click.option("--username", metavar="NAME", help="The account name (default: the server's).")
@output_option
@pass_app
def create(app: App, offering: str, user: str, username: str | None, out: Output) -> None:
    """Give USER (UUID or URL) an account on OFFERING (UUID or URL)."""
    app.show_item(
        out,
        lambda client: client.create_remote_offering_user(offering, user, username),
        columns=OFFERING_USER_FIELDS,
    )


@offering_users.command("set-username")
@click.argument("service_provider", metavar="SP")
@click.argument("user", metavar="USER")
@click.argument("username", metavar="NAME")
@output_option
@pass_app
def set_username(app: App, service_provider: str, user: str, username: str, out: Output) -> None:
    """Make NAME the account name of USER on every offering of service provider SP."""
    app.act(
        out,
        lambda client: client.set_offerings_username(service_provider, user, username),
        f"username of user {user} on the offerings of {service_provider} set to {username!r}",
        {"service_provider": service_provider, "user": user, "username": username},
    )
