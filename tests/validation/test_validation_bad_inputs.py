"""Bad arguments: each raises InvalidArgumentError (a ValueError) naming the argument at fault."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from puhuri_async import _schema
from puhuri_async._arguments import (
    amount_arg,
    backend_id_arg,
    exactly_one,
    non_empty_str,
    optional_str,
    timestamp_arg,
    uuid_arg,
    uuid_or_url_arg,
)
from puhuri_async._errors import InvalidArgumentError, PuhuriError
from puhuri_async._filters import (
    check_filters,
    encode_value,
    extra_params_arg,
    fields_arg,
    merge_filters,
)
from puhuri_async.models import ComponentUsage, ResourceReportRecord
from puhuri_async.models.inputs import report_payload, usages_payload

BASE = "https://puhuri.example/api/"
UUID = "d47ca5bce71144579df29da3c290027e"
ORDERS = "marketplace-orders/"
RESOURCES = "marketplace-provider-resources/"


def offering(value: Any) -> str:
    return uuid_or_url_arg(
        value, "offering", base_url=BASE, collection="marketplace-provider-offerings"
    )


# (case id, call, argument the error must name)
BAD: list[tuple[str, Callable[[], object], str]] = [
    # UUIDs
    ("uuid empty", lambda: uuid_arg("", "order_uuid"), "order_uuid"),
    ("uuid None", lambda: uuid_arg(None, "order_uuid"), "order_uuid"),
    ("uuid int", lambda: uuid_arg(12345, "resource_uuid"), "resource_uuid"),
    ("uuid bytes", lambda: uuid_arg(UUID.encode(), "resource_uuid"), "resource_uuid"),
    ("uuid too short", lambda: uuid_arg(UUID[:-1], "resource_uuid"), "resource_uuid"),
    ("uuid too long", lambda: uuid_arg(UUID + "0", "resource_uuid"), "resource_uuid"),
    ("uuid not hex", lambda: uuid_arg("g" * 32, "offering_uuid"), "offering_uuid"),
    ("uuid braces", lambda: uuid_arg("{" + str(uuid.UUID(UUID)) + "}", "user_uuid"), "user_uuid"),
    ("uuid urn", lambda: uuid_arg(uuid.UUID(UUID).urn, "user_uuid"), "user_uuid"),
    ("uuid spaces", lambda: uuid_arg(f" {UUID} ", "user_uuid"), "user_uuid"),
    ("uuid trailing newline", lambda: uuid_arg(UUID + "\n", "user_uuid"), "user_uuid"),
    ("uuid dashes misplaced", lambda: uuid_arg("d47ca5bc-e711-4457-9df29da3c290027e", "u"), "u"),
    # UUID or URL
    ("url other host", lambda: offering(f"https://evil.example/api/x/{UUID}/"), "offering"),
    ("url other scheme", lambda: offering(f"http://puhuri.example/api/{UUID}/"), "offering"),
    ("url other port", lambda: offering(f"https://puhuri.example:8443/api/{UUID}/"), "offering"),
    (
        "url wrong collection",
        lambda: offering(f"{BASE}marketplace-public-offerings/{UUID}/"),
        "offering",
    ),
    ("url outside api root", lambda: offering(f"https://puhuri.example/x/{UUID}/"), "offering"),
    ("url no uuid", lambda: offering(f"{BASE}marketplace-provider-offerings/"), "offering"),
    (
        "url with query",
        lambda: offering(f"{BASE}marketplace-provider-offerings/{UUID}/?x=1"),
        "offering",
    ),
    (
        "url with credentials",
        lambda: offering(
            f"https://me:pw@puhuri.example/api/marketplace-provider-offerings/{UUID}/"
        ),
        "offering",
    ),
    ("url relative", lambda: offering(f"marketplace-provider-offerings/{UUID}/"), "offering"),
    ("url ftp", lambda: offering(f"ftp://puhuri.example/api/{UUID}/"), "offering"),
    ("url bad port", lambda: offering("https://puhuri.example:99999/api/"), "offering"),
    ("url not str", lambda: offering(42), "offering"),
    # strings
    ("backend_id empty", lambda: backend_id_arg(""), "backend_id"),
    ("backend_id blank", lambda: backend_id_arg("   "), "backend_id"),
    ("backend_id 256 chars", lambda: backend_id_arg("x" * 256), "backend_id"),
    ("backend_id int", lambda: backend_id_arg(7), "backend_id"),
    ("username None", lambda: non_empty_str(None, "username"), "username"),
    ("comment not str", lambda: optional_str(["no"], "comment"), "comment"),
    ("comment too long", lambda: optional_str("x" * 11, "comment", max_length=10), "comment"),
    # amounts
    ("amount NaN", lambda: amount_arg(float("nan"), "amount"), "amount"),
    ("amount inf", lambda: amount_arg(float("inf"), "amount"), "amount"),
    ("amount Decimal NaN", lambda: amount_arg(Decimal("NaN"), "amount"), "amount"),
    ("amount Decimal -inf", lambda: amount_arg(Decimal("-Infinity"), "amount"), "amount"),
    ("amount text", lambda: amount_arg("ten", "amount"), "amount"),
    ("amount text nan", lambda: amount_arg("nan", "amount"), "amount"),
    ("amount text exponent", lambda: amount_arg("1e3", "amount"), "amount"),
    ("amount comma", lambda: amount_arg("1,5", "amount"), "amount"),
    ("amount 3 places", lambda: amount_arg(Decimal("1.005"), "amount"), "amount"),
    ("amount float 3 places", lambda: amount_arg(0.125, "amount"), "amount"),
    ("amount tiny float", lambda: amount_arg(1e-7, "amount"), "amount"),
    ("amount negative", lambda: amount_arg(-1, "amount"), "amount"),
    ("amount bool", lambda: amount_arg(True, "amount"), "amount"),
    ("amount None", lambda: amount_arg(None, "amount"), "amount"),
    ("amount 19 digits", lambda: amount_arg(10**18, "amount"), "amount"),
    # timestamps and alternatives
    ("date naive", lambda: timestamp_arg(datetime(2024, 5, 1), "date"), "date"),
    ("date text", lambda: timestamp_arg("May 1st", "date"), "date"),
    ("date int", lambda: timestamp_arg(20240501, "date"), "date"),
    ("neither", lambda: exactly_one({"resource": None, "plan_period": None}), "resource"),
    ("both", lambda: exactly_one({"resource": UUID, "plan_period": UUID}), "resource"),
    # input models and payloads
    ("usage type empty", lambda: ComponentUsage("", 1), "type"),
    ("usage type None", lambda: ComponentUsage(None, 1), "type"),  # type: ignore[arg-type]
    ("usage amount", lambda: ComponentUsage("cpu", "lots"), "amount"),
    ("usage description", lambda: ComponentUsage("cpu", 1, 5), "description"),  # type: ignore[arg-type]
    ("usage recurring", lambda: ComponentUsage("cpu", 1, recurring="yes"), "recurring"),  # type: ignore[arg-type]
    ("report header empty", lambda: ResourceReportRecord("", "body"), "header"),
    ("report body blank", lambda: ResourceReportRecord("Header", " \n"), "body"),
    ("usages empty", lambda: usages_payload([]), "usages"),
    ("usages not a list", lambda: usages_payload(ComponentUsage("cpu", 1)), "usages"),
    ("usages a dict", lambda: usages_payload({"type": "cpu", "amount": 1}), "usages"),
    ("usages item str", lambda: usages_payload(["cpu"]), "usages[0]"),
    (
        "usages item amount",
        lambda: usages_payload([ComponentUsage("cpu", 1), {"type": "gpu", "amount": 0.001}]),
        "usages[1].amount",
    ),
    ("usages item unknown key", lambda: usages_payload([{"type": "cpu", "amont": 1}]), "usages[0]"),
    (
        "usages duplicate type",
        lambda: usages_payload([ComponentUsage("cpu", 1), ComponentUsage("cpu", 2)]),
        "usages",
    ),
    ("report a string", lambda: report_payload("Header: body"), "report"),
    ("report empty", lambda: report_payload([]), "report"),
    (
        "report item header",
        lambda: report_payload([{"header": "", "body": "b"}]),
        "report[0].header",
    ),
    # filters
    ("filters not a mapping", lambda: check_filters(ORDERS, [("state", "done")]), "filters"),  # type: ignore[arg-type]
    ("filter unknown name", lambda: check_filters(ORDERS, {"stat": "done"}), "filters"),
    ("filter page", lambda: check_filters(ORDERS, {"page": 2}), "filters"),
    ("filter page_size", lambda: check_filters(ORDERS, {"page_size": 2}), "filters"),
    ("filter name not str", lambda: check_filters(ORDERS, {1: "x"}), "filters"),  # type: ignore[dict-item]
    ("filter state case", lambda: check_filters(ORDERS, {"state": "Executing"}), "state"),
    ("filter state typo", lambda: check_filters(ORDERS, {"state": "pending_provider"}), "state"),
    ("filter state in list", lambda: check_filters(ORDERS, {"state": ["done", "Done"]}), "state"),
    ("filter state empty list", lambda: check_filters(ORDERS, {"state": []}), "state"),
    ("filter type lowercase", lambda: check_filters(ORDERS, {"type": "terminate"}), "type"),
    ("filter o unknown", lambda: check_filters(ORDERS, {"o": "-name"}), "o"),
    ("filter resource state", lambda: check_filters(RESOURCES, {"state": "ok"}), "state"),
    ("filter uuid bad", lambda: check_filters(ORDERS, {"resource_uuid": "abc"}), "resource_uuid"),
    ("filter uuid list", lambda: check_filters(ORDERS, {"resource_uuid": [UUID]}), "resource_uuid"),
    ("filter bool", lambda: check_filters("users/", {"is_active": "yes"}), "is_active"),
    ("filter bool int", lambda: check_filters("users/", {"is_active": 1}), "is_active"),
    (
        "filter number",
        lambda: check_filters(RESOURCES, {"component_count": "two"}),
        "component_count",
    ),
    (
        "filter number bool",
        lambda: check_filters(RESOURCES, {"component_count": True}),
        "component_count",
    ),
    ("filter string dict", lambda: check_filters("users/", {"email": {"a": 1}}), "email"),
    (
        "filter date datetime",
        lambda: encode_value("date", datetime(2024, 5, 1), "billing_period"),
        "billing_period",
    ),
    (
        "filter comma value",
        lambda: check_filters(RESOURCES, {"offering_slug": ["a,b"]}),
        "offering_slug",
    ),
    ("fields unknown", lambda: fields_arg(RESOURCES, ["name", "nmae"]), "fields"),
    ("fields not list", lambda: fields_arg(RESOURCES, 5), "fields"),  # type: ignore[arg-type]
    ("merge conflict", lambda: merge_filters({"state": "done"}, {"state": "erred"}), "state"),
    ("merge not mapping", lambda: merge_filters("state=done", {}), "filters"),  # type: ignore[arg-type]
    ("extra params page", lambda: extra_params_arg({"page": 3}), "extra_params"),
    ("extra params shape", lambda: extra_params_arg(["a", "b"]), "extra_params"),
    ("extra params value", lambda: extra_params_arg({"x": object()}), "extra_params"),
    ("extra params type", lambda: extra_params_arg("x=1"), "extra_params"),
]


@pytest.mark.parametrize(("call", "argument"), [case[1:] for case in BAD], ids=[c[0] for c in BAD])
def test_bad_input_is_rejected_naming_the_argument(
    call: Callable[[], object], argument: str
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        call()
    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, PuhuriError)
    assert error.argument == argument
    assert str(error).startswith(f"invalid {argument}: ")


def test_the_table_is_large_enough() -> None:
    assert len(BAD) >= 30
    assert len({case[0] for case in BAD}) == len(BAD)


@pytest.mark.parametrize(
    ("filters", "hint"),
    [
        ({"state": "pending_provider"}, "did you mean 'pending-provider'?"),
        ({"state": "Executing"}, "did you mean 'executing'?"),
        ({"type": "terminate"}, "did you mean 'Terminate'?"),
        ({"stat": "done"}, "did you mean 'state'?"),
        ({"resource_uid": UUID}, "did you mean 'resource_uuid'?"),
        ({"o": "created_at"}, "did you mean 'created'?"),
    ],
)
def test_hints(filters: dict[str, Any], hint: str) -> None:
    with pytest.raises(InvalidArgumentError, match=hint.replace("?", r"\?")):
        check_filters(ORDERS, filters)


def test_unknown_filter_lists_the_valid_names() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        check_filters("marketplace-service-providers/", {"customer_uid": UUID})
    message = str(caught.value)
    assert "unknown filter 'customer_uid' for marketplace-service-providers/" in message
    assert "valid filters: customer, customer_keyword, customer_uuid, field, o" in message


def test_enum_error_lists_the_valid_values() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        check_filters(RESOURCES, {"state": "Running"})
    assert "valid: Creating, OK, Erred, Updating, Terminating, Terminated" in str(caught.value)


def test_fields_on_a_list_without_field_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(_schema.PARAMETER_TYPES, "no-fields/", {"name": "string"})
    with pytest.raises(InvalidArgumentError) as caught:
        fields_arg("no-fields/", ["x"])
    assert caught.value.argument == "fields"
    assert "is not supported by no-fields/" in str(caught.value)


def test_nothing_is_invented_for_unknown_templates() -> None:
    with pytest.raises(LookupError):
        check_filters("no-such-path/", {})


def test_rejected_filters_are_left_unchanged() -> None:
    filters = {"state": ["done", "Done"], "resource_uuid": UUID.upper()}
    before = {"state": ["done", "Done"], "resource_uuid": UUID.upper()}
    with pytest.raises(InvalidArgumentError):
        check_filters(ORDERS, filters)
    assert filters == before


def test_timestamp_rejects_a_date_given_as_a_naive_datetime_subclass() -> None:
    with pytest.raises(InvalidArgumentError, match="timezone-aware"):
        timestamp_arg(datetime.combine(date(2024, 5, 1), datetime.min.time()), "date")
