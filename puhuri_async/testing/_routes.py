"""The routes of the fake Puhuri Core and their dispatch.

Each route is a path pattern (relative to ``/api/``), a handler per method with the route's name
(the name a ``puhuri_async.testing._profiles.ServerProfile`` uses to leave it out), the view
name DRF shows in ``OPTIONS`` answers, and the viewset whose serializer those answers describe.
A route the server version lacks answers as any unknown URL does (Django's HTML 404; an unknown
object of a known route is DRF's ``{"detail": "Not found."}``).

Semantics of the handlers: ``puhuri_async.testing._lists`` (reading),
``puhuri_async.testing._orders``, ``puhuri_async.testing._resource_actions``,
``puhuri_async.testing._usage_actions`` and ``puhuri_async.testing._offering_user_actions``
(writing); who sees and may do what: ``puhuri_async.testing._visibility``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from puhuri_async.testing._api_base import caller_of
from puhuri_async.testing._http import HttpError, Reply, Request
from puhuri_async.testing._listing import normalise_uuid
from puhuri_async.testing._lists import ListHandlers
from puhuri_async.testing._offering_user_actions import TRANSITIONS, OfferingUserActions
from puhuri_async.testing._options import options_reply
from puhuri_async.testing._orders import OrderHandlers
from puhuri_async.testing._resource_actions import ResourceActions
from puhuri_async.testing._usage_actions import UsageActions
from puhuri_async.testing._visibility import denied

__all__ = ["Api", "Match", "Route", "html_not_found"]

_U = r"(?P<uuid>[0-9a-fA-F]{32}|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})"
_NOT_FOUND_PAGE = (
    b'\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n'
    b"  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n"
    b"</body>\n</html>\n"
)

Handler = Callable[..., Reply]


def html_not_found() -> Reply:
    """Django's 404 for a URL no view serves (DEBUG off)."""
    return Reply(404, _NOT_FOUND_PAGE, content_type="text/html; charset=utf-8")


@dataclass(frozen=True)
class Route:
    """A path pattern, its handlers by method (with each one's name), and its OPTIONS facts."""

    pattern: re.Pattern[str]
    handlers: dict[str, tuple[str, Handler]]
    title: str
    group: str = ""


@dataclass(frozen=True)
class Match:
    """A route found for a path: the handlers this version serves and the path's parameters."""

    route: Route
    served: dict[str, tuple[str, Handler]]
    params: dict[str, str]


def _title(action: str) -> str:
    return action.replace("_", " ").capitalize()


