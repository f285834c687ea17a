"""The command classes of ``puhuri``: one-line help that is never cut short.

click makes a command's one-line help (in its group's list of commands) from the first
sentence of its docstring, ending at the first ". ", and cuts it to fit 45 characters or so:
"Orders matching the filters, e.g." lost everything after "e.g.". These classes show the
whole first line of the docstring instead (click wraps it to the terminal); every docstring's
first line is a complete sentence, which a test checks for each command.
"""

from __future__ import annotations

import click

__all__ = ["Command", "Group", "one_line"]


def one_line(help_text: str | None) -> str:
    """The first line of a help text, without a trailing period."""
    lines = (help_text or "").strip().splitlines()
    return lines[0].strip().removesuffix(".") if lines else ""


class Command(click.Command):
    """A command whose one-line help is the whole first line of its help."""

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.short_help or one_line(self.help)


class Group(click.Group):
    """A group whose commands and subgroups are of these classes too."""

    command_class = Command
    group_class = type

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.short_help or one_line(self.help)
