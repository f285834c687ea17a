"""``puhuri offering-users``: users' accounts on the provider's offerings."""

from __future__ import annotations

import click

from puhuri_async import OfferingUser
from puhuri_async.cli._app import App
from puhuri_async.cli._commands._common import group, output_option, pass_app
from puhuri_async.cli._commands._rows import (
    ActionRow,
    ListFilter,
    ListRow,
    add_actions,
    add_gets,
    add_lists,
    get_row,
)
from puhuri_async.cli._output import Output
from puhuri_async.cli._verbs import act_each, show_made

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
OFFERING_USER_COLUMNS = ("uuid", "username", "state", "offering_name", "user_username")


@group("offering-users")
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
    show_made(
        app,
        out,
        lambda client: client.create_remote_offering_user(offering, user, username),
        operation="create_remote_offering_user",
        fields=OFFERING_USER_FIELDS,
    )


@offering_users.command("set-username")
@click.argument("service_provider", metavar="SP")
@click.argument("user", metavar="USER")
@click.argument("username", metavar="NAME")
@output_option
@pass_app
def set_username(app: App, service_provider: str, user: str, username: str, out: Output) -> None:
    """Make NAME the account name of USER on every offering of service provider SP."""
    act_each(
        app,
        out,
        [user],
        lambda client, item: client.set_offerings_username(service_provider, item, username),
        operation="set_offerings_username",
        argument="user_uuid",
        noun="user",
        done=lambda item: (
            f"username of user {item} on the offerings of {service_provider} set to {username!r}"
        ),
        data=lambda item: {
            "service_provider": service_provider,
            "user": item,
            "username": username,
        },
    )


_TRANSITIONS = [
    ("begin-creating", "begin_creating", "creating", "the account is being made"),
    ("ok", "set_ok", "OK", "the account exists and works"),
    ("error-creating", "set_error_creating", "error_creating", "the account could not be made"),
    (
        "pending-account-linking",
        "set_pending_account_linking",
        "pending_account_linking",
        "the user must link an existing account",
    ),
    (
        "pending-additional-validation",
        "set_pending_additional_validation",
        "pending_additional_validation",
        "the provider needs more checks",
    ),
    (
        "validation-complete",
        "set_validation_complete",
        "validation_complete",
        "the checks are done",
    ),
    ("deleting", "set_deleting", "deleting", "the account is being removed"),
    ("deleted", "set_deleted", "deleted", "the account is gone"),
]

LISTS = [
    ListRow(
        "list_remote_offering_users",
        "offering users",
        OfferingUser,
        OFFERING_USER_COLUMNS,
        help="List offering users: who has (or asked for) an account on which offering.\n\n"
        "Such as: puhuri offering-users list --offering UUID --state Requested",
        filters=[
            ListFilter("--offering", "offering_uuid", "Of this offering only."),
            ListFilter("--user", "user_uuid", "Of this user only."),
            ListFilter(
                "--state",
                "state",
                "Requested, Creating, OK, Error creating... (repeatable).",
                metavar="STATE",
                multiple=True,
            ),
        ],
    )
]
add_lists(offering_users, LISTS)
GETS = [
    get_row(
        "get_offering_user",
        "offering user",
        fields=OFFERING_USER_FIELDS,
        columns=OFFERING_USER_COLUMNS,
    )
]
add_gets(offering_users, GETS)
ACTIONS: list[ActionRow] = [
    ActionRow(
        name,
        f"marketplace_offering_user_{method}",
        done=f"set {state}",
        help=f"Move offering users to {state}: {meaning}.",
        argument="offering_user_uuid",
        noun="offering user",
    )
    for name, method, state, meaning in _TRANSITIONS
]
add_actions(offering_users, ACTIONS)
