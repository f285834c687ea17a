"""The subcommands of ``puhuri``, one module per API area, added to the root group here."""

from __future__ import annotations

from puhuri_async.cli._app import cli
from puhuri_async.cli._commands.account import login, me, profiles, whoami
from puhuri_async.cli._commands.completion import completion
from puhuri_async.cli._commands.demo import demo
from puhuri_async.cli._commands.offering_users import offering_users
from puhuri_async.cli._commands.offerings import offerings
from puhuri_async.cli._commands.orders import orders
from puhuri_async.cli._commands.provider_offerings import provider_offerings
from puhuri_async.cli._commands.resources import resources
from puhuri_async.cli._commands.service_providers import service_providers
from puhuri_async.cli._commands.usage import usage
from puhuri_async.cli._commands.users import ssh_keys, users

__all__ = ["cli"]

for _command in (
    users,
    ssh_keys,
    resources,
    orders,
    offerings,
    provider_offerings,
    usage,
    offering_users,
    service_providers,
    login,
    whoami,
    me,
    profiles,
    completion,
    demo,
):
    cli.add_command(_command)
