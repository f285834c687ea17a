"""``puhuri`` in a real 80-column pseudo-terminal: table layout, NO_COLOR, escaping, login.

Each test runs the command as a person at a terminal would (``python -m puhuri_async`` with a
pty as its terminal) against a FakePuhuri on a loopback port, and reads what the terminal
showed.
"""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len

from puhuri_async.testing import FakeData, FakePuhuri

from ._pty import Terminal, terminal_env
from ._servers import WithMe, serve
from .conftest import TOKEN

CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SGR = re.compile(r"\x1b\[[0-9;]*m")
HOSTILE = {
    "title": "\x1b]0;owned\x07",
    "clear": "\x1b[2J\x1b[H",
    "cursor": "\x1b[5A",
    "link": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "c1": "\x9b31m",
    "bidi": "\u202e",
}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[FakePuhuri, str, str]]:
    fake = FakePuhuri(FakeData.generate(users=30, seed=5), token=TOKEN)
    home = tmp_path / "home"
    home.mkdir()
    with serve(WithMe(fake)) as url:
        yield fake, url, str(home)


def _run(served: tuple[FakePuhuri, str, str], *args: str, **env: str) -> tuple[int, str]:
    _, url, home = served
    return Terminal(*args, env=terminal_env(url, TOKEN, home, **env)).finish()


def _table(text: str, first: str = "uuid") -> list[str]:
    """The lines of the table the terminal showed (escape codes of styles and bars removed)."""
    lines = [CSI.sub("", line).replace("\r", "") for line in text.split("\n")]
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    ends = (i for i in range(start + 2, len(lines)) if lines[i][:1] in ("", "("))  # blank, note
    end = next(ends, len(lines))
    return lines[start:end]


def test_orders_fit_80_columns_with_whole_uuids_states_and_readable_times(
    served: tuple[FakePuhuri, str, str],
) -> None:
    fake = served[0]
    status, text = _run(served, "orders", "list")
    assert status == 0, text
    table = _table(text)
    assert all(cell_len(line) <= 80 for line in table), table
    header, rule, *rows = table
    assert header.split()[:3] == ["uuid", "type", "state"]
    assert set(rule) <= {"─", " "}
    assert len(rows) == len(fake.data.orders)
    for row, order in zip(rows, fake.data.orders, strict=True):
        assert row.startswith(f"{order['uuid']}  "), row
        assert f"  {order['state']}" in row, row
    assert "\x1b[1m" in text  # a terminal without NO_COLOR gets a bold header
    assert "(no room at 80 columns for " in text  # says which columns it left out
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d", text)  # no microseconds anywhere

    status, text = _run(served, "orders", "list", "-c", "uuid", "-c", "state", "-c", "created")
    assert status == 0, text
    header, _, *rows = _table(text)
    assert header.split() == ["uuid", "state", "created"]
    assert re.fullmatch(r"[0-9a-f]{32}  \S+ +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", rows[0])


def test_users_at_80_and_at_120_columns(served: tuple[FakePuhuri, str, str]) -> None:
    fake, url, home = served
    for columns in (80, 120):
        terminal = Terminal("users", "list", env=terminal_env(url, TOKEN, home), columns=columns)
        status, text = terminal.finish()
        assert status == 0, text
        table = _table(text)
        assert all(cell_len(line) <= columns for line in table), (columns, table)
        uuids = [line.split()[0] for line in table[2:]]
        assert uuids == [user["uuid"] for user in fake.data.users]


def test_no_color_means_no_escape_codes_at_all(served: tuple[FakePuhuri, str, str]) -> None:
    for args in (
        ["users", "list"],
        ["orders", "list", "--state", "pending-provider"],
        ["offerings", "get", str(served[0].data.offerings[0]["uuid"])],
        ["orders", "approve", "0" * 32],  # an error line
        ["--help"],
    ):
        status, text = _run(served, *args, NO_COLOR="1")
        assert "\x1b" not in text, (args, text)
        assert "\x9b" not in text, (args, text)
        assert status in (0, 4), text
    status, text = _run(served, "users", "list", TERM="dumb")
    assert "\x1b" not in text