class Api(ListHandlers, OrderHandlers, ResourceActions, UsageActions, OfferingUserActions):
    """The handlers, bound to one data set. Callers hold the fake's lock while calling them."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.routes = self._routes()

    def _routes(self) -> list[Route]:
        u = _U
        pr = f"marketplace-provider-resources/{u}"
        sp = f"marketplace-service-providers/{u}"
        ou = f"marketplace-offering-users/{u}"
        rows: list[tuple[str, dict[str, tuple[str, Handler]], str, str]] = [
            ("users/", {"GET": ("users.list", self.list_users)}, "User List", "users"),
            ("users/me/", {"GET": ("users.me", self.users_me)}, "Me", ""),
            (f"users/{u}/", {"GET": ("users.get", self.get_user)}, "User Instance", ""),
            ("keys/", {"GET": ("keys.list", self.list_keys)}, "Ssh Key List", "keys"),
            (
                "marketplace-resources/",
                {"GET": ("resources.list", self.list_resources)},
                "Resource List",
                "resources",
            ),
            (
                f"marketplace-resources/{u}/",
                {"GET": ("resources.get", self.get_resource)},
                "Resource Instance",
                "",
            ),
            (
                "marketplace-provider-resources/",
                {"GET": ("provider_resources.list", self.list_provider_resources)},
                "Provider Resource List",
                "resources",
            ),
            (
                f"{pr}/",
                {"GET": ("provider_resources.get", self.get_provider_resource)},
                "Provider Resource Instance",
                "",
            ),
        ]
        for prefix, name in (
            ("marketplace-resources", "resources"),
            ("marketplace-provider-resources", "provider_resources"),
        ):
            rows.append((f"{prefix}/{u}/team/", {"GET": (f"{name}.team", self.team)}, "Team", ""))
            rows.append(
                (
                    f"{prefix}/{u}/plan_periods/",
                    {"GET": (f"{name}.plan_periods", self.plan_periods)},
                    "Plan periods",
                    "",
                )
            )
        for action in (
            "set_backend_id",
            "submit_report",
            "set_as_ok",
            "set_as_erred",
            "set_limits",
            "set_backend_metadata",
            "refresh_last_sync",
            "set_end_date_by_provider",
            "set_end_date",
            "set_endpoints",
            "set_effective_id",
        ):
            handler = getattr(ResourceActions, action).__get__(self)
            rows.append(
                (
                    f"{pr}/{action}/",
                    {"POST": (f"provider_resources.{action}", handler)},
                    _title(action),
                    "resources",
                )
            )
        rows += [
            (
                "marketplace-orders/",
                {"GET": ("orders.list", self.list_orders)},
                "Order List",
                "orders",
            ),
            (
                f"marketplace-orders/{u}/",
                {"GET": ("orders.get", self.get_order)},
                "Order Instance",
                "",
            ),
        ]
        order_actions = {
            "approve_by_provider": self.approve,
            "reject_by_provider": self.reject,
            "cancel": self.cancel,
            "set_state_executing": self.set_state_executing,
            "set_state_done": self.set_state_done,
            "set_state_erred": self.set_state_erred,
            "set_backend_id": OrderHandlers.set_backend_id.__get__(self),
        }
        for action, handler in order_actions.items():
            rows.append(
                (
                    f"marketplace-orders/{u}/{action}/",
                    {"POST": (f"orders.{action}", handler)},
                    _title(action),
                    "orders",
                )
            )
        rows += [
            (
                "marketplace-provider-offerings/",
                {"GET": ("offerings.list", self.list_offerings)},
                "Provider Offering List",
                "offerings",
            ),
            (
                f"marketplace-provider-offerings/{u}/",
                {"GET": ("offerings.get", self.get_offering)},
                "Provider Offering Instance",
                "",
            ),
            (
                "marketplace-component-usages/",
                {"GET": ("usages.list", self.list_component_usages)},
                "Component Usage List",
                "component_usages",
            ),
            (
                "marketplace-component-usages/set_usage/",
                {"POST": ("usages.set_usage", self.set_usage)},
                "Set usage",
                "component_usages",
            ),
            (
                f"marketplace-component-usages/{u}/",
                {"GET": ("usages.get", self.get_component_usage)},
                "Component Usage Instance",
                "",
            ),
            (
                f"marketplace-component-usages/{u}/set_user_usage/",
                {"POST": ("usages.set_user_usage", self.set_user_usage)},
                "Set user usage",
                "component_usages",
            ),
            (
                "marketplace-component-user-usages/",
                {"GET": ("user_usages.list", self.list_user_usages)},
                "Component User Usage List",
                "component_user_usages",
            ),
            (
                "component-user-usage-limits/",
                {"GET": ("user_usage_limits.list", self.list_usage_limits)},
                "Component User Usage Limit List",
                "user_usage_limits",
            ),
            (
                f"component-user-usage-limits/{u}/",
                {"GET": ("user_usage_limits.get", self.get_usage_limit)},
                "Component User Usage Limit Instance",
                "",
            ),
            (
                "marketplace-offering-users/",
                {
                    "GET": ("offering_users.list", self.list_offering_users),
                    "POST": ("offering_users.create", self.create_offering_user),
                },
                "Offering Users List",
                "offering_users",
            ),
            (
                f"{ou}/",
                {
                    "GET": ("offering_users.get", self.get_offering_user),
                    "PATCH": ("offering_users.update", self.update_offering_user),
                    "DELETE": ("offering_users.delete", self.delete_offering_user),
                },
                "Offering Users Instance",
                "",
            ),
        ]
        for action in TRANSITIONS:
            handler = functools.partial(self.transition, action=action)
            rows.append(
                (
                    f"{ou}/{action}/",
                    {"POST": (f"offering_users.{action}", handler)},
                    _title(action),
                    "offering_users",
                )
            )
        rows += [
            (
                "marketplace-service-providers/",
                {"GET": ("service_providers.list", self.list_service_providers)},
                "Service Provider List",
                "service_providers",
            ),
            (
                f"{sp}/",
                {"GET": ("service_providers.get", self.get_service_provider)},
                "Service Provider Instance",
                "",
            ),
            (
                f"{sp}/set_offerings_username/",
                {"POST": ("service_providers.set_offerings_username", self.set_offerings_username)},
                "Set offerings username",
                "service_providers",
            ),
            (
                f"{sp}/users/",
                {"GET": ("service_providers.users", self.provider_users)},
                "Users",
                "",
            ),
            (f"{sp}/keys/", {"GET": ("service_providers.keys", self.provider_keys)}, "Keys", ""),
            (
                f"{sp}/projects/",
                {"GET": ("service_providers.projects", self.provider_projects)},
                "Projects",
                "",
            ),
            (
                f"{sp}/project_permissions/",
                {"GET": ("service_providers.project_permissions", self.provider_permissions)},
                "Project permissions",
                "",
            ),
            ("version/", {"GET": ("version", self.version)}, "Version Detail", ""),
        ]
        return [
            Route(re.compile(f"^{pattern}$"), handlers, title, group)
            for pattern, handlers, title, group in rows
        ]

    def find(self, subpath: str) -> Match | None:
        """The route of this version that serves ``subpath`` (after ``/api/``), or None.

        Django resolves the URL before DRF authenticates: an unknown URL is 404 even without a
        token, and so is a route the version lacks.
        """
        for route in self.routes:
            matched = route.pattern.match(subpath)
            if matched is None:
                continue
            served = {
                method: entry
                for method, entry in route.handlers.items()
                if self.profile.has(entry[0])
            }
            if not served:
                return None
            params = {k: normalise_uuid(v) or v for k, v in matched.groupdict().items()}
            return Match(route, served, params)
        return None

    def routes_match(self, subpath: str) -> bool:
        return self.find(subpath) is not None

    def dispatch(self, request: Request, found: Match) -> Reply:
        """Answer ``request`` with the route ``found`` for its path."""
        if request.method == "OPTIONS":
            return self._options(request, found.route, set(found.served))
        method = "GET" if request.method == "HEAD" else request.method
        entry = found.served.get(method)
        if entry is None:
            raise HttpError(405, {"detail": f'Method "{request.method}" not allowed.'})
        return entry[1](request, **found.params)

    def _options(self, request: Request, route: Route, methods: set[str]) -> Reply:
        caller = caller_of(request)
        if route.title == "Version Detail" and not caller.sees_all:
            raise denied()
        may_post = route.group != "users" or caller.is_staff
        return options_reply(self.profile, route.title, route.group, methods, may_post=may_post)
