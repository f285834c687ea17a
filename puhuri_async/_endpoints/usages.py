"""Usage reporting: ``POST marketplace-component-usages/set_usage/`` and, per user,
``POST marketplace-component-usages/{uuid}/set_user_usage/``.

Hand-written: amounts are checked exactly (never rounded), the target is one of two spellings
of two arguments, the billing month is a timestamp, and an offering user is sent as its URL.
Their rows (``create_component_usages``, ``create_component_user_usage``) give the method, path
and idempotency (both are upserts: they are retried).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date as date_type
from datetime import datetime
from decimal import Decimal
from typing import Any

from puhuri_async._arguments import exactly_one, timestamp_arg, uuid_arg, uuid_or_url_arg
from puhuri_async._endpoints._base import EndpointMixin, path_of
from puhuri_async.models.inputs import ComponentUsage, UserUsage, usages_payload

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

    async def create_component_user_usage(
        self,
        component_usage_uuid: str,
        usage: Decimal | int | float | str,
        username: str,
        offering_user_uuid: str | None = None,
        *,
        date: datetime | date_type | str | None = None,
    ) -> None:
        """Report how much of a component usage one user (``username``) used.

        ``component_usage_uuid`` is a record of ``list_component_usages`` (the resource's
        usage of one component in one month); ``usage`` is an amount as for
        ``create_component_usages`` (at most 2 decimal places, never rounded); ``username`` the
        user's account name on the offering (at most 100 characters). ``offering_user_uuid``
        links the usage to that offering user (sent as its URL). ``date`` (8.x; 7.x drops it)
        says when the usage happened, for limit-based components.

        Reporting again for the same username replaces the amount, so it is retried. The server
        answers 201 with no body; read it back with ``list_component_user_usages``.

        Example:

        ```python
        (record,) = await client.list_component_usages(resource_uuid, type="cpu")
        await client.create_component_user_usage(record.uuid, "12.5", "jdoe")
        ```
        """
        name = "create_component_user_usage"
        path = path_of(name, (component_usage_uuid,))
        item = UserUsage(username, usage, offering_user_uuid=offering_user_uuid, date=date)
        url = None
        if item.offering_user_uuid is not None:
            url = uuid_or_url_arg(
                item.offering_user_uuid,
                "offering_user_uuid",
                base_url=self._transport.base_url,
                collection="marketplace-offering-users",
            )
        await self._send(name, item.to_request(url), path=path)
