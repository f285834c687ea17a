"""docs/architecture.md is true of the code: it names every module, and no module that is gone."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "architecture.md"
GENERATOR = ROOT / "scripts" / "gen_module_map.py"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_module_map", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_the_module_map_names_every_module_of_the_package() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert text == _generator().render(), "stale module map: run `python scripts/gen_module_map.py`"
    named = set(re.findall(r"^\| `([^`]+\.py)` \|", text, flags=re.MULTILINE))
    on_disk = {
        p.relative_to(ROOT / "puhuri_async").as_posix()
        for p in (ROOT / "puhuri_async").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert named == on_disk


def test_every_file_the_page_names_exists() -> None:
    """A module named in the prose (``_http.py``, ``cli/_seams.py``...) is still there."""
    text = PAGE.read_text(encoding="utf-8")
    basenames = {p.name for p in ROOT.rglob("*.py") if ".venv" not in p.parts}
    relative = {
        p.relative_to(ROOT).as_posix()
        for p in ROOT.rglob("*.py")
        if ".venv" not in p.parts and ".venvs" not in p.parts
    }
    named = set(re.findall(r"([\w/]*\w+\.py)\b", text))
    missing = sorted(
        name
        for name in named
        if Path(name).name not in basenames
        or ("/" in name and not any(path.endswith(name) for path in relative))
    )
    assert missing == [], f"docs/architecture.md names files that do not exist: {missing}"


def test_the_generator_refuses_a_module_without_a_docstring(tmp_path: Path) -> None:
    generator = _generator()
    silent = tmp_path / "silent.py"
    silent.write_text("X = 1\n")
    generator.ROOT = tmp_path
    with pytest.raises(SystemExit, match=r"silent\.py has no docstring"):
        generator.job(silent)
