"""``puhuri login``, ``whoami`` (also ``me``) and ``profiles``: who and where the CLI talks to."""

from __future__ import annotations

import sys

import click

from puhuri_async import PuhuriClient, PuhuriError, User
from puhuri_async.cli._app import App, check_scheme
from puhuri_async.cli._commands._common import output_option, pass_app
from puhuri_async.cli._commands.users import USER_FIELDS
from puhuri_async.cli._exits import CliError, Exit, exit_for, message_for
from puhuri_async.cli._help import Command
from puhuri_async.cli._output import REDACTED, Format, Output
from puhuri_async.cli._profiles import check_profile_name, load, save_profile
from puhuri_async.cli._settings import DEFAULT_TOKEN_PREFIX
from puhuri_async.cli._terminal import is_terminal

__all__ = ["login", "me", "profiles", "whoami"]

OPERATION = "get_current_user"


def _check(app: App, client: PuhuriClient) -> User:
    """The one request that proves a URL and token work: ``users/me/``."""

    async def run() -> User:
        async with client:
            return await app.call(OPERATION, client.get_current_user)

    return app.run(run)


def _ask_url(app: App, default: str | None, interactive: bool) -> str:
    given = app.given.get("api_url")
    if given is not None and given.source and (given.value or "").strip():
        return (given.value or "").strip()
    if not interactive:
        if default:
            return default
        raise CliError(
            Exit.USAGE, "no API URL: stdin is not a terminal, so pass --api-url (or set it)"
        )
    answer: str = click.prompt("Puhuri Core API URL", default=default, err=True)
    return answer.strip()


def _ask_token(app: App, interactive: bool) -> str:
    given = app.given.get("token")
    if given is not None and given.source == "--token" and (given.value or "").strip():
        return (given.value or "").strip()
    if interactive:
        answer: str = click.prompt("API token (not shown)", hide_input=True, err=True)
        token = answer.strip()
    else:
        token = sys.stdin.readline().strip()
    if not token:
        raise CliError(Exit.USAGE, "no API token given")
    return token


@click.command("login", cls=Command)
@click.option("--make-default", is_flag=True, help="Make this profile the default one.")
@pass_app
def login(app: App, make_default: bool) -> None:
    """Save an API URL and token as a profile, once one request shows they work.

    Asks for the URL (unless --api-url or PUHURI_API_URL gives it) and for the token, which is
    not shown as it is typed. When stdin is no terminal, the token is its first line. The
    profile is --profile NAME, else the default one ("default" at first). Nothing is saved if
    the check fails.
    """
    config = load()
    name = check_profile_name(app.profile.value or config.default_profile or "default")
    existing = config.profiles.get(name, {})
    interactive = is_terminal(sys.stdin)
    env_url = app.given.get("api_url")
    default = existing.get("api_url") or (env_url.value if env_url else None)
    api_url = _ask_url(app, default, interactive)
    token = _ask_token(app, interactive)
    given_prefix = app.given.get("token_prefix")
    prefix = (given_prefix.value if given_prefix else None) or existing.get("token_prefix")
    check_scheme(api_url, "the answer" if interactive else "--api-url")
    app.secrets.append(token)
    client = app.client(api_url, token, prefix=prefix or DEFAULT_TOKEN_PREFIX)
    redact = Output(secret=token)
    try:
        user = _check(app, client)
    except (PuhuriError, CliError) as exc:
        text = redact.redacted(message_for(exc))
        raise CliError(exit_for(exc), f"{text}; nothing saved") from None
    values = {"api_url": client.base_url, "token": token}
    if prefix and prefix != DEFAULT_TOKEN_PREFIX:
        values["token_prefix"] = prefix
    saved = save_profile(name, values, make_default=make_default)
    who = user.get("username") or user.get("uuid") or "?"
    full = user.get("full_name")
    redact.line(
        f"logged in to {client.base_url} as {who}{f' ({full})' if full else ''}; "
        f"saved as profile {name!r} in {saved.path}"
    )
    for variable in ("PUHURI_API_URL", "PUHURI_TOKEN"):
        source = app.given.get("api_url" if variable.endswith("URL") else "token")
        if source is not None and source.source == variable:
            redact.note(f"note: {variable} is set, and it comes before any profile")


def _whoami(app: App, out: Output) -> None:
    user = app.with_client(lambda client: app.call(OPERATION, client.get_current_user))
    out.item(user, columns=USER_FIELDS)
    if out.format is not Format.TABLE:
        return
    settings = app.settings
    print(file=out.out)
    for name, value in (
        ("api_url", settings.api_url),
        ("token", REDACTED),
        ("token_prefix", settings.token_prefix),
    ):
        out.line(f"{name}: {value} (from {settings.sources.get(name, 'default')})")
    if settings.overridden:
        out.note(f"note: the profile's {', '.join(settings.overridden)} was replaced")


@click.command("whoami", cls=Command)
@output_option
@pass_app
def whoami(app: App, out: Output) -> None:
    """Show the user the token belongs to, and where each setting came from."""
    _whoami(app, out)


@click.command("me", cls=Command)
@output_option
@pass_app
def me(app: App, out: Output) -> None:
    """The same as whoami."""
    _whoami(app, out)


@click.command("profiles", cls=Command)
@output_option
@pass_app
def profiles(app: App, out: Output) -> None:
    """List the profiles of the config file (tokens are not shown)."""
    config = load()
    rows = [
        {
            "name": name,
            "default": name == config.default_profile,
            "api_url": table.get("api_url"),
            "token": "set" if table.get("token") else "",
            "token_prefix": table.get("token_prefix", DEFAULT_TOKEN_PREFIX),
        }
        for name, table in config.profiles.items()
    ]
    out.items(
        rows,
        ["name", "default", "api_url", "token", "token_prefix"],
        kind="profiles",
        empty=f"no profiles in {config.path}; make one with: puhuri login",
    )
