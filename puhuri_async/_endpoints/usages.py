"""Usage reporting: ``POST marketplace-component-usages/set_usage/``.

Hand-written: amounts are checked exactly (never rounded), the target is one of two spellings
of two arguments, and the billing month is a timestamp. Its row (``create_component_usages``)
gives the method, path and idempotency (set_usage is an upsert: it is retried).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date as date_type
from typing import Any

from puhuri_async._arguments import exactly_one, timestamp_arg, uuid_arg
from puhuri_async._endpoints._base import EndpointMixin
from puhuri_async.models.inputs import ComponentUsage, usages_payload

__all__ = ["UsagesEndpoints"]


class UsagesEndpoints(EndpointMixin):
    """Reporting how much of each offering component a resource used."""

    async def create_component_usages(
        self,
        usages: Iterable[ComponentUsage],
        resource: str | None = None,
        plan_period: str | None = None,
        *,
        date: date_type | str | None = None,
        resource_uuid: str | None = None,
        plan_period_uuid: str | None = None,
    ) -> None:
        """Report ``usages`` (``ComponentUsage`` items) of a resource for the current month.

        Give exactly one of ``resource`` (the resource's current plan period is used) and
        ``plan_period`` (a UUID from ``marketplace_resource_get_plan_periods``);
        ``resource_uuid=`` and ``plan_period_uuid=`` are the same arguments under the keyword
        names waldur_client 0.6.4 uses (give one spelling, not both). Amounts are
        sent as decimal strings, exactly as given (more than 2 decimal places is an error, never
        rounded). ``date`` (an aware ``datetime``, a ``date`` meaning midnight UTC, or an ISO 8601
        string with an offset) picks the billing month; the server's today by default.

        A second report for the same component and month replaces the first. The server answers
        201 with no body, so this returns ``None``; read the stored amounts back with
        ``marketplace_resource_get_plan_periods``.

        Args:
            usages: One ``ComponentUsage`` per component type.
            resource: UUID of the resource; its current plan period is reported on.
            plan_period: UUID of a plan period, instead of ``resource``.
            date: The billing month: an aware ``datetime``, a ``date`` or an ISO 8601 string.
            resource_uuid: ``resource`` under waldur_client's keyword name.
            plan_period_uuid: ``plan_period`` under waldur_client's keyword name.

        Raises:
            InvalidArgumentError: Not exactly one of the resource and plan period arguments, a
                malformed UUID, date or amount, before any request is sent.
        """
        items = usages_payload(usages)
        given = {
            "resource": resource,
            "plan_period": plan_period,
            "resource_uuid": resource_uuid,
            "plan_period_uuid": plan_period_uuid,
        }
        argument = exactly_one(given)
        body: dict[str, Any] = {
            "usages": items,
            argument.removesuffix("_uuid"): uuid_arg(given[argument], argument),
        }
        if date is not None:
            body["date"] = timestamp_arg(date, "date")
        await self._send("create_component_usages", body)
