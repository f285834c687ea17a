"""The offering users part of the job: every member of a project with an allocation on a
site-agent offering gets an account there, walked to ``OK``.

Missing offering users are created (``Requested``); each ``Requested`` one is walked through
``begin_creating`` (the site makes the account), its username set, and ``set_ok``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from puhuri_async import OfferingUser, ProjectPermission, PuhuriClient, Resource
from puhuri_async._demo._site import Site
from puhuri_async._demo._steps import Track, each

__all__ = ["missing_accounts", "walk_to_ok"]


def missing_accounts(
    resources: Sequence[Resource],
    permissions: Sequence[ProjectPermission],
    accounts: Sequence[OfferingUser],
) -> list[tuple[str, str]]:
    """``(offering_uuid, user_uuid)`` of the members who have no offering user yet."""
    offerings_of: dict[str, set[str]] = {}
    for resource in resources:
        offerings_of.setdefault(str(resource["project_uuid"]), set()).add(
            str(resource["offering_uuid"])
        )
    have = {(str(a["offering_uuid"]), str(a["user_uuid"])) for a in accounts}
    wanted = {
        (offering, str(permission["user_uuid"]))
        for permission in permissions
        for offering in offerings_of.get(str(permission["project_uuid"]), ())
    }
    return sorted(wanted - have)


async def walk_to_ok(
    client: PuhuriClient,
    site: Site,
    resources: Sequence[Resource],
    permissions: Sequence[ProjectPermission],
    track: Track,
    steps: Counter[str],
) -> None:
    """Create the missing offering users of the site's offerings and walk the new ones to OK."""
    offerings = sorted({str(r["offering_uuid"]) for r in resources})
    if not offerings:
        return
    existing = await client.list_remote_offering_users(offering_uuid=offerings)
    missing = missing_accounts(resources, permissions, existing)
    await each(
        missing,
        lambda pair: client.create_remote_offering_user(pair[0], pair[1]),
        track("creating offering users"),
    )
    steps["offering_users_created"] += len(missing)
    listed = await client.list_remote_offering_users(offering_uuid=offerings, state="Requested")
    # A 7.x server has no offering-user states: it ignores the filter and sends no ``state``.
    requested = [account for account in listed if account.get("state") == "Requested"]

    async def make(account: OfferingUser) -> None:
        await client.marketplace_offering_user_begin_creating(account["uuid"])
        username = site.add_account(str(account["uuid"]), str(account.get("user_username") or ""))
        await client.update_offering_user(account["uuid"], username=username)
        await client.marketplace_offering_user_set_ok(account["uuid"])

    await each(requested, make, track("offering users to OK"))
    steps["offering_users_ok"] += len(requested)
