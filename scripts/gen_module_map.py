#!/usr/bin/env python3
"""Generate the module map of docs/architecture.md: every module of the package and its job.

    python scripts/gen_module_map.py            # rewrite the map in docs/architecture.md
    python scripts/gen_module_map.py --check    # exit 1 if the committed map is stale

The job of each module is the first sentence of its own docstring, so the map is as true as the
modules say and a new module cannot be left out: the map is the part of the page between two
marker comments, and the test suite fails when it differs from what this script writes. A module
without a docstring stops the generator (every module must be able to say what it is for).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _generating as generating  # a sibling module, found once the path is set

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "puhuri_async"
TARGET = ROOT / "docs" / "architecture.md"
COMMAND = "python scripts/gen_module_map.py"
BEGIN = "<!-- module map: made by scripts/gen_module_map.py from the module docstrings -->"
END = "<!-- end of the module map -->"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(])|(?<=[.!?])$")


def job(path: Path) -> str:
    """The first sentence of the module's docstring, on one line."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    if not doc:
        raise SystemExit(f"{path.relative_to(ROOT)} has no docstring: say what the module is for")
    paragraph = " ".join(doc.split("\n\n")[0].split())
    first = _SENTENCE_END.split(paragraph, maxsplit=1)[0]
    return first.replace("|", "\\|")


def modules() -> list[Path]:
    """Every module of the package, in path order, caches left out."""
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def table() -> str:
    """The map: one row per module, its path under ``puhuri_async/`` and its job."""
    rows = ["| module | its job |", "|---|---|"]
    rows += [f"| `{p.relative_to(PACKAGE).as_posix()}` | {job(p)} |" for p in modules()]
    return "\n".join(rows)


def render() -> str:
    """docs/architecture.md with its module map made anew."""
    text = TARGET.read_text(encoding="utf-8")
    head, found, rest = text.partition(BEGIN)
    if not found or END not in rest:
        raise SystemExit(f"{TARGET.relative_to(ROOT)} lacks the markers {BEGIN!r} ... {END!r}")
    tail = rest.partition(END)[2]
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


if __name__ == "__main__":
    sys.exit(
        generating.main(None, doc=__doc__, render=render, target=TARGET, root=ROOT, command=COMMAND)
    )
