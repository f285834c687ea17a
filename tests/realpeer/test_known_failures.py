"""What today's client does not survive on a real Waldur 7.0.7: the items of issue 12.

Each test states the behaviour the client must have and fails now (``xfail(strict=True)``, see
``_marks``). Where the issue allows more than one right answer (recover, or say loudly that it
cannot; translate an argument, or refuse it) the test accepts each of them and nothing else.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from puhuri_async import (
    APIError,
    ComponentUsage,
    InvalidArgumentError,
    OutcomeUnknownError,
    PuhuriError,
    PuhuriWarning,
    TransportError,
    ValidationError,
)

from ._peer import Api, Raw, Settings

CHANGED = "changed on the server"


def _sp(settings: Settings) -> str:
    return settings.uuid("provider_uuid")


def _reads_whole_or_says_why(call: Callable[[], list[Any]], total: int) -> None:
    """The list has ``total`` distinct items, or a warning says truthfully how many are missing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        items = call()
    distinct = {item.uuid for item in items}
    assert len(distinct) == len(items), "an item was returned twice"
    if len(distinct) == total:
        return
    messages = [str(w.message) for w in caught if issubclass(w.category, PuhuriWarning)]
    assert messages, f"{len(distinct)} of {total} items, and no warning"
    assert not any(CHANGED in m for m in messages), messages  # the count never moved
    missing = total - len(distinct)
    assert any(str(missing) in m or (str(total) in m and str(len(distinct)) in m) for m in messages)


def _strict_reads_whole_or_raises_why(call: Callable[[], Any], total: int) -> None:
    """Under ``strict=True``: every item, or an error that does not blame a change."""
    try:
        items, _ = call()
    except PuhuriError as exc:
        raised: PuhuriError | None = exc
    else:
        raised = None
    if raised is not None:
        # Raised for the list's sake, not because the server or the network failed.
        assert not isinstance(raised, APIError | TransportError), repr(raised)
        assert CHANGED not in str(raised), str(raised)
    else:
        assert len({item.uuid for item in items}) == total


def test_the_provider_keys_are_read_whole(api: Api, raw: Raw, settings: Settings) -> None:
    total = raw.count(f"marketplace-service-providers/{_sp(settings)}/keys/", role=api.role)
    _reads_whole_or_says_why(lambda: api("list_service_provider_ssh_keys", _sp(settings)), total)


def test_the_provider_keys_strictly(api: Api, raw: Raw, settings: Settings) -> None:
    total = raw.count(f"marketplace-service-providers/{_sp(settings)}/keys/", role=api.role)
    _strict_reads_whole_or_raises_why(
        lambda: api.collect("iter_service_provider_ssh_keys", _sp(settings), strict=True), total
    )


def test_all_keys_are_read_whole(staff_api: Api, raw: Raw) -> None:
    """``keys/`` can be read whole: ``o=name`` and ``o=-name`` together return every key."""
    _reads_whole_or_says_why(lambda: staff_api("list_ssh_keys"), raw.count("keys/"))


def test_all_keys_strictly(staff_api: Api, raw: Raw) -> None:
    _strict_reads_whole_or_raises_why(
        lambda: staff_api.collect("iter_ssh_keys", strict=True), raw.count("keys/")
    )


def test_every_field_of_every_resource_reads(api: Api, raw: Raw, settings: Settings) -> None:
    customer = settings.uuid("provider_customer_uuid")
    resources = api("list_marketplace_resources", provider_uuid=customer)
    for resource in resources:
        for field in attrs.fields(type(resource)):
            getattr(resource, field.name)
    limits = {r.uuid: r.limit_usage for r in resources}
    sent = {
        r["uuid"]: r["limit_usage"]
        for r in raw.all("marketplace-provider-resources/", provider_uuid=customer)
    }
    assert sent[settings.uuid("resources", "ok1")] == {"storage": None}
    for uuid, value in sent.items():
        expected = (
            None
            if value is None
            else {k: None if v is None else Decimal(v) for k, v in value.items()}
        )
        assert (None if limits[uuid] is None else dict(limits[uuid])) == expected


def test_the_provider_keys_of_one_user(api: Api, settings: Settings) -> None:
    user = settings.uuid("first_bulk_user_uuid")
    keys = api("list_service_provider_ssh_keys", _sp(settings), user_uuid=user)
    assert keys
    assert {key.user_uuid for key in keys} == {user}


