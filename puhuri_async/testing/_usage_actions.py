"""Usage reporting: ``set_usage`` (per resource and component) and ``set_user_usage`` (per user).

- ``set_usage`` is an upsert per (resource, component, billing month) answering 201 with no body.
  The body is checked first (400: DRF's field errors; ``{"non_field_errors": ["Either
  plan_period or resource should be provided."]}``; ``{"resource": ["Resource is not in valid
  state."]}`` unless the resource is ``OK``, ``Updating`` or ``Terminating``; ``{"non_field_errors":
  ["These components are invalid: x."]}`` for types the offering does not bill by usage or
  limit), then the caller's permission (403 unless the provider). 8.x takes ``date`` (the month
  the amount belongs to); 7.x has no such field: the amount lands in the current month.
- ``set_user_usage`` stores one username's part of a component usage (201, no body): ``usage``
  (two decimals), ``username`` (required), ``user`` (the offering user's URL, optional) and, on
  8.x, ``date`` (the usage of that month is used, created when missing).
"""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

from puhuri_async.testing._api_base import ApiBase, caller_of
from puhuri_async.testing._bodies import (
    DATETIME_FORMAT_ERROR,
    decimal_field,
    list_field,
    parse_datetime,
    require_object,
    string_field,
    usage_item,
)
from puhuri_async.testing._http import HttpError, Reply, Request, validation_error
from puhuri_async.testing._listing import normalise_uuid
from puhuri_async.testing._store import JSONObject, timestamp
from puhuri_async.testing._usages import record_usage, record_user_usage

__all__ = ["UsageActions"]

_REPORTABLE = ("OK", "Updating", "Terminating")
_OFFERING_USER_URL = re.compile(r"/api/marketplace-offering-users/(?P<uuid>[0-9a-fA-F-]{32,36})/")


