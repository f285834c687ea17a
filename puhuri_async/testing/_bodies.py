"""Request-body checks with Django REST Framework's messages, as Waldur's serializers answer."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from puhuri_async.testing._http import HttpError, validation_error
from puhuri_async.testing._store import JSONObject

__all__ = [
    "DATETIME_FORMAT_ERROR",
    "decimal_field",
    "list_field",
    "parse_datetime",
    "require_object",
    "string_field",
    "usage_item",
]

DATETIME_FORMAT_ERROR = (
    "Datetime has wrong format. Use one of these formats instead: "
    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
)


def require_object(body: Any) -> JSONObject:
    """The body when it is a JSON object; DRF's 400 otherwise."""
    if not isinstance(body, dict):
        kind = type(body).__name__
        raise validation_error(
            {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {kind}."]}
        )
    return body


def string_field(
    body: JSONObject, name: str, *, max_length: int | None = None, allow_blank: bool = False
) -> str:
    """The required ``CharField`` ``name`` of ``body`` (DRF's messages for what is wrong)."""
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


def list_field(body: JSONObject, name: str) -> list[Any]:
    """The required list field ``name`` of ``body``."""
    if name not in body:
        raise validation_error({name: ["This field is required."]})
    value = body[name]
    if not isinstance(value, list):
        kind = type(value).__name__
        raise validation_error({name: [f'Expected a list of items but got type "{kind}".']})
    return value


def usage_item(entry: Any) -> tuple[JSONObject, dict[str, list[str]]]:
    """One item of ``set_usage``'s ``usages``: (the item, its field errors)."""
    if not isinstance(entry, dict):
        kind = type(entry).__name__
        return {}, {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {kind}."]}
    errors: dict[str, list[str]] = {}
    item: JSONObject = {"description": "", "recurring": False}
    try:
        item["type"] = string_field(entry, "type")
    except HttpError as exc:
        errors.update(exc.payload)
    amount, message = decimal_field(entry.get("amount"), present="amount" in entry)
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


def decimal_field(value: Any, *, present: bool) -> tuple[str, str | None]:
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


def parse_datetime(value: Any) -> datetime | None:
    """A DRF ``DateTimeField`` value (naive means UTC), or None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
