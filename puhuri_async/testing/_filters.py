"""The query parameters each list honours (django-filter's filter sets of Waldur, per list).

A list ignores any other parameter, as the real server does; some server versions ignore some of
these too (see ``puhuri_async.testing._profiles``).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from puhuri_async.testing._listing import Filter, is_true, normalise_uuid
from puhuri_async.testing._store import JSONObject, Store

__all__ = [
    "COMPONENT_USAGE_FILTERS",
    "KEY_FILTERS",
    "OFFERING_FILTERS",
    "OFFERING_USER_FILTERS",
    "OFFERING_USER_STATES",
    "ORDER_FILTERS",
    "ORDER_STATES",
    "ORDER_TYPES",
    "PERMISSION_FILTERS",
    "PROJECT_FILTERS",
    "RESOURCE_FILTERS",
    "RESOURCE_STATES",
    "SERVICE_PROVIDER_FILTERS",
    "USAGE_LIMIT_FILTERS",
    "USER_FILTERS",
    "USER_USAGE_FILTERS",
]

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


def _users_in_project(data: Store, uuid: str) -> set[str]:
    return {p["user_uuid"] for p in data.permissions if p["project_uuid"] == uuid}


def _users_in_customer(data: Store, uuid: str) -> set[str]:
    return {p["user_uuid"] for p in data.permissions if p["customer_uuid"] == uuid}


def _url_is(key: str) -> Callable[[JSONObject, str], bool]:
    def match(item: JSONObject, value: str) -> bool:
        return urlsplit(str(item.get(key, ""))).path == urlsplit(value).path

    return match


def _pending_provider(item: JSONObject, value: str) -> bool:
    return (item.get("state") == "pending-provider") == is_true(value)


USER_FILTERS = {
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
KEY_FILTERS = {
    "uuid": Filter("uuid", "uuid"),
    "user_uuid": Filter("uuid", "user_uuid"),
    "name": Filter("icontains", "name"),
    "name_exact": Filter("exact", "name"),
    "is_shared": Filter("bool", "is_shared"),
    "fingerprint_md5": Filter("exact", "fingerprint_md5"),
    "fingerprint_sha256": Filter("exact", "fingerprint_sha256"),
    "fingerprint_sha512": Filter("exact", "fingerprint_sha512"),
}
RESOURCE_FILTERS = {
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
ORDER_FILTERS = {
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
SERVICE_PROVIDER_FILTERS = {
    "customer_uuid": Filter("uuid", "customer_uuid"),
    "customer": Filter("custom", match=_url_is("customer")),
    "customer_keyword": Filter("icontains", "customer_name"),
}
PROJECT_FILTERS = {
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
PERMISSION_FILTERS = {
    "user": Filter("uuid", "user_uuid"),
    "user_url": Filter("custom", match=_url_is("user")),
    "username": Filter("exact", "user_username"),
    "full_name": Filter("icontains", "user_full_name"),
    "native_name": Filter("icontains", "user_native_name"),
    "role_name": Filter("icontains", "role_name"),
    "scope_uuid": Filter("uuid", "project_uuid"),
    "scope_name": Filter("icontains", "project_name"),
}
OFFERING_USER_FILTERS = {
    "offering_uuid": Filter("uuid", "offering_uuid"),
    "user_uuid": Filter("uuid", "user_uuid"),
    "provider_uuid": Filter("uuid", "customer_uuid"),
    "offering": Filter("custom", match=_url_is("offering")),
    "state": Filter("choice", "state", OFFERING_USER_STATES),
    "user_username": Filter("exact", "user_username"),
    "is_restricted": Filter("bool", "is_restricted"),
    "query": Filter("icontains", "username"),
}

OFFERING_STATES = ("Draft", "Active", "Paused", "Archived", "Unavailable")


def _uuid_of_url(key: str) -> Callable[[JSONObject, str], bool]:
    """Match the uuid at the end of the hyperlink ``item[key]`` (``resource=<uuid>``)."""

    def match(item: JSONObject, value: str) -> bool:
        wanted = normalise_uuid(value)
        return wanted is not None and str(item.get(key, "")).rstrip("/").endswith(wanted)

    return match


def _date_of(key: str, compare: Callable[[str, str], bool]) -> Callable[[JSONObject, str], bool]:
    return lambda item, value: compare(str(item.get(key, ""))[:10], value)


def _month_is(key: str, part: slice) -> Callable[[JSONObject, str], bool]:
    def match(item: JSONObject, value: str) -> bool:
        try:
            return int(str(item.get(key, ""))[part]) == int(float(value))
        except ValueError:
            return False

    return match


OFFERING_FILTERS = {
    "customer_uuid": Filter("uuid", "customer_uuid"),
    "customer": Filter("custom", match=_url_is("customer")),
    "category_uuid": Filter("uuid", "category_uuid"),
    "name": Filter("icontains", "name"),
    "name_exact": Filter("exact", "name"),
    "description": Filter("icontains", "description"),
    "keyword": Filter("icontains", "name"),
    "state": Filter("choice", "state", OFFERING_STATES),
    "type": Filter("multi", "type"),
    "shared": Filter("bool", "shared"),
    "billable": Filter("bool", "billable"),
}
_USAGE_DATES = {
    "date_before": Filter("custom", match=_date_of("date", lambda a, b: a <= b)),
    "date_after": Filter("custom", match=_date_of("date", lambda a, b: a >= b)),
    "billing_period_year": Filter("custom", match=_month_is("billing_period", slice(0, 4))),
    "billing_period_month": Filter("custom", match=_month_is("billing_period", slice(5, 7))),
}
COMPONENT_USAGE_FILTERS = {
    "resource": Filter("custom", match=lambda item, value: _resource_url(item, value)),
    "resource_uuid": Filter("uuid", "resource_uuid"),
    "offering_uuid": Filter("uuid", "offering_uuid"),
    "project_uuid": Filter("uuid", "project_uuid"),
    "customer_uuid": Filter("uuid", "customer_uuid"),
    "type": Filter("exact", "type"),
    "billing_period": Filter("exact", "billing_period"),
    **_USAGE_DATES,
}
USER_USAGE_FILTERS = {
    "resource": Filter("custom", match=lambda item, value: _resource_url(item, value)),
    "resource_uuid": Filter("uuid", "resource_uuid"),
    "offering_uuid": Filter("uuid", "offering_uuid"),
    "project_uuid": Filter("uuid", "project_uuid"),
    "customer_uuid": Filter("uuid", "customer_uuid"),
    "type": Filter("exact", "component_type"),
    "username": Filter("exact", "username"),
    "component_usage__billing_period": Filter("exact", "billing_period"),
    **_USAGE_DATES,
}


def _resources_of_offering(data: Store, uuid: str) -> set[str]:
    return {r["url"] for r in data.resources if r["offering_uuid"] == uuid}


def _accounts_named(data: Store, username: str) -> set[str]:
    return {u["url"] for u in data.offering_users if u["username"] == username}


USAGE_LIMIT_FILTERS = {
    "resource": Filter("custom", match=_uuid_of_url("resource")),
    "resource_uuid": Filter("custom", match=_uuid_of_url("resource")),
    "offering_uuid": Filter("related", "resource", resolve=_resources_of_offering),
    "username": Filter("lookup", "user", resolve=_accounts_named),
    "component_type": Filter("exact", "component_type"),
}


def _resource_url(item: JSONObject, value: str) -> bool:
    """``resource=<URL of a marketplace resource>`` matches the item's ``resource_uuid``."""
    path = urlsplit(value).path.rstrip("/")
    return path.rsplit("/", 1)[-1].replace("-", "").lower() == item.get("resource_uuid")
