"""Commands that change things, and the lists of orders and resources, against the fake."""

from __future__ import annotations

import re

from .conftest import Puhuri


def _pending(puhuri: Puhuri) -> list[dict[str, object]]:
    return [o for o in puhuri.fake.data.orders if o["state"] == "pending-provider"]


def test_orders_list_by_state(puhuri: Puhuri) -> None:
    run = puhuri("orders", "list", "--state", "pending-provider", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json() == puhuri.served(_pending(puhuri))
    table = puhuri("orders", "list", "--state", "pending-provider")
    assert len(table.stdout.splitlines()) == len(_pending(puhuri)) + 2
    assert table.stdout.split()[:3] == ["uuid", "type", "state"]


def test_orders_list_with_two_states_and_a_type(puhuri: Puhuri) -> None:
    run = puhuri(
        "orders", "list", "--state", "done", "--state", "canceled", "--type", "Create", "--jsonl"
    )
    assert run.exit_code == 0, run.stderr
    assert {o["state"] for o in run.jsonl()} <= {"done", "canceled"}
    assert {o["type"] for o in run.jsonl()} <= {"Create"}
    request = puhuri.fake.requests_for("GET", "marketplace-orders/")[-1]
    assert request.param("state") == ["done", "canceled"]
    assert request.param("type") == ["Create"]


def test_a_wrong_state_is_a_usage_error_with_a_hint(puhuri: Puhuri) -> None:
    run = puhuri("orders", "list", "--state", "Pending-Provider")
    assert run.exit_code == 2
    assert "pending-provider" in run.stderr
    assert puhuri.fake.requests == []


def test_approve_then_approve_again(puhuri: Puhuri) -> None:
    order = _pending(puhuri)[0]
    run = puhuri("orders", "approve", str(order["uuid"]))
    assert (run.exit_code, run.stdout) == (0, f"order {order['uuid']} approved\n")
    assert order["state"] == "executing"
    again = puhuri("orders", "approve", str(order["uuid"]))
    assert again.exit_code == 5  # conflict: the wrong state
    assert "409 Conflict: Valid states for operation: pending-provider." in again.stderr
    assert again.stderr.count("\n") == 1


def test_reject_with_a_comment_and_cancel(puhuri: Puhuri) -> None:
    first, second = _pending(puhuri)[:2]
    run = puhuri("orders", "reject", str(first["uuid"]), "--comment", "no capacity", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["order"] == first["uuid"]
    assert (first["state"], first["provider_rejection_comment"]) == ("rejected", "no capacity")
    run = puhuri("orders", "cancel", str(second["uuid"]), "--jsonl")
    assert run.exit_code == 0, run.stderr
    assert run.jsonl()[0]["action"] == "cancel"
    assert second["state"] == "canceled"


def test_resources_list_with_states_and_fields(puhuri: Puhuri) -> None:
    run = puhuri(
        "resources", "list", "--state", "OK", "--field", "uuid", "--field", "name", "--json"
    )
    assert run.exit_code == 0, run.stderr
    ok = [r for r in puhuri.fake.data.resources if r["state"] == "OK"]
    assert run.json() == [{"uuid": r["uuid"], "name": r["name"]} for r in ok]
    request = puhuri.fake.requests_for("GET", "marketplace-provider-resources/")[-1]
    assert request.param("field") == ["uuid", "name"]
    assert request.param("state") == ["OK"]

    table = puhuri("resources", "list", "--state", "OK", "--field", "uuid", "--field", "name")
    header, _, *rows = table.stdout.splitlines()
    assert header.split() == ["uuid", "name"]
    assert [row.split() for row in rows] == [[r["uuid"], r["name"]] for r in ok]


def test_set_backend_id_and_report(puhuri: Puhuri) -> None:
    resource = puhuri.fake.data.resources[0]
    uuid = str(resource["uuid"])
    run = puhuri("resources", "set-backend-id", uuid, "acct-42", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["result"] == {"status": "Resource backend_id has been changed."}
    assert resource["backend_id"] == "acct-42"

    run = puhuri(
        "resources",
        "report",
        uuid,
        "--header",
        "Login",
        "--body",
        "ssh login.example",
        "--header",
        "Docs",
        "--body",
        "https://docs.example",
    )
    assert run.exit_code == 0, run.stderr
    assert resource["report"] == [
        {"header": "Login", "body": "ssh login.example"},
        {"header": "Docs", "body": "https://docs.example"},
    ]
    run = puhuri("resources", "report", uuid, "--header", "Login", "--body", "a", "--body", "b")
    assert run.exit_code == 2
    run = puhuri("resources", "report", uuid, "--header", " ", "--body", "b")
    assert run.exit_code == 2
    assert "invalid header" in run.stderr


def test_team(puhuri: Puhuri) -> None:
    uuid = str(puhuri.fake.data.resources[0]["uuid"])
    members = puhuri("resources", "team", uuid, "--json").json()
    assert members
    table = puhuri("resources", "team", uuid)
    assert len(table.stdout.splitlines()) == len(members) + 2
    assert all(member["uuid"] in table.stdout for member in members)


def test_usage_report_then_plan_periods_show_it(puhuri: Puhuri) -> None:
    resource = next(r for r in puhuri.fake.data.resources if r["state"] == "OK")
    uuid = str(resource["uuid"])
    run = puhuri("usage", "report", uuid, "cpu=10", "gpu=2.5")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == f"usage reported for resource {uuid}: cpu=10, gpu=2.5\n"
    body = puhuri.fake.requests_for("POST", "marketplace-component-usages/set_usage/")[-1].json
    assert body["resource"] == uuid
    assert [(u["type"], u["amount"]) for u in body["usages"]] == [("cpu", "10"), ("gpu", "2.5")]

    table = puhuri("resources", "plan-periods", uuid)
    assert re.search(r"cpu=10\.00 gpu=2\.50$", table.stdout, re.M)
    periods = puhuri("resources", "plan-periods", uuid, "--json").json()
    usages = {u["type"]: u["usage"] for u in periods[0]["components"]}
    assert usages == {"cpu": "10.00", "gpu": "2.50"}

    run = puhuri("usage", "report", "--plan-period", str(periods[0]["uuid"]), "cpu=11")
    assert run.exit_code == 0, run.stderr
    body = puhuri.fake.requests_for("POST", "marketplace-component-usages/set_usage/")[-1].json
    assert body["plan_period"] == periods[0]["uuid"]
    assert "resource" not in body


def test_usage_for_a_given_month(puhuri: Puhuri) -> None:
    resource = next(r for r in puhuri.fake.data.resources if r["state"] == "OK")
    run = puhuri(
        "usage",
        "report",
        str(resource["uuid"]),
        "cpu=3",
        "--date",
        "2024-05-01T10:00:00+03:00",
        "--description",
        "May",
        "--json",
    )
    assert run.exit_code == 0, run.stderr
    body = puhuri.fake.requests_for("POST", "marketplace-component-usages/set_usage/")[-1].json
    assert body["date"].startswith("2024-05-01T")
    assert body["usages"] == [{"type": "cpu", "amount": "3", "description": "May"}]
    assert run.json()["usages"] == body["usages"]

    run = puhuri("usage", "report", str(resource["uuid"]), "cpu=3", "--date", "2024-05-01T10:00")
    assert run.exit_code == 2
    assert "invalid date" in run.stderr


def test_bad_usage_is_refused_before_sending(puhuri: Puhuri) -> None:
    uuid = str(puhuri.fake.data.resources[0]["uuid"])
    for args in (["cpu=1.234"], ["cpu=ten"], ["cpu=-1"], ["cpu=1", "cpu=2"], ["cpu"]):
        run = puhuri("usage", "report", uuid, *args)
        assert run.exit_code == 2, (args, run.stderr)
    assert puhuri.fake.requests == []
    run = puhuri("usage", "report", uuid, "quantum=1")
    assert run.exit_code == 1
    assert "400 Bad Request" in run.stderr


def test_offering_users(puhuri: Puhuri) -> None:
    data = puhuri.fake.data
    taken = {u["user_uuid"] for u in data.offering_users}
    user = next(u for u in data.users if u["uuid"] not in taken)
    offering = data.offerings[0]
    run = puhuri(
        "offering-users",
        "create",
        str(offering["uuid"]),
        str(user["uuid"]),
        "--username",
        "acct-new",
    )
    assert run.exit_code == 0, run.stderr
    assert re.search(r"^username\s+acct-new$", run.stdout, re.M)
    again = puhuri("offering-users", "create", str(offering["uuid"]), str(user["uuid"]), "--json")
    assert again.exit_code == 1
    assert "400 Bad Request" in again.stderr

    sp = data.service_provider["uuid"]
    run = puhuri("offering-users", "set-username", sp, str(user["uuid"]), "acct-renamed", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["username"] == "acct-renamed"
    assert any(u["username"] == "acct-renamed" for u in data.offering_users)
