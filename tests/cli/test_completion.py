"""Shell completion: ``puhuri completion SHELL`` prints click's script, and the script works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from puhuri_async.cli._commands.completion import COMPLETE_VAR

from .conftest import Puhuri


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _puhuri_completion puhuri"),
        ("zsh", "compdef _puhuri_completion puhuri"),
        ("fish", "complete --no-files --command puhuri"),
    ],
)
def test_the_script_is_printed(puhuri: Puhuri, shell: str, marker: str) -> None:
    run = puhuri("completion", shell)
    assert run.exit_code == 0, run.stderr
    assert marker in run.stdout
    assert f"{COMPLETE_VAR}={shell}_complete" in run.stdout
    assert run.stdout.endswith("\n")
    assert not run.stdout.endswith("\n\n\n")


def test_an_unknown_shell_is_a_usage_error(puhuri: Puhuri) -> None:
    run = puhuri("completion", "tcsh")
    assert run.exit_code == 2
    assert "bash" in run.stderr
    assert "zsh" in run.stderr


def _complete(words: str, home: Path) -> list[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PUHURI_")},
        COMPLETE_VAR: "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        "XDG_CONFIG_HOME": str(home),
    }
    done = subprocess.run(
        [sys.executable, "-m", "puhuri_async"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [line.split(",", 1)[1] for line in done.stdout.splitlines()]


def test_the_completion_answers_as_bash_asks(puhuri: Puhuri) -> None:
    assert _complete("puhuri ord", puhuri.home) == ["orders"]
    assert "approve" in _complete("puhuri orders ", puhuri.home)
    assert _complete("puhuri orders list -o j", puhuri.home) == ["json", "jsonl"]


def test_profile_names_complete(puhuri: Puhuri) -> None:
    from puhuri_async.cli._profiles import save_profile

    for name in ("prod", "test", "prod-old"):
        save_profile(name, {"api_url": puhuri.url, "token": "t"}, path=puhuri.config)
    assert _complete("puhuri --profile pr", puhuri.home) == ["prod", "prod-old"]
