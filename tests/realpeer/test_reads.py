"""The client's read operations against a real Waldur, as the provider's owner and as staff.

Each result is compared with the server's own answer read with plain httpx (``raw``): the count
in ``X-Result-Count``, the uuids, the fields. What a real server does that the client does not
survive yet is in ``test_known_failures.py``; here are the behaviours it already gets right.
"""

from __future__ import annotations

from puhuri_async import (
    Offering,
    Order,
    PlanPeriod,
    Project,
    ProjectPermission,
    Resource,
    ServiceProvider,
    ServiceProviderUser,
    SshKey,
    TeamMember,
    User,
)

from ._peer import Api, Database, Raw, Settings


def _sp(settings: Settings) -> str:
    return settings.uuid("provider_uuid")


def test_list_users(api: Api, raw: Raw, settings: Settings) -> None:
    users = api("list_users")
    assert all(isinstance(user, User) for user in users)
    assert len({user.uuid for user in users}) == len(users) == raw.count("users/", role=api.role)
    if api.role == "owner":  # the server does not tell a provider who is active or staff
        assert {user.is_active for user in users} == {None}
        assert {user.is_staff for user in users} == {None}
    (pi,) = api("list_users", username="rp-pi")
    assert pi.uuid == settings.uuid("creator_uuid")
    assert pi.full_name == "Pat Investigator"


def test_list_ssh_keys_of_one_user(staff_api: Api, raw: Raw, settings: Settings) -> None:
    user = settings.uuid("first_bulk_user_uuid")
    keys = staff_api("list_ssh_keys", user_uuid=user)
    expected = raw.all("keys/", user_uuid=user)
    assert keys
    assert all(isinstance(key, SshKey) for key in keys)
    assert sorted(key.uuid for key in keys) == sorted(key["uuid"] for key in expected)
    assert {key.user_uuid for key in keys} == {user}
    assert all(key.fingerprint_sha256 for key in keys)


def test_an_owner_lists_only_its_own_keys(owner_api: Api, raw: Raw, settings: Settings) -> None:
    assert owner_api("list_ssh_keys") == []
    assert raw.count("keys/", role="owner") == 0
    # A member's keys are not visible through keys/: the provider's sub-list is the way.
    assert owner_api("list_ssh_keys", user_uuid=settings.uuid("first_bulk_user_uuid")) == []


def test_list_marketplace_resources(api: Api, raw: Raw, settings: Settings) -> None:
    customer = settings.uuid("provider_customer_uuid")
    resources = api("list_marketplace_resources", provider_uuid=customer)
    expected = raw.all("marketplace-provider-resources/", role=api.role, provider_uuid=customer)
    assert all(isinstance(resource, Resource) for resource in resources)
    assert sorted(r.uuid for r in resources) == sorted(r["uuid"] for r in expected)
    assert {r.provider_uuid for r in resources} == {customer}
    ok = api("list_marketplace_resources", state="OK", offering_uuid=settings.uuid("offering_uuid"))
    assert ok
    assert {(r.state, r.offering_uuid) for r in ok} == {("OK", settings.uuid("offering_uuid"))}
    seeded = {settings.uuid("resources", key) for key in ("ok1", "ok2", "ok3")}
    assert seeded <= {r.uuid for r in ok}
    alias = api("list_marketplace_provider_resources", provider_uuid=customer)
    assert sorted(r.uuid for r in alias) == sorted(r.uuid for r in resources)


def test_iter_marketplace_resources(api: Api, settings: Settings) -> None:
    customer = settings.uuid("provider_customer_uuid")
    items, paginator = api.collect("iter_marketplace_resources", provider_uuid=customer)
    listed = api("list_marketplace_resources", provider_uuid=customer)
    assert [r.uuid for r in items] == [r.uuid for r in listed]
    if hasattr(paginator, "total"):
        assert paginator.total == len(items)
        assert paginator.drift is None


