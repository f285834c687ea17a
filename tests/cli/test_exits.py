"""One exit status per class of failure, the same in ``--help`` and docs/cli.md; timeouts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from puhuri_async.cli._exits import EXIT_DOCS, Exit
from puhuri_async.testing import Fault

from ._servers import trickling
from .conftest import Puhuri

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, Exit.ERROR),
        (401, Exit.AUTH),
        (403, Exit.AUTH),
        (404, Exit.NOT_FOUND),
        (409, Exit.CONFLICT),
        (429, Exit.ERROR),
        (500, Exit.ERROR),
        (503, Exit.ERROR),
    ],
)
def test_each_answer_has_its_status(puhuri: Puhuri, status: int, expected: Exit) -> None:
    puhuri.fake.add_fault(Fault.error(status, path="users/"))
    run = puhuri("--retries", "0", "users", "list")
    assert run.exit_code == expected
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith("error: list_users: GET ")


def test_a_wrong_token_is_not_a_server_failure(puhuri: Puhuri) -> None:
    run = puhuri("users", "list", token="wrong-token-77")
    assert run.exit_code == Exit.AUTH
    assert "401 Unauthorized" in run.stderr
    assert "puhuri login" in run.stderr
    puhuri.fake.add_fault(Fault.error(500, path="users/"))
    assert puhuri("--retries", "0", "users", "list").exit_code == Exit.ERROR


def test_a_slow_server_is_a_timeout_with_a_readable_line(puhuri: Puhuri) -> None:
    puhuri.fake.add_fault(Fault.slow(30, path="users/"))
    run = puhuri("--timeout", "0.5", "users", "list")
    assert run.exit_code == Exit.TIMEOUT
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith("error: list_users")
    assert "timed out" in run.stderr
    for internal in ("Cancel", "cancel scope", "anyio", "httpcore", "Traceback"):
        assert internal not in run.stderr


def test_a_trickling_server_cannot_stretch_the_timeout(puhuri: Puhuri) -> None:
    # One byte every 50 ms: no read waits anywhere near the 1 s read timeout, so only a
    # deadline over the whole call ends it.
    with trickling(every=0.05) as url:
        run = puhuri("--timeout", "1", "users", "list", env={"PUHURI_API_URL": url})
    assert run.exit_code == Exit.TIMEOUT
    assert run.stderr == (
        "error: list_users: timed out, no complete answer within 1 s (--timeout)\n"
    )


def test_a_timed_out_change_says_it_may_have_been_made(puhuri: Puhuri) -> None:
    order = next(o for o in puhuri.fake.data.orders if o["state"] == "pending-provider")
    puhuri.fake.add_fault(Fault.slow(30, method="POST", path="marketplace-orders/*"))
    run = puhuri("--timeout", "0.5", "orders", "approve", str(order["uuid"]))
    assert run.exit_code == Exit.TIMEOUT
    assert run.stderr == (
        "error: marketplace_order_approve_by_provider: timed out, no complete answer within"
        " 0.5 s (--timeout); the change may have been made: check before trying again\n"
    )


@pytest.mark.parametrize(
    "url", ["puhuri-core.example.org/api/", "127.0.0.1:8000/api/", "//puhuri.example/api/"]
)
def test_a_url_without_a_scheme_says_so(puhuri: Puhuri, url: str) -> None:
    run = puhuri("users", "list", env={"PUHURI_API_URL": url})
    assert run.exit_code == Exit.USAGE
    assert "has no scheme" in run.stderr
    assert "(from PUHURI_API_URL)" in run.stderr
    assert f"such as https://{url.lstrip('/')}" in run.stderr
    assert "'none'" not in run.stderr


def test_the_help_lists_every_status(puhuri: Puhuri) -> None:
    run = puhuri("--help")
    assert run.exit_code == 0
    section = run.stdout.split("Exit status:")[1]
    for code in EXIT_DOCS:
        assert re.search(rf"^  {int(code)}\s", section, re.M), code


def test_the_docs_table_is_the_code_table() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    table = text.split("## Exit status")[1].split("\n## ")[0]
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", table, re.M))
    assert rows == {str(int(code)): doc for code, doc in EXIT_DOCS.items()}
