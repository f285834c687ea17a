"""The ``puhuri`` command line (optional extra ``cli``: click and rich).

``main()`` is the console script; ``python -m puhuri_async`` runs it too. It only imports click
and rich when called, and says which extra to install when they are missing.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

_MISSING_EXTRA = (
    "error: the puhuri command line needs the 'cli' extra ({name} is not installed): "
    "pip install 'puhuri-async[cli]'"
)


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``puhuri`` with ``argv`` (default: the process's arguments); exits with its status."""
    try:
        import click  # noqa: F401 - checked here, used by the commands
        import rich  # noqa: F401
    except ImportError as exc:
        print(_MISSING_EXTRA.format(name=exc.name), file=sys.stderr)
        raise SystemExit(1) from None
    from puhuri_async.cli._commands import cli

    cli.main(args=None if argv is None else list(argv), prog_name="puhuri")
