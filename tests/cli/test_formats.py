"""``--output`` and its aliases, TSV, columns, empty results and escaping, off a terminal."""

from __future__ import annotations

import pytest

from puhuri_async.cli._commands.users import USER_COLUMNS

from .conftest import Puhuri

HOSTILE_NAME = "Evil\x1b]0;owned\x07 \x1b[2J\x9b31m\u202eCorp"


def test_output_json_is_the_same_as_json(puhuri: Puhuri) -> None:
    for args in (["-o", "json"], ["--output", "json"], ["--json"], ["--json", "-o", "json"]):
        run = puhuri("users", "list", "--limit", "3", *args)
        assert run.exit_code == 0, (args, run.stderr)
        assert run.json() == puhuri.served(puhuri.fake.data.users[:3])
    run = puhuri("users", "list", "--limit", "3", "-o", "jsonl")
    assert run.jsonl() == puhuri.served(puhuri.fake.data.users[:3])
    assert run.stdout == puhuri("users", "list", "--limit", "3", "--jsonl").stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--json", "--jsonl"],
        ["-o", "tsv", "--json"],
        ["--output", "table", "--jsonl"],
        ["-o", "json", "--jsonl"],
    ],
)
def test_contradictory_formats_are_a_usage_error(puhuri: Puhuri, args: list[str]) -> None:
    run = puhuri("users", "list", *args)
    assert run.exit_code == 2
    assert "contradict each other" in run.stderr
    assert run.stdout == ""
    assert puhuri.fake.requests == []


def test_an_unknown_format_names_the_valid_ones(puhuri: Puhuri) -> None:
    run = puhuri("users", "list", "-o", "yaml")
    assert run.exit_code == 2
    assert all(name in run.stderr for name in ("table", "json", "jsonl", "tsv"))


def test_tsv_has_a_header_and_the_values_as_sent(puhuri: Puhuri) -> None:
    user = puhuri.fake.data.users[0]
    user["full_name"] = "Tab\tand\nnewline"
    puhuri.fake.data.touch("users")
    run = puhuri("users", "list", "-o", "tsv", "-c", "uuid", "-c", "full_name", "-c", "date_joined")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "uuid\tfull_name\tdate_joined"
    assert lines[1] == f"{user['uuid']}\tTab\\tand\\nnewline\t{user['date_joined']}"
    assert len(lines) == len(puhuri.fake.data.users) + 1
    assert all(line.count("\t") == 2 for line in lines)


def test_an_unknown_column_is_a_usage_error_naming_the_valid_ones(puhuri: Puhuri) -> None:
    run = puhuri("users", "list", "--column", "uuid", "--column", "emial")
    assert run.exit_code == 2
    assert "unknown column 'emial'" in run.stderr
    assert "valid columns: url, uuid, username" in run.stderr
    assert puhuri.fake.requests == []
    run = puhuri("orders", "list", "-c", "nope")
    assert run.exit_code == 2
    assert "unknown column 'nope'" in run.stderr
    assert ", state," in run.stderr
    run = puhuri("resources", "list", "--field", "nope")
    assert run.exit_code == 2
    assert "'--field'" in run.stderr


def test_every_default_column_is_valid(puhuri: Puhuri) -> None:
    run = puhuri("users", "list", *(arg for name in USER_COLUMNS for arg in ("-c", name)))
    assert run.exit_code == 0, run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["users", "list", "--filter", "username=nobody"], "no users match\n"),
        (["orders", "list", "--resource", "0" * 32], "no orders match\n"),
        (["resources", "list", "--state", "Terminated"], "no resources match\n"),
    ],
)
def test_an_empty_result_says_so(puhuri: Puhuri, args: list[str], message: str) -> None:
    run = puhuri(*args)
    assert (run.exit_code, run.stdout, run.stderr) == (0, "", message)
    run = puhuri(*args, "-o", "tsv")
    assert (run.exit_code, run.stdout, run.stderr) == (0, "", "")  # a pipe: nothing at all
    assert puhuri(*args, "--json").json() == []


def test_control_characters_from_the_server_are_escaped_in_tables_and_tsv(
    puhuri: Puhuri,
) -> None:
    user = puhuri.fake.data.users[0]
    user["full_name"] = HOSTILE_NAME
    puhuri.fake.data.touch("users")
    table = puhuri("users", "list", "-c", "uuid", "-c", "full_name", "--limit", "1")
    assert table.exit_code == 0, table.stderr
    assert "\x1b" not in table.stdout
    assert "\x9b" not in table.stdout
    assert "Evil\\x1b]0;owned\\x07 \\x1b[2J\\x9b31m\\u202eCorp" in table.stdout

    as_json = puhuri("users", "list", "--limit", "1", "--json")
    assert as_json.json()[0]["full_name"] == HOSTILE_NAME  # exact
    assert "\x1b" not in as_json.stdout
    assert "\x9b" not in as_json.stdout
    assert "\u202e" not in as_json.stdout
    assert puhuri("users", "list", "--limit", "1", "-o", "jsonl").jsonl()[0]["full_name"] == (
        HOSTILE_NAME
    )


def test_an_error_line_from_the_server_is_escaped(puhuri: Puhuri) -> None:
    from puhuri_async.testing import Fault

    body = b'{"detail": "bad \\u001b]0;owned\\u0007 \\u001b[2J thing\\u009b"}'
    puhuri.fake.add_fault(Fault.error(400, body=body, path="users/"))
    run = puhuri("users", "list")
    assert run.exit_code == 1
    assert "\x1b" not in run.stderr
    assert "\x9b" not in run.stderr
    assert "bad \\x1b]0;owned\\x07 \\x1b[2J thing\\x9b" in run.stderr
    assert run.stderr.count("\n") == 1


def test_one_object_as_a_table_and_as_tsv(puhuri: Puhuri) -> None:
    offering = puhuri.fake.data.offerings[0]
    run = puhuri("offerings", "get", offering["uuid"], "-o", "tsv")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "field\tvalue"
    assert f"uuid\t{offering['uuid']}" in lines
