"""Bad arguments to every operation: refused before any request, naming the argument."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from puhuri_async import ComponentUsage, InvalidArgumentError, PuhuriClient
from puhuri_async._operations import METHODS
from puhuri_async._operations import OPERATIONS as TABLE
from puhuri_async.testing import FakePuhuri

U = "0123456789abcdef0123456789abcdef"  # a well-formed UUID; no request gets far enough to use it
GOOD = [ComponentUsage("cpu", 1)]
OTHER_ORIGIN = f"https://evil.example.org/api/marketplace-provider-offerings/{U}/"

Call = Callable[[PuhuriClient], Any]

#: (id, call, argument the error must name). Every operation of the table appears.
CASES: list[tuple[str, Call, str]] = [
    # list_users / list_ssh_keys
    ("users unknown filter", lambda c: c.list_users(usrname="x"), "filters"),
    ("users bool filter", lambda c: c.list_users(is_active="yes"), "is_active"),
    ("users page_size filter", lambda c: c.list_users(page_size=10), "filters"),
    ("users filters not a mapping", lambda c: c.list_users(["username"]), "filters"),
    ("users negative limit", lambda c: c.list_users(limit=-1), "limit"),
    ("keys bad uuid filter", lambda c: c.list_ssh_keys(user_uuid="bob"), "user_uuid"),
    ("keys unknown order", lambda c: c.list_ssh_keys(o="size"), "o"),
    # list_marketplace_resources
    ("resources state case", lambda c: c.list_marketplace_resources(state="ok"), "state"),
    (
        "resources state in list",
        lambda c: c.list_marketplace_resources(state=["OK", "erred"]),
        "state",
    ),
    ("resources empty state list", lambda c: c.list_marketplace_resources(state=[]), "state"),
    (
        "resources bad provider",
        lambda c: c.list_marketplace_resources(provider_uuid="lumi"),
        "provider_uuid",
    ),
    (
        "resources empty offering",
        lambda c: c.list_marketplace_resources(offering_uuid=""),
        "offering_uuid",
    ),
    ("resources unknown field", lambda c: c.list_marketplace_resources(fields=["nmae"]), "fields"),
    ("resources fields not names", lambda c: c.list_marketplace_resources(fields=5), "fields"),
    ("resources unknown filter", lambda c: c.list_marketplace_resources(provder_uuid=U), "filters"),
    (
        "resources filter given twice",
        lambda c: c.list_marketplace_resources(U, filters={"provider_uuid": "f" * 32}),
        "provider_uuid",
    ),
    ("iter resources state case", lambda c: c.iter_marketplace_resources(state="OK "), "state"),
    # list_orders
    ("orders state case", lambda c: c.list_orders(state="Pending-Provider"), "state"),
    ("orders type case", lambda c: c.list_orders({"type": "create"}), "type"),
    ("orders unknown filter", lambda c: c.list_orders(status="done"), "filters"),
    ("orders bad resource", lambda c: c.list_orders(resource_uuid="r-1"), "resource_uuid"),
    ("iter orders unknown filter", lambda c: c.iter_orders(sate="done"), "filters"),
    # the order actions
    ("approve empty uuid", lambda c: c.marketplace_order_approve_by_provider(""), "order_uuid"),
    (
        "approve braced uuid",
        lambda c: c.marketplace_order_approve_by_provider("{" + U + "}"),
        "order_uuid",
    ),
    ("approve none", lambda c: c.marketplace_order_approve_by_provider(None), "order_uuid"),
    ("reject short uuid", lambda c: c.marketplace_order_reject_by_provider(U[:-1]), "order_uuid"),
    (
        "reject comment not text",
        lambda c: c.marketplace_order_reject_by_provider(U, comment=42),
        "comment",
    ),
    ("cancel int uuid", lambda c: c.marketplace_order_cancel(12345), "order_uuid"),
    # set_backend_id / submit_report / team / plan periods (and aliases)
    ("backend_id empty", lambda c: c.marketplace_resource_set_backend_id(U, ""), "backend_id"),
    ("backend_id blank", lambda c: c.marketplace_resource_set_backend_id(U, "  "), "backend_id"),
    (
        "backend_id too long",
        lambda c: c.marketplace_resource_set_backend_id(U, "x" * 256),
        "backend_id",
    ),
    ("backend_id not text", lambda c: c.marketplace_resource_set_backend_id(U, 7), "backend_id"),
    (
        "backend_id bad resource",
        lambda c: c.marketplace_resource_set_backend_id("res-1", "b"),
        "resource_uuid",
    ),
    (
        "alias backend_id too long",
        lambda c: c.marketplace_provider_resource_set_backend_id(U, "y" * 300),
        "backend_id",
    ),
    (
        "report empty header",
        lambda c: c.marketplace_resource_submit_report(U, [{"header": "", "body": "b"}]),
        "report[0].header",
    ),
    (
        "report blank body",
        lambda c: c.marketplace_resource_submit_report(
            U, [{"header": "h", "body": "b"}, {"header": "h", "body": " \n"}]
        ),
        "report[1].body",
    ),
    (
        "report not a list",
        lambda c: c.marketplace_resource_submit_report(U, "header: body"),
        "report",
    ),
    (
        "report item not a record",
        lambda c: c.marketplace_resource_submit_report(U, [("h", "b")]),
        "report[0]",
    ),
    (
        "alias report bad resource",
        lambda c: c.marketplace_provider_resource_submit_report("", []),
        "resource_uuid",
    ),
    ("team empty uuid", lambda c: c.marketplace_resource_get_team(""), "resource_uuid"),
    (
        "alias team bad uuid",
        lambda c: c.marketplace_provider_resource_get_team("team"),
        "resource_uuid",
    ),
    ("plan periods none", lambda c: c.marketplace_resource_get_plan_periods(None), "resource_uuid"),
    (
        "alias plan periods bad uuid",
        lambda c: c.marketplace_provider_resource_get_plan_periods("p"),
        "resource_uuid",
    ),
    (
        "alias provider resources bad state",
        lambda c: c.list_marketplace_provider_resources(state="ok"),
        "state",
    ),
    # get_marketplace_offering
    ("offering bad uuid", lambda c: c.get_marketplace_offering("lumi-c"), "offering_uuid"),
    ("alias offering empty", lambda c: c.get_marketplace_provider_offering(""), "offering_uuid"),
    # create_component_usages
    ("usages empty", lambda c: c.create_component_usages([], resource=U), "usages"),
    (
        "usages one usage not a list",
        lambda c: c.create_component_usages(GOOD[0], resource=U),
        "usages",
    ),
    (
        "usages NaN",
        lambda c: c.create_component_usages([{"type": "cpu", "amount": float("nan")}], resource=U),
        "usages[0].amount",
    ),
    (
        "usages inf",
        lambda c: c.create_component_usages([{"type": "cpu", "amount": "inf"}], resource=U),
        "usages[0].amount",
    ),
    (
        "usages Decimal inf",
        lambda c: c.create_component_usages(
            [{"type": "cpu", "amount": Decimal("Infinity")}], resource=U
        ),
        "usages[0].amount",
    ),
    (
        "usages non-numeric",
        lambda c: c.create_component_usages([{"type": "cpu", "amount": "ten"}], resource=U),
        "usages[0].amount",
    ),
    (
        "usages three decimals",
        lambda c: c.create_component_usages(
            [*GOOD, {"type": "gpu", "amount": "1.005"}], resource=U
        ),
        "usages[1].amount",
    ),
    (
        "usages negative",
        lambda c: c.create_component_usages([{"type": "cpu", "amount": -1}], resource=U),
        "usages[0].amount",
    ),
    (
        "usages bool amount",
        lambda c: c.create_component_usages([{"type": "cpu", "amount": True}], resource=U),
        "usages[0].amount",
    ),
    (
        "usages empty type",
        lambda c: c.create_component_usages([{"type": "", "amount": 1}], resource=U),
        "usages[0].type",
    ),
    (
        "usages type twice",
        lambda c: c.create_component_usages([*GOOD, ComponentUsage("cpu", 2)], resource=U),
        "usages",
    ),
    ("usages neither target", lambda c: c.create_component_usages(GOOD), "resource"),
    (
        "usages both targets",
        lambda c: c.create_component_usages(GOOD, resource=U, plan_period=U),
        "resource",
    ),
    (
        "usages bad plan period",
        lambda c: c.create_component_usages(GOOD, plan_period="current"),
        "plan_period",
    ),
    ("usages bad resource", lambda c: c.create_component_usages(GOOD, resource=""), "resource"),
    (
        "usages bad resource_uuid",
        lambda c: c.create_component_usages(usages=GOOD, resource_uuid="r1"),
        "resource_uuid",
    ),
    (
        "usages bad plan_period_uuid",
        lambda c: c.create_component_usages(usages=GOOD, plan_period_uuid=7),
        "plan_period_uuid",
    ),
    (
        "usages both spellings",
        lambda c: c.create_component_usages(GOOD, resource=U, resource_uuid=U),
        "resource",
    ),
    (
        "usages resource_uuid and plan_period_uuid",
        lambda c: c.create_component_usages(GOOD, resource_uuid=U, plan_period_uuid=U),
        "resource_uuid",
    ),
    (
        "usages naive date",
        lambda c: c.create_component_usages(GOOD, resource=U, date=datetime(2024, 5, 1)),
        "date",
    ),
    (
        "usages naive date text",
        lambda c: c.create_component_usages(GOOD, resource=U, date="2024-05-01T10:00:00"),
        "date",
    ),
    (
        "usages date not a date",
        lambda c: c.create_component_usages(GOOD, resource=U, date="May 2024"),
        "date",
    ),
    # create_remote_offering_user
    (
        "offering user other origin",
        lambda c: c.create_remote_offering_user(OTHER_ORIGIN, U),
        "offering",
    ),
    (
        "offering user user other origin",
        lambda c: c.create_remote_offering_user(U, f"http://puhuri.test:8080/api/users/{U}/"),
        "user",
    ),
    (
        "offering user wrong collection",
        lambda c: c.create_remote_offering_user(f"http://puhuri.test/api/users/{U}/", U),
        "offering",
    ),
    (
        "offering user credentials in url",
        lambda c: c.create_remote_offering_user(U, f"http://a:b@puhuri.test/api/users/{U}/"),
        "user",
    ),
    ("offering user empty offering", lambda c: c.create_remote_offering_user("", U), "offering"),
    (
        "offering user empty username",
        lambda c: c.create_remote_offering_user(U, U, username=""),
        "username",
    ),
    (
        "offering user long username",
        lambda c: c.create_remote_offering_user(U, U, username="u" * 101),
        "username",
    ),
    # set_offerings_username
    ("offerings username empty", lambda c: c.set_offerings_username(U, U, ""), "username"),
    (
        "offerings username bad user",
        lambda c: c.set_offerings_username(U, "jdoe", "jdoe"),
        "user_uuid",
    ),
    (
        "offerings username bad provider",
        lambda c: c.set_offerings_username("sp", U, "jdoe"),
        "service_provider_uuid",
    ),
    # list_service_providers and the provider's sub-lists
    (
        "providers bad customer",
        lambda c: c.list_service_providers({"customer_uuid": "CSC"}),
        "customer_uuid",
    ),
    ("providers unknown filter", lambda c: c.list_service_providers(name="LUMI"), "filters"),
    (
        "sp users bad provider",
        lambda c: c.list_service_provider_users("x"),
        "service_provider_uuid",
    ),
    ("sp users unknown filter", lambda c: c.list_service_provider_users(U, usernme="a"), "filters"),
    (
        "sp keys empty provider",
        lambda c: c.list_service_provider_ssh_keys(""),
        "service_provider_uuid",
    ),
    (
        "sp projects page filter",
        lambda c: c.list_service_provider_projects(U, {"page": 2}),
        "filters",
    ),
    (
        "sp permissions bad user",
        lambda c: c.list_service_provider_project_permissions(U, user="alice"),
        "user",
    ),
    (
        "sp permissions extra_params page",
        lambda c: c.list_service_provider_project_permissions(U, extra_params={"page_size": 5}),
        "extra_params",
    ),
    # the provider's resource set_as_erred
    (
        "set_as_erred bad uuid",
        lambda c: c.marketplace_provider_resource_set_as_erred("ok1", error_message="x"),
        "resource_uuid",
    ),
    (
        "set_as_erred message not text",
        lambda c: c.marketplace_provider_resource_set_as_erred(U, error_message=500),
        "error_message",
    ),
    (
        "set_as_erred details not a mapping",
        lambda c: c.marketplace_provider_resource_set_as_erred(U, "it broke"),
        "error_details",
    ),
    (
        "set_as_erred details unknown key",
        lambda c: c.marketplace_provider_resource_set_as_erred(U, {"message": "x"}),
        "error_details",
    ),
    (
        "set_as_erred details and keyword",
        lambda c: c.marketplace_provider_resource_set_as_erred(
            U, {"error_message": "x"}, error_traceback="t"
        ),
        "error_traceback",
    ),
    (
        "set_as_erred details traceback not text",
        lambda c: c.marketplace_provider_resource_set_as_erred(U, {"error_traceback": b"t"}),
        "error_details['error_traceback']",
    ),
    # create_component_user_usage
    (
        "user usage bad component usage",
        lambda c: c.create_component_user_usage("cpu-2026-11", 1, "jdoe"),
        "component_usage_uuid",
    ),
    (
        "user usage rounded amount",
        lambda c: c.create_component_user_usage(U, "1.005", "jdoe"),
        "usage",
    ),
    ("user usage negative", lambda c: c.create_component_user_usage(U, -1, "jdoe"), "usage"),
    ("user usage blank username", lambda c: c.create_component_user_usage(U, 1, " "), "username"),
    (
        "user usage long username",
        lambda c: c.create_component_user_usage(U, 1, "u" * 101),
        "username",
    ),
    (
        "user usage bad offering user",
        lambda c: c.create_component_user_usage(U, 1, "jdoe", "jdoe"),
        "offering_user_uuid",
    ),
    (
        "user usage naive date",
        lambda c: c.create_component_user_usage(U, 1, "jdoe", date="2026-11-03T10:00:00"),
        "date",
    ),
    # delete_offering_user
    ("delete offering user by name", lambda c: c.delete_offering_user("jdoe"), "offering_user"),
    (
        "delete offering user on another origin",
        lambda c: c.delete_offering_user(
            f"https://evil.example.org/api/marketplace-offering-users/{U}/"
        ),
        "offering_user",
    ),
    (
        "delete offering user of another collection",
        lambda c: c.delete_offering_user(f"https://puhuri.test/api/users/{U}/"),
        "offering_user",
    ),
]

#: Every operation of the table; its iter_ twin and its aliases count with it.
OPERATIONS = set(TABLE)
ALIASES = {name: row.name for name, row in METHODS.items() if name != row.name}


async def call(client: PuhuriClient, case: Call) -> None:
    result = case(client)
    if inspect.isawaitable(result):
        await result


@pytest.mark.asyncio
@pytest.mark.parametrize(("case", "argument"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_refused_before_any_request(
    client: PuhuriClient, fake: FakePuhuri, case: Call, argument: str
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await call(client, case)
    assert isinstance(caught.value, ValueError)
    assert caught.value.argument == argument
    assert argument in str(caught.value)
    assert fake.requests == []


def test_the_table_covers_every_operation() -> None:
    """Every operation is here, or generated and given bad arguments from its row (every one of
    those is, in ``test_operations_table.test_bad_arguments_are_refused_before_any_request``)."""
    assert len(CASES) >= 30
    called = set()
    for _, case, _ in CASES:
        names = set(case.__code__.co_names)
        called |= {ALIASES.get(name, name) for name in names}
    assert called >= {name for name in OPERATIONS if TABLE[name].handwritten}


@pytest.mark.asyncio
async def test_enum_hint_names_the_right_value(client: PuhuriClient) -> None:
    with pytest.raises(InvalidArgumentError, match="did you mean 'OK'"):
        await client.list_marketplace_resources(state="ok")
    with pytest.raises(InvalidArgumentError, match="did you mean 'pending-provider'"):
        await client.list_orders(state="Pending-Provider")


@pytest.mark.asyncio
async def test_unknown_filter_lists_the_valid_ones(client: PuhuriClient) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await client.list_orders(status="done")
    assert "did you mean 'state'" in str(caught.value)
    assert "resource_uuid" in str(caught.value)
