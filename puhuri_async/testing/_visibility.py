"""Who sees what, and who may do what: Waldur's querysets and permission checks, per role.

A request is made by a ``Caller``: the user behind its token and that user's role. Staff and
support see everything; staff may do everything; support may do nothing. The provider's owner
(``owner``) owns the provider's organisation; ``other_owner`` owns another provider's; ``member``
is a member of a project that uses the provider. As on the real server:

- an object the caller cannot see is 404 (``{"detail": "Not found."}``), an action on an object
  the caller sees but may not act on is 403 (``{"detail": "You do not have permission to
  perform this action."}``);
- orders are seen by the provider (offering's organisation) and the consumer (project and its
  organisation); ``cancel`` is the consumer's (403 for the provider's owner);
- provider resources and offerings are the provider's; ``marketplace-resources/`` the consumer's;
- ``users/`` hides inactive users and staff from non-staff, shows them only users they share an
  organisation or project with (the provider's owner: the users of the provider's projects), and
  drops ``is_active``, ``is_staff``, ``is_support`` and ``description`` for everyone but staff;
- ``keys/`` shows non-staff their own keys (and shared ones) only;
- the provider's sub-lists (``users/``, ``keys/``, ``projects/``, ``project_permissions/``) and
  ``set_offerings_username`` need the owner of that provider: 403 for anyone else;
- component usages and per-user usages carry no permission filter (every token sees them);
  reporting usage needs the provider;
- ``version/`` is for staff and support only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from puhuri_async.testing._http import HttpError
from puhuri_async.testing._store import JSONObject, Store

__all__ = ["PERMISSION_DENIED", "Caller", "Visibility", "denied"]

PERMISSION_DENIED = "You do not have permission to perform this action."

#: The roles a token stands for; the tokens the fake accepts by default for each.
DEFAULT_TOKENS = {
    "owner-token": "owner",
    "other-owner-token": "other_owner",
    "member-token": "member",
    "support-token": "support",
}


def denied() -> HttpError:
    """DRF's 403."""
    return HttpError(403, {"detail": PERMISSION_DENIED})


@dataclass(frozen=True)
class Caller:
    """The user a request is made as, with the user's role (see ``DEFAULT_TOKENS``)."""

    role: str
    user: JSONObject
    token: str = ""

    @property
    def uuid(self) -> str:
        """The user's uuid."""
        return str(self.user["uuid"])

    @property
    def is_staff(self) -> bool:
        """Staff: sees and may do everything."""
        return self.role == "staff"

    @property
    def sees_all(self) -> bool:
        """Staff and support see every object."""
        return self.role in ("staff", "support")


class Visibility:
    """The querysets and permission checks of one data set."""

    def __init__(self, data: Store, member_projects: Sequence[str], customers: dict[str, str]):
        self.data = data
        self._member_projects = member_projects
        self._customers = customers

    # -- who the caller is connected to -------------------------------------------------------

    def customers(self, caller: Caller) -> set[str]:
        """Organisations the caller has a role in (uuids)."""
        found = self._customers.get(caller.role)
        return {found} if found else set()

    def projects(self, caller: Caller) -> set[str]:
        """Projects the caller has a role in (uuids)."""
        return set(self._member_projects) if caller.role == "member" else set()

    def may_act_for(self, caller: Caller, customer_uuid: str) -> bool:
        """Whether the caller holds the provider role of organisation ``customer_uuid``."""
        return caller.is_staff or customer_uuid in self.customers(caller)

    def require_provider(self, caller: Caller, customer_uuid: str) -> None:
        """403 unless the caller may act for the provider ``customer_uuid``."""
        if not self.may_act_for(caller, customer_uuid):
            raise denied()

    # -- querysets --------------------------------------------------------------------------

    def rule(self, kind: str, caller: Caller) -> Callable[[JSONObject], bool] | None:
        """The test an object of ``kind`` passes when ``caller`` may see it (None: all pass)."""
        if caller.sees_all:
            return None
        customers = self.customers(caller)
        projects = self.projects(caller)
        if kind == "orders":
            return lambda o: (
                o["project_uuid"] in projects
                or o["customer_uuid"] in customers
                or o["provider_uuid"] in customers
            )
        if kind == "resources":
            return lambda r: r["project_uuid"] in projects or r["customer_uuid"] in customers
        if kind == "provider_resources":
            return lambda r: r["provider_uuid"] in customers
        if kind == "user_usage_limits":
            return lambda limit: self._resource_of(limit).get("provider_uuid") in customers
        if kind == "offerings":
            return lambda o: o["customer_uuid"] in customers
        if kind == "keys":
            me = caller.uuid
            return lambda k: k["user_uuid"] == me or k["is_shared"] is True
        if kind == "users":
            visible = self.visible_users(caller)
            return lambda u: u["uuid"] in visible and u["is_active"] and not u["is_staff"]
        if kind == "offering_users":
            return self._offering_user_rule(caller)
        return None

    def _resource_of(self, item: JSONObject) -> JSONObject:
        uuid = str(item.get("resource", "")).rstrip("/").rsplit("/", 1)[-1]
        return self.data.get("resources", uuid) or {}

    def visible_users(self, caller: Caller) -> set[str]:
        """Users the caller shares a project or organisation with (and, for a provider's owner,
        the users of the projects using its offerings), and the caller."""
        customers = self.customers(caller)
        projects = self.projects(caller) | {
            p["uuid"] for p in self.data.projects if p["customer_uuid"] in customers
        }
        projects |= {
            r["project_uuid"]
            for r in self.data.resources
            if r["provider_uuid"] in customers and r["state"] != "Terminated"
        }
        found = {p["user_uuid"] for p in self.data.permissions if p["project_uuid"] in projects}
        found.add(caller.uuid)
        return found

    def _offering_user_rule(self, caller: Caller) -> Callable[[JSONObject], bool]:
        customers = self.customers(caller)
        visible_customers = customers | {
            p["customer_uuid"] for p in self.data.projects if p["uuid"] in self.projects(caller)
        }
        users = self.visible_users(caller)
        offerings = {
            o["uuid"]
            for o in self.data.offerings
            if o["plugin_options"].get("service_provider_can_create_offering_user")
        }
        me = caller.uuid

        def rule(account: JSONObject) -> bool:
            if account["offering_uuid"] not in offerings:
                return False
            if account["user_uuid"] == me:
                return True
            related = account["customer_uuid"] in customers or account["user_uuid"] in users
            return related and account["customer_uuid"] in visible_customers

        return rule

    def can_see(self, kind: str, caller: Caller, obj: JSONObject) -> bool:
        """Whether the caller may see ``obj`` as an object of ``kind``."""
        rule = self.rule(kind, caller)
        return rule is None or rule(obj)