class UsageActions(ApiBase):
    """``set_usage`` and ``set_user_usage``."""

    def set_usage(self, request: Request) -> Reply:
        body = require_object(request.json())
        usages = list_field(body, "usages")
        items, errors = [], []
        for entry in usages:
            item, entry_errors = usage_item(entry)
            items.append(item)
            errors.append(entry_errors)
        field_errors: dict[str, Any] = {}
        if any(errors):
            field_errors["usages"] = errors
        refs, raw = {}, {}
        for name in ("resource", "plan_period"):
            value = body.get(name)
            if value is None:
                continue
            uuid = normalise_uuid(value) if isinstance(value, str) else None
            if uuid is None:
                field_errors[name] = ["Must be a valid UUID."]
            else:
                refs[name], raw[name] = uuid, value
        moment = self.clock()
        dated = body.get("date") is not None and not self.profile.drops("usages.set_usage", "date")
        if dated:
            parsed = parse_datetime(body["date"])
            if parsed is None:
                field_errors["date"] = [DATETIME_FORMAT_ERROR]
            else:
                moment = parsed
        if field_errors:
            raise validation_error(field_errors)
        if not refs:
            raise validation_error(
                {"non_field_errors": ["Either plan_period or resource should be provided."]}
            )
        resource, period = self._usage_target(refs, raw)
        if resource["state"] not in _REPORTABLE:
            raise validation_error({"resource": ["Resource is not in valid state."]})
        offering = self.object("offerings", resource["offering_uuid"])
        components = {
            c["type"]: c for c in offering["components"] if c["billing_type"] in ("usage", "limit")
        }
        unknown = sorted({item["type"] for item in items} - set(components))
        if unknown:
            raise validation_error(
                {"non_field_errors": [f"These components are invalid: {', '.join(unknown)}."]}
            )
        self.visibility.require_provider(caller_of(request), resource["provider_uuid"])
        date, month = timestamp(moment), moment.astimezone(UTC).strftime("%Y-%m")
        now = self.now()
        for item in items:
            record_usage(
                self.data,
                resource,
                period,
                components[item["type"]],
                amount=item["amount"],
                description=item["description"],
                recurring=item["recurring"],
                date=date,
                month=month,
                now=now,
            )
        return Reply(201, content_type=None)

    def _usage_target(
        self, refs: dict[str, str], raw: dict[str, str]
    ) -> tuple[JSONObject, JSONObject]:
        if "plan_period" in refs:
            for resource_uuid, periods in self.data.plan_periods.items():
                for candidate in periods:
                    if candidate["uuid"] == refs["plan_period"]:
                        return self.object("resources", resource_uuid), candidate
            raise validation_error(_missing("plan_period", raw))
        resource = self.data.get("resources", refs["resource"])
        if resource is None:
            raise validation_error(_missing("resource", raw))
        periods = self.data.plan_periods.get(resource["uuid"]) or []
        open_periods = [p for p in periods if p["end"] is None] or periods
        if not open_periods:
            raise validation_error({"resource": ["Resource has no active plan period."]})
        return resource, open_periods[-1]

    def set_user_usage(self, request: Request, uuid: str) -> Reply:
        usage = self.object("component_usages", uuid)
        resource = self.object("resources", usage["resource_uuid"])
        self.visibility.require_provider(caller_of(request), resource["provider_uuid"])
        body = require_object(request.json())
        errors: dict[str, list[str]] = {}
        amount, message = decimal_field(body.get("usage"), present="usage" in body)
        if message:
            errors["usage"] = [message]
        username = ""
        try:
            username = string_field(body, "username", max_length=100)
        except HttpError as exc:
            errors.update(exc.payload)
        account = None
        if body.get("user") is not None:
            account = self._offering_user(body["user"], errors)
        moment = None
        if body.get("date") is not None and not self.profile.drops("usages.set_user_usage", "date"):
            moment = parse_datetime(body["date"])
            if moment is None:
                errors["date"] = [DATETIME_FORMAT_ERROR]
        if errors:
            raise validation_error(errors)
        if moment is not None:
            usage = self._usage_of_month(usage, resource, moment)
        record_user_usage(
            self.data, usage, username=username, amount=amount, user=account, now=self.now()
        )
        return Reply(201, content_type=None)

    def _offering_user(self, value: Any, errors: dict[str, list[str]]) -> JSONObject | None:
        if not isinstance(value, str):
            errors["user"] = [
                f"Incorrect type. Expected URL string, received {type(value).__name__}."
            ]
            return None
        matched = _OFFERING_USER_URL.fullmatch(urlsplit(value).path)
        if matched is None:
            errors["user"] = [self.hyperlink_error(value)]
            return None
        found = self.data.get("offering_users", normalise_uuid(matched["uuid"]) or "")
        if found is None:
            errors["user"] = ["Invalid hyperlink - Object does not exist."]
        return found

    def _usage_of_month(self, usage: JSONObject, resource: JSONObject, moment: Any) -> JSONObject:
        """The component usage of the same resource and component for ``moment``'s month."""
        month = moment.astimezone(UTC).strftime("%Y-%m")
        for candidate in self.data.component_usages:
            if (
                candidate["resource_uuid"] == resource["uuid"]
                and candidate["type"] == usage["type"]
                and candidate["billing_period"].startswith(month)
            ):
                return candidate
        offering = self.object("offerings", resource["offering_uuid"])
        component = next(c for c in offering["components"] if c["type"] == usage["type"])
        periods = self.data.plan_periods.get(resource["uuid"]) or []
        if not periods:
            raise self.missing("resources")
        return record_usage(
            self.data,
            resource,
            periods[-1],
            component,
            amount="0.00",
            description="Created for user usage backfill",
            recurring=False,
            date=timestamp(moment),
            month=month,
            now=self.now(),
        )


def _missing(name: str, raw: dict[str, str]) -> dict[str, list[str]]:
    """DRF's ``SlugRelatedField`` error for a uuid no object has."""
    return {name: [f"Object with uuid={raw[name]} does not exist."]}