def test_hostile_names_are_escaped_in_tables_and_error_lines(
    served: tuple[FakePuhuri, str, str],
) -> None:
    fake = served[0]
    for user, (kind, sequence) in zip(fake.data.users, HOSTILE.items(), strict=False):
        user["full_name"] = f"{kind} {sequence} end"
    fake.data.touch("users")
    status, text = _run(served, "users", "list", "-c", "uuid", "-c", "full_name")
    assert status == 0, text
    assert "\x9b" not in text
    assert "\u202e" not in text
    leftover = SGR.sub("", text)  # our own bold header, nothing else
    for sequence in HOSTILE.values():
        assert sequence not in leftover
    assert "\x1b]" not in leftover
    assert "\x1b[2J" not in leftover
    assert "\x1b[5A" not in leftover
    assert "title \\x1b]0;owned\\x07 end" in text
    assert "c1 \\x9b31m end" in text
    assert "bidi \\u202e end" in text

    from puhuri_async.testing import Fault

    detail = b'{"detail": "nope \\u001b]0;owned\\u0007 \\u009b2J"}'
    fake.add_fault(Fault.error(400, body=detail, path="users/"))
    status, text = _run(served, "users", "list")
    assert status == 1
    assert "error: list_users: GET " in text
    assert "nope \\x1b]0;owned\\x07 \\x9b2J" in text
    assert "\x1b]" not in text
    assert "\x9b" not in text


def test_login_asks_for_the_url_and_a_hidden_token(served: tuple[FakePuhuri, str, str]) -> None:
    _fake, url, home = served
    env = terminal_env(url, TOKEN, home, PUHURI_API_URL="", PUHURI_TOKEN="", NO_COLOR="1")
    terminal = Terminal("--profile", "lab", "login", env=env)
    terminal.expect("Puhuri Core API URL: ")
    terminal.send(url)
    terminal.expect("API token (not shown): ")
    terminal.send(TOKEN)
    status, text = terminal.finish()
    assert status == 0, text
    assert TOKEN not in text  # not echoed while typed, not printed after
    assert f"logged in to {url} as " in text
    config = Path(home) / ".config" / "puhuri" / "config.toml"
    assert f"saved as profile 'lab' in {config}" in " ".join(text.split())
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert tomllib.loads(config.read_text())["profiles"]["lab"]["token"] == TOKEN

    # The saved profile is used from then on; a second login offers the saved URL.
    status, text = Terminal("--profile", "lab", "whoami", env=env).finish()
    assert status == 0, text
    assert f"profile 'lab' of {config}" in " ".join(text.split())
    terminal = Terminal("--profile", "lab", "login", env=env)
    terminal.expect(f"Puhuri Core API URL [{url}]: ")
    terminal.send("")
    terminal.expect("API token (not shown): ")
    terminal.send("wrong-token-5e1")
    status, text = terminal.finish()
    assert status == 3
    assert "nothing saved" in text
    assert "wrong-token-5e1" not in text
    assert tomllib.loads(config.read_text())["profiles"]["lab"]["token"] == TOKEN


def test_ctrl_c_interrupts_with_status_130(served: tuple[FakePuhuri, str, str]) -> None:
    from puhuri_async.testing import Fault

    fake, url, home = served
    fake.add_fault(Fault.slow(60, path="users/"))
    terminal = Terminal("users", "list", env=terminal_env(url, TOKEN, home))
    terminal.expect("users")  # the progress bar: the request is on its way
    terminal.write("\x03")  # Ctrl-C, as the terminal sends it
    status, text = terminal.finish()
    assert status == 130
    assert "error: interrupted" in text
    assert "Traceback" not in text
