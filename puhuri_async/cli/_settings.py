"""Where each connection setting comes from: flags, then the environment, then a profile.

Each of ``api_url``, ``token`` and ``token_prefix`` is taken from the first of:

1. its option (``--api-url``, ``--token``, ``--token-prefix``);
2. its variable (``PUHURI_API_URL``, ``PUHURI_TOKEN``, ``PUHURI_TOKEN_PREFIX``);
3. the profile: ``--profile NAME``, else ``$PUHURI_PROFILE``, else the config file's
   ``default_profile``;
4. the default (``token_prefix``: ``Token``; the others have none).

The config file is read only when a profile is asked for or a setting is still missing, so a
shell that sets both variables never depends on it. Every setting remembers its source, which
``puhuri whoami`` shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from puhuri_async.cli._exits import CliError, Exit
from puhuri_async.cli._profiles import KEYS, check_profile_name, load

__all__ = ["DEFAULT_TOKEN_PREFIX", "Given", "Settings", "resolve"]

DEFAULT_TOKEN_PREFIX = "Token"  # noqa: S105 - the scheme word, not a secret


@dataclass(frozen=True)
class Given:
    """A setting as the options or the environment gave it (``source`` None: not given)."""

    value: str | None = None
    source: str | None = None


@dataclass
class Settings:
    """The connection settings of one run, each with where it came from."""

    api_url: str | None = None
    token: str | None = None
    token_prefix: str = DEFAULT_TOKEN_PREFIX
    sources: dict[str, str] = field(default_factory=dict)
    profile: str | None = None
    config: Path | None = None
    overridden: list[str] = field(default_factory=list)
    """Settings of an explicitly chosen profile that a flag or a variable replaced."""


def _given(value: Given) -> str | None:
    text = (value.value or "").strip()
    return text if text and value.source else None


def resolve(given: Mapping[str, Given], *, profile: Given) -> Settings:
    """The settings for ``given`` options/variables and the ``profile`` asked for (if any)."""
    chosen = _given(profile)
    if chosen is not None:
        check_profile_name(chosen)
    missing = any(_given(given.get(key, Given())) is None for key in ("api_url", "token"))
    table: dict[str, str] = {}
    settings = Settings()
    if chosen is not None or missing:
        config = load()
        settings.config = config.path
        name = chosen or config.default_profile
        if name is None and "default" in config.profiles:
            name = "default"
        if name is not None and name not in config.profiles:
            if chosen is not None:
                known = ", ".join(sorted(config.profiles)) or "none"
                raise CliError(
                    Exit.USAGE,
                    f"no profile {name!r} in {config.path} (profiles: {known}); "
                    f"create it with: puhuri --profile {name} login",
                )
            raise CliError(
                Exit.USAGE, f"config file {config.path}: default_profile {name!r} does not exist"
            )
        if name is not None:
            settings.profile = name
            table = config.profiles[name]
    values: dict[str, str | None] = {}
    for key in KEYS:
        value = _given(given.get(key, Given()))
        if value is not None:
            values[key] = value
            settings.sources[key] = given[key].source or ""
            if chosen is not None and key in table:
                settings.overridden.append(f"{key} (from {settings.sources[key]})")
        elif table.get(key, "").strip():
            values[key] = table[key].strip()
            settings.sources[key] = f"profile {settings.profile!r} of {settings.config}"
        else:
            values[key] = None
    settings.api_url = values["api_url"]
    settings.token = values["token"]
    settings.token_prefix = values["token_prefix"] or DEFAULT_TOKEN_PREFIX
    settings.sources.setdefault("token_prefix", "default")
    return settings
