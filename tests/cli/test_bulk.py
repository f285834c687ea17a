"""Several UUIDs per command, ``-`` for stdin, one line per item, an exit status for them all."""

from __future__ import annotations

import io
import json

import pytest

from puhuri_async import PuhuriError, RetryPolicy
from puhuri_async.cli._bulk import check_uuids, expand_items
from puhuri_async.cli._exits import CliError, Exit, combined
from puhuri_async.testing import Fault

from .conftest import Puhuri

MISSING = "0" * 32


def _pending(puhuri: Puhuri) -> list[str]:
    return [str(o["uuid"]) for o in puhuri.fake.data.orders if o["state"] == "pending-provider"]


def _state(puhuri: Puhuri, uuid: str) -> str:
    return next(str(o["state"]) for o in puhuri.fake.data.orders if o["uuid"] == uuid)


def test_approve_several_prints_a_line_each_in_order(puhuri: Puhuri) -> None:
    first, second, third = _pending(puhuri)[:3]
    run = puhuri("orders", "approve", first, second, third)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines() == [f"order {u} approved" for u in (first, second, third)]
    assert {_state(puhuri, u) for u in (first, second, third)} == {"executing"}
    assert len(puhuri.fake.requests_for("POST", "marketplace-orders/*/approve_by_provider/")) == 3


def test_uuids_from_stdin(puhuri: Puhuri) -> None:
    first, second, third = _pending(puhuri)[:3]
    run = puhuri("orders", "approve", first, "-", input=f"{second}\n  {third}\n\n")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines() == [f"order {u} approved" for u in (first, second, third)]


def test_a_pipeline_of_puhuri_commands(puhuri: Puhuri) -> None:
    listed = puhuri("orders", "list", "--state", "pending-provider", "-o", "jsonl")
    uuids = "\n".join(order["uuid"] for order in listed.jsonl())
    run = puhuri("orders", "reject", "-", "--comment", "no capacity", "-o", "jsonl", input=uuids)
    assert run.exit_code == 0, run.stderr
    records = run.jsonl()
    assert [r["order"] for r in records] == uuids.split()
    assert all(r["ok"] and r["action"] == "reject" for r in records)
    assert all(r["comment"] == "no capacity" for r in records)
    assert _pending(puhuri) == []


def test_one_failure_does_not_stop_the_others_and_sets_the_exit_status(puhuri: Puhuri) -> None:
    first, second = _pending(puhuri)[:2]
    puhuri("orders", "approve", second)
    run = puhuri("orders", "approve", first, second)
    assert run.exit_code == 5  # the one failure was a conflict
    assert run.stdout == f"order {first} approved\n"
    lines = run.stderr.splitlines()
    assert lines[0].startswith(f"error: order {second}: marketplace_order_approve_by_provider:")
    assert "409 Conflict" in lines[0]
    assert lines[1] == "1 of 2 orders failed"


def test_different_failures_give_the_general_status(puhuri: Puhuri) -> None:
    first, second = _pending(puhuri)[:2]
    puhuri("orders", "approve", second)
    run = puhuri("orders", "approve", first, second, MISSING, "--json")
    assert run.exit_code == 1
    records = run.json()
    assert [r["ok"] for r in records] == [True, False, False]
    assert [r.get("exit_status") for r in records] == [None, 5, 4]
    assert "409 Conflict" in records[1]["error"]
    assert "404 Not Found" in records[2]["error"]
    assert run.stderr.splitlines()[-1] == "2 of 3 orders failed"


def test_one_bad_uuid_refuses_the_whole_command_before_sending(puhuri: Puhuri) -> None:
    first = _pending(puhuri)[0]
    run = puhuri("orders", "approve", first, "not-a-uuid")
    assert run.exit_code == 2
    assert run.stderr.startswith("error: invalid order_uuid: must be a UUID")
    assert "'not-a-uuid'" in run.stderr
    assert puhuri.fake.requests == []
    assert _state(puhuri, first) == "pending-provider"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["-"], "", "no UUIDs on stdin"),
        (["-", "-"], "x", "may be given once"),
    ],
)
def test_stdin_mistakes_are_usage_errors(
    puhuri: Puhuri, args: list[str], stdin: str, message: str
) -> None:
    run = puhuri("orders", "approve", *args, input=stdin)
    assert run.exit_code == 2
    assert message in run.stderr
    assert puhuri.fake.requests == []


