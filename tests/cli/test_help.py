"""Help: every command's one-line help is its whole first line, never cut at "e.g."."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from puhuri_async.cli._commands import cli
from puhuri_async.cli._help import one_line

from .conftest import Puhuri


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in group.commands.items():
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


COMMANDS = sorted(_commands(cli))


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_one_line_help_is_a_whole_line(path: tuple[str, ...]) -> None:
    command = _command(path)
    short = command.get_short_help_str()
    assert short, path
    assert short == one_line(command.help)
    assert not short.endswith(("e.g", "e.g.", "...", "such as")), short
    assert "\n" not in short


def test_group_help_lists_the_whole_one_liners(puhuri: Puhuri) -> None:
    run = puhuri("orders", "--help")
    assert run.exit_code == 0
    text = " ".join(run.stdout.split())
    assert "List the orders that match --state, --type, --resource and --filter" in text
    assert "Approve pending-provider orders; they move on to executing" in text
    run = puhuri("users", "--help")
    assert "List every user that matches the filters, such as --filter is_active=true" in " ".join(
        run.stdout.split()
    )


def test_the_root_help_names_the_settings_and_formats(puhuri: Puhuri) -> None:
    text = " ".join(puhuri("--help").stdout.split())
    for word in ("--profile", "PUHURI_PROFILE", "puhuri login", "-o json", "Exit status"):
        assert word in text
    assert "each API call may take in all" in text


def test_the_docs_name_every_command() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    leaves = [path for path in COMMANDS if not isinstance(_command(path), click.Group)]
    missing = [
        " ".join(path)
        for path in leaves
        if f"puhuri {' '.join(path)}" not in text and f"`{path[-1]}`" not in text
    ]
    assert missing == []
