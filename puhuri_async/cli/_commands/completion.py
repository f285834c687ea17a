"""``puhuri completion SHELL``: the shell completion script (click's), to source or install."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from puhuri_async.cli._help import Command

__all__ = ["COMPLETE_VAR", "SHELLS", "completion"]

#: The variable click's completion reads (from the program name ``puhuri``).
COMPLETE_VAR = "_PUHURI_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


@click.command("completion", cls=Command)
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL (bash, zsh or fish).

    Load it in the running shell, or install it for every new one:

    \b
      eval "$(puhuri completion bash)"                       # bash, now
      puhuri completion bash > ~/.local/share/bash-completion/completions/puhuri
      puhuri completion zsh > "${fpath[1]}/_puhuri"           # zsh
      puhuri completion fish > ~/.config/fish/completions/puhuri.fish
    """
    shell_class = get_completion_class(shell)
    assert shell_class is not None  # every name of SHELLS is one of click's
    root = ctx.find_root().command
    script = shell_class(root, {}, "puhuri", COMPLETE_VAR).source()
    click.echo(script, nl=not script.endswith("\n"))
