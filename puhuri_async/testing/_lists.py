"""The fake's reading side: every list and retrieve, ``users/me/`` and ``version/``."""

from __future__ import annotations

from puhuri_async.testing._api_base import ApiBase, Listing, caller_of
from puhuri_async.testing._filters import (
    COMPONENT_USAGE_FILTERS,
    KEY_FILTERS,
    OFFERING_FILTERS,
    OFFERING_USER_FILTERS,
    ORDER_FILTERS,
    PERMISSION_FILTERS,
    PROJECT_FILTERS,
    RESOURCE_FILTERS,
    SERVICE_PROVIDER_FILTERS,
    USAGE_LIMIT_FILTERS,
    USER_FILTERS,
    USER_USAGE_FILTERS,
)
from puhuri_async.testing._http import Reply, Request, json_reply
from puhuri_async.testing._listing import project, select_fields
from puhuri_async.testing._store import JSONObject
from puhuri_async.testing._visibility import denied

__all__ = ["ListHandlers"]

#: The ``o=`` fields of each list (the 8.0.5 schema's enums, without the ``-`` twins).
_USER_ORDER = (
    "description",
    "email",
    "full_name",
    "is_active",
    "is_staff",
    "is_support",
    "job_title",
    "native_name",
    "organization",
    "phone_number",
    "registration_method",
    "username",
)
_RESOURCE_ORDER = ("created", "end_date", "name", "project_name", "state")
_ORDER_ORDER = ("consumer_reviewed_at", "cost", "created", "state")
_PROJECT_ORDER = (
    "created",
    "customer_abbreviation",
    "customer_name",
    "customer_native_name",
    "end_date",
    "estimated_cost",
    "name",
    "start_date",
)
_PERMISSION_ORDER = (
    "created",
    "email",
    "expiration_time",
    "full_name",
    "native_name",
    "role",
    "username",
)
_OFFERING_ORDER = (
    "created",
    "name",
    "state",
    "total_cost",
    "total_cost_estimated",
    "total_customers",
    "type",
)


