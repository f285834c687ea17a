"""List commands against the fake on a loopback port: tables, --json, --jsonl, filters, limits."""

from __future__ import annotations

import re

from puhuri_async.cli._commands.users import USER_COLUMNS

from .conftest import Puhuri


def _table(text: str) -> tuple[list[str], list[str]]:
    """The header line and the data lines of a printed table (the rule line dropped)."""
    lines = text.splitlines()
    assert set(lines[1]) <= {"─", " "}, lines[1]
    return [lines[0]], lines[2:]


def test_users_table_is_aligned_with_the_default_columns(puhuri: Puhuri) -> None:
    run = puhuri("users", "list")
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""  # no progress bar: stderr is not a terminal
    (header,), rows = _table(run.stdout)
    assert header.split() == list(USER_COLUMNS)
    users = puhuri.fake.data.users
    assert len(rows) == len(users)
    email_at = header.index("email")
    for row, user in zip(rows, users, strict=True):
        assert row.startswith(user["uuid"])
        assert row[email_at:].startswith(user["email"])
        assert row == row.rstrip()


def test_users_json_is_the_servers_json(puhuri: Puhuri) -> None:
    run = puhuri("users", "list", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json() == puhuri.served(puhuri.fake.data.users)


def test_ssh_keys_jsonl_gives_one_object_per_line(puhuri: Puhuri) -> None:
    run = puhuri("ssh-keys", "list", "--jsonl")
    assert run.exit_code == 0, run.stderr
    assert run.jsonl() == puhuri.served(puhuri.fake.data.ssh_keys)
    assert len(run.stdout.splitlines()) == len(puhuri.fake.data.ssh_keys)


def test_filter_and_limit_reach_the_server(puhuri: Puhuri) -> None:
    first = puhuri.fake.data.users[0]
    run = puhuri("users", "list", "--filter", f"username={first['username']}", "--json")
    assert [user["uuid"] for user in run.json()] == [first["uuid"]]
    query = puhuri.fake.requests_for("GET", "users/")[-1].query
    assert ("username", first["username"]) in query

    run = puhuri("users", "list", "--limit", "4", "--jsonl")
    assert [u["uuid"] for u in run.jsonl()] == [u["uuid"] for u in puhuri.fake.data.users[:4]]


def test_a_single_value_filter_given_twice_is_a_usage_error(puhuri: Puhuri) -> None:
    keys = puhuri.fake.data.ssh_keys
    run = puhuri(
        "ssh-keys",
        "list",
        "--filter",
        f"uuid={keys[0]['uuid']}",
        "--filter",
        f"uuid={keys[1]['uuid']}",
        "--json",
    )
    assert run.exit_code == 2
    assert run.stderr == "error: invalid uuid: takes one value, got a list\n"
    assert puhuri.fake.requests == []


def test_columns_choose_what_the_table_shows(puhuri: Puhuri) -> None:
    run = puhuri("users", "list", "-c", "email", "--column", "full_name", "--limit", "2")
    (header,), rows = _table(run.stdout)
    assert header.split() == ["email", "full_name"]
    assert rows[0].startswith(puhuri.fake.data.users[0]["email"])
    assert rows[0].endswith(puhuri.fake.data.users[0]["full_name"])


def test_an_empty_list_prints_nothing_on_stdout(puhuri: Puhuri) -> None:
    run = puhuri("users", "list", "--filter", "username=nobody")
    assert (run.exit_code, run.stdout) == (0, "")
    run = puhuri("users", "list", "--filter", "username=nobody", "--json")
    assert run.json() == []


def test_service_providers_and_their_lists(puhuri: Puhuri) -> None:
    sp = puhuri.fake.data.service_provider
    run = puhuri("service-providers", "list", "--json")
    assert run.json() == puhuri.served([sp])
    run = puhuri("service-providers", "list")
    assert sp["customer_name"] in run.stdout

    for command, path in [
        ("users", "users"),
        ("ssh-keys", "keys"),
        ("projects", "projects"),
        ("permissions", "project_permissions"),
    ]:
        run = puhuri("service-providers", command, sp["uuid"], "--jsonl")
        assert run.exit_code == 0, (command, run.stderr)
        assert run.jsonl(), command
        logged = puhuri.fake.requests_for(
            "GET", f"marketplace-service-providers/{sp['uuid']}/{path}/"
        )
        assert logged, command
        table = puhuri("service-providers", command, sp["uuid"])
        assert len(table.stdout.splitlines()) == len(run.jsonl()) + 2

    projects = puhuri("service-providers", "projects", sp["uuid"], "--json").json()
    served = {p["uuid"] for p in puhuri.fake.data.projects}
    assert {p["uuid"] for p in projects} <= served


def test_offering_shows_its_fields_and_components(puhuri: Puhuri) -> None:
    offering = puhuri.fake.data.offerings[0]
    run = puhuri("offerings", "get", offering["uuid"], "--json")
    assert run.json() == puhuri.served(offering)
    run = puhuri("offerings", "get", offering["uuid"])
    assert run.exit_code == 0
    assert re.search(rf"^name\s+{re.escape(offering['name'])}$", run.stdout, re.M)
    for component in offering["components"]:
        assert re.search(
            rf"^{component['type']}\s+{re.escape(component['name'])}\s", run.stdout, re.M
        )
    run = puhuri("offerings", "get", offering["uuid"], "--jsonl")
    assert len(run.stdout.splitlines()) == 1
    assert run.jsonl() == [puhuri.served(offering)]


def test_dashed_and_upper_case_uuids_are_accepted(puhuri: Puhuri) -> None:
    uuid = puhuri.fake.data.offerings[0]["uuid"]
    dashed = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}".upper()
    run = puhuri("offerings", "get", dashed, "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["uuid"] == uuid
