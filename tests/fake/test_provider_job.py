"""The whole provider job on the site agent's offering: Waldur's state machines and checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from puhuri_async.testing import FakeData, FakePuhuri

from ._util import client_as, client_for

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
AGENT = "Marketplace.Slurm"
BASIC = "Marketplace.Basic"
ORDER_STATES = [
    "pending-consumer",
    "pending-provider",
    "pending-project",
    "pending-start-date",
    "executing",
    "done",
    "erred",
    "canceled",
    "rejected",
]


@pytest.fixture
def fake() -> FakePuhuri:
    return FakePuhuri(
        FakeData.generate(users=30, seed=4),
        token="test-token-123",
        profile="8.1",
        clock=lambda: NOW,
    )


@pytest.fixture
async def client(fake: FakePuhuri) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(fake) as http:
        yield http


def agent_resource(fake: FakePuhuri, state: str = "OK") -> dict:
    return next(
        r for r in fake.data.resources if r["offering_type"] == AGENT and r["state"] == state
    )


def order_of(fake: FakePuhuri, offering_type: str, state: str, kind: str = "Create") -> dict:
    resource = next(r for r in fake.data.resources if r["offering_type"] == offering_type)
    return fake.data.add_order(resource=resource, state=state, order_type=kind)


# -- orders ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ORDER_STATES)
async def test_set_state_executing(client: httpx.AsyncClient, fake: FakePuhuri, state: str) -> None:
    order = order_of(fake, AGENT, state)
    response = await client.post(f"marketplace-orders/{order['uuid']}/set_state_executing/")
    if state in ("pending-consumer", "pending-provider", "erred"):
        assert (response.status_code, response.content) == (200, b"")
        assert order["state"] == "executing"
    else:
        assert response.status_code == 409
        assert response.json() == {
            "detail": "Valid states for operation: pending-consumer, pending-provider, erred."
        }
        assert order["state"] == state


@pytest.mark.parametrize("state", ORDER_STATES)
async def test_set_state_done(client: httpx.AsyncClient, fake: FakePuhuri, state: str) -> None:
    order = order_of(fake, AGENT, state)
    response = await client.post(f"marketplace-orders/{order['uuid']}/set_state_done/")
    if state == "executing":
        assert (response.status_code, response.content) == (200, b"")
        assert order["state"] == "done"
        assert order["completed_at"] == "2025-03-14T12:00:00.000000Z"
    else:
        assert response.status_code == 409
        assert response.json() == {"detail": "Valid states for operation: executing."}


@pytest.mark.parametrize(
    ("kind", "done", "erred"),
    [("Create", "OK", "Erred"), ("Update", "OK", "Erred"), ("Terminate", "Terminated", "OK")],
)
async def test_done_and_erred_move_the_resource(
    client: httpx.AsyncClient, fake: FakePuhuri, kind: str, done: str, erred: str
) -> None:
    for action, expected in (("set_state_done", done), ("set_state_erred", erred)):
        resource = fake.data.add_resource(
            project=fake.data.projects[0], offering=fake.data.offerings[-1], state="Updating"
        )
        order = fake.data.add_order(resource=resource, state="executing", order_type=kind)
        if kind == "Update":
            order["limits"] = {"cpu": 7}
        response = await client.post(f"marketplace-orders/{order['uuid']}/{action}/", json={})
        assert response.status_code == 200
        assert order["state"] == ("done" if action == "set_state_done" else "erred")
        assert resource["state"] == expected, (kind, action)
        if kind == "Update" and action == "set_state_done":
            assert resource["limits"] == {"cpu": 7}


async def test_erred_keeps_the_error_even_when_not_executing(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    order = order_of(fake, AGENT, "done")
    body = {"error_message": "Quota exceeded.", "error_traceback": "Traceback (most recent)"}
    response = await client.post(f"marketplace-orders/{order['uuid']}/set_state_erred/", json=body)
    assert response.status_code == 200
    assert order["state"] == "done"  # Waldur moves only the resource's executing order
    assert (order["error_message"], order["error_traceback"]) == (
        "Quota exceeded.",
        "Traceback (most recent)",
    )
    bad = await client.post(
        f"marketplace-orders/{order['uuid']}/set_state_erred/", json={"error_message": None}
    )
    assert bad.json() == {"error_message": ["This field may not be null."]}


@pytest.mark.parametrize(
    ("action", "state"),
    [("set_state_executing", "pending-provider"), ("set_state_erred", "executing")],
)
async def test_agent_actions_on_a_basic_offering_are_405(
    client: httpx.AsyncClient, fake: FakePuhuri, action: str, state: str
) -> None:
    order = order_of(fake, BASIC, state)
    response = await client.post(f"marketplace-orders/{order['uuid']}/{action}/", json={})
    assert response.status_code == 405
    assert response.json() == {
        "detail": "Method \"The order's offering with Marketplace.Basic type does not support "
        'this action" not allowed.'
    }
    assert order["state"] == state


async def test_cancel_on_a_site_agent_offering_is_405(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    order = order_of(fake, AGENT, "pending-consumer")
    response = await client.post(f"marketplace-orders/{order['uuid']}/cancel/")
    assert response.status_code == 405


async def test_order_backend_id(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    order = order_of(fake, AGENT, "executing")
    path = f"marketplace-orders/{order['uuid']}/set_backend_id/"
    first = await client.post(path, json={"backend_id": "job-1"})
    assert first.json() == {"status": "Order backend_id has been changed."}
    again = await client.post(path, json={"backend_id": "job-1"})
    assert again.json() == {"status": "Order backend_id is not changed."}
    assert order["backend_id"] == "job-1"
    blank = await client.post(path, json={"backend_id": ""})
    assert blank.json() == {"backend_id": ["This field may not be blank."]}


async def test_the_whole_order_job_as_the_providers_owner(fake: FakePuhuri) -> None:
    order = next(
        o
        for o in fake.data.orders
        if o["offering_type"] == AGENT and o["state"] == "pending-provider"
    )
    resource = fake.data.get("resources", order["marketplace_resource_uuid"])
    assert resource is not None
    async with client_as(fake, "owner-token") as owner:
        base = f"marketplace-orders/{order['uuid']}/"
        assert (await owner.post(base + "approve_by_provider/", json={})).status_code == 200
        assert (await owner.post(base + "set_backend_id/", json={"backend_id": "a-1"})).is_success
        assert (await owner.post(base + "set_state_done/")).status_code == 200
    assert (order["state"], resource["state"]) == ("done", "OK")


# -- provider resources ---------------------------------------------------------------------------


async def test_resource_states(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    resource = agent_resource(fake)
    base = f"marketplace-provider-resources/{resource['uuid']}/"
    body = {"error_message": "Node failure.", "error_traceback": "..."}
    assert (await client.post(base + "set_as_erred/", json=body)).content == b""
    assert (resource["state"], resource["error_message"]) == ("Erred", "Node failure.")
    assert (await client.post(base + "set_as_ok/")).status_code == 200
    assert (resource["state"], resource["error_message"]) == ("OK", "")
    assert (await client.post(base + "set_as_ok/")).status_code == 200  # already OK: no change
    resource["state"] = "Terminated"
    terminated = await client.post(base + "set_as_ok/")
    assert terminated.status_code == 500  # the state machine refuses; the view does not catch it
    assert terminated.headers["content-type"].startswith("text/html")


async def test_resource_attributes(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    resource = agent_resource(fake)
    base = f"marketplace-provider-resources/{resource['uuid']}/"
    limits = await client.post(base + "set_limits/", json={"limits": {"cpu": 500, "storage": 20}})
    assert limits.json() == {"status": "The resource limits are updated"}
    assert resource["limits"] == {"cpu": 500, "storage": 20}
    bad = await client.post(base + "set_limits/", json={"limits": {"cpu": "many"}})
    assert bad.json() == {"limits": {"cpu": ["A valid integer is required."]}}
    assert (await client.post(base + "set_limits/", json={})).json() == {
        "limits": ["This field is required."]
    }
    meta = await client.post(base + "set_backend_metadata/", json={"backend_metadata": {"q": 1}})
    assert meta.json() == {"status": "The backend metadata is updated"}
    assert resource["backend_metadata"] == {"q": 1}
    assert (await client.post(base + "refresh_last_sync/")).content == b""
    assert resource["last_sync"] == "2025-03-14T12:00:00.000000Z"
    soon = await client.post(base + "set_end_date_by_provider/", json={"end_date": "2025-03-16"})
    assert soon.json() == {"end_date": ["Please set at least 7 days in advance."]}
    later = await client.post(base + "set_end_date_by_provider/", json={"end_date": "2025-04-30"})
    assert later.status_code == 200
    assert resource["end_date"] == "2025-04-30"
    endpoints = {"endpoints": [{"name": "login", "url": "ssh://login.example.org"}]}
    assert (await client.post(base + "set_endpoints/", json=endpoints)).status_code == 200
    assert [(e["name"], e["url"]) for e in resource["endpoints"]] == [
        ("login", "ssh://login.example.org")
    ]
    assert (await client.post(base + "set_effective_id/", json={"effective_id": "r-9"})).is_success
    assert resource["effective_id"] == "r-9"


async def test_resource_actions_need_the_provider(fake: FakePuhuri) -> None:
    resource = agent_resource(fake)
    base = f"marketplace-provider-resources/{resource['uuid']}/"
    async with client_as(fake, "member-token") as member:
        assert (await member.post(base + "set_as_ok/")).status_code == 404
    async with client_as(fake, "support-token") as support:
        assert (await support.post(base + "set_as_erred/", json={})).status_code == 403
    assert resource["state"] == "OK"


# -- usage ----------------------------------------------------------------------------------------


async def test_seeded_usage_and_its_split(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    resource = agent_resource(fake)
    usages = await client.get(
        "marketplace-component-usages/", params={"resource_uuid": resource["uuid"]}
    )
    assert {u["type"] for u in usages.json()} == {"cpu", "gpu", "storage"}
    cpu = next(u for u in usages.json() if u["type"] == "cpu")
    split = await client.get(
        "marketplace-component-user-usages/",
        params={"resource_uuid": resource["uuid"], "type": "cpu"},
    )
    assert split.json()
    assert all(s["component_usage"].endswith(f"/{cpu['uuid']}/") for s in split.json())
    limits = await client.get(
        "component-user-usage-limits/", params={"resource_uuid": resource["uuid"]}
    )
    assert {limit["component_type"] for limit in limits.json()} == {"storage"}


async def test_set_user_usage_upserts(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    usage = next(u for u in fake.data.component_usages if u["type"] == "gpu")
    account = next(
        a for a in fake.data.offering_users if a["offering_uuid"] == usage["offering_uuid"]
    )
    path = f"marketplace-component-usages/{usage['uuid']}/set_user_usage/"
    body = {"username": "alice", "usage": "3.50", "user": account["url"]}
    assert (await client.post(path, json=body)).status_code == 201
    assert (await client.post(path, json={**body, "usage": "4.00"})).status_code == 201
    mine = [u for u in fake.data.component_user_usages if u["username"] == "alice"]
    assert [(u["usage"], u["user"]) for u in mine] == [("4.00", account["url"])]
    backfill = {"username": "alice", "usage": "1.00", "date": "2024-01-15T00:00:00Z"}
    assert (await client.post(path, json=backfill)).status_code == 201
    january = next(u for u in fake.data.component_usages if u["billing_period"] == "2024-01-01")
    assert january["description"] == "Created for user usage backfill"
    bad = await client.post(path, json={"usage": "1.001", "user": "nope"})
    assert bad.json() == {
        "usage": ["Ensure that there are no more than 2 decimal places."],
        "username": ["This field is required."],
        "user": ["Invalid hyperlink - No URL match."],
    }


# -- offering users -------------------------------------------------------------------------------

TRANSITIONS = {
    "begin_creating": (("Requested", "Error creating"), "Creating", "CREATING"),
    "set_ok": (
        (
            "Requested",
            "Creating",
            "Pending additional validation",
            "Pending account linking",
            "Error creating",
            "Error deleting",
        ),
        "OK",
        "OK",
    ),
    "set_error_creating": (
        ("Requested", "Creating", "Pending account linking", "Pending additional validation"),
        "Error creating",
        "ERROR_CREATING",
    ),
    "set_pending_account_linking": (
        ("Creating", "Error creating", "Pending additional validation"),
        "Pending account linking",
        "PENDING_ACCOUNT_LINKING",
    ),
    "set_pending_additional_validation": (
        ("Creating", "Error creating", "Pending account linking"),
        "Pending additional validation",
        "PENDING_ADDITIONAL_VALIDATION",
    ),
    "set_validation_complete": (
        ("Pending account linking", "Pending additional validation"),
        "OK",
        "VALIDATION_COMPLETE",
    ),
    "set_deleting": (("Requested deletion", "Error deleting"), "Deleting", "DELETING"),
    "set_deleted": (("Deleting",), "Deleted", "DELETED"),
}
USER_STATES = [
    "Requested",
    "Creating",
    "Pending account linking",
    "Pending additional validation",
    "OK",
    "Requested deletion",
    "Deleting",
    "Deleted",
    "Error creating",
    "Error deleting",
]


@pytest.mark.parametrize("action", list(TRANSITIONS))
@pytest.mark.parametrize("state", USER_STATES)
async def test_offering_user_transitions(
    client: httpx.AsyncClient, fake: FakePuhuri, action: str, state: str
) -> None:
    account = fake.data.offering_users[0]
    account["state"] = state
    sources, target, name = TRANSITIONS[action]
    response = await client.post(f"marketplace-offering-users/{account['uuid']}/{action}/")
    if state in sources:
        assert (response.status_code, response.content) == (200, b"")
        assert account["state"] == target
    else:
        assert response.status_code == 400  # not 409: Waldur raises a ValidationError here
        code = USER_STATES.index(state) + 1
        assert response.json() == {
            "detail": f"Cannot transition to {name} from current state: {code}. "
            f"Valid states for operation: {', '.join(sources)}."
        }
        assert account["state"] == state


async def test_pending_states_keep_the_providers_comment(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    account = next(a for a in fake.data.offering_users if a["state"] == "Creating")
    base = f"marketplace-offering-users/{account['uuid']}/"
    body = {"comment": "Link your MyAccessID.", "comment_url": "https://link.example.org/"}
    assert (await client.post(base + "set_pending_account_linking/", json=body)).is_success
    got = (await client.get(base)).json()
    assert got["service_provider_comment"] == "Link your MyAccessID."
    assert got["service_provider_comment_url"] == "https://link.example.org/"
    assert (await client.post(base + "set_validation_complete/")).is_success
    got = (await client.get(base)).json()
    assert (got["state"], got["service_provider_comment"]) == ("OK", "")
    bad = await client.post(base + "set_ok/", json={})
    assert bad.status_code == 400


async def test_update_and_delete_offering_users(fake: FakePuhuri) -> None:
    account = fake.data.offering_users[0]
    path = f"marketplace-offering-users/{account['uuid']}/"
    async with client_as(fake, "owner-token") as owner:
        changed = await owner.patch(path, json={"username": "renamed"})
        assert (changed.status_code, changed.json()["username"]) == (200, "renamed")
    async with client_as(fake, "member-token") as member:
        assert (await member.delete(path)).status_code == 404
    async with client_as(fake, "support-token") as support:
        refused = await support.delete(path)
        assert refused.json() == {"detail": "You do not have permission to delete this user."}
    async with client_as(fake, "owner-token") as owner:
        assert (await owner.delete(path)).status_code == 204
        assert (await owner.get(path)).status_code == 404
    assert account not in fake.data.offering_users


async def test_hyperlinks_to_the_wrong_kind_of_object(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    usage = fake.data.component_usages[0]
    path = f"marketplace-component-usages/{usage['uuid']}/set_user_usage/"
    for user, message in (
        (fake.data.users[0]["url"], "Invalid hyperlink - Incorrect URL match."),
        ("https://elsewhere.example/x/", "Invalid hyperlink - No URL match."),
    ):
        response = await client.post(path, json={"username": "u", "usage": "1", "user": user})
        assert response.json() == {"user": [message]}


async def test_an_offering_without_provider_made_accounts_refuses_one(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    offering = fake.data.offerings[0]
    offering["plugin_options"] = {}
    user = next(
        u
        for u in fake.data.users
        if not any(
            a["user_uuid"] == u["uuid"] and a["offering_uuid"] == offering["uuid"]
            for a in fake.data.offering_users
        )
    )
    body = {"offering": offering["url"], "user": user["url"], "username": "x"}
    response = await client.post("marketplace-offering-users/", json=body)
    assert response.status_code == 400
    assert response.json() == ["It is not allowed to create users for current offering."]
