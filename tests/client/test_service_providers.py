"""list_service_providers and the provider's four sub-lists (+ their iter_ twins)."""

from __future__ import annotations

import pytest

from puhuri_async import (
    InvalidArgumentError,
    Project,
    ProjectPermission,
    PuhuriClient,
    ServiceProvider,
    ServiceProviderUser,
    SshKey,
)
from puhuri_async.testing import FakePuhuri

from .conftest import ContractCheckingTransport

pytestmark = pytest.mark.asyncio


async def test_list_service_providers_by_customer(client: PuhuriClient, fake: FakePuhuri) -> None:
    customer = fake.data.service_provider["customer_uuid"]
    providers = await client.list_service_providers({"customer_uuid": customer})
    assert len(providers) == 1
    assert isinstance(providers[0], ServiceProvider)
    assert providers[0]["uuid"] == fake.data.service_provider["uuid"]
    request = fake.requests_for("GET", "marketplace-service-providers/")[-1]
    assert request.param("customer_uuid") == [customer]


@pytest.mark.parametrize(
    ("method", "sub", "model", "collection"),
    [
        ("list_service_provider_users", "users", ServiceProviderUser, "users"),
        ("list_service_provider_ssh_keys", "keys", SshKey, "ssh_keys"),
        ("list_service_provider_projects", "projects", Project, "projects"),
        (
            "list_service_provider_project_permissions",
            "project_permissions",
            ProjectPermission,
            "permissions",
        ),
    ],
)
async def test_sub_lists(
    client: PuhuriClient,
    fake: FakePuhuri,
    contract: ContractCheckingTransport,
    method: str,
    sub: str,
    model: type,
    collection: str,
) -> None:
    assert getattr(fake.data, collection)
    sp = fake.data.service_provider["uuid"]
    items = await getattr(client, method)(sp)
    assert items
    assert all(isinstance(item, model) for item in items)
    path = f"/api/marketplace-service-providers/{sp}/{sub}/"
    assert ("GET", path) in contract.checked
    streamed = [item async for item in getattr(client, method.replace("list_", "iter_"))(sp)]
    assert streamed == items


async def test_sub_list_accepts_dashed_uuid_and_filters(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    sp = fake.data.service_provider["uuid"]
    dashed = f"{sp[:8]}-{sp[8:12]}-{sp[12:16]}-{sp[16:20]}-{sp[20:]}".upper()
    user = fake.data.permissions[0]["user_uuid"]
    perms = await client.list_service_provider_project_permissions(dashed, user=user.upper())
    assert perms
    assert all(p.user_uuid == user for p in perms)
    request = fake.requests_for("GET", f"marketplace-service-providers/{sp}/project_permissions/")
    assert request[-1].param("user") == [user]


@pytest.mark.parametrize("bad", ["", "not-a-uuid", None, 42, "0" * 31])
async def test_sub_list_rejects_bad_provider_uuid(
    client: PuhuriClient, fake: FakePuhuri, bad: object
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await client.list_service_provider_users(bad)  # type: ignore[arg-type]
    assert caught.value.argument == "service_provider_uuid"
    assert "service_provider_uuid" in str(caught.value)
    assert fake.requests == []
