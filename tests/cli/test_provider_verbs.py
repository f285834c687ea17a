"""The verbs a provider uses daily, run against the served fake, each effect read from its state.

``me``; ``orders get/executing/done/erred``; ``resources get/ok/erred/limits``; ``offering-users
list`` and its transitions; ``usage list`` and ``usage users``; ``provider-offerings list``. The
last test runs two of them in a real 80-column terminal, as a person would.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rich.cells import cell_len

from puhuri_async.testing import FakePuhuri

from ._pty import Terminal, terminal_env
from ._servers import WithMe, serve
from .conftest import TOKEN, Puhuri

SITE_AGENT = "Marketplace.Slurm"
CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def site_order(fake: FakePuhuri, state: str) -> dict[str, Any]:
    return next(
        o for o in fake.data.orders if o["offering_type"] == SITE_AGENT and o["state"] == state
    )


def site_resource(fake: FakePuhuri) -> dict[str, Any]:
    return next(
        r for r in fake.data.resources if r["offering_type"] == SITE_AGENT and r["state"] == "OK"
    )


def test_me_is_the_token_s_user(puhuri: Puhuri) -> None:
    run = puhuri("me", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["username"] == "staff"
    assert puhuri.fake.requests_for("GET", "users/me/")


def test_an_order_from_pending_to_erred_and_another_to_done(puhuri: Puhuri) -> None:
    fake = puhuri.fake
    pending, executing = site_order(fake, "pending-provider"), site_order(fake, "executing")
    run = puhuri("orders", "get", executing["uuid"], "--json")
    assert run.exit_code == 0, run.stderr
    assert (run.json()["uuid"], run.json()["state"]) == (executing["uuid"], "executing")

    run = puhuri("orders", "done", executing["uuid"])
    assert run.exit_code == 0, run.stderr
    assert run.stdout.strip() == f"order {executing['uuid']} marked done"
    assert executing["state"] == "done"
    assert fake.data.get("resources", executing["marketplace_resource_uuid"])["state"] == "OK"

    assert puhuri("orders", "executing", pending["uuid"]).exit_code == 0
    assert pending["state"] == "executing"
    run = puhuri("orders", "erred", pending["uuid"], "--message", "no quota", "--traceback", "tb")
    assert run.exit_code == 0, run.stderr
    assert (pending["state"], pending["error_message"], pending["error_traceback"]) == (
        "erred",
        "no quota",
        "tb",
    )
    run = puhuri("orders", "done", pending["uuid"])  # erred, not executing: the server's 409
    assert run.exit_code != 0
    assert "Valid states for operation: executing" in run.stderr
    assert pending["state"] == "erred"


def test_a_resource_erred_then_ok_and_its_limits(puhuri: Puhuri) -> None:
    resource = site_resource(puhuri.fake)
    run = puhuri("resources", "erred", resource["uuid"], "--message", "node down")
    assert run.exit_code == 0, run.stderr
    assert (resource["state"], resource["error_message"]) == ("Erred", "node down")
    assert puhuri("resources", "ok", resource["uuid"]).exit_code == 0
    assert (resource["state"], resource["error_message"]) == ("OK", "")
    run = puhuri("resources", "limits", resource["uuid"], "cpu=1000", "gpu=10")
    assert run.exit_code == 0, run.stderr
    assert resource["limits"] == {"cpu": 1000, "gpu": 10}
    run = puhuri("resources", "get", resource["uuid"], "--json")
    assert run.json()["limits"] == {"cpu": 1000, "gpu": 10}


def test_offering_users_listed_and_walked_to_ok(puhuri: Puhuri) -> None:
    fake = puhuri.fake
    requested = [u for u in fake.data.offering_users if u["state"] == "Requested"]
    assert requested
    run = puhuri("offering-users", "list", "--state", "Requested", "--json")
    assert run.exit_code == 0, run.stderr
    assert [u["uuid"] for u in run.json()] == [u["uuid"] for u in requested]
    account = requested[0]
    assert puhuri("offering-users", "begin-creating", account["uuid"]).exit_code == 0
    assert account["state"] == "Creating"
    run = puhuri("offering-users", "ok", account["uuid"])
    assert run.exit_code == 0, run.stderr
    assert run.stdout.strip() == f"offering user {account['uuid']} set OK"
    assert account["state"] == "OK"
    run = puhuri("offering-users", "begin-creating", account["uuid"])  # OK now: a wrong state
    assert run.exit_code != 0
    assert account["state"] == "OK"


def test_usage_per_component_and_per_user(puhuri: Puhuri) -> None:
    fake = puhuri.fake
    resource = site_resource(fake)
    mine = [u for u in fake.data.component_usages if u["resource_uuid"] == resource["uuid"]]
    assert mine
    run = puhuri("usage", "list", "--resource", resource["uuid"], "--json")
    assert run.exit_code == 0, run.stderr
    assert sorted(u["uuid"] for u in run.json()) == sorted(u["uuid"] for u in mine)
    shares = [u for u in fake.data.component_user_usages if u["resource_uuid"] == resource["uuid"]]
    run = puhuri("usage", "users", "--resource", resource["uuid"], "--json")
    assert run.exit_code == 0, run.stderr
    assert sorted(u["uuid"] for u in run.json()) == sorted(u["uuid"] for u in shares)
    assert shares


def test_provider_offerings_list(puhuri: Puhuri) -> None:
    run = puhuri("provider-offerings", "list", "--type", SITE_AGENT, "--json")
    assert run.exit_code == 0, run.stderr
    expected = [o["uuid"] for o in puhuri.fake.data.offerings if o["type"] == SITE_AGENT]
    assert [o["uuid"] for o in run.json()] == expected


def test_new_lists_on_an_80_column_terminal(tmp_path: Path, puhuri: Puhuri) -> None:
    home = tmp_path / "home"
    home.mkdir()
    fake = puhuri.fake
    with serve(WithMe(fake)) as url:
        env = terminal_env(url, TOKEN, str(home))
        status, text = Terminal("offering-users", "list", env=env).finish()
        assert status == 0, text
        lines = [CSI.sub("", line).replace("\r", "") for line in text.split("\n")]
        start = next(i for i, line in enumerate(lines) if line.startswith("uuid"))
        rows = [line for line in lines[start + 2 :] if re.match(r"[0-9a-f]{32}  ", line)]
        assert all(cell_len(line) <= 80 for line in lines[start:])
        accounts = sorted(u["uuid"] for u in fake.data.offering_users)
        assert sorted(row[:32] for row in rows) == accounts
        status, text = Terminal("me", env=env).finish()
        assert status == 0, text
        assert "staff" in text
