"""The demo: the README's command as a new user runs it, read-only against a "real" server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from puhuri_async._demo import DEFAULT_USERS, STEPS
from puhuri_async.cli._commands import cli
from puhuri_async.testing import FakeData

from .conftest import Puhuri

ROOT = Path(__file__).resolve().parents[2]


def expected_counts(data: FakeData) -> dict[str, int]:
    """What the demo must report for a fake with ``data`` (computed from the data itself)."""
    pending = [o for o in data.orders if o["state"] == "pending-provider"]
    ok = [r for r in data.resources if r["state"] == "OK"]
    usage_types = {
        o["uuid"]: [c["type"] for c in o["components"] if c["billing_type"] == "usage"]
        for o in data.offerings
    }
    billed = [r for r in ok if usage_types[r["offering_uuid"]]]
    return {
        "users": len(data.users),
        "SSH keys": len(data.ssh_keys),
        "projects": len(data.projects),  # each has a resource of the provider
        "project permissions": len(data.permissions),
        "orders pending-provider": len(pending),
        "orders approved": len(pending),
        "backend ids set": sum(o["type"] == "Create" for o in pending),
        "reports submitted": sum(o["type"] == "Create" for o in pending),
        "resources in state OK": len(ok),
        "offerings read": len({r["offering_uuid"] for r in ok}),
        "resources with usage reported": len(billed),
        "component amounts reported": sum(len(usage_types[r["offering_uuid"]]) for r in billed),
        "plan periods read back": sum(len(data.plan_periods[r["uuid"]]) for r in billed),
        "resources whose usage shows": len(billed),
    }


def summary_counts(text: str) -> dict[str, int]:
    return {m[1]: int(m[2]) for m in re.finditer(r"^  (\S.*?)\s{2,}(\d+)$", text, re.M)}


@pytest.fixture
def clean_env() -> dict[str, str]:
    """The environment of a new user: no Puhuri Core configured, no forced terminal."""
    forced = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
    return {k: v for k, v in os.environ.items() if not k.startswith("PUHURI_") and k not in forced}


def test_the_readme_demo_command_runs_and_sums_up(clean_env: dict[str, str]) -> None:
    readme = (ROOT / "README.md").read_text()
    assert "python3 scripts/dev.py demo" in readme  # which runs `python -m puhuri_async demo`
    assert '"-m", "puhuri_async", "demo"' in (ROOT / "scripts" / "dev.py").read_text()

    done = subprocess.run(
        [sys.executable, "-m", "puhuri_async", "demo"],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar: stderr is not a terminal
    expected = expected_counts(FakeData.generate(users=DEFAULT_USERS))
    assert expected["users"] == 2000
    assert summary_counts(done.stdout) == expected
    assert "embedded fake at http://127.0.0.1:" in done.stdout
    totals = re.search(r"^(\d+) requests, (\d+) retries, [\d.]+ s$", done.stdout, re.M)
    assert totals is not None
    requests, retries = totals.groups()
    assert int(requests) > 0
    assert int(retries) == 0


def _demo(*args: str, env: dict[str, str | None] | None = None) -> Any:
    return CliRunner().invoke(cli, ["demo", *args], env=env or {}, catch_exceptions=False)


def test_json_summary_of_a_small_fake() -> None:
    result = _demo(
        "--users",
        "60",
        "--latency-ms",
        "0",
        "--seed",
        "4",
        "--json",
        env={"PUHURI_API_URL": None, "PUHURI_TOKEN": None},
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    counts = expected_counts(FakeData.generate(users=60, seed=4))
    labels = dict(STEPS)
    assert summary["write"] is True
    assert summary["fetched"]["users"] == 60
    assert {labels[key]: value for key, value in summary["steps"].items()} == {
        label: counts[label] for label in labels.values()
    }
    assert summary["requests"] > 0


def test_against_a_server_it_only_reads_unless_asked(puhuri: Puhuri) -> None:
    run = puhuri("demo")
    assert run.exit_code == 0, run.stderr
    assert puhuri.fake.requests_for("POST") == []
    assert puhuri.fake.requests_for("GET", "users/")
    assert f"Puhuri Core: {puhuri.url} (read-only)" in run.stdout
    assert run.stdout.count("skipped: read-only, --write to run") == 6
    counts = summary_counts(run.stdout)
    expected = expected_counts(puhuri.fake.data)
    for label in (
        "users",
        "SSH keys",
        "project permissions",
        "orders pending-provider",
        "resources in state OK",
        "plan periods read back",
    ):
        assert counts[label] == expected[label], label

    run = puhuri("demo", "--write", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["steps"]["orders_approved"] == expected["orders approved"]
    assert puhuri.fake.requests_for("POST", "marketplace-orders/*/approve_by_provider/")


def test_fake_flag_ignores_the_configured_server(puhuri: Puhuri) -> None:
    run = puhuri("demo", "--fake", "--users", "20", "--latency-ms", "0")
    assert run.exit_code == 0, run.stderr
    assert "embedded fake at http://127.0.0.1:" in run.stdout
    assert puhuri.fake.requests == []


def test_an_unknown_provider_is_a_usage_error(puhuri: Puhuri) -> None:
    run = puhuri("demo", "--provider", "1" * 32)
    assert run.exit_code == 2
    assert "invalid provider_uuid: no service provider of organisation" in run.stderr


def test_without_the_testing_extra_the_demo_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = _demo("--fake")
    assert result.exit_code == 1
    assert "needs the 'testing' extra" in result.stderr
