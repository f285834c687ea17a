"""Every ```python block of README.md and docs/**/*.md runs, against a fake Puhuri Core.

The convention: each file gets a fresh ``FakePuhuri`` on a loopback port, with
``PUHURI_API_URL`` and ``PUHURI_TOKEN`` set in the environment; its Python blocks run in order
in one namespace (a later block may use names from an earlier one); async examples call
``asyncio.run(...)`` themselves. Blocks fenced as ``bash``, ``text`` and so on are not run.
A failure names the file, the block and its first line, and shows the block's source; the
traceback points at lines of the Markdown file itself.
"""

from __future__ import annotations

import asyncio
import inspect
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

from puhuri_async.testing import FakeData, FakePuhuri

ROOT = Path(__file__).resolve().parents[2]
#: Info-string words that mark a block to run.
PYTHON = frozenset({"python", "py", "python3"})
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>.*)$")
TOKEN = "docs-test-token"


@dataclass(frozen=True)
class Block:
    """One fenced code block: its language word, first line of code (1-based) and text."""

    language: str
    line: int
    source: str


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
        blocks.append(Block(language, start + 1, "\n".join(lines[start:index]) + "\n"))
        index += 1
    return blocks


def python_blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    return [b for b in fenced_blocks(text, path.name) if b.language in PYTHON]


def run_blocks(path: Path, blocks: list[Block]) -> dict[str, object]:
    """Run ``blocks`` in order in one namespace; fail naming the block that raised."""
    shown = path.relative_to(ROOT).as_posix()
    namespace: dict[str, object] = {"__name__": "__docs_example__", "__file__": str(path)}
    for number, block in enumerate(blocks, start=1):
        # Pad with blank lines so that tracebacks give the line numbers of the Markdown file.
        code = compile("\n" * (block.line - 1) + block.source, shown, "exec")
        try:
            exec(code, namespace)  # running the documentation is the point
        except Exception:
            pytest.fail(
                f"{shown}: Python block {number} of {len(blocks)} (line {block.line}) failed\n"
                f"--- source ---\n{block.source}--- error ---\n{traceback.format_exc()}",
                pytrace=False,
            )
    return namespace


def run_example_tests(namespace: dict[str, object]) -> int:
    """Run the pytest-style tests an example defines (``async def test_...(puhuri_fake)``).

    Each gets a fresh fake sized by its ``puhuri_fake_data`` marker, as the pytest plugin's
    fixture would give it, so a documented test is run, not only defined.
    """
    ran = 0
    for name, function in namespace.items():
        if not (name.startswith("test_") and inspect.iscoroutinefunction(function)):
            continue
        marks = getattr(function, "pytestmark", [])
        sizes = next((m.kwargs for m in marks if m.name == "puhuri_fake_data"), {})
        asyncio.run(function(FakePuhuri(FakeData.generate(**sizes))))
        ran += 1
    return ran


@pytest.mark.parametrize("path", doc_files(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_examples_run(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = python_blocks(path)
    if not blocks:
        # Nothing to run; the parse above still proved every fence is closed.
        assert all(b.language not in PYTHON for b in fenced_blocks(path.read_text("utf-8")))
        return
    fake = FakePuhuri(FakeData.generate(), token=TOKEN)
    with fake.serve() as api_url:
        monkeypatch.setenv("PUHURI_API_URL", api_url)
        monkeypatch.setenv("PUHURI_TOKEN", TOKEN)
        namespace = run_blocks(path, blocks)
    run_example_tests(namespace)
    if not any("FakePuhuri(" in block.source for block in blocks):
        # A page whose examples make fakes of their own (testing.md) talks to those instead.
        assert fake.requests, f"{path.name}: the examples never called the API"


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


def test_a_failing_block_is_reported_with_its_file_line_and_source() -> None:
    doc = ROOT / "docs" / "__probe__.md"  # a path under ROOT, never written
    blocks = [Block("python", 3, "value = 1\n"), Block("python", 9, "value + undefined_name\n")]
    with pytest.raises(pytest.fail.Exception) as caught:
        run_blocks(doc, blocks)
    message = str(caught.value)
    assert "docs/__probe__.md: Python block 2 of 2 (line 9) failed" in message
    assert "value + undefined_name" in message
    assert 'File "docs/__probe__.md", line 9' in message
    assert "NameError" in message


def test_documented_pytest_example_is_run() -> None:
    """testing.md's pytest example is executed by ``run_example_tests``, not just defined."""
    blocks = python_blocks(ROOT / "docs" / "testing.md")
    tests = [b for b in blocks if "async def test_" in b.source]
    assert tests
    namespace: dict[str, object] = {"__name__": "__docs_example__"}
    for block in blocks:
        exec(compile(block.source, "testing.md", "exec"), namespace)  # as run_blocks does
    assert run_example_tests(namespace) == len(tests)
