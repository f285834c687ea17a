"""The demo: the job a service provider runs, against the embedded fake or a real Puhuri Core.

:func:`run_demo` is the job itself, on any ``PuhuriClient``:

1. fetch users, SSH keys, the provider's projects and project permissions, all concurrently;
2. approve the orders waiting for the provider (``pending-provider``);
3. give the allocations those orders create a backend id and an access report;
4. report usage for every ``OK`` allocation, for each usage component of its offering;
5. read the plan periods back and check that they show the amounts reported.

It returns a :class:`DemoSummary` (items per kind, requests, retries, elapsed time).
Steps 2-4 write; with ``write=False`` they only count what they would do, so the demo can safely
look at a real server. :func:`embedded_fake` starts the fake Puhuri Core on a loopback port.

``puhuri demo`` and ``python -m puhuri_async demo`` run it from the shell.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from puhuri_async import (
    ComponentUsage,
    InvalidArgumentError,
    Offering,
    Order,
    Progress,
    PuhuriClient,
    Resource,
    ResourceReportRecord,
)

__all__ = [
    "DEFAULT_LATENCY_MS",
    "DEFAULT_USERS",
    "DemoSetupError",
    "DemoSummary",
    "FETCHED",
    "STEPS",
    "embedded_fake",
    "run_demo",
    "usage_amounts",
]

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_USERS = 2_000
DEFAULT_LATENCY_MS = 10.0

#: ``track(label)`` gives the ``progress(done, total)`` callback of one step (a progress bar).
Track = Callable[[str], Progress]

#: What the summary counts, in order: key, label.
FETCHED = (
    ("users", "users"),
    ("ssh_keys", "SSH keys"),
    ("projects", "projects"),
    ("project_permissions", "project permissions"),
)
STEPS = (
    ("orders_pending", "orders pending-provider"),
    ("orders_approved", "orders approved"),
    ("backend_ids_set", "backend ids set"),
    ("reports_submitted", "reports submitted"),
    ("resources_ok", "resources in state OK"),
    ("offerings", "offerings read"),
    ("usages_reported", "resources with usage reported"),
    ("usage_amounts", "component amounts reported"),
    ("plan_periods_read", "plan periods read back"),
    ("usages_verified", "resources whose usage shows"),
)
_WRITES = (
    "orders_approved",
    "backend_ids_set",
    "reports_submitted",
    "usages_reported",
    "usage_amounts",
    "usages_verified",
)


class DemoSetupError(Exception):
    """The demo cannot start (e.g. the embedded fake needs the ``testing`` extra)."""


@dataclass
class DemoSummary:
    """What the demo did: items fetched per kind, counts per step, and the client's counters."""

    target: str
    write: bool
    provider: str = ""
    fetched: dict[str, int] = field(default_factory=dict)
    steps: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    retries: int = 0
    elapsed: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data (``--json``)."""
        return {
            "target": self.target,
            "provider": self.provider,
            "write": self.write,
            "fetched": dict(self.fetched),
            "steps": dict(self.steps),
            "requests": self.requests,
            "retries": self.retries,
            "elapsed_seconds": round(self.elapsed, 3),
        }

    def lines(self) -> list[str]:
        """The summary as text for people: one ``label  count`` line per item."""
        width = max(len(label) for _, label in (*FETCHED, *STEPS))
        out = [
            f"Puhuri Core: {self.target}",
            f"Service provider: {self.provider}",
            "",
            "Fetched concurrently",
        ]
        out += [f"  {label:<{width}}  {self.fetched.get(key, 0):>7}" for key, label in FETCHED]
        out += ["", "Service provider job" + ("" if self.write else " (read-only)")]
        for key, label in STEPS:
            if key in self.steps:
                out.append(f"  {label:<{width}}  {self.steps[key]:>7}")
            elif key in _WRITES:
                out.append(f"  {label:<{width}}  {'-':>7}  skipped: read-only, --write to run")
        out += ["", f"{self.requests} requests, {self.retries} retries, {self.elapsed:.2f} s"]
        return out


def _no_progress(label: str) -> Progress:
    def ignore(done: int, total: int | None) -> None:
        return None

    return ignore


async def _each(
    items: Sequence[T], action: Callable[[T], Awaitable[R]], progress: Progress
) -> list[R]:
    """``action(item)`` for every item, concurrently (the client bounds requests in flight)."""
    done = 0
    progress(0, len(items))

    async def one(item: T) -> R:
        nonlocal done
        result = await action(item)
        done += 1
        progress(done, len(items))
        return result

    return list(await asyncio.gather(*(one(item) for item in items)))


async def _provider(client: PuhuriClient, provider_uuid: str | None) -> tuple[str, str, str]:
    """The provider organisation's UUID, the service provider's UUID, and a name to show.

    The organisation given (``customer_uuid``), or else the only provider the token sees.
    """
    filters = {} if provider_uuid is None else {"customer_uuid": provider_uuid}
    providers = await client.list_service_providers(filters, limit=2)
    if len(providers) != 1:
        problem = (
            f"no service provider of organisation {provider_uuid}"
            if provider_uuid
            else "several service providers are visible to this token: give your organisation's "
            "UUID (puhuri demo --provider UUID)"
            if providers
            else "no service provider is visible to this token"
        )
        raise InvalidArgumentError("provider_uuid", problem)
    sp = providers[0]
    name = f"{sp.get('customer_name') or ''} (service provider {sp['uuid']})".strip()
    return str(sp["customer_uuid"]), str(sp["uuid"]), name


def usage_amounts(index: int, components: Iterable[str]) -> list[ComponentUsage]:
    """Deterministic demo amounts for the ``index``-th resource, one per component type."""
    return [
        ComponentUsage(
            kind,
            Decimal(10 + (7 * index + 13 * number) % 90) + Decimal("0.25"),
            "reported by the puhuri-async demo",
        )
        for number, kind in enumerate(components)
    ]


def _shows(periods: Sequence[Mapping[str, Any]], usages: Sequence[ComponentUsage]) -> bool:
    """True when some plan period shows every reported amount."""
    seen = {
        (str(usage.get("type")), Decimal(str(usage.get("usage"))))
        for period in periods
        for usage in period.get("components") or []
        if usage.get("usage") is not None
    }
    return all((usage.type, usage.amount) in seen for usage in usages)


async def run_demo(
    client: PuhuriClient,
    *,
    target: str = "",
    provider_uuid: str | None = None,
    write: bool = False,
    track: Track | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> DemoSummary:
    """Run the service provider's job on ``client`` and summarise it.

    ``provider_uuid`` is the provider organisation's UUID (the only provider visible to the token
    when omitted). Nothing is changed unless ``write`` is true. ``track(label)`` gives a
    ``progress(done, total)`` callback per step, e.g. a progress bar.
    """
    track = track or _no_progress
    started = clock()
    requests, retries = client.stats.requests, client.stats.retries
    provider, sp_uuid, provider_name = await _provider(client, provider_uuid)
    summary = DemoSummary(target=target, write=write, provider=provider_name)

    users, keys, projects, permissions = await asyncio.gather(
        client.list_users(progress=track("users")),
        client.list_ssh_keys(progress=track("SSH keys")),
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

    steps = summary.steps
    orders = await client.list_orders(state="pending-provider", provider_uuid=provider)
    steps["orders_pending"] = len(orders)
    if write:
        await _each(
            orders,
            lambda order: client.marketplace_order_approve_by_provider(order["uuid"]),
            track("approving orders"),
        )
        steps["orders_approved"] = len(orders)
        created = [
            order
            for order in orders
            if order.get("type") == "Create" and order.get("marketplace_resource_uuid")
        ]
        await _each(
            created, lambda order: _open_allocation(client, order), track("backend ids, reports")
        )
        steps["backend_ids_set"] = steps["reports_submitted"] = len(created)

    resources = await client.list_marketplace_resources(
        provider_uuid=provider, state="OK", progress=track("resources")
    )
    steps["resources_ok"] = len(resources)
    offerings = await _offerings(client, resources, track("offerings"))
    steps["offerings"] = len(offerings)
    types = {uuid: _usage_types(offering) for uuid, offering in offerings.items()}
    billed = [
        (resource, usage_amounts(index, types[str(resource["offering_uuid"])]))
        for index, resource in enumerate(resources)
        if types.get(str(resource.get("offering_uuid")))
    ]
    if write:
        await _each(
            billed,
            lambda pair: client.create_component_usages(pair[1], resource=pair[0]["uuid"]),
            track("reporting usage"),
        )
        steps["usages_reported"] = len(billed)
        steps["usage_amounts"] = sum(len(usages) for _, usages in billed)
    periods = await _each(
        billed,
        lambda pair: client.marketplace_resource_get_plan_periods(pair[0]["uuid"]),
        track("plan periods"),
    )
    steps["plan_periods_read"] = sum(len(found) for found in periods)
    if write:
        steps["usages_verified"] = sum(
            _shows([period.to_dict() for period in found], usages)
            for (_, usages), found in zip(billed, periods, strict=True)
        )

    summary.requests = client.stats.requests - requests
    summary.retries = client.stats.retries - retries
    summary.elapsed = clock() - started
    return summary


async def _open_allocation(client: PuhuriClient, order: Order) -> None:
    """What a provider does once a Create order is approved: link its account, say how to log in."""
    resource = str(order["marketplace_resource_uuid"])
    backend_id = f"demo-{resource[:12]}"
    await client.marketplace_resource_set_backend_id(resource, backend_id)
    await client.marketplace_resource_submit_report(
        resource,
        [
            ResourceReportRecord("Login", f"ssh {backend_id}@login.example.org"),
            ResourceReportRecord("Documentation", "https://docs.example.org/getting-started"),
        ],
    )


async def _offerings(
    client: PuhuriClient, resources: Sequence[Resource], progress: Progress
) -> dict[str, Offering]:
    """The offerings of ``resources``, each read once, by UUID."""
    uuids = sorted({str(r["offering_uuid"]) for r in resources if r.get("offering_uuid")})
    found = await _each(uuids, client.get_marketplace_offering, progress)
    return dict(zip(uuids, found, strict=True))


def _usage_types(offering: Offering) -> list[str]:
    """The component types of ``offering`` whose usage is reported (billing type ``usage``)."""
    return [
        str(c["type"])
        for c in offering.get("components") or []
        if c.get("billing_type") == "usage" and c.get("type")
    ]


@contextmanager
def embedded_fake(
    *, users: int = DEFAULT_USERS, latency_ms: float = DEFAULT_LATENCY_MS, seed: int = 0
) -> Iterator[tuple[str, str]]:
    """The fake Puhuri Core on a loopback port for the block: yields ``(api_url, token)``.

    Sized by ``users`` (projects, resources and orders follow), each answer delayed by
    ``latency_ms``, the data fixed by ``seed``. Needs the ``testing`` extra.
    """
    try:
        import uvicorn  # noqa: F401 - only checked: the fake serves through it

        from puhuri_async.testing import DEFAULT_TOKEN, FakeData, FakePuhuri
    except ImportError as exc:
        raise DemoSetupError(
            f"the embedded fake Puhuri Core needs the 'testing' extra ({exc.name} is missing): "
            "pip install 'puhuri-async[cli,testing]'"
        ) from exc
    fake = FakePuhuri(FakeData.generate(users=users, seed=seed), latency=latency_ms / 1000)
    with fake.serve() as api_url:
        yield api_url, DEFAULT_TOKEN
