"""Profiles: ``puhuri login`` writes a private config file, ``whoami`` reads it back;
flags come before the environment, which comes before the profile."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from puhuri_async.cli._profiles import load, save_profile

from .conftest import TOKEN, Puhuri, Run

NO_SERVER = {"PUHURI_API_URL": None, "PUHURI_TOKEN": None}


def _login(puhuri: Puhuri, *args: str, token: str = TOKEN, default: bool = False) -> Run:
    return puhuri(
        "--api-url",
        puhuri.url,
        *args,
        "login",
        *(["--make-default"] if default else []),
        input=f"{token}\n",
        env=NO_SERVER,
        secrets=(token,),
    )


def _me(puhuri: Puhuri) -> dict[str, object]:
    import httpx

    answer = httpx.get(puhuri.url + "users/me/", headers={"Authorization": f"Token {TOKEN}"})
    answer.raise_for_status()
    return dict(answer.json())


def test_login_checks_the_token_then_saves_a_private_profile(puhuri: Puhuri) -> None:
    run = _login(puhuri)
    assert run.exit_code == 0, run.stderr
    me = _me(puhuri)
    assert run.stdout.startswith(f"logged in to {puhuri.url} as {me['username']}")
    assert f"saved as profile 'default' in {puhuri.config}" in run.stdout
    assert len(puhuri.fake.requests_for("GET", "users/me/")) == 2  # the check, and ours
    assert stat.S_IMODE(puhuri.config.stat().st_mode) == 0o600
    assert stat.S_IMODE(puhuri.config.parent.stat().st_mode) == 0o700
    saved = tomllib.loads(puhuri.config.read_text())
    assert saved == {
        "default_profile": "default",
        "profiles": {"default": {"api_url": puhuri.url, "token": TOKEN}},
    }

    run = puhuri("users", "list", "--limit", "2", "--json", env=NO_SERVER)
    assert run.exit_code == 0, run.stderr
    assert len(run.json()) == 2


def test_a_refused_token_saves_nothing(puhuri: Puhuri) -> None:
    run = _login(puhuri, token="wrong-token-0c9e4f")
    assert run.exit_code == 3
    assert "401 Unauthorized" in run.stderr
    assert "nothing saved" in run.stderr
    assert not puhuri.config.exists()


def test_login_without_a_url_off_a_terminal_is_a_usage_error(puhuri: Puhuri) -> None:
    run = puhuri("login", input=f"{TOKEN}\n", env=NO_SERVER)
    assert run.exit_code == 2
    assert "pass --api-url" in run.stderr
    run = puhuri("--api-url", "puhuri.example/api/", "login", input=f"{TOKEN}\n", env=NO_SERVER)
    assert run.exit_code == 2
    assert "has no scheme" in run.stderr


def test_named_profiles_and_the_default(puhuri: Puhuri) -> None:
    assert _login(puhuri, "--profile", "test").exit_code == 0
    assert _login(puhuri, "--profile", "prod").exit_code == 0
    assert load(puhuri.config).default_profile == "test"  # the first one
    assert _login(puhuri, "--profile", "prod", default=True).exit_code == 0
    assert load(puhuri.config).default_profile == "prod"
    run = puhuri("profiles", "--json", env=NO_SERVER)
    assert [(p["name"], p["default"], p["token"]) for p in run.json()] == [
        ("test", False, "set"),
        ("prod", True, "set"),
    ]
    run = puhuri("--profile", "nope", "users", "list", env=NO_SERVER)
    assert run.exit_code == 2
    assert "no profile 'nope'" in run.stderr
    assert "profiles: prod, test" in run.stderr
    run = puhuri("--profile", "../x", "users", "list", env=NO_SERVER)
    assert run.exit_code == 2
    assert "invalid profile name" in run.stderr


def test_whoami_shows_the_user_and_where_each_setting_came_from(puhuri: Puhuri) -> None:
    assert _login(puhuri, "--profile", "work").exit_code == 0
    run = puhuri("whoami", env={**NO_SERVER, "PUHURI_PROFILE": "work"})
    assert run.exit_code == 0, run.stderr
    me = _me(puhuri)
    assert f"username             {me['username']}" in run.stdout
    assert f"api_url: {puhuri.url} (from profile 'work' of {puhuri.config})" in run.stdout
    assert f"token: *** (from profile 'work' of {puhuri.config})" in run.stdout
    assert "token_prefix: Token (from default)" in run.stdout
    # users/me/ shows the caller's own API token (as Waldur does); the CLI never prints it.
    shown = {**me, "token": "***"} if me.get("token") else me
    assert puhuri("me", "--json", env={**NO_SERVER, "PUHURI_PROFILE": "work"}).json() == shown


def test_flags_then_environment_then_profile(puhuri: Puhuri, tmp_path: Path) -> None:
    save_profile(
        "default",
        {"api_url": "http://127.0.0.1:9/api/", "token": "profile-token-123"},
        path=puhuri.config,
    )
    # The environment (the fixture's) comes before the profile: the right server and token.
    run = puhuri("whoami")
    assert run.exit_code == 0, run.stderr
    assert "(from PUHURI_API_URL)" in run.stdout
    assert "(from PUHURI_TOKEN)" in run.stdout
    # A flag comes before the environment.
    run = puhuri("--api-url", puhuri.url, "whoami", env={"PUHURI_API_URL": "http://127.0.0.1:9/"})
    assert run.exit_code == 0, run.stderr
    assert "(from --api-url)" in run.stdout
    # Without both, the profile's: its (unreachable) URL, with the environment's token.
    run = puhuri("--retries", "0", "whoami", env={"PUHURI_API_URL": None})
    assert run.exit_code == 6
    assert "127.0.0.1:9" in run.stderr
    run = puhuri("users", "list", env={"PUHURI_TOKEN": None}, secrets=("profile-token-123",))
    assert run.exit_code == 3  # the profile's token, refused by this server


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_config_file_others_can_read_is_refused(puhuri: Puhuri, mode: int) -> None:
    assert _login(puhuri).exit_code == 0
    os.chmod(puhuri.config, mode)
    run = puhuri("users", "list", env=NO_SERVER)
    assert run.exit_code == 2
    assert f"is open to other users (mode {mode:04o})" in run.stderr
    assert f"chmod 600 {puhuri.config}" in run.stderr
    assert puhuri.fake.requests_for("GET", "users/") == []
    # With both settings in the environment, the file is not needed and not read.
    assert puhuri("users", "list", "--limit", "1").exit_code == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("profiles = 3\n", "'profiles' must be a table"),
        ("[profiles.x]\napi-url = 'x'\n", "unknown setting 'api-url' (valid: api_url, token"),
        ("[profiles.x\n", "not valid TOML"),
        ("default_profile = 'y'\n[profiles.x]\ntoken = 't'\n", "default_profile 'y' does not"),
        ("colour = true\n", "unknown key 'colour'"),
    ],
)
def test_a_broken_config_file_is_named(puhuri: Puhuri, text: str, message: str) -> None:
    puhuri.config.parent.mkdir(mode=0o700)
    puhuri.config.write_text(text)
    puhuri.config.chmod(0o600)
    run = puhuri("users", "list", env=NO_SERVER)
    assert run.exit_code == 2
    assert str(puhuri.config) in run.stderr
    assert message in run.stderr
