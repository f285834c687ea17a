"""Seeded data beyond the generated lists: the token holders' accounts and a site agent's job.

``add_accounts`` makes the users the fake's tokens stand for (one per role). They are indexed
(``users/{uuid}/`` finds them) but not listed in ``FakeData.users``. ``add_provider_job`` adds a
``Marketplace.Slurm`` offering with what a site agent works on: resources and orders in the states
it moves them through, offering users in every state, usage split per user, and user limits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from puhuri_async.testing._catalog import SITE_AGENT_OFFERING
from puhuri_async.testing._store import JSONObject
from puhuri_async.testing._usages import add_usage_limit, record_usage, record_user_usage

if TYPE_CHECKING:
    from puhuri_async.testing._data import FakeData

__all__ = ["ROLES", "add_accounts", "add_provider_job"]

#: The roles a token of the fake can have.
ROLES = ("staff", "support", "owner", "other_owner", "member")

_ACCOUNTS = {
    "staff": ("Stella", "Staff", "staff", {"is_staff": True}),
    "support": ("Sune", "Support", "support", {"is_support": True}),
    "owner": ("Olga", "Owner", "provider-owner", {}),
    "other_owner": ("Otto", "Outsider", "other-provider-owner", {}),
    "member": ("Mia", "Member", "project-member", {}),
}

#: The states the site agent's offering users are seeded in, in order.
OFFERING_USER_STATES = (
    "OK",
    "Requested",
    "Creating",
    "Pending account linking",
    "Pending additional validation",
    "Error creating",
    "Requested deletion",
    "Deleting",
    "Error deleting",
    "Deleted",
    "OK",
    "OK",
)


def add_accounts(data: FakeData) -> None:
    """The users behind the fake's tokens, one per role, in ``data.accounts``."""
    counter = data._counter
    for role, (first, last, handle, flags) in _ACCOUNTS.items():
        user = data.add_user(
            username=handle,
            first_name=first,
            last_name=last,
            full_name=f"{first} {last}",
            email=f"{handle}@example.org",
            registration_method="default",
            **flags,
        )
        data.users.remove(user)
        data.accounts[role] = user
    data._counter = counter
    data.touch("users")


def add_provider_job(data: FakeData) -> list[JSONObject]:
    """The site agent's offering and its work (see ``FakeData.generate``); its resources."""
    projects = data.provider_projects()[:3] or data.projects[:1]
    if not projects or not data.users:
        return []
    offering = data.add_offering(
        name="Site agent allocation",
        offering_type=SITE_AGENT_OFFERING,
        component_types=("cpu", "gpu", "storage"),
        limit_components=("storage",),
    )
    data.member_projects.append(projects[0]["uuid"])
    plan = [
        (projects[0], "OK", "done", "site-0001"),
        (projects[1 % len(projects)], "OK", "done", "site-0002"),
        (projects[2 % len(projects)], "Creating", "pending-provider", ""),
        (projects[0], "Creating", "executing", ""),
    ]
    resources = []
    for project, state, order_state, backend_id in plan:
        resource = data.add_resource(
            project=project, offering=offering, state=state, backend_id=backend_id
        )
        data.add_order(resource=resource, state=order_state, order_type="Create")
        resources.append(resource)
    accounts = _offering_users(data, offering, [p["uuid"] for p in projects])
    for number, resource in enumerate(resources[:2]):
        _usage_of(data, offering, resource, number, accounts)
    return resources


def _offering_users(data: FakeData, offering: JSONObject, projects: list[str]) -> list[JSONObject]:
    members: list[str] = []
    for permission in data.permissions:
        if permission["project_uuid"] in projects and permission["user_uuid"] not in members:
            members.append(permission["user_uuid"])
    created = []
    for number, user_uuid in enumerate(members[: len(OFFERING_USER_STATES)]):
        state = OFFERING_USER_STATES[number]
        account = data.add_offering_user(
            offering=offering,
            user=data.get("users", user_uuid),
            username=None if state == "Requested" else f"site{number + 1:04d}",
        )
        account["state"] = state
        created.append(account)
    data.touch("offering_users")
    return created


def _usage_of(
    data: FakeData,
    offering: JSONObject,
    resource: JSONObject,
    number: int,
    accounts: list[JSONObject],
) -> None:
    """This resource's usage of its first month, each usage component split between its users."""
    period = data.plan_periods[resource["uuid"]][0]
    date = period["start"]
    month = date[:7]
    users = [
        a
        for a in accounts
        if a["state"] == "OK"
        and any(
            p["user_uuid"] == a["user_uuid"] and p["project_uuid"] == resource["project_uuid"]
            for p in data.permissions
        )
    ]
    for component in offering["components"]:
        whole = {"cpu": 1200 + 300 * number, "gpu": 48 + 12 * number, "storage": 750}[
            component["type"]
        ]
        usage = record_usage(
            data,
            resource,
            period,
            component,
            amount=f"{whole}.50",
            description="",
            recurring=False,
            date=date,
            month=month,
            now=date,
        )
        if component["billing_type"] == "limit":
            for account in users[:2]:
                add_usage_limit(data, resource, component, account, f"{whole // 2}.00")
            continue
        share = whole // max(1, len(users))
        for account in users:
            record_user_usage(
                data,
                usage,
                username=str(account["username"]),
                amount=f"{share}.25",
                user=account,
                now=date,
            )
