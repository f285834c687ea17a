"""Verbs made from rows: a verb appears exactly when the client has its operation, passes only
keywords the operation takes, and runs like any other verb once the operation exists."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import click
import pytest

from puhuri_async import ActionResult, OfferingUser, PuhuriClient
from puhuri_async._operations import METHODS
from puhuri_async.cli._commands import cli
from puhuri_async.cli._commands._rows import (
    ActionRow,
    GetRow,
    ListRow,
    add_actions,
    add_lists,
    available,
)

from .conftest import Puhuri

MODULES = {
    group: importlib.import_module(f"puhuri_async.cli._commands.{name}")
    for group, name in [
        ("orders", "orders"),
        ("resources", "resources"),
        ("offering-users", "offering_users"),
        ("users", "users"),
        ("usage", "usage"),
        ("provider-offerings", "provider_offerings"),
    ]
}
GET_ROWS = [
    (group, row) for group, module in MODULES.items() for row in getattr(module, "GETS", [])
]
ACTION_ROWS = [
    (group, row) for group, module in MODULES.items() for row in getattr(module, "ACTIONS", [])
]
LIST_ROWS = [
    (group, row) for group, module in MODULES.items() for row in getattr(module, "LISTS", [])
]


def _group(name: str) -> click.Group:
    group = cli.commands[name]
    assert isinstance(group, click.Group)
    return group


@pytest.mark.parametrize(("group", "row"), GET_ROWS, ids=[r.method for _, r in GET_ROWS])
def test_a_get_verb_exists_when_its_operation_does(group: str, row: GetRow) -> None:
    assert ("get" in _group(group).commands) == available(row.method)


@pytest.mark.parametrize(("group", "row"), ACTION_ROWS, ids=[r.method for _, r in ACTION_ROWS])
def test_an_action_exists_when_its_operation_does(group: str, row: ActionRow) -> None:
    assert (row.name in _group(group).commands) == available(row.method)
    if available(row.method):
        parameters = inspect.signature(getattr(PuhuriClient, row.method)).parameters
        assert row.argument in parameters, row.method
        for option in row.options:
            assert option.keyword in parameters, (row.method, option.keyword)


@pytest.mark.parametrize(("group", "row"), LIST_ROWS, ids=[r.method for _, r in LIST_ROWS])
def test_a_list_verb_exists_when_its_operation_does(group: str, row: ListRow) -> None:
    assert (row.name in _group(group).commands) == available(row.method)
    if available(row.method):
        parameters = inspect.signature(getattr(PuhuriClient, row.method)).parameters
        assert {"filters", "limit", "progress"} <= set(parameters), row.method
        known = METHODS[row.method].filters
        for option in row.filters:
            assert option.name in known, (row.method, option.name)


def test_todays_client_gives_todays_verbs() -> None:
    assert {"approve", "reject", "cancel", "list"} <= set(_group("orders").commands)
    assert "get" in cli.commands["offerings"].commands  # type: ignore[attr-defined]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, dict[str, Any]]]:
    """Stand-in operations on PuhuriClient for two rows: they record their calls."""
    made: list[tuple[str, str, dict[str, Any]]] = []

    def stand_in(name: str) -> Any:
        async def operation(self: PuhuriClient, order_uuid: str, **keywords: Any) -> Any:
            made.append((name, order_uuid, keywords))
            return ActionResult.from_dict({"status": "done"})

        return operation

    for name in ("marketplace_order_set_state_done", "marketplace_order_set_state_erred"):
        monkeypatch.setattr(PuhuriClient, name, stand_in(name), raising=False)
    return made


def test_a_row_of_a_new_operation_runs_like_the_others(
    puhuri: Puhuri, calls: list[tuple[str, str, dict[str, Any]]]
) -> None:
    group = click.Group("orders-next")
    add_actions(group, MODULES["orders"].ACTIONS)
    assert {"done", "erred"} <= set(group.commands)
    cli.add_command(group)
    try:
        first, second = (str(o["uuid"]) for o in puhuri.fake.data.orders[:2])
        run = puhuri("orders-next", "done", first, second)
        assert run.exit_code == 0, run.stderr
        assert run.stdout.splitlines() == [f"order {u} marked done" for u in (first, second)]
        run = puhuri("orders-next", "erred", first, "--message", "no quota", "--json")
        assert run.exit_code == 0, run.stderr
        assert run.json() == {
            "order": first,
            "action": "erred",
            "error_message": "no quota",
            "ok": True,
            "result": {"status": "done"},
        }
        run = puhuri("orders-next", "done", "nope")
        assert run.exit_code == 2
    finally:
        cli.commands.pop("orders-next")
    assert calls == [
        ("marketplace_order_set_state_done", first, {}),
        ("marketplace_order_set_state_done", second, {}),
        ("marketplace_order_set_state_erred", first, {"error_message": "no quota"}),
    ]
    assert puhuri.fake.requests == []


def test_a_list_row_of_a_new_operation_runs_like_the_others(
    puhuri: Puhuri, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[tuple[dict[str, Any], int | None]] = []
    account = OfferingUser.from_dict({"uuid": "1" * 32, "username": "jdoe", "state": "OK"})

    async def listing(
        self: PuhuriClient, filters: Any = None, *, limit: Any = None, progress: Any = None
    ) -> list[OfferingUser]:
        made.append((dict(filters or {}), limit))
        return [account]

    monkeypatch.setattr(PuhuriClient, "list_remote_offering_users", listing, raising=False)
    group = click.Group("offering-users-next")
    add_lists(group, MODULES["offering-users"].LISTS)
    assert "list" in group.commands
    cli.add_command(group)
    try:
        args = ("--offering", "2" * 32, "--state", "OK", "--state", "Requested", "--limit", "5")
        run = puhuri("offering-users-next", "list", *args, "--json")
        assert run.exit_code == 0, run.stderr
        assert run.json() == [{"uuid": "1" * 32, "username": "jdoe", "state": "OK"}]
        run = puhuri("offering-users-next", "list", "--filter", "user_username=jdoe")
        assert run.exit_code == 0, run.stderr
        assert "jdoe" in run.stdout
    finally:
        cli.commands.pop("offering-users-next")
    assert made == [
        ({"offering_uuid": "2" * 32, "state": ["OK", "Requested"]}, 5),
        ({"user_username": "jdoe"}, None),
    ]
    assert puhuri.fake.requests == []


def test_the_docs_list_every_row() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    for group, row in GET_ROWS:
        assert f"| `puhuri {group} get UUID...` | `{row.method}` |" in text
    for group, row in ACTION_ROWS:
        assert f"| `puhuri {group} {row.name} UUID..." in text, row.name
        assert f"` | `{row.method}` |" in text, row.method
    for group, row in LIST_ROWS:
        assert f"| `puhuri {group} {row.name}" in text, row.method
        assert f"` | `{row.method}` |" in text, row.method
