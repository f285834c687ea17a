"""The error hierarchy: classes by status, DRF body summaries, readable messages."""

from __future__ import annotations

from typing import Any

import pytest

from puhuri_async import (
    APIError,
    AuthenticationError,
    ConflictError,
    DecodeError,
    InvalidArgumentError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    PuhuriError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
)
from puhuri_async._errors import error_for_status, field_errors_of, summarize_body

URL = "https://h/api/marketplace-orders/abc/approve_by_provider/"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ValidationError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitedError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (405, APIError),
        (418, APIError),
        (302, APIError),
    ],
)
def test_error_class_by_status(status: int, cls: type[APIError]) -> None:
    error = error_for_status(status, "GET", URL, None, operation="op")
    assert type(error) is cls
    assert isinstance(error, PuhuriError)
    assert error.status_code == status


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            {"detail": "Order is not in pending-provider state"},
            "Order is not in pending-provider state",
        ),
        ({"detail": ["a", "b"]}, "a; b"),
        (
            {"name": ["This field is required."], "limits": ["Bad."]},
            "name: This field is required.; limits: Bad.",
        ),
        ({"non_field_errors": ["Nope."], "x": ["Bad."]}, "Nope.; x: Bad."),
        (["Resource is busy.", "Try later."], "Resource is busy.; Try later."),
        ("plain text failure", "plain text failure"),
        ("<!DOCTYPE html><html>bad gateway</html>", "an HTML page (39 characters)"),
        ({"attributes": {"cpu": ["Too many."]}}, "attributes: cpu: Too many."),
        (None, ""),
        ("", ""),
        ("x" * 900, "x" * 499 + "…"),
    ],
)
def test_detail_summarises_drf_bodies(body: Any, detail: str) -> None:
    assert summarize_body(body) == detail


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"detail": "x"}, {}),
        ({"name": ["Required."], "email": "Bad."}, {"name": ["Required."], "email": ["Bad."]}),
        ({"non_field_errors": ["Nope."]}, {"non_field_errors": ["Nope."]}),
        ({"attributes": {"cpu": ["Too many."]}}, {"attributes.cpu": ["Too many."]}),
        ({"limits": [{"cpu": ["Bad."]}, {}]}, {"limits[0].cpu": ["Bad."]}),
        (["a"], {"non_field_errors": ["a"]}),  # a list body: the whole request's errors
        ("text", {}),
    ],
)
def test_field_errors(body: Any, fields: dict[str, list[str]]) -> None:
    assert field_errors_of(body) == fields


def test_message_names_operation_method_url_status_and_detail() -> None:
    error = error_for_status(
        409,
        "POST",
        URL,
        {"detail": "Order is not in pending-provider state"},
        operation="marketplace_order_approve_by_provider",
    )
    assert str(error) == (
        "marketplace_order_approve_by_provider: POST "
        "https://h/api/marketplace-orders/abc/approve_by_provider/ → 409 Conflict: "
        "Order is not in pending-provider state"
    )
    assert error.detail == "Order is not in pending-provider state"
    assert repr(error).startswith("ConflictError('marketplace_order_approve_by_provider: POST")


def test_message_counts_retries() -> None:
    error = error_for_status(503, "GET", URL, None, operation="op", retries=3)
    assert str(error).endswith("→ 503 Service Unavailable (after 3 retries)")
    error.retries = 1
    assert str(error).endswith("(after 1 retry)")


def test_rate_limited_carries_retry_after() -> None:
    error = error_for_status(429, "GET", URL, {"detail": "Throttled."}, retry_after=7.0)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 7.0


def test_validation_error_fields() -> None:
    error = error_for_status(400, "POST", URL, {"name": ["This field is required."]})
    assert isinstance(error, ValidationError)
    assert error.field_errors == {"name": ["This field is required."]}
    assert "name: This field is required." in str(error)


def test_unknown_status_has_no_reason() -> None:
    error = APIError(599, "GET", URL)
    assert error.reason == ""
    assert str(error) == f"GET {URL} → 599"


def test_invalid_argument_is_a_value_error() -> None:
    error = InvalidArgumentError("uuid", "must be 32 hex digits, got 'x'")
    assert isinstance(error, ValueError)
    assert error.argument == "uuid"
    assert str(error) == "invalid uuid: must be 32 hex digits, got 'x'"


def test_decode_error_without_http_context() -> None:
    error = DecodeError("cannot structure User: 'uuid' is missing")
    assert str(error) == "cannot structure User: 'uuid' is missing"
    assert error.url is None
    assert error.status_code is None


def test_outcome_unknown_names_the_cause() -> None:
    cause = error_for_status(502, "POST", URL, None, operation="op")
    error = OutcomeUnknownError(cause, operation="op", method="POST", url=URL)
    text = str(error)
    assert text.startswith(f"op: POST {URL}: outcome unknown")
    assert "502 Bad Gateway" in text
    assert "check the state" in text
    assert error.cause is cause


def test_transport_error_message() -> None:
    error = TransportError(
        "could not connect (ConnectError: refused)",
        operation="op",
        method="GET",
        url=URL,
        retries=2,
    )
    assert (
        str(error) == f"op: GET {URL}: could not connect (ConnectError: refused) (after 2 retries)"
    )


@pytest.mark.parametrize(
    "error",
    [
        error_for_status(409, "POST", URL, {"detail": "Wrong state."}, operation="op", retries=2),
        error_for_status(429, "GET", URL, None, retry_after=3.0),
        InvalidArgumentError("uuid", "bad"),
        DecodeError("bad JSON", url=URL, status_code=200, excerpt="<html>"),
        OutcomeUnknownError(error_for_status(502, "POST", URL), operation="op"),
        TransportError("could not connect", operation="op", method="GET", url=URL),
    ],
)
def test_errors_survive_pickling(error: PuhuriError) -> None:
    import pickle

    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.__dict__.keys() == error.__dict__.keys()