def test_list_orders(api: Api, raw: Raw, settings: Settings) -> None:
    orders = api("list_orders")
    assert all(isinstance(order, Order) for order in orders)
    assert (
        len({o.uuid for o in orders})
        == len(orders)
        == raw.count("marketplace-orders/", role=api.role)
    )
    pending = api(
        "list_orders", state="pending-provider", offering_uuid=settings.uuid("offering_uuid")
    )
    expected = raw.all(
        "marketplace-orders/",
        role=api.role,
        state="pending-provider",
        offering_uuid=settings.uuid("offering_uuid"),
    )
    assert sorted(o.uuid for o in pending) == sorted(o["uuid"] for o in expected)
    assert {o.state for o in pending} == {"pending-provider"}
    # Orders of Basic offerings: resource_uuid is the backend resource (none), the marketplace
    # resource is marketplace_resource_uuid, and the resource_uuid filter matches the latter.
    done = api("list_orders", resource_uuid=settings.uuid("resources", "ok1"))
    assert [o.uuid for o in done] == [settings.uuid("orders", "done1")]
    assert done[0].resource_uuid is None
    assert done[0].marketplace_resource_uuid == settings.uuid("resources", "ok1")


def test_iter_orders(api: Api, settings: Settings) -> None:
    items, paginator = api.collect("iter_orders", state=["pending-consumer", "executing"])
    assert {o.state for o in items} <= {"pending-consumer", "executing"}
    seeded = {settings.uuid("orders", key) for key in ("pc1", "pc2")}
    assert seeded <= {o.uuid for o in items}
    if hasattr(paginator, "total"):
        assert paginator.total == len(items)


def test_get_marketplace_offering(api: Api, raw: Raw, settings: Settings) -> None:
    uuid = settings.uuid("offering_uuid")
    for operation in ("get_marketplace_offering", "get_marketplace_provider_offering"):
        offering = api(operation, uuid)
        assert isinstance(offering, Offering)
        assert offering.to_dict() == raw.get(
            f"marketplace-provider-offerings/{uuid}/", role=api.role
        )
        assert offering.name == "RP Cluster"
        assert {c.type for c in offering.components} == {"cpu", "gpu", "storage"}
        assert {c.type: c.billing_type for c in offering.components}["storage"] == "limit"


def test_marketplace_resource_get_team(api: Api, raw: Raw, settings: Settings) -> None:
    uuid = settings.uuid("resources", "ok1")
    expected = raw.get(f"marketplace-provider-resources/{uuid}/team/", role=api.role)
    for operation in ("marketplace_resource_get_team", "marketplace_provider_resource_get_team"):
        team = api(operation, uuid)
        assert all(isinstance(member, TeamMember) for member in team)
        assert [member.to_dict() for member in team] == expected
    roles = {member.username: member.role for member in team}
    assert roles["rp-pi"] == "manager"
    assert roles["rp-member"] == "member"


def test_marketplace_resource_get_plan_periods(api: Api, raw: Raw, settings: Settings) -> None:
    uuid = settings.uuid("resources", "ok1")
    expected = raw.get(f"marketplace-provider-resources/{uuid}/plan_periods/", role=api.role)
    for operation in (
        "marketplace_resource_get_plan_periods",
        "marketplace_provider_resource_get_plan_periods",
    ):
        periods = api(operation, uuid)
        assert periods
        assert all(isinstance(period, PlanPeriod) for period in periods)
        assert [period.to_dict() for period in periods] == expected
        assert {period.plan_uuid for period in periods} == {settings.uuid("plan_uuid")}


def test_list_service_providers(api: Api, settings: Settings) -> None:
    providers = api("list_service_providers")
    assert all(isinstance(provider, ServiceProvider) for provider in providers)
    # Every token sees every provider: choose yours by your organization.
    assert {_sp(settings), settings.uuid("other_provider_uuid")} <= {p.uuid for p in providers}
    (ours,) = api("list_service_providers", customer_uuid=settings.uuid("provider_customer_uuid"))
    assert ours.uuid == _sp(settings)
    assert ours.customer_name == "RP HPC Centre"
    items, _ = api.collect("iter_service_providers")
    assert sorted(p.uuid for p in items) == sorted(p.uuid for p in providers)