class ListHandlers(ApiBase):
    """Lists, retrieves and the caller's own record."""

    # -- users and keys ---------------------------------------------------------------------

    def list_users(self, request: Request) -> Reply:
        caller = caller_of(request)

        def items() -> list[JSONObject]:
            if caller.sees_all:
                return self.data.users
            return [*self.data.users, caller.user]  # a user always sees itself

        listing = Listing("users", items, USER_FILTERS, "users", "users", orderings=_USER_ORDER)
        return self.serve_list(request, listing)

    def get_user(self, request: Request, uuid: str) -> Reply:
        user = self.seen(request, "users", "users", uuid)
        return self._user_reply(request, user)

    def users_me(self, request: Request) -> Reply:
        return self._user_reply(request, caller_of(request).user)

    def _user_reply(self, request: Request, user: JSONObject) -> Reply:
        caller = caller_of(request)
        _, transform = self.shaper.transform("users", caller)
        shaped = transform(user) if transform else dict(user)
        if user["uuid"] == caller.uuid:
            # Nobody but the user sees the user's token (users/me/ or the user's own record).
            shaped.update(token=caller.token, token_lifetime=None)
            if not self.profile.legacy_shapes:
                shaped["token_expires_at"] = None
        return json_reply(200, project(shaped, select_fields(request)))

    def list_keys(self, request: Request) -> Reply:
        listing = Listing(
            "keys",
            lambda: self.data.ssh_keys,
            KEY_FILTERS,
            "keys",
            ties="name",
            orderings=("name",),
        )
        return self.serve_list(request, listing)

    # -- resources, orders, offerings ------------------------------------------------------

    def list_resources(self, request: Request) -> Reply:
        listing = Listing(
            "resources",
            lambda: self.data.resources,
            RESOURCE_FILTERS,
            "resources",
            "resources",
            orderings=_RESOURCE_ORDER,
        )
        return self.serve_list(request, listing)

    def list_provider_resources(self, request: Request) -> Reply:
        listing = Listing(
            "provider_resources",
            lambda: self.data.resources,
            RESOURCE_FILTERS,
            "provider_resources",
            "resources",
            orderings=_RESOURCE_ORDER,
        )
        return self.serve_list(request, listing)

    def get_resource(self, request: Request, uuid: str) -> Reply:
        return self.retrieve(
            request, "resources", self.seen(request, "resources", "resources", uuid)
        )

    def get_provider_resource(self, request: Request, uuid: str) -> Reply:
        found = self.seen(request, "provider_resources", "resources", uuid)
        return self.retrieve(request, "resources", found)

    def team(self, request: Request, uuid: str) -> Reply:
        kind = "provider_resources" if "provider-resources" in request.path else "resources"
        team = self.views.team(self.seen(request, kind, "resources", uuid))
        _, transform = self.shaper.transform("team", caller_of(request))
        return json_reply(200, [transform(row) for row in team] if transform else team)

    def plan_periods(self, request: Request, uuid: str) -> Reply:
        kind = "provider_resources" if "provider-resources" in request.path else "resources"
        self.seen(request, kind, "resources", uuid)
        return json_reply(200, self.data.plan_periods.get(uuid, []))

    def list_orders(self, request: Request) -> Reply:
        listing = Listing(
            "orders",
            lambda: self.data.orders,
            ORDER_FILTERS,
            "orders",
            "orders",
            orderings=_ORDER_ORDER,
        )
        return self.serve_list(request, listing)

    def get_order(self, request: Request, uuid: str) -> Reply:
        return self.retrieve(request, "orders", self.seen(request, "orders", "orders", uuid))

    def list_offerings(self, request: Request) -> Reply:
        listing = Listing(
            "offerings",
            lambda: self.data.offerings,
            OFFERING_FILTERS,
            "offerings",
            "offerings",
            orderings=_OFFERING_ORDER,
        )
        return self.serve_list(request, listing)

    def get_offering(self, request: Request, uuid: str) -> Reply:
        found = self.seen(request, "offerings", "offerings", uuid)
        return self.retrieve(request, "offerings", found)

    # -- offering users and usage -----------------------------------------------------------

    def list_offering_users(self, request: Request) -> Reply:
        listing = Listing(
            "offering_users",
            lambda: self.data.offering_users,
            OFFERING_USER_FILTERS,
            "offering_users",
            "offering_users",
            ties="username",
            orderings=("created", "modified", "username"),
        )
        return self.serve_list(request, listing)

    def get_offering_user(self, request: Request, uuid: str) -> Reply:
        found = self.seen(request, "offering_users", "offering_users", uuid)
        return self.retrieve(request, "offering_users", found)

    def list_component_usages(self, request: Request) -> Reply:
        listing = Listing(
            "component_usages",
            lambda: self.data.component_usages,
            COMPONENT_USAGE_FILTERS,
            shape="component_usages",
            orderings=("billing_period", "usage"),
        )
        return self.serve_list(request, listing)

    def get_component_usage(self, request: Request, uuid: str) -> Reply:
        found = self.object("component_usages", uuid)
        return self.retrieve(request, "component_usages", found)

    def list_user_usages(self, request: Request) -> Reply:
        listing = Listing(
            "component_user_usages",
            lambda: self.data.component_user_usages,
            USER_USAGE_FILTERS,
            shape="component_user_usages",
            orderings=("component_usage__billing_period", "usage", "username"),
        )
        return self.serve_list(request, listing)

    def list_usage_limits(self, request: Request) -> Reply:
        listing = Listing(
            "user_usage_limits",
            lambda: self.data.user_usage_limits,
            USAGE_LIMIT_FILTERS,
            "user_usage_limits",
        )
        return self.serve_list(request, listing)

    def get_usage_limit(self, request: Request, uuid: str) -> Reply:
        return json_reply(200, self.seen(request, "user_usage_limits", "user_usage_limits", uuid))

    # -- service providers ------------------------------------------------------------------

    def list_service_providers(self, request: Request) -> Reply:
        def items() -> list[JSONObject]:
            if self.quirks.all_providers_listed:
                return self.data.service_providers
            return [self.data.service_provider]

        listing = Listing(
            "service_providers",
            items,
            SERVICE_PROVIDER_FILTERS,
            shape="service_providers",
            scope=str(self.quirks.all_providers_listed),
            orderings=("customer_name",),
        )
        return self.serve_list(request, listing)

    def get_service_provider(self, request: Request, uuid: str) -> Reply:
        return self.retrieve(request, "service_providers", self.service_provider(uuid))

    def provider_users(self, request: Request, uuid: str) -> Reply:
        customer = self.owned_service_provider(request, uuid)["customer_uuid"]
        listing = Listing(
            "sp_users",
            lambda: self.views.provider_users(customer),
            USER_FILTERS,
            shape="sp_users",
            scope=customer,
            orderings=_USER_ORDER,
        )
        return self.serve_list(request, listing)

    def provider_keys(self, request: Request, uuid: str) -> Reply:
        customer = self.owned_service_provider(request, uuid)["customer_uuid"]
        listing = Listing(
            "sp_keys",
            lambda: self.views.provider_keys(customer),
            KEY_FILTERS,
            ties="name",
            scope=customer,
            orderings=("name",),
        )
        return self.serve_list(request, listing)

    def provider_projects(self, request: Request, uuid: str) -> Reply:
        customer = self.owned_service_provider(request, uuid)["customer_uuid"]
        listing = Listing(
            "sp_projects",
            lambda: self.views.provider_projects(customer),
            PROJECT_FILTERS,
            shape="projects",
            scope=customer,
            orderings=_PROJECT_ORDER,
        )
        return self.serve_list(request, listing)

    def provider_permissions(self, request: Request, uuid: str) -> Reply:
        customer = self.owned_service_provider(request, uuid)["customer_uuid"]
        listing = Listing(
            "sp_permissions",
            lambda: self.views.provider_permissions(customer),
            PERMISSION_FILTERS,
            shape="permissions",
            scope=customer,
            orderings=_PERMISSION_ORDER,
        )
        return self.serve_list(request, listing)

    # -- the server -------------------------------------------------------------------------

    def version(self, request: Request) -> Reply:
        if not caller_of(request).sees_all:
            raise denied()
        return json_reply(200, {"version": self.profile.version})
