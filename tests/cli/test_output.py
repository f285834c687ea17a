"""The printer: cells, tables on a terminal and elsewhere, progress bars only on a terminal."""

from __future__ import annotations

import io
import json

from rich.console import Console

from puhuri_async.cli._output import Format, Output, ProgressBars, cell


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_cells() -> None:
    assert cell(None) == ""
    assert cell(True) == "true"
    assert cell({"cpu": 10}) == '{"cpu":10}'
    assert cell("two\nlines") == "two lines"
    assert cell("x" * 100, limit=60) == "x" * 59 + "…"
    assert cell("x" * 100) == "x" * 100


def test_a_table_off_terminal_is_never_cut() -> None:
    stdout = io.StringIO()
    Output(stdout=stdout).table(["name", "note"], [["a", "y" * 300], ["[bold]b[/]", None]])
    lines = stdout.getvalue().splitlines()
    assert lines[2] == "a".ljust(len("[bold]b[/]")) + "  " + "y" * 300
    assert lines[3] == "[bold]b[/]"  # shown as is: no markup


def test_a_table_on_a_terminal_fits_its_width() -> None:
    stdout = _Terminal()
    Output(stdout=stdout).table(["name", "note"], [["a", "y" * 300]])
    assert "y" * 300 not in stdout.getvalue()
    assert "…" in stdout.getvalue()


def test_json_formats() -> None:
    stdout = io.StringIO()
    Output(Format.JSON, stdout=stdout).items([{"a": 1}, {"a": 2}], ["a"], kind="things")
    assert json.loads(stdout.getvalue()) == [{"a": 1}, {"a": 2}]
    stdout = io.StringIO()
    Output(Format.JSONL, stdout=stdout).items([{"a": 1}, {"a": 2}], ["a"], kind="things")
    assert stdout.getvalue() == '{"a":1}\n{"a":2}\n'
    stdout = io.StringIO()
    Output(Format.JSONL, stdout=stdout).record({"status": "ok"}, first=True, last=False)
    assert stdout.getvalue() == '{"status":"ok"}\n'
    stdout = io.StringIO()
    for index in range(3):
        Output(Format.JSON, stdout=stdout).record({"n": index}, first=index == 0, last=index == 2)
    assert json.loads(stdout.getvalue()) == [{"n": 0}, {"n": 1}, {"n": 2}]
    stdout = io.StringIO()
    Output(stdout=stdout).line("order approved")
    assert stdout.getvalue() == "order approved\n"


def test_progress_shows_on_a_terminal_only() -> None:
    terminal = _Terminal()
    console = Console(file=terminal, force_terminal=True, width=100)
    with ProgressBars(console) as bars:
        update = bars.track("users")
        update(300, 2000)
        update(2000, 2000)
    assert "users" in terminal.getvalue()

    plain = io.StringIO()
    with ProgressBars(Console(file=plain)) as bars:
        bars.track("users")(300, 2000)
    assert plain.getvalue() == ""


def test_notes_go_to_a_terminal_only() -> None:
    plain, terminal = io.StringIO(), _Terminal()
    Output(stderr=plain).note("no users")
    Output(stderr=terminal).note("no users")
    assert plain.getvalue() == ""
    assert terminal.getvalue() == "no users\n"