def test_get_several_offerings_as_a_table_and_as_json(puhuri: Puhuri) -> None:
    offerings = puhuri.fake.data.offerings
    uuids = [str(o["uuid"]) for o in offerings]
    run = puhuri("offerings", "get", *uuids)
    assert run.exit_code == 0, run.stderr
    header, _, *rows = run.stdout.splitlines()
    assert header.split()[0] == "uuid"
    assert [row.split()[0] for row in rows] == uuids
    assert puhuri("offerings", "get", *uuids, "--json").json() == puhuri.served(offerings)
    assert puhuri("offerings", "get", *uuids, "-o", "jsonl").jsonl() == puhuri.served(offerings)


def test_get_with_a_missing_one(puhuri: Puhuri) -> None:
    uuid = str(puhuri.fake.data.offerings[0]["uuid"])
    run = puhuri("offerings", "get", uuid, MISSING, "-o", "jsonl")
    assert run.exit_code == 4
    assert [o["uuid"] for o in run.jsonl()] == [uuid]
    assert run.stderr.splitlines()[0].startswith(f"error: offering {MISSING}: ")
    assert run.stderr.splitlines()[-1] == "1 of 2 offerings failed"


def test_an_unknown_outcome_has_its_own_status(puhuri: Puhuri) -> None:
    order = _pending(puhuri)[0]
    puhuri.fake.add_fault(Fault.drop(method="POST", path="marketplace-orders/*", applied=True))
    run = puhuri("orders", "approve", order)
    assert run.exit_code == 8
    assert "outcome unknown" in run.stderr


def test_the_pieces() -> None:
    assert expand_items(["a", "-", "a"], io.StringIO("b c\nd\n")) == ["a", "b", "c", "d"]
    with pytest.raises(CliError):
        expand_items(["-"], io.StringIO(" \n"))
    check_uuids([MISSING, "0b5c0000-0000-4000-8000-000000000000".replace("-", "")], "x")
    assert combined([Exit.OK, Exit.OK]) is Exit.OK
    assert combined([Exit.OK, Exit.CONFLICT, Exit.CONFLICT]) is Exit.CONFLICT
    assert combined([Exit.NOT_FOUND, Exit.CONFLICT]) is Exit.ERROR
    assert json.dumps(int(Exit.TIMEOUT)) == "7"


BAD_UUIDS = ["0b5c", "0b5c-" * 8, "{" + "0" * 32 + "}", "0" * 31 + "g", "00000000-0000-0000-0000"]
GOOD_UUIDS = ["0B5C0000-0000-4000-8000-00000000000A", "0b5c" * 8]


def _client_refuses(item: str) -> bool:
    """Whether the client itself refuses ``item`` as an order UUID (before sending)."""
    import asyncio

    from puhuri_async import InvalidArgumentError, PuhuriClient

    async def call() -> None:
        client = PuhuriClient("http://127.0.0.1:9/api/", "t", retry=RetryPolicy.none())
        async with client:
            await client.marketplace_order_approve_by_provider(item)

    try:
        asyncio.run(call())
    except InvalidArgumentError:
        return True
    except PuhuriError:  # accepted, then sent to a port where nothing listens
        return False
    return False


@pytest.mark.parametrize("item", BAD_UUIDS + GOOD_UUIDS)
def test_the_check_is_the_clients(item: str) -> None:
    from puhuri_async import InvalidArgumentError

    refused = _client_refuses(item)
    assert refused == (item in BAD_UUIDS)
    if refused:
        with pytest.raises(InvalidArgumentError, match=r"^invalid order_uuid: must be a UUID"):
            check_uuids([item], "order_uuid")
    else:
        check_uuids([item], "order_uuid")
