"""Exit statuses and error lines: one status per class of failure (see ``_exits``); no token."""

from __future__ import annotations

import socket
import sys

import pytest

from puhuri_async import __version__
from puhuri_async.cli import main
from puhuri_async.testing import Fault

from .conftest import TOKEN, Puhuri


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_bad_uuid_is_a_usage_error_and_nothing_is_sent(puhuri: Puhuri) -> None:
    run = puhuri("offerings", "get", "not-a-uuid")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith("error: invalid offering_uuid: must be a UUID")
    assert run.stderr.count("\n") == 1
    assert puhuri.fake.requests == []


def test_not_found_is_an_api_error_on_one_line(puhuri: Puhuri) -> None:
    missing = "0" * 32
    run = puhuri("offerings", "get", missing)
    assert run.exit_code == 4
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert "404 Not Found: Not found." in run.stderr
    assert f"marketplace-provider-offerings/{missing}/" in run.stderr


def test_a_server_fault_is_an_api_error(puhuri: Puhuri) -> None:
    puhuri.fake.add_fault(Fault.error(500, path="users/"))
    run = puhuri("users", "list", "--json")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert "500 Internal Server Error" in run.stderr
    assert run.stderr.count("\n") == 1


def test_a_bad_token_is_an_auth_error_and_neither_token_is_printed(puhuri: Puhuri) -> None:
    wrong = "wrong-token-0c9e4f"
    run = puhuri("users", "list", token=wrong)
    assert run.exit_code == 3  # not 1, the status of a server failure
    assert "401 Unauthorized" in run.stderr
    assert run.stderr.count("\n") == 1
    # ``puhuri`` itself checked that neither token is in stdout or stderr.


def test_the_token_is_not_in_verbose_output(puhuri: Puhuri) -> None:
    run = puhuri("--verbose", "users", "list", "--limit", "1")
    assert run.exit_code == 0
    assert "GET" in run.stderr
    assert "users/" in run.stderr
    run = puhuri("--verbose", "--token", TOKEN, "offerings", "get", "0" * 32)
    assert run.exit_code == 4


def test_a_token_in_the_servers_data_is_masked(puhuri: Puhuri) -> None:
    me = puhuri.fake.data.users[0]
    me["token"] = TOKEN  # Waldur shows users their own token
    puhuri.fake.data.touch("users")
    for fmt in ("--json", "--jsonl"):
        run = puhuri("users", "list", fmt, "--limit", "1")
        assert run.exit_code == 0, run.stderr
        [user] = run.json() if fmt == "--json" else run.jsonl()
        assert user["token"] == "***"
    run = puhuri("users", "list", "--column", "uuid", "--column", "token", "--limit", "1")
    assert run.stdout.splitlines()[2].split() == [me["uuid"], "***"]


def test_bearer_tokens_are_sent_with_their_prefix(puhuri: Puhuri) -> None:
    run = puhuri("--token-prefix", "Bearer", "users", "list", "--limit", "1", "--json")
    assert run.exit_code == 0, run.stderr
    assert dict(puhuri.fake.requests[-1].headers)["authorization"] == f"Bearer {TOKEN}"


def test_flags_override_the_environment(puhuri: Puhuri) -> None:
    run = puhuri(
        "--api-url",
        puhuri.url,
        "--token",
        TOKEN,
        "users",
        "list",
        "--json",
        env={"PUHURI_API_URL": "http://127.0.0.1:9/api/", "PUHURI_TOKEN": "x"},
    )
    assert run.exit_code == 0, run.stderr


def test_an_unreachable_server_is_a_network_error(puhuri: Puhuri) -> None:
    url = f"http://127.0.0.1:{_free_port()}/api/"
    run = puhuri("--retries", "0", "users", "list", env={"PUHURI_API_URL": url})
    assert run.exit_code == 6
    assert run.stderr.startswith("error: list_users: GET ")
    assert "could not connect" in run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["users", "list", "--filter", "nme=x"], "error: invalid filters: has unknown filter"),
        (["users", "list", "--filter", "name"], "expected NAME=VALUE"),
        (["users", "list", "--limit", "0"], "Invalid value for '--limit'"),
        (["users", "lsit"], "No such command 'lsit'"),
        (["--token-prefix", "Basic", "users", "list"], "Invalid value for '--token-prefix'"),
        (["service-providers", "users"], "Missing argument 'SP'"),
        (
            ["--api-url", "ftp://puhuri.example/api/", "users", "list"],
            "error: invalid api_url: scheme must be http or https",
        ),
    ],
)
def test_usage_errors_exit_with_2(puhuri: Puhuri, args: list[str], message: str) -> None:
    run = puhuri(*args)
    assert run.exit_code == 2
    assert message in run.stderr
    assert run.stdout == ""
    assert puhuri.fake.requests == []


@pytest.mark.parametrize("missing", ["PUHURI_API_URL", "PUHURI_TOKEN"])
def test_missing_settings_are_usage_errors(puhuri: Puhuri, missing: str) -> None:
    run = puhuri("users", "list", env={missing: ""})
    assert run.exit_code == 2
    assert ("no API URL" if missing == "PUHURI_API_URL" else "no API token") in run.stderr


def test_version(puhuri: Puhuri) -> None:
    run = puhuri("--version")
    assert (run.exit_code, run.stdout) == (0, f"puhuri (puhuri-async) {__version__}\n")


def test_without_the_cli_extra_main_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "rich", None)
    with pytest.raises(SystemExit) as exited:
        main(["users", "list"])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "needs the 'cli' extra (rich is not installed)" in err
    assert "pip install 'puhuri-async[cli]'" in err
