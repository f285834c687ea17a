"""The operations of the fake Puhuri Core: lists, retrieves and the provider's POST actions.

Semantics follow Waldur Mastermind (the OpenAPI subset is the contract):

- Order actions: ``approve_by_provider`` and ``reject_by_provider`` need ``pending-provider``;
  approval moves the order to ``executing`` (Waldur then processes it in the background; for the
  remote offerings a Puhuri provider runs, the order stays ``executing`` until the provider's
  agent marks it done) and answers ``{"detail": "Order has been approved."}``; rejection moves
  it to ``rejected``, keeps ``provider_rejection_comment`` and terminates the resource of a
  ``Create`` order still ``Creating``; ``cancel`` is allowed from ``pending-consumer`` and
  ``pending-provider`` (202, no body). A wrong state is 409
  ``{"detail": "Valid states for operation: pending-provider."}``.
- ``set_usage`` is an upsert per (plan period, component type, billing month of ``date``): a
  second report for the same month replaces the amount (201, no body). Plan periods list the
  stored usages with the amount as a decimal string with two places.
- Unknown uuids in the path are 404 ``{"detail": "Not found."}``; bad bodies are DRF-shaped 400s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from puhuri_async.testing import _jsonio
from puhuri_async.testing._data import FakeData, JSONObject, timestamp
from puhuri_async.testing._http import (
    HttpError,
    Reply,
    Request,
    json_reply,
    not_found,
    validation_error,
)
from puhuri_async.testing._listing import (
    Filter,
    is_true,
    link_header,
    normalise_uuid,
    project,
    select_fields,
    take_page,
)
from puhuri_async.testing._views import Views

__all__ = ["ORDER_STATES", "RESOURCE_STATES", "Api", "Route"]

ORDER_STATES = (
    "pending-consumer",
    "pending-provider",
    "pending-project",
    "pending-start-date",
    "executing",
    "done",
    "erred",
    "canceled",
    "rejected",
)
ORDER_TYPES = ("Create", "Update", "Terminate", "Restore")
RESOURCE_STATES = ("Creating", "OK", "Erred", "Updating", "Terminating", "Terminated")
OFFERING_USER_STATES = (
    "Requested",
    "Creating",
    "Pending account linking",
    "Pending additional validation",
    "OK",
    "Requested deletion",
    "Deleting",
    "Deleted",
    "Error creating",
    "Error deleting",
)
#: States from which ``cancel`` is allowed (the seed documentation's rule).
CANCELLABLE = ("pending-consumer", "pending-provider")

REVIEWER_USERNAME = "provider-api"
REVIEWER_FULL_NAME = "Service provider API user"

_UUID_GROUP = r"(?P<uuid>[0-9a-fA-F]{32}|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})"
_DATETIME_FORMAT_ERROR = (
    "Datetime has wrong format. Use one of these formats instead: "
    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
)


def _users_in_project(data: FakeData, uuid: str) -> set[str]:
    return {p["user_uuid"] for p in data.permissions if p["project_uuid"] == uuid}


def _users_in_customer(data: FakeData, uuid: str) -> set[str]:
    return {p["user_uuid"] for p in data.permissions if p["customer_uuid"] == uuid}


def _url_is(key: str) -> Callable[[JSONObject, str], bool]:
    def match(item: JSONObject, value: str) -> bool:
        return urlsplit(str(item.get(key, ""))).path == urlsplit(value).path

    return match


def _pending_provider(item: JSONObject, value: str) -> bool:
    return (item.get("state") == "pending-provider") == is_true(value)


_USER_FILTERS = {
    "username": Filter("exact", "username"),
    "email": Filter("icontains", "email"),
    "full_name": Filter("icontains", "full_name"),
    "native_name": Filter("icontains", "native_name"),
    "organization": Filter("icontains", "organization"),
    "job_title": Filter("icontains", "job_title"),
    "registration_method": Filter("exact", "registration_method"),
    "is_active": Filter("bool", "is_active"),
    "is_staff": Filter("bool", "is_staff"),
    "is_support": Filter("bool", "is_support"),
    "project_uuid": Filter("related", "uuid", resolve=_users_in_project),
    "customer_uuid": Filter("related", "uuid", resolve=_users_in_customer),
}
_KEY_FILTERS = {
    "uuid": Filter("uuid", "uuid"),
    "user_uuid": Filter("uuid", "user_uuid"),
    "name": Filter("icontains", "name"),
    "name_exact": Filter("exact", "name"),
    "is_shared": Filter("bool", "is_shared"),
    "fingerprint_md5": Filter("exact", "fingerprint_md5"),
    "fingerprint_sha256": Filter("exact", "fingerprint_sha256"),
    "fingerprint_sha512": Filter("exact", "fingerprint_sha512"),
}
_RESOURCE_FILTERS = {
    "state": Filter("choice", "state", RESOURCE_STATES),
    "offering_uuid": Filter("uuid", "offering_uuid"),
    "provider_uuid": Filter("uuid", "provider_uuid"),
    "customer_uuid": Filter("uuid", "customer_uuid"),
    "project_uuid": Filter("uuid", "project_uuid"),
    "plan_uuid": Filter("uuid", "plan_uuid"),
    "category_uuid": Filter("uuid", "category_uuid"),
    "offering": Filter("custom", match=_url_is("offering")),
    "backend_id": Filter("exact", "backend_id"),
    "name": Filter("icontains", "name"),
    "name_exact": Filter("exact", "name"),
    "project_name": Filter("icontains", "project_name"),
    "offering_type": Filter("exact", "offering_type"),
    "offering_slug": Filter("multi", "offering_slug"),
    "downscaled": Filter("bool", "downscaled"),
    "paused": Filter("bool", "paused"),
    "restrict_member_access": Filter("bool", "restrict_member_access"),
}
_ORDER_FILTERS = {
    "state": Filter("choice", "state", ORDER_STATES),
    "type": Filter("choice", "type", ORDER_TYPES),
    "resource_uuid": Filter("uuid", "marketplace_resource_uuid"),
    "offering_uuid": Filter("uuid", "offering_uuid"),
    "provider_uuid": Filter("uuid", "provider_uuid"),
    "customer_uuid": Filter("uuid", "customer_uuid"),
    "project_uuid": Filter("uuid", "project_uuid"),
    "category_uuid": Filter("uuid", "category_uuid"),
    "offering": Filter("custom", match=_url_is("offering")),
    "offering_type": Filter("multi", "offering_type"),
    "resource_name": Filter("icontains", "resource_name"),
    "can_approve_as_provider": Filter("custom", match=_pending_provider),
}
_SERVICE_PROVIDER_FILTERS = {
    "customer_uuid": Filter("uuid", "customer_uuid"),
    "customer": Filter("custom", match=_url_is("customer")),
    "customer_keyword": Filter("icontains", "customer_name"),
}
_PROJECT_FILTERS = {
    "name": Filter("icontains", "name"),
    "name_exact": Filter("exact", "name"),
    "customer": Filter("custom", match=_url_is("customer")),
    "customer_name": Filter("icontains", "customer_name"),
    "customer_abbreviation": Filter("icontains", "customer_abbreviation"),
    "backend_id": Filter("exact", "backend_id"),
    "description": Filter("icontains", "description"),
    "slug": Filter("exact", "slug"),
    "is_removed": Filter("bool", "is_removed"),
}
_PERMISSION_FILTERS = {
    "user": Filter("uuid", "user_uuid"),
    "user_url": Filter("custom", match=_url_is("user")),
    "username": Filter("exact", "user_username"),
    "full_name": Filter("icontains", "user_full_name"),
    "native_name": Filter("icontains", "user_native_name"),
    "role_name": Filter("icontains", "role_name"),
    "scope_uuid": Filter("uuid", "project_uuid"),
    "scope_name": Filter("icontains", "project_name"),
}
_OFFERING_USER_FILTERS = {
    "offering_uuid": Filter("uuid", "offering_uuid"),
    "user_uuid": Filter("uuid", "user_uuid"),
    "provider_uuid": Filter("uuid", "customer_uuid"),
    "offering": Filter("custom", match=_url_is("offering")),
    "state": Filter("choice", "state", OFFERING_USER_STATES),
    "user_username": Filter("exact", "user_username"),
    "is_restricted": Filter("bool", "is_restricted"),
    "query": Filter("icontains", "username"),
}


@dataclass(frozen=True)
class Route:
    """A path pattern (relative to ``/api/``) and its handlers by method."""

    pattern: re.Pattern[str]
    handlers: dict[str, Callable[..., Reply]]


class Api:
    """The handlers, bound to one data set. Callers hold the fake's lock while calling them."""

    def __init__(self, data: FakeData, views: Views, clock: Callable[[], datetime]) -> None:
        self.data = data
        self.views = views
        self.clock = clock
        self.routes = self._routes()

    def _routes(self) -> list[Route]:
        u = _UUID_GROUP
        resources = r"marketplace-(?:provider-)?resources"
        sp = rf"marketplace-service-providers/{u}"
        table: list[tuple[str, dict[str, Callable[..., Reply]]]] = [
            ("users/", {"GET": self.list_users}),
            ("keys/", {"GET": self.list_keys}),
            (f"{resources}/", {"GET": self.list_resources}),
            (f"{resources}/{u}/", {"GET": self.get_resource}),
            (f"{resources}/{u}/team/", {"GET": self.team}),
            (f"{resources}/{u}/plan_periods/", {"GET": self.plan_periods}),
            (f"{resources}/{u}/set_backend_id/", {"POST": self.set_backend_id}),
            (f"{resources}/{u}/submit_report/", {"POST": self.submit_report}),
            ("marketplace-orders/", {"GET": self.list_orders}),
            (f"marketplace-orders/{u}/", {"GET": self.get_order}),
            (f"marketplace-orders/{u}/approve_by_provider/", {"POST": self.approve}),
            (f"marketplace-orders/{u}/reject_by_provider/", {"POST": self.reject}),
            (f"marketplace-orders/{u}/cancel/", {"POST": self.cancel}),
            (f"marketplace-provider-offerings/{u}/", {"GET": self.get_offering}),
            ("marketplace-component-usages/set_usage/", {"POST": self.set_usage}),
            (
                "marketplace-offering-users/",
                {"GET": self.list_offering_users, "POST": self.create_offering_user},
            ),
            ("marketplace-service-providers/", {"GET": self.list_service_providers}),
            (f"{sp}/", {"GET": self.get_service_provider}),
            (f"{sp}/set_offerings_username/", {"POST": self.set_offerings_username}),
            (f"{sp}/users/", {"GET": self.provider_users}),
            (f"{sp}/keys/", {"GET": self.provider_keys}),
            (f"{sp}/projects/", {"GET": self.provider_projects}),
            (f"{sp}/project_permissions/", {"GET": self.provider_permissions}),
        ]
        return [Route(re.compile(f"^{pattern}$"), handlers) for pattern, handlers in table]

    def dispatch(self, request: Request, subpath: str) -> Reply:
        """Answer ``request`` for ``subpath`` (the path after ``/api/``)."""
        for route in self.routes:
            matched = route.pattern.match(subpath)
            if matched is None:
                continue
            method = "GET" if request.method == "HEAD" else request.method
            handler = route.handlers.get(method)
            if handler is None:
                raise HttpError(405, {"detail": f'Method "{request.method}" not allowed.'})
            params = {k: normalise_uuid(v) or v for k, v in matched.groupdict().items()}
            return handler(request, **params)
        raise not_found()

    # -- shared helpers ---------------------------------------------------------------------

    def _now(self) -> str:
        return timestamp(self.clock())

    def _object(self, collection: str, uuid: str) -> JSONObject:
        found = self.data.get(collection, uuid)
        if found is None:
            raise not_found()
        return found

    def _service_provider(self, uuid: str) -> JSONObject:
        if uuid != self.data.service_provider["uuid"]:
            raise not_found()
        return self.data.service_provider

    def _list(
        self,
        request: Request,
        key: str,
        items: Callable[[], Sequence[JSONObject]],
        specs: dict[str, Filter],
    ) -> Reply:
        selected = self.views.filtered(key, items, request, specs)
        count_header = ("X-Result-Count", str(len(selected)))
        if request.method == "HEAD":
            return Reply(200, b"", [count_header], content_type=None)
        page = take_page(len(selected), request)
        chunk = selected[page.start : page.stop]
        wanted = select_fields(request)
        if wanted is None:
            body = self.views.encode_list(chunk)
        else:
            body = _jsonio.dumps([project(item, wanted) for item in chunk])
        return Reply(200, body, [count_header, ("Link", link_header(request, page))])

    def _retrieve(self, request: Request, item: JSONObject) -> Reply:
        return json_reply(200, project(item, select_fields(request)))

    # -- lists ------------------------------------------------------------------------------

    def list_users(self, request: Request) -> Reply:
        return self._list(request, "users", lambda: self.data.users, _USER_FILTERS)

    def list_keys(self, request: Request) -> Reply:
        return self._list(request, "keys", lambda: self.data.ssh_keys, _KEY_FILTERS)

    def list_resources(self, request: Request) -> Reply:
        return self._list(request, "resources", lambda: self.data.resources, _RESOURCE_FILTERS)

    def list_orders(self, request: Request) -> Reply:
        return self._list(request, "orders", lambda: self.data.orders, _ORDER_FILTERS)

    def list_offering_users(self, request: Request) -> Reply:
        return self._list(
            request, "offering_users", lambda: self.data.offering_users, _OFFERING_USER_FILTERS
        )

    def list_service_providers(self, request: Request) -> Reply:
        return self._list(
            request,
            "service_providers",
            lambda: [self.data.service_provider],
            _SERVICE_PROVIDER_FILTERS,
        )

    def provider_users(self, request: Request, uuid: str) -> Reply:
        self._service_provider(uuid)
        return self._list(request, "sp_users", self.views.provider_users, _USER_FILTERS)

    def provider_keys(self, request: Request, uuid: str) -> Reply:
        self._service_provider(uuid)
        return self._list(request, "sp_keys", self.views.provider_keys, _KEY_FILTERS)

    def provider_projects(self, request: Request, uuid: str) -> Reply:
        self._service_provider(uuid)
        return self._list(request, "sp_projects", self.views.provider_projects, _PROJECT_FILTERS)

    def provider_permissions(self, request: Request, uuid: str) -> Reply:
        self._service_provider(uuid)
        return self._list(
            request, "sp_permissions", self.views.provider_permissions, _PERMISSION_FILTERS
        )

    # -- retrieves --------------------------------------------------------------------------

    def get_resource(self, request: Request, uuid: str) -> Reply:
        return self._retrieve(request, self._object("resources", uuid))

    def get_order(self, request: Request, uuid: str) -> Reply:
        return self._retrieve(request, self._object("orders", uuid))

    def get_offering(self, request: Request, uuid: str) -> Reply:
        return self._retrieve(request, self._object("offerings", uuid))

    def get_service_provider(self, request: Request, uuid: str) -> Reply:
        return self._retrieve(request, self._service_provider(uuid))

    def team(self, request: Request, uuid: str) -> Reply:
        return json_reply(200, self.views.team(self._object("resources", uuid)))

    def plan_periods(self, request: Request, uuid: str) -> Reply:
        self._object("resources", uuid)
        return json_reply(200, self.data.plan_periods.get(uuid, []))

    # -- orders -----------------------------------------------------------------------------

    def _order_in(self, uuid: str, states: Sequence[str]) -> JSONObject:
        order = self._object("orders", uuid)
        if order["state"] not in states:
            raise HttpError(409, {"detail": f"Valid states for operation: {', '.join(states)}."})
        return order

    def _review(self, order: JSONObject, state: str) -> None:
        now = self._now()
        order.update(
            state=state,
            modified=now,
            provider_reviewed_by=REVIEWER_USERNAME,
            provider_reviewed_by_username=REVIEWER_USERNAME,
            provider_reviewed_by_full_name=REVIEWER_FULL_NAME,
            provider_reviewed_at=now,
        )

    def approve(self, request: Request, uuid: str) -> Reply:
        _require_object(request.json())
        order = self._order_in(uuid, ("pending-provider",))
        self._review(order, "executing")
        self.data.touch("orders")
        return json_reply(200, {"detail": "Order has been approved."})

    def reject(self, request: Request, uuid: str) -> Reply:
        body = _require_object(request.json())
        comment = body.get("provider_rejection_comment", "")
        if not isinstance(comment, str):
            raise validation_error({"provider_rejection_comment": ["Not a valid string."]})
        order = self._order_in(uuid, ("pending-provider",))
        self._review(order, "rejected")
        order["provider_rejection_comment"] = comment
        order["completed_at"] = order["modified"]
        resource = self.data.get("resources", order["marketplace_resource_uuid"])
        if order["type"] == "Create" and resource and resource["state"] == "Creating":
            resource["state"] = "Terminated"
            resource["modified"] = order["modified"]
            self.data.touch("resources")
        self.data.touch("orders")
        return Reply(200)

    def cancel(self, request: Request, uuid: str) -> Reply:
        order = self._order_in(uuid, CANCELLABLE)
        order.update(state="canceled", modified=self._now())
        self.data.touch("orders")
        return Reply(202)

    # -- resources --------------------------------------------------------------------------

    def set_backend_id(self, request: Request, uuid: str) -> Reply:
        body = _require_object(request.json())
        backend_id = _string_field(body, "backend_id", max_length=255, allow_blank=True)
        resource = self._object("resources", uuid)
        if resource["backend_id"] == backend_id:
            return json_reply(200, {"status": "Resource backend_id is not changed."})
        resource["backend_id"] = backend_id
        resource["modified"] = self._now()
        self.data.touch("resources")
        return json_reply(200, {"status": "Resource backend_id has been changed."})

    def submit_report(self, request: Request, uuid: str) -> Reply:
        body = _require_object(request.json())
        report = _list_field(body, "report")
        if not report:
            raise validation_error({"report": ["This list may not be empty."]})
        errors: list[dict[str, list[str]]] = []
        sections = []
        for entry in report:
            entry_errors: dict[str, list[str]] = {}
            if not isinstance(entry, dict):
                kind = type(entry).__name__
                errors.append(
                    {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {kind}."]}
                )
                continue
            section = {}
            for name in ("header", "body"):
                try:
                    section[name] = _string_field(entry, name)
                except HttpError as exc:
                    entry_errors.update(exc.payload)
            errors.append(entry_errors)
            sections.append(section)
        if any(errors):
            raise validation_error({"report": errors})
        resource = self._object("resources", uuid)
        resource["report"] = sections
        resource["modified"] = self._now()
        self.data.touch("resources")
        return json_reply(200, {"status": "Report is submitted"})

    # -- usage ------------------------------------------------------------------------------

    def set_usage(self, request: Request) -> Reply:
        body = _require_object(request.json())
        usages = _list_field(body, "usages")
        items, errors = [], []
        for entry in usages:
            item, entry_errors = _usage_item(entry)
            items.append(item)
            errors.append(entry_errors)
        field_errors: dict[str, Any] = {}
        if any(errors):
            field_errors["usages"] = errors
        refs = {}
        for name in ("resource", "plan_period"):
            value = body.get(name)
            if value is None:
                continue
            uuid = normalise_uuid(value) if isinstance(value, str) else None
            if uuid is None:
                field_errors[name] = ["Must be a valid UUID."]
            else:
                refs[name] = uuid
        moment = self.clock()
        if body.get("date") is not None:
            parsed = _parse_datetime(body["date"])
            if parsed is None:
                field_errors["date"] = [_DATETIME_FORMAT_ERROR]
            else:
                moment = parsed
        if field_errors:
            raise validation_error(field_errors)
        if not refs:
            raise validation_error(
                {"non_field_errors": ["Either plan_period or resource should be provided."]}
            )
        resource, period = self._usage_target(refs)
        offering = self._object("offerings", resource["offering_uuid"])
        components = {c["type"]: c for c in offering["components"]}
        unknown = [item["type"] for item in items if item["type"] not in components]
        if unknown:
            raise validation_error(
                {"non_field_errors": [f'Component "{unknown[0]}" is not found in offering.']}
            )
        if resource["state"] == "Terminated":
            raise validation_error(
                {"non_field_errors": ["Usage cannot be reported for a terminated resource."]}
            )
        date, month = timestamp(moment), moment.astimezone(UTC).strftime("%Y-%m")
        for item in items:
            self._upsert_usage(resource, period, components[item["type"]], item, date, month)
        self.data.touch("plan_periods")
        self.data.touch("resources")
        return Reply(201, content_type=None)

    def _usage_target(self, refs: dict[str, str]) -> tuple[JSONObject, JSONObject]:
        period = None
        if "plan_period" in refs:
            for resource_uuid, periods in self.data.plan_periods.items():
                for candidate in periods:
                    if candidate["uuid"] == refs["plan_period"]:
                        if refs.get("resource", resource_uuid) != resource_uuid:
                            raise validation_error(
                                {"non_field_errors": ["Plan period is not of this resource."]}
                            )
                        return self._object("resources", resource_uuid), candidate
            raise not_found()
        resource = self._object("resources", refs["resource"])
        periods = self.data.plan_periods.get(resource["uuid"]) or []
        open_periods = [p for p in periods if p["end"] is None] or periods
        if not open_periods:
            raise validation_error({"resource": ["Resource has no active plan period."]})
        period = open_periods[-1]
        return resource, period

    def _upsert_usage(
        self,
        resource: JSONObject,
        period: JSONObject,
        component: JSONObject,
        item: JSONObject,
        date: str,
        month: str,
    ) -> None:
        key = (period["uuid"], component["type"], month)
        usage = self.data.usages.get(key)
        if usage is None:
            usage = {
                "uuid": self.data.new_uuid(),
                "created": self._now(),
                "description": "",
                "type": component["type"],
                "name": component["name"],
                "measured_unit": component["measured_unit"],
                "usage": "0.00",
                "date": date,
                "recurring": False,
            }
            self.data.usages[key] = usage
            period["components"].append(usage)
        usage.update(
            usage=item["amount"],
            description=item["description"],
            date=date,
            recurring=item["recurring"],
        )
        resource["current_usages"][component["type"]] = float(item["amount"])

    # -- offering users ---------------------------------------------------------------------

    def create_offering_user(self, request: Request) -> Reply:
        body = _require_object(request.json())
        errors: dict[str, list[str]] = {}
        offering = self._linked(body, "offering", "marketplace-provider-offerings", errors)
        user = self._linked(body, "user", "users", errors)
        username = body.get("username")
        if username is not None:
            try:
                username = _string_field(body, "username", max_length=100, allow_blank=True)
            except HttpError as exc:
                errors.update(exc.payload)
        if errors:
            raise validation_error(errors)
        assert offering is not None
        assert user is not None
        if not offering["plugin_options"].get("service_provider_can_create_offering_user"):
            raise validation_error(
                {"non_field_errors": ["It is not allowed to create users for current offering."]}
            )
        for existing in self.data.offering_users:
            if existing["offering_uuid"] == offering["uuid"] and (
                existing["user_uuid"] == user["uuid"]
            ):
                raise validation_error(
                    {"non_field_errors": ["The fields offering, user must make a unique set."]}
                )
        created = self.data.add_offering_user(
            offering=offering, user=user, username=username, created=self._now()
        )
        return json_reply(201, created)

    def _linked(
        self, body: JSONObject, name: str, route: str, errors: dict[str, list[str]]
    ) -> JSONObject | None:
        """The object a hyperlink field (or its ``<name>_uuid`` twin) of ``body`` points to."""
        collection = "offerings" if name == "offering" else "users"
        value = body.get(name)
        if value is None and body.get(f"{name}_uuid") is not None:
            uuid = body[f"{name}_uuid"]
            uuid = normalise_uuid(uuid) if isinstance(uuid, str) else None
            if uuid is None:
                errors[f"{name}_uuid"] = ["Must be a valid UUID."]
                return None
            found = self.data.get(collection, uuid)
            if found is None:
                errors[f"{name}_uuid"] = ["Object does not exist."]
            return found
        if value is None:
            errors[name] = ["This field is required."]
            return None
        if not isinstance(value, str):
            errors[name] = [
                f"Incorrect type. Expected URL string, received {type(value).__name__}."
            ]
            return None
        matched = re.fullmatch(rf"/api/{route}/{_UUID_GROUP}/", urlsplit(value).path)
        if matched is None:
            errors[name] = ["Invalid hyperlink - No URL match."]
            return None
        found = self.data.get(collection, normalise_uuid(matched["uuid"]) or "")
        if found is None:
            errors[name] = ["Invalid hyperlink - Object does not exist."]
        return found

    def set_offerings_username(self, request: Request, uuid: str) -> Reply:
        self._service_provider(uuid)
        body = _require_object(request.json())
        errors: dict[str, list[str]] = {}
        user_uuid = None
        raw = body.get("user_uuid")
        if raw is None:
            errors["user_uuid"] = ["This field is required."]
        else:
            user_uuid = normalise_uuid(raw) if isinstance(raw, str) else None
            if user_uuid is None:
                errors["user_uuid"] = ["Must be a valid UUID."]
        username = ""
        try:
            username = _string_field(body, "username")
        except HttpError as exc:
            errors.update(exc.payload)
        if errors:
            raise validation_error(errors)
        assert user_uuid is not None
        user = self._object("users", user_uuid)
        projects = {p["project_uuid"] for p in self.data.permissions if p["user_uuid"] == user_uuid}
        offerings = {
            r["offering_uuid"]
            for r in self.data.resources
            if r["project_uuid"] in projects and r["state"] != "Terminated"
        }
        existing = {
            account["offering_uuid"]: account
            for account in self.data.offering_users
            if account["user_uuid"] == user_uuid
        }
        now = self._now()
        for offering_uuid in sorted(offerings):
            account = existing.get(offering_uuid)
            if account is None:
                self.data.add_offering_user(
                    offering=self.data.get("offerings", offering_uuid),
                    user=user,
                    username=username,
                    created=now,
                )
            else:
                account.update(username=username, modified=now, state="OK")
        self.data.touch("offering_users")
        return json_reply(201, {"detail": "Offering users have been set."})


# -- body validation helpers (DRF's messages) -------------------------------------------------


def _require_object(body: Any) -> JSONObject:
    if not isinstance(body, dict):
        kind = type(body).__name__
        raise validation_error(
            {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {kind}."]}
        )
    return body


def _string_field(
    body: JSONObject, name: str, *, max_length: int | None = None, allow_blank: bool = False
) -> str:
    if name not in body:
        raise validation_error({name: ["This field is required."]})
    value = body[name]
    if value is None:
        raise validation_error({name: ["This field may not be null."]})
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise validation_error({name: ["Not a valid string."]})
    text = str(value)
    if not allow_blank and not text.strip():
        raise validation_error({name: ["This field may not be blank."]})
    if max_length is not None and len(text) > max_length:
        raise validation_error(
            {name: [f"Ensure this field has no more than {max_length} characters."]}
        )
    return text


def _list_field(body: JSONObject, name: str) -> list[Any]:
    if name not in body:
        raise validation_error({name: ["This field is required."]})
    value = body[name]
    if not isinstance(value, list):
        kind = type(value).__name__
        raise validation_error({name: [f'Expected a list of items but got type "{kind}".']})
    return value


def _usage_item(entry: Any) -> tuple[JSONObject, dict[str, list[str]]]:
    if not isinstance(entry, dict):
        kind = type(entry).__name__
        return {}, {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {kind}."]}
    errors: dict[str, list[str]] = {}
    item: JSONObject = {"description": "", "recurring": False}
    try:
        item["type"] = _string_field(entry, "type")
    except HttpError as exc:
        errors.update(exc.payload)
    amount, message = _decimal(entry.get("amount"), present="amount" in entry)
    if message:
        errors["amount"] = [message]
    item["amount"] = amount
    if entry.get("description") is not None:
        item["description"] = str(entry["description"])
    recurring = entry.get("recurring", False)
    if not isinstance(recurring, bool):
        errors["recurring"] = ["Must be a valid boolean."]
    item["recurring"] = recurring is True
    return item, errors


def _decimal(value: Any, *, present: bool) -> tuple[str, str | None]:
    """(the amount with two decimal places, DRF's error message or None)."""
    if not present:
        return "", "This field is required."
    if value is None:
        return "", "This field may not be null."
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return "", "A valid number is required."
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return "", "A valid number is required."
    if not number.is_finite():
        return "", "A valid number is required."
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    digits = len(number.as_tuple().digits)
    decimals = max(0, -exponent)
    whole = max(0, digits + exponent) if exponent < 0 else digits + exponent
    if decimals > 2:
        return "", "Ensure that there are no more than 2 decimal places."
    if whole > 18:
        return "", "Ensure that there are no more than 18 digits before the decimal point."
    return f"{number:.2f}", None


def _parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
