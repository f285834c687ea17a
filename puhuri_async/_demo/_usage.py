"""The usage part of the job: report each OK allocation's usage, per component and per user,
and read it back.

Every ``OK`` resource reports one amount per usage component of its offering; on site-agent
offerings each amount is also split between the members' accounts (per-user usage). The plan
periods and the per-user usages are then read back and compared with what was sent.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from puhuri_async import (
    ComponentUsage,
    Offering,
    OfferingUser,
    ProjectPermission,
    PuhuriClient,
    Resource,
)
from puhuri_async._demo._site import shares
from puhuri_async._demo._steps import SITE_AGENT, Track, each

__all__ = ["read_back", "report", "usage_amounts", "usage_types"]

Billed = tuple[Resource, list[ComponentUsage]]

#: How many of a resource's users each amount is split between (those who ran jobs, say).
USERS_PER_RESOURCE = 3


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


def usage_types(offering: Offering) -> list[str]:
    """The component types of ``offering`` whose usage is reported (billing type ``usage``)."""
    return [
        str(c["type"])
        for c in offering.get("components") or []
        if c.get("billing_type") == "usage" and c.get("type")
    ]


def billed(resources: Sequence[Resource], offerings: Mapping[str, Offering]) -> list[Billed]:
    """The resources with usage components, each with the amounts it reports."""
    types = {uuid: usage_types(offering) for uuid, offering in offerings.items()}
    return [
        (resource, usage_amounts(index, types[str(resource["offering_uuid"])]))
        for index, resource in enumerate(resources)
        if types.get(str(resource.get("offering_uuid")))
    ]


def members(
    resource: Resource,
    permissions: Sequence[ProjectPermission],
    accounts: Sequence[OfferingUser],
) -> list[OfferingUser]:
    """The ``OK`` accounts, on the resource's offering, of its project's members."""
    project = str(resource["project_uuid"])
    people = {str(p["user_uuid"]) for p in permissions if str(p["project_uuid"]) == project}
    return [
        a
        for a in accounts
        if str(a["offering_uuid"]) == str(resource["offering_uuid"])
        and str(a["user_uuid"]) in people
        and a.get("state") == "OK"
        and a.get("username")
    ]


async def report(
    client: PuhuriClient,
    work: Sequence[Billed],
    permissions: Sequence[ProjectPermission],
    track: Track,
    steps: Counter[str],
) -> dict[str, list[tuple[str, str, Decimal]]]:
    """Report every amount, and each user's share on site-agent offerings.

    Returns what was sent per user, by resource: ``(usage uuid, username, amount)``.
    """
    await each(
        work,
        lambda pair: client.create_component_usages(pair[1], resource=pair[0]["uuid"]),
        track("reporting usage"),
    )
    steps["usages_reported"] += len(work)
    steps["usage_amounts"] += sum(len(usages) for _, usages in work)
    site = [resource for resource, _ in work if resource.get("offering_type") == SITE_AGENT]
    offerings = sorted({str(r["offering_uuid"]) for r in site})
    accounts = (
        await client.list_remote_offering_users(offering_uuid=offerings, state="OK")
        if offerings
        else []
    )
    sent: dict[str, list[tuple[str, str, Decimal]]] = {}

    async def split(resource: Resource) -> None:
        people = members(resource, permissions, accounts)[:USERS_PER_RESOURCE]
        if not people:
            return
        usages = await client.list_component_usages(resource_uuid=resource["uuid"])
        month = max(str(u["billing_period"]) for u in usages) if usages else ""
        parts = [
            (usage, account, part)
            for usage in usages
            if str(usage["billing_period"]) == month
            for account, part in zip(
                people, shares(Decimal(str(usage["usage"])), len(people)), strict=True
            )
        ]
        await asyncio.gather(
            *(
                client.create_component_user_usage(
                    usage["uuid"], part, account["username"], offering_user_uuid=account["uuid"]
                )
                for usage, account, part in parts
            )
        )
        sent[str(resource["uuid"])] = [
            (str(usage["uuid"]), str(account["username"]), part) for usage, account, part in parts
        ]

    await each(site, split, track("per-user usage"))
    steps["user_usages_reported"] += sum(len(parts) for parts in sent.values())
    return sent


def _shows(periods: Sequence[Mapping[str, Any]], usages: Sequence[ComponentUsage]) -> bool:
    """True when some plan period shows every reported amount."""
    seen = {
        (str(usage.get("type")), Decimal(str(usage.get("usage"))))
        for period in periods
        for usage in period.get("components") or []
        if usage.get("usage") is not None
    }
    return all((usage.type, usage.amount) in seen for usage in usages)


async def read_back(
    client: PuhuriClient,
    work: Sequence[Billed],
    sent: Mapping[str, Sequence[tuple[str, str, Decimal]]] | None,
    track: Track,
    steps: Counter[str],
) -> None:
    """Read the plan periods (and the per-user usages) back; count what shows what was sent."""
    periods = await each(
        work,
        lambda pair: client.marketplace_resource_get_plan_periods(pair[0]["uuid"]),
        track("plan periods"),
    )
    steps["plan_periods_read"] += sum(len(found) for found in periods)
    if sent is None:
        return
    steps["usages_verified"] += sum(
        _shows([period.to_dict() for period in found], usages)
        for (_, usages), found in zip(work, periods, strict=True)
    )
    resources = sorted(uuid for uuid, parts in sent.items() if parts)
    found = await each(
        resources,
        lambda uuid: client.list_component_user_usages(resource_uuid=uuid),
        track("per-user usage read back"),
    )
    for uuid, rows in zip(resources, found, strict=True):
        amounts = {
            (str(r["component_usage"]).rstrip("/").rsplit("/", 1)[-1], str(r["username"])): (
                Decimal(str(r["usage"]))
            )
            for r in rows
        }
        steps["user_usages_read"] += sum(
            amounts.get((usage, name)) == part for usage, name, part in sent[uuid]
        )
