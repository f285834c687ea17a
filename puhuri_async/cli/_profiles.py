"""The config file: named profiles of connection settings, kept private to their owner.

The file is ``$PUHURI_CONFIG``, else ``$XDG_CONFIG_HOME/puhuri/config.toml``, else
``~/.config/puhuri/config.toml``. ``puhuri login`` writes it; people may edit it::

    default_profile = "prod"

    [profiles.prod]
    api_url = "https://puhuri-core.example.org/api/"
    token = "..."

    [profiles.test]
    api_url = "http://127.0.0.1:8000/api/"
    token = "..."
    token_prefix = "Token"

It holds API tokens, so it is created with mode 0600 (its directory 0700), written whole to a
temporary file and renamed into place, and on POSIX a file that other users could read or
change, or that another user owns, is refused (as ``ssh`` refuses such keys): a token there
is not secret any more, and a changed ``api_url`` would send the token elsewhere.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from puhuri_async.cli._exits import CliError, Exit

__all__ = [
    "CONFIG_ENV",
    "KEYS",
    "PROFILE_ENV",
    "Config",
    "check_profile_name",
    "config_path",
    "load",
    "save_profile",
]

CONFIG_ENV = "PUHURI_CONFIG"
PROFILE_ENV = "PUHURI_PROFILE"
#: The settings a profile may hold.
KEYS = ("api_url", "token", "token_prefix")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_HEADER = "# puhuri profiles (written by `puhuri login`; keep this file private: mode 0600)\n"


def config_path() -> Path:
    """Where the config file is (it may not exist)."""
    explicit = os.environ.get(CONFIG_ENV, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "puhuri" / "config.toml"


def check_profile_name(name: str) -> str:
    """``name`` if it can name a profile (letters, digits, ``_.-``), else a usage error."""
    if not _NAME.fullmatch(name):
        raise CliError(
            Exit.USAGE,
            f"invalid profile name {name!r}: use letters, digits, '_', '.' and '-' "
            "(starting with a letter or digit)",
        )
    return name


@dataclass
class Config:
    """The profiles of one config file (empty when the file does not exist)."""

    path: Path
    default_profile: str | None = None
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)


def _refuse_unsafe(path: Path, info: os.stat_result) -> None:
    if os.name != "posix":
        return
    if info.st_uid != os.getuid():
        raise CliError(
            Exit.USAGE, f"config file {path} belongs to another user: refusing to use it"
        )
    if info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise CliError(
            Exit.USAGE,
            f"config file {path} is open to other users (mode {mode:04o}) and holds API tokens:"
            f" refusing to use it; run: chmod 600 {path}",
        )


def _broken(path: Path, problem: str) -> CliError:
    return CliError(Exit.USAGE, f"config file {path}: {problem}")


def _profiles_of(path: Path, document: Mapping[str, object]) -> dict[str, dict[str, str]]:
    tables = document.get("profiles", {})
    if not isinstance(tables, dict):
        raise _broken(path, "'profiles' must be a table of [profiles.NAME] tables")
    profiles: dict[str, dict[str, str]] = {}
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise _broken(path, f"[profiles.{name}] must be a table")
        unknown = sorted(set(table) - set(KEYS))
        if unknown:
            raise _broken(
                path,
                f"[profiles.{name}] has unknown setting {unknown[0]!r} (valid: {', '.join(KEYS)})",
            )
        for key, value in table.items():
            if not isinstance(value, str):
                raise _broken(path, f"[profiles.{name}] {key} must be a string")
        profiles[name] = dict(table)
    return profiles


def load(path: Path | None = None) -> Config:
    """The config file's profiles; a missing file gives none, an unsafe or broken one raises."""
    path = path or config_path()
    try:
        with path.open("rb") as handle:
            _refuse_unsafe(path, os.fstat(handle.fileno()))
            raw = handle.read()
    except FileNotFoundError:
        return Config(path)
    except IsADirectoryError:
        raise _broken(path, "is a directory") from None
    except OSError as exc:
        raise _broken(path, f"cannot be read ({exc.strerror})") from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _broken(path, f"not valid TOML ({exc})") from None
    unknown = sorted(set(document) - {"default_profile", "profiles"})
    if unknown:
        raise _broken(path, f"unknown key {unknown[0]!r} (valid: default_profile, profiles)")
    default = document.get("default_profile")
    if default is not None and not isinstance(default, str):
        raise _broken(path, "default_profile must be a string")
    return Config(path, default, _profiles_of(path, document))


def _toml_string(value: str) -> str:
    # A JSON string is a TOML basic string, once the characters TOML forbids raw are escaped.
    return re.sub("[\x7f]", lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value))


def _render(config: Config) -> str:
    lines = [_HEADER]
    if config.default_profile:
        lines.append(f"default_profile = {_toml_string(config.default_profile)}\n")
    for name, table in config.profiles.items():
        lines.append(f"\n[profiles.{name}]\n")
        lines.extend(f"{key} = {_toml_string(table[key])}\n" for key in KEYS if key in table)
    return "".join(lines)


def save_profile(
    name: str, values: Mapping[str, str], *, make_default: bool = False, path: Path | None = None
) -> Config:
    """Add or replace profile ``name`` (``values``: keys of :data:`KEYS`), keeping the others.

    The first profile of a file becomes its default; ``make_default`` makes this one the
    default. Returns the config as written.
    """
    check_profile_name(name)
    config = load(path)
    config.profiles[name] = {key: values[key] for key in KEYS if values.get(key)}
    if make_default or not config.default_profile:
        config.default_profile = name
    directory = config.path.parent
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=directory)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes it 0600 already; said again on purpose
            os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(_render(config))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, config.path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return config
