#!/usr/bin/env python3
"""Set-up and task runner for puhuri-async: needs nothing but a Python >= 3.11.

    python3 scripts/dev.py demo            # the main job: the demo against the embedded fake
    python3 scripts/dev.py test            # ruff, mypy --strict, generated files, every test
    python3 scripts/dev.py test --python 3.13
    python3 scripts/dev.py generate        # rewrite every generated file (--check: only compare)
    python3 scripts/dev.py bench           # benchmarks/ against the competitors
    python3 scripts/dev.py docs            # build the documentation with --strict
    python3 scripts/dev.py wheel           # build sdist + wheel, smoke the wheel in a bare venv

Each command creates (or reuses) a virtual environment under the repository, installs exactly the
extras it needs and runs. A stamp file remembers what was installed, so a second run starts at once.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The generators, in the order they must run (each reads what the ones before it wrote):
#: the schema tables the operation table's lists read, the client methods made from the table,
#: and the sync facade made from the client.
GENERATORS = (
    "gen_schema_tables.py",
    "gen_operations.py",
    "gen_sync_client.py",
    "gen_module_map.py",
)
#: What ruff, the format check and mypy --strict look at.
CHECKED = ("puhuri_async", "tests", "scripts", "benchmarks")
TYPED = ("puhuri_async", "scripts", "benchmarks")


def _say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def _run(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> None:
    _say(" ".join(str(a) for a in args))
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def _find_python(version: str | None) -> str:
    """The interpreter for `version` ("3.12"): pyenv first, then PATH; default: this one."""
    if version is None:
        return sys.executable
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = sorted(glob.glob(str(pyenv_root / "versions" / f"{version}.*" / "bin" / "python")))
    found = shutil.which(f"python{version}")
    for candidate in [*reversed(candidates), *([found] if found else [])]:
        # pyenv shims exist for versions that are not active: check the candidate really runs.
        probe = subprocess.run([candidate, "--version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return candidate
    sys.exit(f"[dev] no Python {version} found in pyenv or on PATH")


def _venv(python: str, name: str, extras: str, *, editable: bool = True) -> Path:
    """A virtualenv at .venvs/<name> (or .venv for the default) with the project and `extras`."""
    where = ROOT / ".venv" if name == "default" else ROOT / ".venvs" / name
    bin_dir = where / ("Scripts" if os.name == "nt" else "bin")
    vpython = bin_dir / "python"
    if not vpython.exists():
        _say(f"creating virtualenv {where.relative_to(ROOT)} with {python}")
        if python == sys.executable:
            venv.EnvBuilder(with_pip=True).create(where)
        else:
            _run(python, "-m", "venv", where)
        _run(vpython, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    stamp = where / ".puhuri-installed"
    digest = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + extras.encode() + str(editable).encode()
    ).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        target = f"{ROOT}[{extras}]" if extras else str(ROOT)
        args = ["-e", target] if editable else [target]
        _run(vpython, "-m", "pip", "install", "--quiet", *args)
        stamp.write_text(digest)
    return bin_dir


def cmd_demo(args: argparse.Namespace) -> None:
    # Only what the demo needs: the fake (extra ``testing``) and the command line (``cli``), in a
    # virtualenv of its own, not the test extra's tools.
    bin_dir = _venv(_find_python(None), "demo", "testing,cli")
    _run(bin_dir / "python", "-m", "puhuri_async", "demo", *args.rest)


def cmd_test(args: argparse.Namespace) -> None:
    name = "default" if args.python is None else f"py{args.python}"
    bin_dir = _venv(_find_python(args.python), name, "test")
    py = bin_dir / "python"
    _run(py, "-m", "ruff", "check", ".")
    _run(py, "-m", "ruff", "format", "--check", *CHECKED)
    _run(py, "-m", "mypy", "--strict", *TYPED)
    _generate(py, check=True)
    _run(py, "-m", "pytest", *args.rest)


def _generate(py: Path, *, check: bool) -> None:
    for generator in GENERATORS:
        _run(py, ROOT / "scripts" / generator, *(["--check"] if check else []))


def cmd_generate(args: argparse.Namespace) -> None:
    """Run every generator (``--check``: fail if a committed file is not what it writes)."""
    bin_dir = _venv(_find_python(None), "default", "test")
    _generate(bin_dir / "python", check="--check" in args.rest)


def cmd_bench(args: argparse.Namespace) -> None:
    bin_dir = _venv(_find_python(None), "default", "test,bench")
    _run(bin_dir / "python", "-m", "benchmarks", *args.rest)


def cmd_docs(args: argparse.Namespace) -> None:
    bin_dir = _venv(_find_python(None), "default", "test,docs")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    _run(bin_dir / "python", "-m", "mkdocs", "build", "--strict", *args.rest, env=env)


def cmd_wheel(args: argparse.Namespace) -> None:
    """Build the sdist and the wheel, then check the wheel and use it installed on its own."""
    bin_dir = _venv(_find_python(None), "default", "test")
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    _run(bin_dir / "python", "-m", "build", "--outdir", dist, ROOT)
    wheels = sorted(dist.glob("puhuri_async-*.whl"))
    if not wheels or not sorted(dist.glob("puhuri_async-*.tar.gz")):
        sys.exit("[dev] the sdist or the wheel was not built")
    _run(
        bin_dir / "python",
        "-m",
        "pytest",
        "-q",
        "tests/test_packaging.py",
        "--wheel",
        wheels[0],
        *args.rest,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func in [
        ("demo", cmd_demo),
        ("test", cmd_test),
        ("generate", cmd_generate),
        ("bench", cmd_bench),
        ("docs", cmd_docs),
        ("wheel", cmd_wheel),
    ]:
        p = sub.add_parser(name)
        if name == "test":
            p.add_argument("--python", help="a Python version found on PATH or in pyenv, e.g. 3.12")
        p.set_defaults(func=func)
    # Whatever the parser does not know (e.g. `-q -k retry`) is passed on to the tool.
    args, rest = parser.parse_known_args()
    args.rest = rest
    args.func(args)


if __name__ == "__main__":
    main()
