"""The built distributions: what the wheel holds, and that it works installed on its own.

``python3 scripts/dev.py wheel`` builds the sdist and wheel with ``python -m build`` and passes the
wheel here with ``--wheel``; without it the test builds one itself (``--no-isolation``, so no
download is needed beyond the test extra).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

import puhuri_async

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = request.config.getoption("--wheel")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("puhuri_async-*.whl")
    return built


@pytest.fixture(scope="module")
def names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_wheel_name_carries_the_version(wheel: Path) -> None:
    assert wheel.name.startswith(f"puhuri_async-{puhuri_async.__version__}-py3-none-any")


def test_wheel_holds_the_typing_marker_and_the_license(names: list[str]) -> None:
    assert "puhuri_async/py.typed" in names
    assert any(name.endswith("licenses/LICENSE") for name in names), names


def test_wheel_holds_no_tests_benchmarks_or_fixtures(names: list[str]) -> None:
    top_levels = {name.split("/")[0] for name in names}
    assert top_levels == {"puhuri_async", f"puhuri_async-{puhuri_async.__version__}.dist-info"}
    assert not [name for name in names if "/tests/" in name or name.startswith("tests/")]


def test_wheel_metadata_lists_the_extras(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        meta = archive.read(f"puhuri_async-{puhuri_async.__version__}.dist-info/METADATA").decode()
    assert f"Version: {puhuri_async.__version__}" in meta
    assert "Requires-Python: >=3.11" in meta
    for extra in ("cli", "testing", "bench", "docs", "speedups"):
        assert f"Provides-Extra: {extra}" in meta


@pytest.fixture(scope="module")
def bare_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("bare") / "venv"
    venv.EnvBuilder(with_pip=True).create(where)
    return where / "bin" / "python"


def test_installed_wheel_works_without_dev_dependencies(wheel: Path, bare_venv: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    subprocess.run(
        [str(bare_venv), "-m", "pip", "install", "--quiet", f"{wheel}[cli,testing]"],
        check=True,
        env=env,
    )
    listed = subprocess.run(
        [str(bare_venv), "-m", "pip", "list", "--format=freeze"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.lower()
    for dev_only in ("pytest", "respx", "mypy", "hypothesis"):
        assert f"{dev_only}==" not in listed, f"{dev_only} came with the wheel"
    result = subprocess.run(
        [str(bare_venv), str(ROOT / "scripts" / "smoke_installed.py")],
        capture_output=True,
        text=True,
        env=env,
        cwd=bare_venv.parent,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "installed wheel works" in result.stdout
