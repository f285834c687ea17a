""":func:`run_demo`: the service provider's whole job on one ``PuhuriClient``, summarised."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Sequence

from puhuri_async import Offering, Progress, PuhuriClient, Resource
from puhuri_async._demo import _accounts, _orders, _usage
from puhuri_async._demo._provider import find_provider
from puhuri_async._demo._site import Site
from puhuri_async._demo._steps import SITE_AGENT, Track, each, no_progress
from puhuri_async._demo._summary import DemoSummary

__all__ = ["run_demo"]


async def run_demo(
    client: PuhuriClient,
    *,
    target: str = "",
    provider_uuid: str | None = None,
    write: bool = False,
    track: Track | None = None,
    site: Site | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> DemoSummary:
    """Run the service provider's job on ``client`` and summarise it.

    ``provider_uuid`` is the provider organisation's UUID (by default the provider the token
    owns). Nothing is changed unless ``write`` is true. ``track(label)`` gives a
    ``progress(done, total)`` callback per step, e.g. a progress bar. ``site`` stands in for
    the provider's own system (a fresh :class:`Site` by default).
    """
    track = track or no_progress
    site = site if site is not None else Site()
    started = clock()
    requests, retries = client.stats.requests, client.stats.retries
    me = await client.get_current_user()
    provider, sp_uuid, provider_name = await find_provider(client, provider_uuid)
    summary = DemoSummary(target=target, write=write, provider=provider_name)
    summary.user = f"{me.get('username') or '?'} ({me.get('full_name') or 'no name'})"

    users, keys, projects, permissions = await asyncio.gather(
        client.list_service_provider_users(sp_uuid, progress=track("users")),
        client.list_service_provider_ssh_keys(sp_uuid, progress=track("SSH keys")),
        client.list_service_provider_projects(sp_uuid, progress=track("projects")),
        client.list_service_provider_project_permissions(
            sp_uuid, progress=track("project permissions")
        ),
    )
    summary.fetched = {
        "users": len(users),
        "ssh_keys": len(keys),
        "projects": len(projects),
        "project_permissions": len(permissions),
    }

    steps: Counter[str] = Counter()
    lacking: set[str] = set()
    pending = await client.list_orders(state="pending-provider", provider_uuid=provider)
    steps["orders_pending"] = len(pending)
    if write:
        await _orders.approve(client, pending, track, steps)
        await _orders.restart(client, provider, track, steps)
    executing = await client.list_orders(state="executing", provider_uuid=provider)
    work = [order for order in executing if order.get("offering_type") == SITE_AGENT]
    steps["orders_executing"] = len(work)
    if write:
        for key in ("allocations_created", "limits_set", "resources_set_ok"):
            steps[key] += 0
        for key in ("resources_set_erred", "orders_done", "orders_erred"):
            steps[key] += 0
        await each(
            work,
            lambda order: _orders.carry_out(client, site, order, steps, lacking),
            track("carrying out orders"),
        )

    resources = await client.list_marketplace_resources(
        provider_uuid=provider, state="OK", progress=track("resources")
    )
    steps["resources_ok"] = len(resources)
    on_site = [r for r in resources if r.get("offering_type") == SITE_AGENT]
    if write:
        steps["offering_users_created"] += 0
        steps["offering_users_ok"] += 0
        await _accounts.walk_to_ok(client, site, on_site, permissions, track, steps)
    offerings = await _offerings(client, resources, track("offerings"))
    steps["offerings"] = len(offerings)
    billed = _usage.billed(resources, offerings)
    sent = None
    if write:
        sent = await _usage.report(client, billed, permissions, track, steps)
    await _usage.read_back(client, billed, sent, track, steps)
    if write:
        steps["user_usages_read"] += 0

    summary.steps = dict(steps)
    summary.lacking = sorted(lacking)
    summary.requests = client.stats.requests - requests
    summary.retries = client.stats.retries - retries
    summary.elapsed = clock() - started
    return summary


async def _offerings(
    client: PuhuriClient, resources: Sequence[Resource], progress: Progress
) -> dict[str, Offering]:
    """The offerings of ``resources``, each read once, by UUID."""
    uuids = sorted({str(r["offering_uuid"]) for r in resources if r.get("offering_uuid")})
    found = await each(uuids, client.get_marketplace_offering, progress)
    return dict(zip(uuids, found, strict=True))
