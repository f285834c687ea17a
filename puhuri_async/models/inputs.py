"""Values the caller builds and sends: component usages (per component and per user) and
resource report records.

Each checks its values when constructed, so a bad usage fails where it is written, not later
inside a request. ``usages_payload`` and ``report_payload`` turn lists of them into the JSON the
endpoints send; ``UserUsage.to_request`` makes the body of ``set_user_usage``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from puhuri_async._arguments import amount_arg, non_empty_str, timestamp_arg, uuid_arg
from puhuri_async._errors import InvalidArgumentError

#: The longest offering username the server stores (``ComponentUserUsageCreateRequest``).
USERNAME_MAX_LENGTH = 100


def _usage_type(value: str) -> str:
    return non_empty_str(value, "type")


def _amount(value: Decimal | int | float | str) -> Decimal:
    return amount_arg(value, "amount")


def _description(value: str) -> str:
    if not isinstance(value, str):
        raise InvalidArgumentError("description", f"must be a string, got {type(value).__name__}")
    return value


def _recurring(value: bool) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgumentError("recurring", f"must be a bool, got {type(value).__name__}")
    return value


def _header(value: str) -> str:
    return non_empty_str(value, "header")


def _body(value: str) -> str:
    return non_empty_str(value, "body")


@attrs.frozen
class ComponentUsage:
    """The usage of one offering component, to report with ``create_component_usages``.

    ``type`` is the component type (``offering.components[i].type``), ``amount`` a non-negative
    number with at most 2 decimal places, kept as ``Decimal`` and sent as a decimal string (never
    rounded: ``0.125`` is rejected, not sent as ``0.13``). ``recurring=True`` asks the server to
    reuse the amount every month until changed.
    """

    type: str = attrs.field(converter=_usage_type)
    amount: Decimal = attrs.field(converter=_amount)
    description: str = attrs.field(default="", converter=_description)
    recurring: bool = attrs.field(default=False, kw_only=True, converter=_recurring)

    def to_request(self) -> dict[str, Any]:
        """The JSON item of ``set_usage``'s ``usages`` list."""
        item: dict[str, Any] = {
            "type": self.type,
            "amount": format(self.amount, "f"),
            "description": self.description,
        }
        if self.recurring:
            item["recurring"] = True
        return item


def _username(value: str) -> str:
    return non_empty_str(value, "username", max_length=USERNAME_MAX_LENGTH)


def _user_amount(value: Decimal | int | float | str) -> Decimal:
    return amount_arg(value, "usage")


def _offering_user(value: str | None) -> str | None:
    return None if value is None else uuid_arg(value, "offering_user_uuid")


def _date(value: datetime | date | str | None) -> str | None:
    return None if value is None else timestamp_arg(value, "date")


@attrs.frozen
class UserUsage:
    """One user's usage of a component within a component usage, to report with
    ``create_component_user_usage`` (the server's ``set_user_usage``).

    ``username`` is the user's username on the offering (at most 100 characters); ``usage`` an
    amount as for ``ComponentUsage`` (non-negative, at most 2 decimal places, never rounded).
    ``offering_user_uuid`` links the usage to an offering user (sent as its URL).
    ``date``, for limit-based components, says when the usage happened (a timezone-aware
    ``datetime``, a ``date`` meaning midnight UTC, or ISO 8601 text with an offset); only 8.x
    servers take it, 7.x ignores it. Reporting again for the same username replaces the usage.
    """

    username: str = attrs.field(converter=_username)
    usage: Decimal = attrs.field(converter=_user_amount)
    offering_user_uuid: str | None = attrs.field(
        default=None, kw_only=True, converter=_offering_user
    )
    date: str | None = attrs.field(default=None, kw_only=True, converter=_date)

    def to_request(self, offering_user_url: str | None = None) -> dict[str, Any]:
        """The JSON body of ``set_user_usage``; ``offering_user_url`` is the URL of the offering
        user ``offering_user_uuid`` names (the endpoint knows the API root)."""
        body: dict[str, Any] = {"usage": format(self.usage, "f"), "username": self.username}
        if offering_user_url is not None:
            body["user"] = offering_user_url
        if self.date is not None:
            body["date"] = self.date
        return body


@attrs.frozen
class ResourceReportRecord:
    """One section (a header and a body, both non-empty) of a resource's access report."""

    header: str = attrs.field(converter=_header)
    body: str = attrs.field(converter=_body)

    def to_request(self) -> dict[str, str]:
        """The JSON item of ``submit_report``'s ``report`` list."""
        return {"header": self.header, "body": self.body}


def _items(value: object, argument: str) -> list[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidArgumentError(argument, f"must be a list, got {type(value).__name__}")
    return list(value)


def _coerce(item: object, cls: type[Any], argument: str) -> Any:
    """``item`` as ``cls``: as is, or built from a mapping with the same keys (old scripts)."""
    if isinstance(item, cls):
        return item
    if isinstance(item, Mapping):
        try:
            return cls(**item)
        except InvalidArgumentError as exc:
            raise InvalidArgumentError(f"{argument}.{exc.argument}", exc.problem) from None
        except TypeError as exc:
            raise InvalidArgumentError(argument, str(exc)) from None
    raise InvalidArgumentError(argument, f"must be a {cls.__name__}, got {type(item).__name__}")


def usages_payload(usages: object, argument: str = "usages") -> list[dict[str, Any]]:
    """``usages`` (a non-empty list of ``ComponentUsage``) as the ``set_usage`` JSON list.

    Mappings with the same keys are accepted too. A component type given twice is rejected: the
    server would keep only one of the amounts.
    """
    items = [
        _coerce(item, ComponentUsage, f"{argument}[{index}]")
        for index, item in enumerate(_items(usages, argument))
    ]
    if not items:
        raise InvalidArgumentError(argument, "must not be empty")
    seen: set[str] = set()
    for item in items:
        if item.type in seen:
            raise InvalidArgumentError(argument, f"has component type {item.type!r} more than once")
        seen.add(item.type)
    return [item.to_request() for item in items]


def report_payload(report: object, argument: str = "report") -> list[dict[str, str]]:
    """``report`` (a list of ``ResourceReportRecord``) as the ``submit_report`` JSON list.

    Mappings with ``header`` and ``body`` are accepted too. The list must not be empty: the
    server refuses an empty report ("This list may not be empty."), so it is refused here first.
    """
    items = _items(report, argument)
    if not items:
        raise InvalidArgumentError(argument, "must hold at least one ResourceReportRecord")
    return [
        _coerce(item, ResourceReportRecord, f"{argument}[{index}]").to_request()
        for index, item in enumerate(items)
    ]
