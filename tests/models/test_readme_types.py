"""The code a reader writes from the README type-checks: every Python block of README.md passes
``mypy --strict`` against the package.

Each block is checked as its own module, after the import lines of the blocks before it (a
block may use what an earlier one imported, as the README reads in order), so a block that is
made to stand alone checks the same.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.docs.test_examples import ROOT, python_blocks


def _imports(source: str) -> list[str]:
    """The top-level import statements of a block, as source lines."""
    tree = ast.parse(source)
    return [
        ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)
    ]


def test_readme_code_passes_mypy_strict(tmp_path: Path) -> None:
    blocks = python_blocks(ROOT / "README.md")
    assert blocks, "README.md has no Python blocks"
    files = []
    earlier: list[str] = []
    for index, block in enumerate(blocks):
        path = tmp_path / f"readme_block_{index}_line_{block.line}.py"
        path.write_text("\n".join([*earlier, "", block.source]), encoding="utf-8")
        files.append(str(path))
        earlier.extend(line for line in _imports(block.source) if line not in earlier)
    # In a process of its own: mypy holds hundreds of MB of objects the tests after it would pay
    # for (the memory tests measure the process).
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir"]
    command += [str(tmp_path / ".mypy_cache"), "--python-version", "3.11", *files]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"mypy --strict on README.md's blocks:\n{done.stdout}{done.stderr}"
