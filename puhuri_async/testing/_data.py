"""The fake's database: deterministic, seeded test data shaped as Waldur's API returns it.

Every object is kept as the JSON-ready dict the API sends (the shapes of the OpenAPI subset's
response schemas), so a page is served without per-request re-shaping. URLs inside objects are
absolute under ``base_url`` (the canonical base; the app rewrites it to the host a request came to).
Relations are read from the objects' own fields (``project_uuid``, ``user_uuid``, ...).

Each collection has a version that changes whenever the collection changes, so the views and
filter results computed from it can be cached safely.
"""

from __future__ import annotations

import base64
import hashlib
import random
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["COLLECTIONS", "DEFAULT_BASE_URL", "FakeData", "JSONObject", "timestamp"]

JSONObject = dict[str, Any]

DEFAULT_BASE_URL = "http://puhuri.test/api/"

#: Names of the collections that :meth:`FakeData.insert` and :meth:`FakeData.delete` accept.
COLLECTIONS = (
    "users",
    "ssh_keys",
    "projects",
    "permissions",
    "resources",
    "orders",
    "offering_users",
)

_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)

_FIRST_NAMES = (
    "Aino",
    "Eero",
    "Åsa",
    "Jonas",
    "Kristiina",
    "Lars",
    "Maria",
    "Mikael",
    "Nora",
    "Olav",
    "Päivi",
    "Ragnar",
    "Sigrid",
    "Tapio",
    "Ulla",
    "Viktor",
    "Zoë",
    "Jüri",
    "Liis",
    "Anders",
)
_LAST_NAMES = (
    "Virtanen",
    "Jääskeläinen",
    "Hansen",
    "Nielsen",
    "Johansson",
    "Tamm",
    "Korhonen",
    "Berg",
    "Lindqvist",
    "Sørensen",
    "Mäkinen",
    "Ilves",
    "Andersen",
    "Eriksson",
    "Saar",
    "Larsen",
)
_ORGANIZATIONS = (
    "University of Helsinki",
    "University of Oslo",
    "Aarhus University",
    "Tartu Ülikool",
    "KTH Royal Institute of Technology",
    "CSC - IT Center for Science",
)
_COMPONENTS = (
    ("cpu", "CPU", "core-hours", 100_000),
    ("gpu", "GPU", "GPU-hours", 5_000),
    ("storage", "Storage", "GB", 10_000),
    ("ram", "RAM", "GB-hours", 400_000),
)
_ROLES = ("PROJECT.ADMIN", "PROJECT.MANAGER", "PROJECT.MEMBER", "PROJECT.MEMBER")
#: Resource states in generation order (a project's first resource is never terminated).
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


