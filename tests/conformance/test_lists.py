"""Lists wired from their rows: filters a server ignored are noticed and applied, orderings that
tie are read again, and nothing is lost silently."""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Any

import pytest

from puhuri_async import (
    FilterIgnoredError,
    FilterIgnoredWarning,
    PuhuriClient,
    PuhuriWarning,
    UnstableOrderError,
    UnstableOrderWarning,
)
from puhuri_async.testing import FakeData, FakePuhuri, Quirks

pytestmark = pytest.mark.asyncio

STAFF = "test-token"


def make_fake(profile: str = "8.0", **quirks: Any) -> FakePuhuri:
    data = FakeData.generate(users=40, ssh_keys=120, seed=9)
    return FakePuhuri(data, profile=profile, quirks=Quirks(**quirks))


def client_of(fake: FakePuhuri, page_size: int = 300) -> PuhuriClient:
    return PuhuriClient(fake.base_url, STAFF, transport=fake.transport(), page_size=page_size)


def sp(fake: FakePuhuri) -> str:
    return str(fake.data.service_provider["uuid"])


def a_key_owner(fake: FakePuhuri) -> str:
    return str(Counter(k["user_uuid"] for k in fake.data.ssh_keys).most_common(1)[0][0])


async def test_an_ignored_filter_of_the_providers_keys_is_applied_with_a_warning() -> None:
    fake = make_fake("7.0")
    user = a_key_owner(fake)
    expected = {k["uuid"] for k in fake.data.ssh_keys if k["user_uuid"] == user}
    async with client_of(fake) as client:
        with pytest.warns(FilterIgnoredWarning, match="user_uuid"):
            keys = await client.list_service_provider_ssh_keys(sp(fake), user_uuid=user)
        paginator = client.iter_service_provider_ssh_keys(sp(fake), user_uuid=user)
        with pytest.warns(FilterIgnoredWarning):
            again = await paginator.collect()
    assert {k.uuid for k in keys} == expected
    assert {k.uuid for k in again} == expected
    assert paginator.ignored_filters == {"user_uuid": len(fake.data.ssh_keys) - len(expected)}


async def test_under_strict_an_ignored_filter_raises() -> None:
    fake = make_fake("7.0")
    async with client_of(fake) as client:
        paginator = client.iter_service_provider_ssh_keys(
            sp(fake), user_uuid=a_key_owner(fake), strict=True
        )
        with pytest.raises(FilterIgnoredError) as refused:
            await paginator.collect()
    assert "user_uuid" in refused.value.filters


async def test_a_server_that_applies_the_filter_gets_no_warning() -> None:
    fake = make_fake("8.0")
    user = a_key_owner(fake)
    async with client_of(fake) as client:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PuhuriWarning)
            keys = await client.list_service_provider_ssh_keys(sp(fake), user_uuid=user)
    assert keys
    assert {k.user_uuid for k in keys} == {user}


async def test_the_providers_projects_and_permissions_on_7() -> None:
    fake = make_fake("7.0")
    project = fake.data.projects[1]
    permission = fake.data.permissions[2]
    async with client_of(fake) as client:
        with pytest.warns(FilterIgnoredWarning):
            projects = await client.list_service_provider_projects(
                sp(fake), name_exact=project["name"]
            )
        with pytest.warns(FilterIgnoredWarning):
            permissions = await client.list_service_provider_project_permissions(
                sp(fake), username=permission["user_username"]
            )
    assert {p.name for p in projects} == {project["name"]}
    assert permissions
    assert {p.user_username for p in permissions} == {permission["user_username"]}


async def test_resources_by_plan_and_orders_by_resource_name_on_7() -> None:
    fake = make_fake("7.0")
    resource = next(r for r in fake.data.resources if r.get("plan_uuid"))
    plan = resource["plan_uuid"]
    with_plan = {r["uuid"] for r in fake.data.resources if r.get("plan_uuid") == plan}
    order = next(o for o in fake.data.orders if o.get("resource_name"))
    named = order["resource_name"].casefold()
    async with client_of(fake) as client:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            resources = await client.list_marketplace_resources(plan_uuid=plan)
            orders = await client.list_orders(resource_name=order["resource_name"])
    assert {r.uuid for r in resources} == with_plan
    assert all(named in o.resource_name.casefold() for o in orders)
    assert order["uuid"] in {o.uuid for o in orders}
    if len(with_plan) < len(fake.data.resources):
        assert any(issubclass(w.category, FilterIgnoredWarning) for w in caught)


@pytest.mark.parametrize("listing", ["iter_ssh_keys", "iter_service_provider_ssh_keys"])
async def test_a_list_with_ties_says_truthfully_how_many_are_missing(listing: str) -> None:
    """Keys are ordered by name only: equal names come in any order per page (as on Postgres),
    the re-reads find nothing new (as on the real server), and the result says so."""
    fake = make_fake("7.0", unstable_ties=True, tie_seed=3)
    total = len(fake.data.ssh_keys)
    args = () if listing == "iter_ssh_keys" else (sp(fake),)
    async with client_of(fake, page_size=10) as client:
        paginator = getattr(client, listing)(*args)
        with pytest.warns(UnstableOrderWarning) as caught:
            keys = await paginator.collect()
        distinct = {k.uuid for k in keys}
        assert len(distinct) == len(keys) == 106
        assert paginator.drift is not None
        assert paginator.drift.missing == total - 106 == 14
        (message,) = [str(w.message) for w in caught]
        assert "14 items are missing" in message
        assert "changed on the server" not in message
        with pytest.raises(UnstableOrderError) as refused:
            await getattr(client, listing)(*args, strict=True).collect()
        assert refused.value.missing == 14
