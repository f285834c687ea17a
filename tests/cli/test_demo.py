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

from puhuri_async._demo import DEFAULT_USERS, STEPS, WRITES, add_site_work
from puhuri_async._demo._site import CAPACITY
from puhuri_async.cli._commands import cli
from puhuri_async.testing import FakeData

from .conftest import Puhuri

ROOT = Path(__file__).resolve().parents[2]
SITE_AGENT = "Marketplace.Slurm"


def expected_counts(data: FakeData) -> dict[str, int]:
    """What the demo must report for a fake with ``data`` (computed from the data itself).

    ``data`` is the fake's data with the site's work added (``add_site_work``). The offering
    users' counts depend on who is a member where; :func:`check_invariants` checks those.
    """
    pending = [o for o in data.orders if o["state"] == "pending-provider"]
    site = [
        o
        for o in data.orders
        if o["offering_type"] == SITE_AGENT
        and o["state"] in ("pending-provider", "executing", "erred")
    ]
    refused = [
        o for o in site if o["type"] == "Create" and o["limits"].get("cpu", 0) > CAPACITY["cpu"]
    ]
    created = [o for o in site if o["type"] == "Create" and o not in refused]
    basic = [
        o
        for o in pending
        if o["type"] == "Create"
        and o["offering_type"] != SITE_AGENT
        and o["marketplace_resource_uuid"]
    ]
    new_ok = {o["marketplace_resource_uuid"] for o in created}
    ok = [r for r in data.resources if r["state"] == "OK" or r["uuid"] in new_ok]
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
        "erred orders marked executing": sum(o["state"] == "erred" for o in site),
        "site orders executing": len(site),
        "allocations created on the site": len(created),
        "backend ids set": len(basic) + len(created),
        "limits set": sum(o["type"] != "Terminate" and bool(o["limits"]) for o in site)
        - len(refused),
        "reports submitted": len(basic) + len(created),
        "resources set OK": len(created),
        "resources set erred": len(refused),
        "orders done": len(site) - len(refused),
        "orders erred": len(refused),
        "resources in state OK": len(ok),
        "offerings read": len({r["offering_uuid"] for r in ok}),
        "resources with usage reported": len(billed),
        "component amounts reported": sum(len(usage_types[r["offering_uuid"]]) for r in billed),
        "plan periods read back": sum(len(data.plan_periods[r["uuid"]]) for r in billed),
        "resources whose usage shows": len(billed),
    }


def check_invariants(counts: dict[str, int]) -> None:
    """What holds between the counts the data alone cannot give."""
    assert counts["offering users walked to OK"] >= counts["offering users created"] > 0
    assert counts["per-user amounts reported"] == counts["per-user amounts read back"] > 0


def fake_data(users: int, seed: int = 0) -> FakeData:
    data = FakeData.generate(users=users, seed=seed)
    add_site_work(data, users=users)
    return data


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
    expected = expected_counts(fake_data(DEFAULT_USERS))
    assert expected["users"] == 2000
    counts = summary_counts(done.stdout)
    assert {label: counts[label] for label in expected} == expected
    assert set(counts) == {label for _, label in STEPS} | {
        "users",
        "SSH keys",
        "projects",
        "project permissions",
    }
    check_invariants(counts)
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
    expected = expected_counts(fake_data(60, seed=4))
    labels = dict(STEPS)
    assert summary["write"] is True
    assert summary["fetched"]["users"] == 60
    counts = {labels[key]: value for key, value in summary["steps"].items()}
    assert set(counts) == set(labels.values())
    assert {label: counts[label] for label in expected if label in counts} == {
        label: value for label, value in expected.items() if label in counts
    }
    assert summary["fetched"] == {
        "users": expected["users"],
        "ssh_keys": expected["SSH keys"],
        "projects": expected["projects"],
        "project_permissions": expected["project permissions"],
    }
    check_invariants(counts)
    assert summary["requests"] > 0


def test_against_a_server_it_only_reads_unless_asked(puhuri: Puhuri) -> None:
    run = puhuri("demo")
    assert run.exit_code == 0, run.stderr
    assert puhuri.fake.requests_for("POST") == []
    assert puhuri.fake.requests_for("GET", "users/me/")
    assert puhuri.fake.requests_for("GET", "marketplace-service-providers/*/users/")
    assert f"Puhuri Core: {puhuri.url} (read-only)" in run.stdout
    assert run.stdout.count("skipped: read-only, --write to run") == len(WRITES)
    counts = summary_counts(run.stdout)
    expected = expected_counts(puhuri.fake.data)
    for label in ("users", "SSH keys", "project permissions", "orders pending-provider"):
        assert counts[label] == expected[label], label
    ok = [r for r in puhuri.fake.data.resources if r["state"] == "OK"]
    assert counts["resources in state OK"] == len(ok)
    assert counts["plan periods read back"] == sum(
        len(puhuri.fake.data.plan_periods[r["uuid"]]) for r in ok
    )

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