def timestamp(moment: datetime) -> str:
    """Waldur's timestamp format: ISO 8601 in UTC with microseconds and a ``Z``."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


class FakeData:
    """The fake Puhuri Core's data: one service provider, its offerings, and the consumers' side.

    Build it with :meth:`generate` (sized by arguments, deterministic for a seed) or start empty
    and add objects with the ``add_*`` methods. The lists (``users``, ``ssh_keys``, ``projects``,
    ``permissions``, ``resources``, ``orders``, ``offering_users``, ``offerings``) hold the API
    dicts in the order lists are served. Change objects only through the methods here or call
    :meth:`touch` afterwards, so that cached pages are refreshed.
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
        self.customer = self._new_customer("Nordic Research Computing Centre", "NRCC")
        self.service_provider = self._new_service_provider()

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
        seed: int = 0,
        base_url: str = DEFAULT_BASE_URL,
    ) -> FakeData:
        """Deterministic data of the given size (the same arguments give the same objects).

        Unset sizes follow ``users``: one SSH key and one project permission per user, a project
        per 20 users (at least 3), two resources per project (the first one of each project not
        terminated, so every project uses the provider), half as many orders as resources (at
        least 12, covering every order state, several ``pending-provider``), and up to 10
        offering users.
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
        return data

    # -- helpers ----------------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` (relative to the API root) on the canonical base."""
        return self.base_url + path

    def _uuid(self) -> str:
        # A version-4 UUID from the seeded stream (as uuid.UUID(int=..., version=4) builds it).
        number = self._rng.getrandbits(128) & _UUID_CLEAR | _UUID_SET
        return f"{number:032x}"

    def new_uuid(self) -> str:
        """A fresh uuid (32 hex digits) from the seeded stream."""
        return self._uuid()

    def _created(self) -> str:
        offset = timedelta(microseconds=self._rng.randrange(365 * 86400 * 1_000_000))
        return timestamp(_EPOCH + offset)

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _register(self, collection: str, obj: JSONObject, *, key: str = "uuid") -> JSONObject:
        self._index.setdefault(collection, {})[obj[key]] = obj
        self.touch(collection)
        return obj

    def get(self, collection: str, uuid: str) -> JSONObject | None:
        """The object of ``collection`` with this uuid (32 hex digits, lower case), or None."""
        return self._index.get(collection, {}).get(uuid)

    def touch(self, collection: str) -> None:
        """Record that ``collection`` changed: cached pages and views of it are recomputed."""
        self.versions[collection] = self.versions.get(collection, 0) + 1
        self.generation += 1

    def version(self, *collections: str) -> tuple[int, ...]:
        """The versions of ``collections``, a cache key for anything computed from them."""
        return tuple(self.versions.get(name, 0) for name in collections)

    def resources_of_project(self, project_uuid: str) -> Iterable[JSONObject]:
        """The resources of a project, in list order."""
        return (r for r in self.resources if r["project_uuid"] == project_uuid)

    # -- object factories -------------------------------------------------------------------

    def _new_customer(self, name: str, abbreviation: str) -> JSONObject:
        uuid = self._uuid()
        return {
            "url": self.url(f"customers/{uuid}/"),
            "uuid": uuid,
            "name": name,
            "native_name": "",
            "abbreviation": abbreviation,
            "slug": abbreviation.lower(),
        }

    def _new_service_provider(self) -> JSONObject:
        uuid = self._uuid()
        customer = self.customer
        return {
            "url": self.url(f"marketplace-service-providers/{uuid}/"),
            "uuid": uuid,
            "created": self._created(),
            "description": "Fake service provider of puhuri-async's test server.",
            "enable_notifications": False,
            "customer": customer["url"],
            "customer_name": customer["name"],
            "customer_uuid": customer["uuid"],
            "customer_abbreviation": customer["abbreviation"],
            "customer_slug": customer["slug"],
            "customer_native_name": customer["native_name"],
            "customer_country": "FI",
            "image": None,
            "organization_groups": [],
            "offering_count": 0,
        }

    def add_offering(self, *, name: str | None = None) -> JSONObject:
        """A provider offering with components (cpu, gpu, storage, ...) and one plan."""
        number = len(self.offerings) + 1
        uuid = self._uuid()
        plan_uuid = self._uuid()
        category_uuid = self._uuid()
        picked = _COMPONENTS[: 2 + (number % 3)] if number > 1 else _COMPONENTS[:3]
        components = [
            {
                "uuid": self._uuid(),
                "billing_type": "usage",
                "type": ctype,
                "name": cname,
                "description": f"{cname} usage",
                "measured_unit": unit,
                "unit_factor": 1,
                "limit_period": None,
                "limit_amount": None,
                "article_code": "",
                "max_value": None,
                "min_value": None,
                "max_available_limit": None,
                "is_boolean": False,
                "default_limit": default,
                "factor": None,
                "is_builtin": False,
                "is_prepaid": False,
                "overage_component": None,
                "min_prepaid_duration": None,
                "max_prepaid_duration": None,
            }
            for ctype, cname, unit, default in picked
        ]
        name = name or f"Supercomputer allocation {number}"
        customer = self.customer
        offering: JSONObject = {
            "url": self.url(f"marketplace-provider-offerings/{uuid}/"),
            "uuid": uuid,
            "created": self._created(),
            "name": name,
            "slug": f"offering-{number}",
            "description": f"{name}: compute and storage for research projects.",
            "full_description": "",
            "endpoints": [],
            "roles": [],
            "customer": customer["url"],
            "customer_uuid": customer["uuid"],
            "customer_name": customer["name"],
            "category": self.url(f"marketplace-categories/{category_uuid}/"),
            "category_uuid": category_uuid,
            "category_title": "HPC",
            "attributes": {},
            "components": components,
            "plugin_options": {"service_provider_can_create_offering_user": True},
            "state": "Active",
            "vendor_details": "",
            "getting_started": "",
            "integration_guide": "",
            "thumbnail": None,
            "order_count": 0,
            "plans": [
                {
                    "url": self.url(f"marketplace-public-plans/{plan_uuid}/"),
                    "uuid": plan_uuid,
                    "name": f"{name} plan",
                    "description": "",
                    "article_code": "",
                    "max_amount": None,
                    "archived": False,
                    "is_active": True,
                    "unit_price": "0.0000000000",
                    "unit": "month",
                    "init_price": 0.0,
                    "switch_price": 0.0,
                    "backend_id": "",
                    "organization_groups": [],
                    "components": [],
                    "prices": {},
                    "future_prices": {},
                }
            ],
            "screenshots": [],
            "type": "Marketplace.Basic",
            "shared": True,
            "billable": True,
            "files": [],
            "quotas": [],
            "paused_reason": "",
            "datacite_doi": "",
            "citation_count": 0,
            "latitude": None,
            "longitude": None,
            "backend_id": "",
            "organization_groups": [],
            "tags": [],
            "image": None,
            "has_compliance_requirements": False,
            "billing_type_classification": "usage",
        }
        self.offerings.append(offering)
        self.service_provider["offering_count"] = len(self.offerings)
        return self._register("offerings", offering)

    def add_user(self, **overrides: Any) -> JSONObject:
        """A user (the ``User`` shape); ``overrides`` replace generated fields."""
        number = self._next()
        first = self._rng.choice(_FIRST_NAMES)
        last = self._rng.choice(_LAST_NAMES)
        uuid = self._uuid()
        handle = hashlib.sha1(uuid.encode(), usedforsecurity=False).hexdigest()
        user: JSONObject = {
            "url": self.url(f"users/{uuid}/"),
            "uuid": uuid,
            "username": f"{handle}@acc.researcher-access.org",
            "slug": f"user-{number}",
            "full_name": f"{first} {last}",
            "native_name": "",
            "job_title": self._rng.choice(("Researcher", "Doctoral student", "Professor", "")),
            "email": f"user{number}@example.org",
            "phone_number": "",
            "organization": self._rng.choice(_ORGANIZATIONS),
            "civil_number": None,
            "description": "",
            "is_staff": False,
            "is_active": True,
            "is_support": False,
            "registration_method": "eduteams",
            "date_joined": self._created(),
            "agreement_date": None,
            "notifications_enabled": True,
            "preferred_language": "",
            "permissions": [],
            "requested_email": None,
            "affiliations": [],
            "first_name": first,
            "last_name": last,
            "birth_date": None,
            "identity_provider_name": "MyAccessID",
            "identity_provider_label": "MyAccessID",
            "identity_source": "eduteams",
            "image": None,
            "gender": None,
            "personal_title": "",
            "place_of_birth": "",
            "country_of_residence": "",
            "nationality": "",
            "nationalities": [],
            "organization_country": "",
            "organization_type": "",
            "organization_registry_code": "",
            "eduperson_assurance": [],
            "is_identity_manager": False,
            "active_isds": [],
        }
        user.update(overrides)
        self.users.append(user)
        return self._register("users", user)

    def add_ssh_key(self, *, user: JSONObject, **overrides: Any) -> JSONObject:
        """An SSH key of ``user`` with real fingerprints of its (random) key bytes."""
        uuid = self._uuid()
        kind = self._rng.choice(("ssh-ed25519", "ssh-ed25519", "ssh-rsa"))
        blob = kind.encode() + self._rng.randbytes(32 if kind == "ssh-ed25519" else 64)
        md5 = hashlib.md5(blob, usedforsecurity=False).hexdigest()
        key: JSONObject = {
            "url": self.url(f"keys/{uuid}/"),
            "uuid": uuid,
            "name": f"{user['first_name'].lower()}-laptop",
            "public_key": f"{kind} {base64.b64encode(blob).decode()} {user['email']}",
            "fingerprint_md5": ":".join(md5[i : i + 2] for i in range(0, 32, 2)),
            "fingerprint_sha256": "SHA256:"
            + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("="),
            "fingerprint_sha512": "SHA512:"
            + base64.b64encode(hashlib.sha512(blob).digest()).decode().rstrip("="),
            "user_uuid": user["uuid"],
            "is_shared": False,
            "type": kind,
        }
        key.update(overrides)
        self.ssh_keys.append(key)
        return self._register("ssh_keys", key)

    def add_project(self, **overrides: Any) -> JSONObject:
        """A consumer project (the ``Project`` shape)."""
        number = self._next()
        uuid = self._uuid()
        customers = self.consumer_customers or [self.customer]
        customer = customers[len(self.projects) % len(customers)]
        code = self._rng.choice(("1.1", "1.2", "1.3", "1.4", "1.5"))
        project: JSONObject = {
            "url": self.url(f"projects/{uuid}/"),
            "uuid": uuid,
            "name": f"Project {number}",
            "slug": f"project-{number}",
            "customer": customer["url"],
            "customer_uuid": customer["uuid"],
            "customer_name": customer["name"],
            "customer_slug": customer["slug"],
            "customer_native_name": customer["native_name"],
            "customer_abbreviation": customer["abbreviation"],
            "description": "",
            "customer_display_billing_info_in_projects": False,
            "created": self._created(),
            "type": None,
            "type_name": None,
            "type_uuid": None,
            "backend_id": "",
            "start_date": None,
            "end_date": "2027-12-31",
            "oecd_fos_2007_code": code,
            "oecd_fos_2007_label": "Natural sciences",
            "is_industry": False,
            "image": None,
            "kind": "default",
            "is_removed": False,
            "staff_notes": "",
            "grace_period_days": None,
            "billing_price_estimate": {
                "total": "0.00",
                "current": "0.00",
                "tax": "0.00",
                "tax_current": "0.00",
            },
        }
        project.update(overrides)
        self.projects.append(project)
        return self._register("projects", project)

    def add_permission(
        self, *, user: JSONObject, project: JSONObject, role: str | None = None
    ) -> JSONObject:
        """A project permission (the ``ProjectPermissionLog`` shape) of ``user`` in ``project``."""
        role = role or self._rng.choice(_ROLES)
        permission: JSONObject = {
            "created": self._created(),
            "expiration_time": None,
            "created_by": None,
            "created_by_full_name": None,
            "created_by_username": None,
            "project": project["url"],
            "project_uuid": project["uuid"],
            "project_name": project["name"],
            "project_created": project["created"],
            "project_end_date": f"{project['end_date']}T00:00:00Z",
            "customer_uuid": project["customer_uuid"],
            "customer_name": project["customer_name"],
            "role": role,
            "role_name": role,
            "user": user["url"],
            "user_full_name": user["full_name"],
            "user_native_name": user["native_name"],
            "user_username": user["username"],
            "user_uuid": user["uuid"],
            "user_email": user["email"],
        }
        self.permissions.append(permission)
        self.touch("permissions")
        return permission

    def add_resource(
        self, *, project: JSONObject, offering: JSONObject, state: str = "OK", **overrides: Any
    ) -> JSONObject:
        """A resource (allocation) of ``offering`` in ``project``, with one open plan period."""
        number = self._next()
        uuid = self._uuid()
        plan = offering["plans"][0]
        created = self._created()
        limits = {c["type"]: c["default_limit"] for c in offering["components"]}
        resource: JSONObject = {
            "offering": offering["url"],
            "offering_name": offering["name"],
            "offering_uuid": offering["uuid"],
            "offering_description": offering["description"],
            "offering_type": offering["type"],
            "offering_shared": offering["shared"],
            "offering_billable": offering["billable"],
            "provider_name": offering["customer_name"],
            "provider_uuid": offering["customer_uuid"],
            "provider_slug": self.customer["slug"],
            "category_title": offering["category_title"],
            "category_uuid": offering["category_uuid"],
            "plan": plan["url"],
            "plan_unit": plan["unit"],
            "plan_name": plan["name"],
            "plan_uuid": plan["uuid"],
            "plan_description": plan["description"],
            "attributes": {"name": f"allocation-{number}"},
            "limits": limits,
            "uuid": uuid,
            "created": created,
            "modified": created,
            "url": self.url(f"marketplace-resources/{uuid}/"),
            "scope": "",
            "description": "",
            "state": state,
            "resource_uuid": None,
            "backend_id": "",
            "effective_id": "",
            "resource_type": offering["type"],
            "project": project["url"],
            "project_uuid": project["uuid"],
            "project_name": project["name"],
            "project_description": project["description"],
            "project_end_date": project["end_date"],
            "customer_uuid": project["customer_uuid"],
            "customer_name": project["customer_name"],
            "offering_slug": offering["slug"],
            "offering_backend_id": "",
            "backend_metadata": {},
            "is_usage_based": True,
            "is_limit_based": False,
            "name": f"allocation-{number}",
            "slug": f"allocation-{number}",
            "current_usages": {},
            "can_terminate": state in ("OK", "Erred"),
            "report": [],
            "end_date": None,
            "username": None,
            "limit_usage": {},
            "downscaled": False,
            "restrict_member_access": False,
            "paused": False,
            "endpoints": [],
            "error_message": "",
            "error_traceback": "",
            "options": None,
            "available_actions": [],
            "last_sync": created,
            "order_in_progress": None,
            "creation_order": None,
            "project_slug": project["slug"],
            "customer_slug": project["customer_slug"],
            "user_requires_reconsent": False,
            "renewal_date": None,
            "offering_state": offering["state"],
            "offering_components": offering["components"],
        }
        resource.update(overrides)
        self.resources.append(resource)
        self.plan_periods[uuid] = [
            {
                "uuid": self._uuid(),
                "plan_name": plan["name"],
                "plan_uuid": plan["uuid"],
                "start": created,
                "end": None,
                "components": [],
            }
        ]
        self.touch("plan_periods")
        return self._register("resources", resource)

    def add_order(
        self,
        *,
        resource: JSONObject,
        state: str = "pending-provider",
        order_type: str = "Create",
        **overrides: Any,
    ) -> JSONObject:
        """An order (the ``OrderDetails`` shape) for ``resource``."""
        uuid = self._uuid()
        offering = self.get("offerings", resource["offering_uuid"]) or {}
        project = self.get("projects", resource["project_uuid"]) or {}
        creator = self.users[len(self.orders) % len(self.users)] if self.users else None
        created = self._created()
        finished = state in ("done", "erred", "canceled", "rejected")
        order: JSONObject = {
            "offering": resource["offering"],
            "offering_name": resource["offering_name"],
            "offering_uuid": resource["offering_uuid"],
            "offering_description": resource["offering_description"],
            "offering_type": resource["offering_type"],
            "offering_shared": resource["offering_shared"],
            "offering_billable": resource["offering_billable"],
            "provider_name": resource["provider_name"],
            "provider_uuid": resource["provider_uuid"],
            "provider_slug": resource["provider_slug"],
            "category_title": resource["category_title"],
            "category_uuid": resource["category_uuid"],
            "plan": resource["plan"],
            "plan_unit": resource["plan_unit"],
            "plan_name": resource["plan_name"],
            "plan_uuid": resource["plan_uuid"],
            "plan_description": resource["plan_description"],
            "attributes": {"name": resource["name"]},
            "limits": dict(resource["limits"]),
            "uuid": uuid,
            "created": created,
            "modified": created,
            "resource_uuid": resource["uuid"],
            "resource_type": resource["resource_type"],
            "resource_name": resource["name"],
            "cost": "0.00",
            "state": state,
            "output": "",
            "marketplace_resource_uuid": resource["uuid"],
            "error_message": "Backend failure." if state == "erred" else "",
            "error_traceback": "",
            "callback_url": None,
            "completed_at": created if finished else None,
            "request_comment": None,
            "attachment": None,
            "type": order_type,
            "start_date": None,
            "slug": f"order-{uuid[:8]}",
            "url": self.url(f"marketplace-orders/{uuid}/"),
            "consumer_reviewed_by": None,
            "consumer_reviewed_by_full_name": None,
            "consumer_reviewed_by_username": None,
            "consumer_reviewed_at": None,
            "provider_reviewed_by": None,
            "provider_reviewed_by_full_name": None,
            "provider_reviewed_by_username": None,
            "provider_reviewed_at": None,
            "created_by_username": creator["username"] if creator else "",
            "created_by_full_name": creator["full_name"] if creator else "",
            "created_by_civil_number": None,
            "created_by_email": creator["email"] if creator else None,
            "created_by_organization": None,
            "created_by_organization_registry_code": None,
            "customer_name": resource["customer_name"],
            "customer_uuid": resource["customer_uuid"],
            "customer_slug": resource["customer_slug"],
            "project_name": resource["project_name"],
            "project_uuid": resource["project_uuid"],
            "project_description": project.get("description", ""),
            "project_slug": resource["project_slug"],
            "old_plan_name": None,
            "new_plan_name": None,
            "old_plan_uuid": None,
            "new_plan_uuid": None,
            "old_cost_estimate": 0.0,
            "new_cost_estimate": None,
            "can_terminate": False,
            "fixed_price": 0.0,
            "activation_price": 0.0,
            "termination_comment": None,
            "backend_id": "",
            "order_subtype": None,
            "provider_message": "",
            "provider_message_attachment": None,
            "consumer_message": "",
            "consumer_message_attachment": None,
            "consumer_rejection_comment": "",
            "provider_rejection_comment": "",
            "issue": None,
        }
        order.update(overrides)
        self.orders.append(order)
        if offering:
            offering["order_count"] = offering.get("order_count", 0) + 1
        return self._register("orders", order)

    def add_offering_user(
        self,
        *,
        offering: JSONObject | None,
        user: JSONObject | None,
        username: str | None,
        created: str | None = None,
    ) -> JSONObject:
        """An offering user: ``user``'s account (``username``) on ``offering``."""
        if offering is None or user is None:
            raise ValueError("add_offering_user needs an existing offering and user")
        uuid = self._uuid()
        created = created or self._created()
        offering_user: JSONObject = {
            "url": self.url(f"marketplace-offering-users/{uuid}/"),
            "uuid": uuid,
            "user": user["url"],
            "offering": offering["url"],
            "username": username,
            "offering_uuid": offering["uuid"],
            "offering_name": offering["name"],
            "user_uuid": user["uuid"],
            "user_username": user["username"],
            "user_full_name": user["full_name"],
            "user_first_name": user["first_name"],
            "user_last_name": user["last_name"],
            "user_email": user["email"],
            "user_phone_number": user["phone_number"],
            "user_organization": user["organization"],
            "user_job_title": user["job_title"],
            "user_affiliations": user["affiliations"],
            "user_gender": user["gender"],
            "user_personal_title": user["personal_title"],
            "user_place_of_birth": user["place_of_birth"],
            "user_country_of_residence": user["country_of_residence"],
            "user_nationality": user["nationality"],
            "user_nationalities": user["nationalities"],
            "user_organization_country": user["organization_country"],
            "user_organization_type": user["organization_type"],
            "user_organization_registry_code": user["organization_registry_code"],
            "user_eduperson_assurance": user["eduperson_assurance"],
            "user_civil_number": user["civil_number"],
            "user_birth_date": user["birth_date"],
            "user_identity_source": user["identity_source"],
            "user_active_isds": user["active_isds"],
            "created": created,
            "modified": created,
            "customer_uuid": offering["customer_uuid"],
            "customer_name": offering["customer_name"],
            "is_restricted": False,
            "state": "OK" if username else "Requested",
            "service_provider_comment": "",
            "has_consent": True,
            "requires_reconsent": False,
            "has_compliance_checklist": False,
            "consent_data": None,
            "is_profile_complete": True,
            "missing_profile_attributes": [],
        }
        self.offering_users.append(offering_user)
        return self._register("offering_users", offering_user)

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

    def provider_projects(self) -> list[JSONObject]:
        """Projects with a resource of the provider that is not terminated, in list order."""
        used = {r["project_uuid"] for r in self.resources if r["state"] != "Terminated"}
        return [p for p in self.projects if p["uuid"] in used]
