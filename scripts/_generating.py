"""What the generators share: their command line, and the package's modules, even when stale.

``main`` is every generator's command line: write the file, or with ``--check`` say whether the
committed one is what the generator writes (exit status 1 if not).

``load``: ``import puhuri_async._operations`` would run ``puhuri_async/__init__.py``, which
imports the generated modules; one that no longer imports (a renamed model, say) would then
stop the very generator that rewrites it. So in a generator's own process the package is
entered without running its ``__init__``: only the table, the models and the leaves they need
are loaded. In a process where the package is already imported (the test suite), it is used as
it is.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "puhuri_async"


def load(module: str) -> Any:
    """The package's module ``module`` (``"_operations"``, ``"_client"``...)."""
    if PACKAGE not in sys.modules:
        sys.path.insert(0, str(ROOT))
        shell = types.ModuleType(PACKAGE)
        shell.__path__ = [str(ROOT / PACKAGE)]
        sys.modules[PACKAGE] = shell
    return importlib.import_module(f"{PACKAGE}.{module}")


def load_table() -> Any:
    """The operation table: the ``puhuri_async._operations`` module."""
    return load("_operations")


def main(
    argv: list[str] | None,
    *,
    doc: str | None,
    render: Callable[[], str],
    target: Path,
    root: Path,
    command: str,
) -> int:
    """Write ``render()`` to ``target``; with ``--check``, only compare (1 if it differs)."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target.relative_to(root)} is out of date: run `{command}`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.relative_to(root)} ({len(text.splitlines())} lines)")
    return 0
