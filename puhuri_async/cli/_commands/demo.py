"""``puhuri demo``: the service provider's job against the embedded fake or a real Puhuri Core."""

from __future__ import annotations

import json

import click

from puhuri_async import PuhuriClient
from puhuri_async._demo import (
    DEFAULT_LATENCY_MS,
    DEFAULT_USERS,
    DemoSetupError,
    DemoSummary,
    embedded_fake,
    run_demo,
)
from puhuri_async.cli._app import App
from puhuri_async.cli._commands._common import pass_app
from puhuri_async.cli._exits import Exit
from puhuri_async.cli._help import Command
from puhuri_async.cli._output import Output

__all__ = ["demo"]


@click.command(cls=Command)
@click.option(
    "--users",
    type=click.IntRange(min=1),
    default=DEFAULT_USERS,
    show_default=True,
    help="Size of the embedded fake (projects, resources and orders follow).",
)
@click.option(
    "--latency-ms",
    type=click.FloatRange(min=0),
    default=DEFAULT_LATENCY_MS,
    show_default=True,
    help="Delay of every answer of the embedded fake.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of the embedded fake's data."
)
@click.option(
    "--fake",
    "use_fake",
    is_flag=True,
    help="Use the embedded fake even when PUHURI_API_URL / --api-url is set.",
)
@click.option(
    "--provider",
    "provider_uuid",
    metavar="UUID",
    help="The service provider's organisation (customer) UUID; default: the provider "
    "the token manages.",
)
@click.option(
    "--write",
    is_flag=True,
    help="Against a real Puhuri Core, also run the writing steps (approve every "
    "pending order, finish the site-agent orders, create offering users and walk them "
    "to OK, set demo backend ids, limits and reports, report demo usage per component "
    "and per user). Only for a test server. The embedded fake always runs them.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_app
def demo(
    app: App,
    users: int,
    latency_ms: float,
    seed: int,
    use_fake: bool,
    provider_uuid: str | None,
    write: bool,
    as_json: bool,
) -> None:
    """Run a service provider's job and print a summary.

    Without PUHURI_API_URL / --api-url / --profile (or with --fake), it starts the embedded
    fake Puhuri Core on 127.0.0.1 and runs every step as the provider's owner (the default
    profile is not used). Against a real Puhuri Core it only reads, unless --write is given:
    fetch the provider's users, SSH keys, projects and permissions concurrently; approve
    pending orders; carry out the site-agent orders on a stand-in site and finish them (done
    or erred); walk offering users to OK; report usage per component and per user and read
    it back.
    """
    out = Output(secret=app.known_token)
    if use_fake or not app.chosen_server:
        out.note(
            f"Starting the embedded fake Puhuri Core ({users} users, "
            f"{latency_ms:g} ms latency) on 127.0.0.1 ..."
        )
        try:
            with embedded_fake(users=users, latency_ms=latency_ms, seed=seed) as (url, token):
                target = f"embedded fake at {url} ({users} users, {latency_ms:g} ms latency)"
                summary = _run(app, app.client(url, token), target, provider_uuid, True, out)
        except DemoSetupError as exc:
            raise app.fail(Exit.ERROR, str(exc)) from None
    else:
        client = app.client()
        mode = "read and write" if write else "read-only"
        summary = _run(app, client, f"{client.base_url} ({mode})", provider_uuid, write, out)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
    else:
        click.echo("\n".join(summary.lines()))


def _run(
    app: App,
    client: PuhuriClient,
    target: str,
    provider_uuid: str | None,
    write: bool,
    out: Output,
) -> DemoSummary:
    async def job() -> DemoSummary:
        async with client:
            with out.progress() as bars:
                return await run_demo(
                    client,
                    target=target,
                    provider_uuid=provider_uuid,
                    write=write,
                    track=bars.track,
                )

    return app.run(lambda: app.call("demo", job, changes=write))
