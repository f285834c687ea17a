"""A site agent's round written for waldur_client 0.6.4 runs on puhuri-async, ported by two lines.

``site_agent_round.py`` is run as a program twice against a FakePuhuri on a loopback port, as
the provider's owner: once as written, with ``waldur_client`` itself (it is a real
``waldur_client`` script), and once with its import line and the line that makes the client
changed to ``SyncPuhuriClient``, and nothing else. Each time the fake's state shows what the
round did: orders approved, restarted, done or erred, allocations with their site account and
limits, offering users walked to OK, usage per component and per user.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from puhuri_async.testing import FakeData, FakePuhuri

SCRIPT = Path(__file__).with_name("site_agent_round.py")
OFFERING = "Site agent allocation"
NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
IMPORT = "from waldur_client import ComponentUsage, WaldurClient\n"
CONSTRUCTOR = "client = WaldurClient(API_URL, TOKEN)\n"
PORTED_IMPORT = "from puhuri_async import ComponentUsage, SyncPuhuriClient\n"
PORTED_CONSTRUCTOR = "client = SyncPuhuriClient(API_URL, TOKEN)\n"


def ported(source: str) -> str:
    """The script with its import and its constructor changed, each found exactly once."""
    assert source.count(IMPORT) == 1
    assert source.count(CONSTRUCTOR) == 1
    return source.replace(IMPORT, PORTED_IMPORT).replace(CONSTRUCTOR, PORTED_CONSTRUCTOR)


class Round:
    """A fake with a site agent's work waiting, and the orders the round must handle."""

    def __init__(self) -> None:
        self.fake = FakePuhuri(
            FakeData.generate(users=40, seed=3), profile="8.1", clock=lambda: NOW
        )
        data = self.fake.data
        self.offering = next(o for o in data.offerings if o["name"] == OFFERING)
        mine = [r for r in data.resources if r["offering_uuid"] == self.offering["uuid"]]
        project = data.projects[0] if not mine else data.get("projects", mine[0]["project_uuid"])
        # An order that failed before (the agent puts it back to executing and retries it)...
        failed = data.add_resource(project=project, offering=self.offering, state="Erred")
        self.failed = data.add_order(resource=failed, state="erred", order_type="Create")
        # ...and one asking for more than the site can host (the agent marks it erred).
        huge = data.add_resource(project=project, offering=self.offering, state="Creating")
        self.huge = data.add_order(
            resource=huge, state="pending-provider", order_type="Create", limits={"cpu": 10**7}
        )
        self.waiting = [
            o
            for o in data.orders
            if o["offering_uuid"] == self.offering["uuid"]
            and o["state"] in ("pending-provider", "executing", "erred")
        ]
        self.requested = [
            u
            for u in data.offering_users
            if u["offering_uuid"] == self.offering["uuid"] and u["state"] == "Requested"
        ]
        assert self.requested
        assert len(self.waiting) >= 4

    def run(self, source: str, tmp_path: Path) -> dict[str, Any]:
        """Run ``source`` as a program against the fake; its JSON summary."""
        script = tmp_path / "round.py"
        script.write_text(source, encoding="utf-8")
        with self.fake.serve() as api_url:
            env = {
                **os.environ,
                "WALDUR_API_URL": api_url,
                "WALDUR_TOKEN": "owner-token",
                "SITE_OFFERING": OFFERING,
            }
            done = subprocess.run(
                [sys.executable, str(script)],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        assert done.returncode == 0, done.stderr
        summary: dict[str, Any] = json.loads(done.stdout)
        return summary

    def check_orders(self, summary: dict[str, Any]) -> None:
        """Every waiting order finished: done with its allocation made, or erred with why."""
        data = self.fake.data
        assert summary["me"] == "provider-owner"
        assert summary["restarted"] == [self.failed["uuid"]]
        assert summary["erred"] == [self.huge["uuid"]]
        assert self.huge["uuid"] in summary["approved"]
        assert sorted(summary["done"] + summary["erred"]) == sorted(o["uuid"] for o in self.waiting)
        for order in self.waiting:
            resource = data.get("resources", order["marketplace_resource_uuid"])
            assert resource is not None
            assert summary["order_states"][order["uuid"]] == order["state"]
            if order is self.huge:
                assert (order["state"], resource["state"]) == ("erred", "Erred")
                assert order["error_message"] == "The site cannot host this allocation."
                assert order["error_traceback"].startswith("site: cpu limit")
            else:
                assert (order["state"], resource["state"]) == ("done", "OK")
                assert resource["backend_id"] == "alloc-" + resource["uuid"][:8]

    def check_usage(self, summary: dict[str, Any]) -> None:
        """This month's usage of every OK allocation, as reported and as read back."""
        data = self.fake.data
        ok = [
            r
            for r in data.resources
            if r["offering_uuid"] == self.offering["uuid"] and r["state"] == "OK"
        ]
        assert sorted(summary["reported"]) == sorted(r["uuid"] for r in ok)
        for resource in ok:
            month = [
                u
                for u in data.component_usages
                if u["resource_uuid"] == resource["uuid"] and u["billing_period"] == "2025-03-01"
            ]
            assert {u["type"]: u["usage"] for u in month} == {"cpu": "10.00", "gpu": "20.00"}
            assert summary["reported"][resource["uuid"]] == {"cpu": "10.00", "gpu": "20.00"}
            assert ["cpu", "10.00"] in summary["read_back"][resource["uuid"]]

    def user_usages(self) -> list[dict[str, Any]]:
        """The per-user usages recorded for this month's usages of the offering."""
        month = {
            u["uuid"]
            for u in self.fake.data.component_usages
            if u["offering_uuid"] == self.offering["uuid"] and u["billing_period"] == "2025-03-01"
        }
        return [
            u
            for u in self.fake.data.component_user_usages
            if u["component_usage"].rstrip("/").rsplit("/", 1)[-1] in month
        ]


def test_the_port_changes_two_lines() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    changed = [
        line
        for line in difflib.unified_diff(
            source.splitlines(keepends=True), ported(source).splitlines(keepends=True), n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert sorted(changed) == sorted(
        [f"-{IMPORT}", f"-{CONSTRUCTOR}", f"+{PORTED_IMPORT}", f"+{PORTED_CONSTRUCTOR}"]
    )


@pytest.mark.timeout(300)
def test_the_script_runs_with_waldur_client_itself(tmp_path: Path) -> None:
    """As written, with waldur_client 0.6.4: the whole round but the offering users' states.

    0.6.4 has no offering-user transitions, so the users who asked for an account stay
    Requested, and nobody has a username yet to report usage for.
    """
    job = Round()
    summary = job.run(SCRIPT.read_text(encoding="utf-8"), tmp_path)
    job.check_orders(summary)
    job.check_usage(summary)
    assert summary["accounts"] == []
    assert all(u["state"] == "Requested" for u in job.requested)
    shares = job.user_usages()
    assert len(shares) == 2 * summary["user_shares"] * len(summary["reported"])