def test_list_service_provider_users(api: Api, raw: Raw, settings: Settings) -> None:
    path = f"marketplace-service-providers/{_sp(settings)}/users/"
    users = api("list_service_provider_users", _sp(settings))
    assert all(isinstance(user, ServiceProviderUser) for user in users)
    assert len({u.uuid for u in users}) == len(users) == raw.count(path, role=api.role)
    assert {"rp-pi", "rp-member"} <= {u.username for u in users}
    # Users of projects without the provider's resources are not there.
    assert not {u.username for u in users} & {f"stranger{i}" for i in range(5)}
    # This sub-list applies the users/ filters (the other three do not).
    (pi,) = api("list_service_provider_users", _sp(settings), username="rp-pi")
    assert pi.uuid == settings.uuid("creator_uuid")


def test_list_service_provider_ssh_keys(api: Api, raw: Raw, settings: Settings) -> None:
    path = f"marketplace-service-providers/{_sp(settings)}/keys/"
    keys = api("list_service_provider_ssh_keys", _sp(settings))
    assert keys
    assert all(isinstance(key, SshKey) for key in keys)
    assert len({key.uuid for key in keys}) == len(keys) <= raw.count(path, role=api.role)
    strangers = {settings.uuid("stranger_uuid")}
    assert not {key.user_uuid for key in keys} & strangers


def test_the_provider_keys_are_keys_of_its_users(
    api: Api, settings: Settings, db: Database
) -> None:
    """Each key the client returns is in the database, owned by a member of a provider's project."""
    keys = api("list_service_provider_ssh_keys", _sp(settings))
    projects = ",".join(f"'{p}'" for p in settings.seed["project_uuids"])
    allowed = set(
        db.column(
            "select replace(k.uuid::text, '-', '') from core_sshpublickey k "
            "join permissions_userrole r on r.user_id = k.user_id and r.is_active "
            "join django_content_type t on t.id = r.content_type_id and t.model = 'project' "
            "join structure_project p on p.id = r.object_id "
            f"where replace(p.uuid::text, '-', '') in ({projects})"
        )
    )
    assert {key.uuid for key in keys} <= allowed


def test_list_service_provider_projects(api: Api, raw: Raw, settings: Settings) -> None:
    path = f"marketplace-service-providers/{_sp(settings)}/projects/"
    projects = api("list_service_provider_projects", _sp(settings))
    assert all(isinstance(project, Project) for project in projects)
    assert [p.to_dict() for p in projects] == raw.all(path, role=api.role)
    assert {p.name for p in projects} == {"rp-project-a", "rp-project-b", "rp-project-c"}


def test_list_service_provider_project_permissions(api: Api, raw: Raw, settings: Settings) -> None:
    path = f"marketplace-service-providers/{_sp(settings)}/project_permissions/"
    permissions = api("list_service_provider_project_permissions", _sp(settings))
    assert all(isinstance(p, ProjectPermission) for p in permissions)
    # 7.x names the role in ``role`` ("manager"), 8.x also in ``role_name``.
    identities = {(p.user_uuid, p.project_uuid, p.role) for p in permissions}
    assert len(identities) == len(permissions) == raw.count(path, role=api.role)
    assert {p.project_uuid for p in permissions} == set(settings.seed["project_uuids"])
    pi = settings.uuid("creator_uuid")
    assert {p.role for p in permissions} == {"admin", "manager", "member"}
    assert {(p.project_uuid, p.role) for p in permissions if p.user_uuid == pi} == {
        (project, "manager") for project in settings.seed["project_uuids"]
    }
