"""The round ported to SyncPuhuriClient (two lines changed) does the whole job, users too."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_site_agent_round import SCRIPT, Round, ported


@pytest.mark.timeout(300)
def test_the_ported_script_runs_on_the_sync_client(tmp_path: Path) -> None:
    """Ported, on SyncPuhuriClient: the same round, and the offering users walked to OK."""
    job = Round()
    summary = job.run(ported(SCRIPT.read_text(encoding="utf-8")), tmp_path)
    job.check_orders(summary)
    job.check_usage(summary)
    assert sorted(summary["accounts"]) == sorted(u["uuid"] for u in job.requested)
    for user in job.requested:
        assert (user["state"], user["username"]) == ("OK", "u-" + user["user_username"])
    shares = job.user_usages()
    assert len(shares) == 2 * summary["user_shares"] * len(summary["reported"])
    assert {s["username"] for s in shares} <= {
        u["username"] for u in job.fake.data.offering_users if u["state"] == "OK"
    }
