"""Every code block of README.md and docs/**/*.md runs on its own, as a reader copies it.

Each ```python block runs alone in a fresh interpreter (a subprocess, in an empty directory), with
nothing but the environment the docs tell the reader to set: ``PUHURI_API_URL`` and
``PUHURI_TOKEN``, pointing at a fresh ``FakePuhuri`` on a loopback port. Async examples call
``asyncio.run(...)`` themselves. A failure names the file, the block and its first line, and
shows the block's source; the traceback points at lines of the Markdown file itself.

A block that is not meant to run says so on the line before its fence, in an HTML comment the
rendered page does not show:

- ``<!-- docs-test: skip (why) -->``: not run, for the reason given (reported as a skip);
- ``<!-- docs-test: file NAME -->``: a file of a project the page builds (testing.md's pytest
  example); ``test_the_pytest_example_passes_in_a_clean_project`` writes those files into an
  empty directory exactly as shown and runs pytest there.

Blocks in other languages (``bash``, ``text``, ``toml``...) are shell sessions, output or
configuration: never run, counted by ``test_every_block_is_run_or_marked``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from puhuri_async.testing import FakeData, FakePuhuri

ROOT = Path(__file__).resolve().parents[2]
#: Info-string words that mark a block to run.
PYTHON = frozenset({"python", "py", "python3"})
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>.*)$")
_MARK = re.compile(r"^<!-- docs-test: (?P<kind>skip|file) (?P<value>.+?) -->$")
TOKEN = "docs-test-token"
#: How a block runs: compiled under the Markdown file's name, padded so line numbers match.
_RUNNER = (
    "import sys\n"
    "name, line = sys.argv[1], int(sys.argv[2])\n"
    "code = compile('\\n' * (line - 1) + sys.stdin.read(), name, 'exec')\n"
    "exec(code, {'__name__': '__main__', '__builtins__': __builtins__})\n"
)


@dataclass(frozen=True)
class Block:
    """One fenced code block: its language word, first line of code (1-based) and text."""

    language: str
    line: int
    source: str
    mark: tuple[str, str] | None = None
    """``("skip", why)`` or ``("file", name)`` from the comment before the fence, if any."""


def doc_files() -> list[Path]:
    """README.md and every Markdown file under docs/, in a stable order."""
    docs = ROOT / "docs"
    found = sorted(docs.rglob("*.md")) if docs.is_dir() else []
    return [ROOT / "README.md", *found]


def fenced_blocks(text: str, name: str = "<text>") -> list[Block]:
    """The fenced code blocks of a Markdown text, as CommonMark delimits them.

    A closing fence is the opening fence's character, at least as many times, and nothing
    else; an unclosed fence raises ``ValueError`` (it would silently swallow the rest).
    """
    blocks: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opened = _FENCE.match(lines[index])
        index += 1
        if opened is None:
            continue
        fence, info = opened["fence"], opened["info"].strip()
        if fence[0] == "`" and "`" in info:
            continue  # an inline code span, not a fence
        start = index
        while index < len(lines):
            closing = lines[index].strip()
            if closing.startswith(fence) and set(closing) == {fence[0]}:
                break
            index += 1
        else:
            raise ValueError(f"{name}: the fence opened at line {start} is never closed")
        language = info.split()[0].lower() if info else ""
        source = "\n".join(lines[start:index]) + "\n"
        blocks.append(Block(language, start + 1, source, _mark_before(lines, start - 1)))
        index += 1
    return blocks


def _mark_before(lines: list[str], fence: int) -> tuple[str, str] | None:
    """The ``docs-test`` comment on the last non-blank line before the fence at ``fence``."""
    before = fence - 1
    while before >= 0 and not lines[before].strip():
        before -= 1
    found = _MARK.match(lines[before].strip()) if before >= 0 else None
    if found is None:
        return None
    value = found["value"]
    if found["kind"] == "skip":
        value = value.removeprefix("(").removesuffix(")")
    return found["kind"], value


def python_blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    return [b for b in fenced_blocks(text, path.name) if b.language in PYTHON]


def run_block(path: Path, block: Block, env: dict[str, str], cwd: Path) -> str:
    """Run ``block`` alone in a fresh interpreter; ``""`` if it succeeded, else the report."""
    shown = path.relative_to(ROOT).as_posix()
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, shown, str(block.line)],
        input=block.source,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode == 0:
        return ""
    return (
        f"{shown}: the Python block at line {block.line} failed when run alone\n"
        f"--- source ---\n{block.source}--- output ---\n{done.stdout}{done.stderr}"
    )


def reader_env(api_url: str) -> dict[str, str]:
    """This process's environment without any PUHURI_ setting but the two the docs ask for."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUHURI_")}
    env.pop("PYTHONPATH", None)
    return {**env, "PUHURI_API_URL": api_url, "PUHURI_TOKEN": TOKEN}


def every_python_block() -> list[tuple[Path, Block]]:
    return [(path, block) for path in doc_files() for block in python_blocks(path)]


def _block_id(entry: tuple[Path, Block]) -> str:
    return f"{entry[0].relative_to(ROOT).as_posix()}:{entry[1].line}"