def test_the_provider_projects_by_name(api: Api, settings: Settings) -> None:
    projects = api("list_service_provider_projects", _sp(settings), name="rp-project-b")
    assert [p.name for p in projects] == ["rp-project-b"]


def test_the_provider_permissions_of_one_user(api: Api, settings: Settings) -> None:
    permissions = api("list_service_provider_project_permissions", _sp(settings), username="rp-pi")
    assert permissions
    assert {p.user_uuid for p in permissions} == {settings.uuid("creator_uuid")}


def _refused(call: Callable[[], Any]) -> bool:
    """Whether the client (or the server) refused the call: a ``PuhuriError``, not a network one."""
    try:
        call()
    except (TransportError, OutcomeUnknownError):
        raise
    except PuhuriError:
        return True
    return False


def _tb_usages(raw: Raw, resource: str) -> dict[str, str]:
    listed = raw.all("marketplace-component-usages/", resource_uuid=resource, type="tb")
    return {u["billing_period"]: u["usage"] for u in listed}


def test_a_usage_never_lands_in_another_month(api: Api, raw: Raw) -> None:
    """Last month's usage is stored in last month, or refused before it reaches the server."""
    resource = raw.new_resource("rp-usage-date")
    api("create_component_usages", [ComponentUsage("tb", "5")], resource=resource)
    this_month = datetime.now(UTC).replace(day=1)
    (current,) = _tb_usages(raw, resource)
    last_month = (this_month - timedelta(days=1)).replace(day=15, hour=12)
    usage = [ComponentUsage("tb", "9")]
    if _refused(lambda: api("create_component_usages", usage, resource=resource, date=last_month)):
        assert _tb_usages(raw, resource) == {current: "5.00"}
        return
    stored = _tb_usages(raw, resource)
    assert stored[current] == "5.00", "last month's usage replaced this month's"
    assert stored[last_month.date().replace(day=1).isoformat()] == "9.00"


def test_a_rejection_comment_is_kept_or_refused(api: Api, raw: Raw) -> None:
    order = raw.new_order("rp-reject-comment")
    comment = "no capacity left this quarter"
    if _refused(lambda: api("marketplace_order_reject_by_provider", order, comment)):
        assert raw.order(order)["state"] == "pending-provider"
        return
    after = raw.order(order)
    assert after["state"] == "rejected"
    assert after.get("provider_rejection_comment") == comment


def _translated_or_refused(call: Callable[[], set[str]], expected: set[str]) -> None:
    """The call finds ``expected`` (the uuid was translated) or refuses ``provider_uuid``."""
    try:
        found = call()
    except InvalidArgumentError as exc:
        refused: InvalidArgumentError | None = exc
    else:
        refused = None
    if refused is not None:
        assert refused.argument == "provider_uuid"
    else:
        assert expected <= found


def _seeded_orders(settings: Settings) -> set[str]:
    return {settings.uuid("orders", key) for key in ("pp1", "pp2", "pc1", "done1")}


def test_orders_by_service_provider_uuid(api: Api, settings: Settings) -> None:
    """``provider_uuid`` is the customer's uuid: a provider's uuid is translated or refused."""
    _translated_or_refused(
        lambda: {o.uuid for o in api("list_orders", provider_uuid=_sp(settings))},
        _seeded_orders(settings),
    )


def test_resources_by_service_provider_uuid(api: Api, settings: Settings) -> None:
    _translated_or_refused(
        lambda: {r.uuid for r in api("list_marketplace_resources", provider_uuid=_sp(settings))},
        {settings.uuid("resources", "ok1")},
    )


def test_a_service_provider_has_its_organization_group(
    api: Api, raw: Raw, settings: Settings
) -> None:
    (ours,) = api("list_service_providers", customer_uuid=settings.uuid("provider_customer_uuid"))
    (sent,) = raw.get(
        "marketplace-service-providers/", customer_uuid=settings.uuid("provider_customer_uuid")
    )
    assert "organization_group" in sent
    assert ours.organization_group == sent["organization_group"]


def test_a_list_error_body_gives_field_errors(api: Api, settings: Settings) -> None:
    with pytest.raises(ValidationError) as refused:
        api("set_offerings_username", _sp(settings), "0" * 32, "x")
    messages = [m for ms in refused.value.field_errors.values() for m in ms]
    assert any("is not found" in m for m in messages), refused.value.field_errors
