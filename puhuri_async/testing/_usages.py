"""The usage ledger of the fake: component usages per resource and month, their split per user,
and per-user usage limits, kept consistent with the plan periods and the resources' counters.

Waldur keeps one ``ComponentUsage`` per (resource, component, billing month): a second report for
the month replaces the amount. The plan period lists it (``BaseComponentUsage``), the resource shows
the latest amount in ``current_usages`` (and, for limit-billed components, in ``limit_usage``).
A ``ComponentUserUsage`` is one offering user's part of a component usage, one per username.
Amounts are kept as decimal strings with two places, as Waldur's ``DecimalField`` sends them.
"""

from __future__ import annotations

from typing import Any

from puhuri_async.testing._store import JSONObject, Store

__all__ = ["add_usage_limit", "billing_period", "record_usage", "record_user_usage"]

_BASE_FIELDS = (
    "uuid",
    "created",
    "description",
    "type",
    "name",
    "measured_unit",
    "usage",
    "date",
    "recurring",
)


def billing_period(month: str) -> str:
    """The first day of a ``YYYY-MM`` month (Waldur's ``billing_period`` date)."""
    return f"{month}-01"


def _project_of(data: Store, resource: JSONObject) -> JSONObject:
    return data.get("projects", resource["project_uuid"]) or {}


def record_usage(
    data: Store,
    resource: JSONObject,
    period: JSONObject,
    component: JSONObject,
    *,
    amount: str,
    description: str,
    recurring: bool,
    date: str,
    month: str,
    now: str,
) -> JSONObject:
    """Store (or replace) the usage of ``component`` for ``month``; the ``ComponentUsage``."""
    key = (period["uuid"], component["type"], month)
    usages = data.usages
    full = next(
        (
            u
            for u in data.component_usages
            if u["resource_uuid"] == resource["uuid"]
            and u["type"] == component["type"]
            and u["billing_period"] == billing_period(month)
        ),
        None,
    )
    if full is None:
        project = _project_of(data, resource)
        full = {
            "uuid": data.new_uuid(),
            "created": now,
            "description": "",
            "type": component["type"],
            "name": component["name"],
            "measured_unit": component["measured_unit"],
            "usage": "0.00",
            "date": date,
            "recurring": False,
            "resource_name": resource["name"],
            "resource_uuid": resource["uuid"],
            "offering_name": resource["offering_name"],
            "offering_uuid": resource["offering_uuid"],
            "project_name": resource["project_name"],
            "project_uuid": resource["project_uuid"],
            "customer_name": project.get("customer_name", resource["customer_name"]),
            "customer_uuid": project.get("customer_uuid", resource["customer_uuid"]),
            "billing_period": billing_period(month),
            "modified_by": None,
        }
        data.component_usages.insert(0, full)
        data._register("component_usages", full)
    full.update(usage=amount, description=description, date=date, recurring=recurring)
    base = usages.get(key)
    if base is None:
        base = {name: full[name] for name in _BASE_FIELDS}
        usages[key] = base
        period["components"].append(base)
    base.update({name: full[name] for name in _BASE_FIELDS})
    resource["current_usages"][component["type"]] = float(amount)
    if component["billing_type"] == "limit":
        resource["limit_usage"][component["type"]] = float(amount)
    data.touch("component_usages")
    data.touch("plan_periods")
    data.touch("resources")
    return full


def record_user_usage(
    data: Store,
    usage: JSONObject,
    *,
    username: str,
    amount: str,
    user: JSONObject | None,
    now: str,
) -> JSONObject:
    """Store (or replace) ``username``'s part of the component usage ``usage``."""
    found = next(
        (
            u
            for u in data.component_user_usages
            if u["component_usage"].endswith(f"/{usage['uuid']}/") and u["username"] == username
        ),
        None,
    )
    if found is None:
        found = {
            "uuid": data.new_uuid(),
            "user": user["url"] if user else None,
            "username": username,
            "component_usage": data.url(f"marketplace-component-usages/{usage['uuid']}/"),
            "usage": amount,
            "measured_unit": usage["measured_unit"],
            "description": "",
            "created": now,
            "modified": now,
            "backend_id": "",
            "resource_name": usage["resource_name"],
            "resource_uuid": usage["resource_uuid"],
            "offering_name": usage["offering_name"],
            "offering_uuid": usage["offering_uuid"],
            "project_name": usage["project_name"],
            "project_uuid": usage["project_uuid"],
            "customer_name": usage["customer_name"],
            "customer_uuid": usage["customer_uuid"],
            "component_type": usage["type"],
            "date": usage["date"],
            "billing_period": usage["billing_period"],
        }
        data.component_user_usages.insert(0, found)
        data._register("component_user_usages", found)
    else:
        found.update(usage=amount, modified=now)
    data.touch("component_user_usages")
    return found


def add_usage_limit(
    data: Store, resource: JSONObject, component: JSONObject, user: JSONObject, limit: str
) -> JSONObject:
    """A per-user limit (``ComponentUserUsageLimit``) of ``component`` on ``resource``."""
    uuid = data.new_uuid()
    found: dict[str, Any] = {
        "url": data.url(f"component-user-usage-limits/{uuid}/"),
        "uuid": uuid,
        "resource": resource["url"],
        "component": component["uuid"],
        "component_type": component["type"],
        "user": user["url"],
        "limit": limit,
    }
    data.user_usage_limits.append(found)
    data._register("user_usage_limits", found)
    return found