@pytest.mark.parametrize("entry", every_python_block(), ids=_block_id)
def test_block_runs_alone(entry: tuple[Path, Block], tmp_path: Path) -> None:
    path, block = entry
    if block.mark is not None:
        kind, value = block.mark
        if kind == "file":
            pytest.skip(f"a file of the page's example project ({value}), run as a project")
        pytest.skip(f"marked not to run: {value}")
    fake = FakePuhuri(FakeData.generate(), token=TOKEN)
    with fake.serve() as api_url:
        failure = run_block(path, block, reader_env(api_url), tmp_path)
    if failure:
        pytest.fail(failure, pytrace=False)
    if "from_env(" in block.source:
        # The block reads the documented variables: it talked to the fake they point at.
        assert fake.requests, f"{_block_id(entry)}: the example never called the API"


def block_tally() -> Counter[str]:
    """How many blocks of the README and docs/ run alone, and why each of the others does not."""
    tally: Counter[str] = Counter()
    for path in doc_files():
        for block in fenced_blocks(path.read_text("utf-8"), path.name):
            if block.language not in PYTHON:
                tally[f"not run: not Python ({block.language or 'no language'})"] += 1
            elif block.mark is None:
                tally["run alone"] += 1
            elif block.mark[0] == "file":
                tally["not run alone: a file of testing.md's pytest project, run as a project"] += 1
            else:
                tally[f"not run: {block.mark[1]}"] += 1
    return tally


def test_every_block_is_run_or_marked() -> None:
    """Counts what runs and what does not, and why; a mark names a reason or a file."""
    for path in doc_files():
        for block in fenced_blocks(path.read_text("utf-8"), path.name):
            if block.mark is not None:
                assert block.mark[1].strip(), f"{path.name}:{block.line}: a mark without its why"
    tally = block_tally()
    assert tally["run alone"] > 0
    other_languages = "not run: not Python"
    skipped = sum(
        n
        for what, n in tally.items()
        if what.startswith("not run: ") and other_languages not in what
    )
    assert skipped <= tally["run alone"] // 4, "most Python blocks must run"


def test_readme_has_examples_for_every_operation_group() -> None:
    blocks = python_blocks(ROOT / "README.md")
    code = "".join(block.source for block in blocks)
    for name in (
        "list_users",
        "list_ssh_keys",
        "list_marketplace_resources",
        "list_orders",
        "create_component_usages",
        "create_remote_offering_user",
        "list_service_providers",
    ):
        assert name in code, name


def test_fences_are_found_as_commonmark_has_them() -> None:
    text = (
        "intro\n```python\nx = 1\n```\n\n````py title\n```\nnested\n```\n````\n"
        "~~~bash\necho hi\n~~~\n```text\nplain\n```\n``code`` inline\n"
    )
    blocks = fenced_blocks(text)
    assert [(b.language, b.line) for b in blocks] == [
        ("python", 3),
        ("py", 7),
        ("bash", 12),
        ("text", 15),
    ]
    assert blocks[1].source == "```\nnested\n```\n"
    with pytest.raises(ValueError, match="line 2 is never closed"):
        fenced_blocks("a\n```python\nx = 1\n")


def test_a_failing_block_is_reported_with_its_file_line_and_source(tmp_path: Path) -> None:
    doc = ROOT / "docs" / "__probe__.md"  # a path under ROOT, never written
    fine = run_block(doc, Block("python", 3, "value = 1\n"), reader_env("http://x/"), tmp_path)
    assert fine == ""
    # Alone, a block does not see names an earlier block defined.
    block = Block("python", 9, "value + undefined_name\n")
    message = run_block(doc, block, reader_env("http://x/"), tmp_path)
    assert "docs/__probe__.md: the Python block at line 9 failed when run alone" in message
    assert "value + undefined_name" in message
    assert 'File "docs/__probe__.md", line 9' in message
    assert "NameError" in message


def test_marks_are_read_from_the_line_before_the_fence() -> None:
    text = (
        "<!-- docs-test: skip (needs a real server) -->\n```python\nx = 1\n```\n"
        "<!-- docs-test: file tests/test_a.py -->\n\n```python\ny = 2\n```\n"
        "```python\nz = 3\n```\n"
    )
    assert [b.mark for b in fenced_blocks(text)] == [
        ("skip", "needs a real server"),
        ("file", "tests/test_a.py"),
        None,
    ]


def test_the_pytest_example_passes_in_a_clean_project(tmp_path: Path) -> None:
    """testing.md's pytest example, written into an empty project exactly as shown, passes.

    pytest runs in a subprocess in that directory (so this repository's configuration does not
    apply), with pytest-asyncio in its default strict mode and the package's pytest plugin as
    an installed project gets it.
    """
    text = (ROOT / "docs" / "testing.md").read_text("utf-8")
    files = [b for b in fenced_blocks(text) if b.mark is not None and b.mark[0] == "file"]
    assert files, "testing.md shows no project files"
    tests = 0
    for block in files:
        assert block.mark is not None
        target = tmp_path / block.mark[1]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.source, encoding="utf-8")
        tests += len(re.findall(r"^(?:async )?def test_", block.source, flags=re.MULTILINE))
    assert tests > 0
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PUHURI_", "PYTEST_"))}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{tests} passed" in done.stdout, done.stdout
