"""The fake's database: deterministic, seeded test data shaped as Waldur's API returns it.

Every object is kept as the JSON-ready dict the API sends (the shapes of the OpenAPI subset's
response schemas), so a page is served without per-request re-shaping. URLs inside objects are
absolute under ``base_url`` (the canonical base; the app rewrites it to the host a request came to).
Relations are read from the objects' own fields (``project_uuid``, ``user_uuid``, ...).

Each collection has a version that changes whenever the collection changes, so the views and
filter results computed from it can be cached safely.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from puhuri_async.testing._allocations import AllocationFactories
from puhuri_async.testing._catalog import CatalogFactories
from puhuri_async.testing._people import PeopleFactories
from puhuri_async.testing._seeding import add_accounts, add_provider_job
from puhuri_async.testing._store import JSONObject, timestamp

__all__ = ["COLLECTIONS", "DEFAULT_BASE_URL", "FakeData", "JSONObject", "timestamp"]

DEFAULT_BASE_URL = "http://puhuri.test/api/"

#: Names of the collections that ``FakeData.insert`` and ``FakeData.delete`` accept.
COLLECTIONS = (
    "users",
    "ssh_keys",
    "projects",
    "permissions",
    "resources",
    "orders",
    "offering_users",
)

_RESOURCE_STATES = (
    "OK",
    "Creating",
    "OK",
    "Updating",
    "OK",
    "Erred",
    "OK",
    "Terminating",
    "OK",
    "Terminated",
)
#: Order states in generation order: every state appears, pending-provider most often.
_ORDER_STATES = (
    "pending-provider",
    "done",
    "pending-provider",
    "executing",
    "pending-consumer",
    "pending-provider",
    "erred",
    "canceled",
    "rejected",
    "done",
    "pending-project",
    "pending-start-date",
)


class FakeData(CatalogFactories, PeopleFactories, AllocationFactories):
    """The fake Puhuri Core's data: one service provider, its offerings, and the consumers' side.

    Build it with ``generate`` (sized by arguments, deterministic for a seed) or start empty
    and add objects with the ``add_*`` methods. The lists (``users``, ``ssh_keys``, ``projects``,
    ``permissions``, ``resources``, ``orders``, ``offering_users``, ``offerings``,
    ``component_usages``, ``component_user_usages``, ``user_usage_limits``) hold the API dicts in
    the order lists are served. Change objects only through the methods here or call
    ``touch`` afterwards, so that cached pages are refreshed.

    ``accounts`` maps each role a token can have (``staff``, ``support``, ``owner`` of the
    provider's organisation, ``other_owner`` of another provider, ``member`` of a project) to
    its user; these users are not in ``users`` (so list sizes stay what was asked for).
    ``other_customer`` and ``other_service_provider`` are the other provider's.
    """

    def __init__(self, *, base_url: str = DEFAULT_BASE_URL, seed: int = 0) -> None:
        if not base_url.endswith("/"):
            base_url += "/"
        self.base_url = base_url
        self._rng = random.Random(seed)  # noqa: S311 - reproducible test data
        self._counter = 0
        self.versions: dict[str, int] = {}
        #: Changes with every change of any collection (a key for caches of encoded objects).
        self.generation = 0
        self._index: dict[str, dict[str, JSONObject]] = {}
        self.users: list[JSONObject] = []
        self.ssh_keys: list[JSONObject] = []
        self.projects: list[JSONObject] = []
        self.permissions: list[JSONObject] = []
        self.resources: list[JSONObject] = []
        self.orders: list[JSONObject] = []
        self.offering_users: list[JSONObject] = []
        self.offerings: list[JSONObject] = []
        self.consumer_customers: list[JSONObject] = []
        #: Plan periods per resource uuid (``ResourcePlanPeriod`` dicts).
        self.plan_periods: dict[str, list[JSONObject]] = {}
        #: Reported usages: (plan period uuid, component type, "YYYY-MM") -> usage dict.
        self.usages: dict[tuple[str, str, str], JSONObject] = {}
        #: ``ComponentUsage`` dicts (usage reported per resource, component and month).
        self.component_usages: list[JSONObject] = []
        #: ``ComponentUserUsage`` dicts (a component usage split by offering user).
        self.component_user_usages: list[JSONObject] = []
        #: ``ComponentUserUsageLimit`` dicts.
        self.user_usage_limits: list[JSONObject] = []
        self.customer = self._new_customer("Nordic Research Computing Centre", "NRCC")
        self.service_provider = self._new_service_provider(self.customer)
        self.accounts: dict[str, JSONObject] = {}
        #: Projects whose ``member`` account has the role PROJECT.MEMBER (uuids).
        self.member_projects: list[str] = []
        main, self._rng = self._rng, random.Random(f"accounts-{seed}")  # noqa: S311
        try:  # a stream of its own: the generated objects keep their uuids
            self.other_customer = self._new_customer("Other Provider Organisation", "OTHER")
            self.other_service_provider = self._new_service_provider(self.other_customer)
            add_accounts(self)
        finally:
            self._rng = main

    @property
    def service_providers(self) -> list[JSONObject]:
        """Every service provider: the provider's own first, then the other provider's."""
        return [self.service_provider, self.other_service_provider]

    # -- generation -------------------------------------------------------------------------

    @classmethod
    def generate(
        cls,
        *,
        users: int = 20,
        ssh_keys: int | None = None,
        projects: int | None = None,
        permissions: int | None = None,
        resources: int | None = None,
        orders: int | None = None,
        offerings: int = 2,
        offering_users: int | None = None,
        site_agent: bool = True,
        seed: int = 0,
        base_url: str = DEFAULT_BASE_URL,
    ) -> FakeData:
        """Deterministic data of the given size (the same arguments give the same objects).

        Unset sizes follow ``users``: one SSH key and one project permission per user, a project
        per 20 users (at least 3), two resources per project (the first one of each project not
        terminated, so every project uses the provider), half as many orders as resources (at
        least 12, covering every order state, several ``pending-provider``), and up to 10
        offering users. These offerings are ``Marketplace.Basic``.

        ``site_agent`` (the default) adds what a site agent works on, after everything else:
        a ``Marketplace.Slurm`` offering (cpu and gpu billed by usage, storage by limit) with
        four resources in the first provider projects (two ``OK`` with their ``done`` orders,
        one ``Creating`` with a ``pending-provider`` order, one ``Creating`` with an
        ``executing`` order), offering users of it in every state of the creation and removal
        flows, this month's component usages of the ``OK`` resources split per offering user,
        and per-user usage limits. The member account joins the first provider project.
        """
        for name, value in (("users", users), ("offerings", offerings)):
            if value < 0:
                raise ValueError(f"{name} must be >= 0, got {value}")
        n_projects = projects if projects is not None else max(3, -(-users // 20))
        sizes = {
            "ssh_keys": ssh_keys if ssh_keys is not None else users,
            "projects": n_projects,
            "permissions": permissions if permissions is not None else users,
            "resources": resources if resources is not None else 2 * n_projects,
        }
        sizes["orders"] = orders if orders is not None else max(12, sizes["resources"] // 2)
        sizes["offering_users"] = (
            offering_users if offering_users is not None else min(sizes["permissions"], 10)
        )
        for name, value in sizes.items():
            if value < 0:
                raise ValueError(f"{name} must be >= 0, got {value}")
        if offerings < 1 and sizes["resources"] + sizes["orders"] + sizes["offering_users"]:
            raise ValueError("offerings must be >= 1 when there are resources, orders or users")
        if n_projects < 1 and sizes["permissions"] + sizes["resources"]:
            raise ValueError("projects must be >= 1 when there are permissions or resources")
        if users < 1 and sizes["permissions"] + sizes["ssh_keys"]:
            raise ValueError("users must be >= 1 when there are permissions or SSH keys")
        if sizes["resources"] < 1 and sizes["orders"]:
            raise ValueError("resources must be >= 1 when there are orders")

        data = cls(base_url=base_url, seed=seed)
        for number in range(max(1, n_projects // 10)):
            data.consumer_customers.append(
                data._new_customer(f"Consumer organisation {number + 1}", f"CO{number + 1}")
            )
        for _ in range(offerings):
            data.add_offering()
        for _ in range(users):
            data.add_user()
        for index in range(sizes["ssh_keys"]):
            data.add_ssh_key(user=data.users[index % users])
        for _ in range(n_projects):
            data.add_project()
        for index in range(sizes["permissions"]):
            # Distinct (user, project) pairs while there are enough of them.
            user = data.users[index % users]
            project = data.projects[(index + index // users) % n_projects]
            data.add_permission(user=user, project=project)
        for index in range(sizes["resources"]):
            state = _RESOURCE_STATES[index % len(_RESOURCE_STATES)]
            if state == "Terminated" and index < n_projects:
                state = "OK"
            data.add_resource(
                project=data.projects[index % n_projects],
                offering=data.offerings[index % offerings],
                state=state,
            )
        for index in range(sizes["orders"]):
            resource = data.resources[index % sizes["resources"]]
            state = _ORDER_STATES[index % len(_ORDER_STATES)]
            order_type = {"Creating": "Create", "Terminating": "Terminate"}.get(
                resource["state"], data._rng.choice(("Create", "Update", "Terminate"))
            )
            data.add_order(resource=resource, state=state, order_type=order_type)
        added: set[tuple[str, str]] = set()
        for permission in data.permissions:
            if len(data.offering_users) >= sizes["offering_users"]:
                break
            for resource in data.resources_of_project(permission["project_uuid"]):
                key = (resource["offering_uuid"], permission["user_uuid"])
                if key not in added:
                    added.add(key)
                    data.add_offering_user(
                        offering=data.get("offerings", resource["offering_uuid"]),
                        user=data.get("users", permission["user_uuid"]),
                        username=f"acct{len(data.offering_users) + 1:05d}",
                    )
                    break
        if site_agent:
            add_provider_job(data)
        return data

    # -- data changes -----------------------------------------------------------------------

    def insert(self, collection: str, count: int = 1, *, at: int = 0) -> list[JSONObject]:
        """Create ``count`` new objects in ``collection`` at list position ``at`` (0: first).

        Inserting at the front shifts every later item to the next page, which a page-number
        client sees as duplicates. New users also get a permission in the first project that
        uses the provider, so they appear in the provider's ``users/`` and
        ``project_permissions/`` lists too.
        """
        factories: dict[str, Callable[[], JSONObject]] = {
            "users": self._insert_user,
            "ssh_keys": lambda: self.add_ssh_key(user=self._pick("users")),
            "projects": self.add_project,
            "permissions": lambda: self.add_permission(
                user=self._pick("users"), project=self._pick("projects")
            ),
            "resources": lambda: self.add_resource(
                project=self._pick("projects"), offering=self._pick("offerings")
            ),
            "orders": lambda: self.add_order(resource=self._pick("resources")),
            "offering_users": lambda: self.add_offering_user(
                offering=self._pick("offerings"), user=self._pick("users"), username=None
            ),
        }
        factory = factories.get(collection)
        if factory is None:
            raise ValueError(f"unknown collection {collection!r}; choose from {COLLECTIONS}")
        target: list[JSONObject] = getattr(self, collection)
        created = []
        for _ in range(count):
            obj = factory()
            assert target[-1] is obj
            target.pop()  # factories append; the object moves to the requested position
            created.append(obj)
        position = max(0, min(at if at >= 0 else len(target) + 1 + at, len(target)))
        target[position:position] = created
        self.touch(collection)
        return created

    def _insert_user(self) -> JSONObject:
        user = self.add_user()
        projects = self.provider_projects()
        if projects:
            self.add_permission(user=user, project=projects[0])
        return user

    def _pick(self, collection: str) -> JSONObject:
        items: list[JSONObject] = getattr(self, collection)
        if not items:
            raise ValueError(f"cannot insert: there are no {collection} to attach to")
        return items[self._rng.randrange(len(items))]

    def delete(self, collection: str, count: int = 1, *, at: int = 0) -> list[JSONObject]:
        """Remove ``count`` objects of ``collection`` starting at list position ``at``."""
        if collection not in COLLECTIONS:
            raise ValueError(f"unknown collection {collection!r}; choose from {COLLECTIONS}")
        target: list[JSONObject] = getattr(self, collection)
        start = at if at >= 0 else max(0, len(target) + at)
        removed = target[start : start + count]
        del target[start : start + count]
        index = self._index.get(collection, {})
        for obj in removed:
            index.pop(obj.get("uuid", ""), None)
        self.touch(collection)
        return removed

    # -- provider views ---------------------------------------------------------------------

    def provider_projects(self, customer: str | None = None) -> list[JSONObject]:
        """Projects with a resource of a shared offering of the provider organisation
        ``customer`` (default: the fake's provider) that is not terminated, in list order."""
        customer = customer or self.customer["uuid"]
        used = {
            r["project_uuid"]
            for r in self.resources
            if r["state"] != "Terminated"
            and r["provider_uuid"] == customer
            and r["offering_shared"]
        }
        return [p for p in self.projects if p["uuid"] in used]
