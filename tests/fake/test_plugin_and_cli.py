"""The pytest plugin (fixture, marker, entry point) and ``python -m puhuri_async.testing``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from importlib.metadata import entry_points
from pathlib import Path

import httpx
import pytest

from puhuri_async.testing import FakePuhuri


def test_plugin_is_registered() -> None:
    found = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert found["puhuri_async"] == "puhuri_async.testing.pytest_plugin"


def test_fixture_defaults(puhuri_fake: FakePuhuri) -> None:
    assert isinstance(puhuri_fake, FakePuhuri)
    assert len(puhuri_fake.data.users) == 20
    assert puhuri_fake.token == "test-token"


@pytest.mark.puhuri_fake_data(users=7, orders=13, seed=3, site_agent=False)
def test_fixture_sized_by_marker(puhuri_fake: FakePuhuri) -> None:
    assert (len(puhuri_fake.data.users), len(puhuri_fake.data.orders)) == (7, 13)


def test_url_fixture(puhuri_fake: FakePuhuri, puhuri_fake_url: str) -> None:
    response = httpx.get(puhuri_fake_url + "users/", headers={"Authorization": "Token test-token"})
    assert response.headers["X-Result-Count"] == "20"
    assert len(puhuri_fake.requests) == 1


def test_plugin_in_a_users_own_project(tmp_path: Path) -> None:
    (tmp_path / "test_mine.py").write_text(
        textwrap.dedent("""
        import anyio
        import httpx
        import pytest
        from puhuri_async.testing import Fault

        @pytest.mark.puhuri_fake_data(users=3)
        def test_in_process(puhuri_fake):
            puhuri_fake.add_fault(Fault.error(503, at=(1,)))

            async def main():
                async with httpx.AsyncClient(transport=puhuri_fake.transport(),
                                             base_url=puhuri_fake.base_url,
                                             headers={"Authorization": "Token test-token"}) as c:
                    return [(await c.get("users/")).status_code for _ in range(2)]

            assert anyio.run(main) == [503, 200]
            assert [r.status for r in puhuri_fake.requests] == [503, 200]

        def test_on_a_port(puhuri_fake_url):
            r = httpx.get(puhuri_fake_url + "users/",
                          headers={"Authorization": "Bearer test-token"})
            assert r.status_code == 200
    """)
    )
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_mine.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "2 passed" in completed.stdout


def _read_line(stream: object, timeout: float) -> str:
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(stream.readline()), daemon=True)  # type: ignore[attr-defined]
    reader.start()
    reader.join(timeout)
    return line[0] if line else ""


def test_serve_command() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "puhuri_async.testing",
            "serve",
            "--users",
            "120",
            "--latency-ms",
            "1",
            "--token",
            "cli-token-1",
            "--orders",
            "20",
            "--no-site-agent",
            "--seed",
            "8",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        base_url = _read_line(process.stdout, 30).strip()
        assert base_url.startswith("http://127.0.0.1:"), process.stderr
        assert base_url.endswith("/api/")
        auth = {"Authorization": "Token cli-token-1"}
        users = httpx.get(base_url + "users/", params={"page_size": 300}, headers=auth)
        assert users.headers["X-Result-Count"] == "120"
        assert len(users.json()) == 120
        orders = httpx.head(base_url + "marketplace-orders/", headers=auth)
        assert orders.headers["X-Result-Count"] == "20"
        assert httpx.get(base_url + "users/").status_code == 401
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors
    assert "cli-token-1" in errors


@pytest.mark.parametrize(
    "arguments",
    [["serve", "--users", "-1"], ["serve", "--latency-ms", "-5"], ["serve", "--bogus"], []],
)
def test_serve_command_usage_errors(arguments: list[str]) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "puhuri_async.testing", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert "error" in completed.stderr
