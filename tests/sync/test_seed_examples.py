"""Every Python example of the old client's documentation runs against SyncPuhuriClient.

The seed document (tests/fixtures/seed/sp-allocation-lifecycle.md) is ``waldur_client``'s guide
to the service provider's allocation lifecycle. Each of its ```python blocks is run here as a
user porting a script would run it:

- the import line changes (``from waldur_client import ...`` becomes ``from puhuri_async import
  ...``; ``WaldurClient`` is ``SyncPuhuriClient``) and ``client`` is a ``SyncPuhuriClient``;
- the placeholders (``'<resource-uuid>'``, ...) become ids of the fake server's data;
- the illustration of the output (from ``# result =>`` on) is not run: it is sample output,
  and in the SSH-key example not even valid Python.

Nothing else changes. Each example's effect is then checked in the fake's data or in the values
the example computed, not only that it ran.

Two examples filter orders by ``'state': 'executing'`` and then approve or cancel the first
one, which no Waldur server allows (approval needs ``pending-provider``; the document itself
says cancelling needs ``pending-consumer`` or ``pending-provider``). Unchanged, they raise
``ConflictError`` with the server's reason (as ``waldur_client`` raised its own error); with the
state the operation needs, they do what they describe.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docs.test_examples import python_blocks

from puhuri_async import (
    ActionResult,
    ConflictError,
    PuhuriClient,
    ResourceReportRecord,
    SyncPuhuriClient,
)
from puhuri_async.testing import FakeData, FakePuhuri

from .conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "seed" / "sp-allocation-lifecycle.md"
_OUTPUT = re.compile(r"^# \w+ =>")
_PLACEHOLDER = re.compile(r"'(<[\w-]+>)'")
_CALL = re.compile(r"client\.(\w+)\(")
BLOCKS = python_blocks(SEED)


def port(source: str) -> str:
    """The example as a ``puhuri_async`` user runs it: the import swapped, sample output cut."""
    lines = []
    for line in source.splitlines():
        if _OUTPUT.match(line):
            break
        if line.startswith("from waldur_client import "):
            names = [name.strip() for name in line.split(" import ", 1)[1].split(",")]
            swapped = [
                "SyncPuhuriClient as WaldurClient" if n == "WaldurClient" else n for n in names
            ]
            line = "from puhuri_async import " + ", ".join(swapped)
        lines.append(line)
    return "\n".join(lines) + "\n"


def fill(source: str, values: dict[str, str]) -> str:
    """Replace every ``'<placeholder>'``; each must have a value and each value be used."""
    found = set(_PLACEHOLDER.findall(source))
    assert found == set(values), f"placeholders {sorted(found)}, values for {sorted(values)}"
    return _PLACEHOLDER.sub(lambda match: repr(values[match[1]]), source)


def operation(source: str) -> str:
    """The last client method an example calls: what the example is about."""
    return _CALL.findall(source)[-1]


def run(source: str, client: SyncPuhuriClient) -> dict[str, Any]:
    namespace: dict[str, Any] = {"client": client}
    exec(compile(source, str(SEED), "exec"), namespace)  # running the examples is the point
    return namespace


# -- the fake's data and what the examples should find in it ----------------------------------


@dataclass
class World:
    fake: FakePuhuri
    client: SyncPuhuriClient
    chosen: dict[str, Any] = field(default_factory=dict)

    @property
    def data(self) -> FakeData:
        return self.fake.data

    def resource(self, **wanted: str) -> dict[str, Any]:
        return next(r for r in self.data.resources if all(r[k] == v for k, v in wanted.items()))

    def order(self, uuid: str) -> dict[str, Any]:
        found = self.data.get("orders", uuid)
        assert found is not None
        return found

    def provider_projects(self) -> set[str]:
        used = {r["project_uuid"] for r in self.data.resources if r["state"] != "Terminated"}
        return {p["uuid"] for p in self.data.projects if p["uuid"] in used}

    def provider_users(self) -> set[str]:
        projects = self.provider_projects()
        return {p["user_uuid"] for p in self.data.permissions if p["project_uuid"] in projects}


@pytest.fixture
def world() -> Iterator[World]:
    data = FakeData.generate(users=40, seed=3)
    # Orders of both kinds the order examples look for, each on a resource of its own.
    approving, cancelling = data.resources[0], data.resources[2]
    for state in ("executing", "pending-provider"):
        data.add_order(resource=approving, state=state, order_type="Create")
    for state in ("executing", "pending-consumer"):
        data.add_order(resource=cancelling, state=state, order_type="Terminate")
    fake = FakePuhuri(data, token=TOKEN)
    with SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport()) as client:
        yield World(fake, client)


# -- one case per example: the placeholders' values and the checks of its effect -------------

Values = Callable[[World], dict[str, str]]
Check = Callable[[World, dict[str, Any]], None]


def _no_values(world: World) -> dict[str, str]:
    return {}


def _check_users(world: World, ns: dict[str, Any]) -> None:
    assert [u["uuid"] for u in ns["result"]] == [u["uuid"] for u in world.data.users]
    assert ns["result"][0]["username"] == world.data.users[0]["username"]


def _check_ssh_keys(world: World, ns: dict[str, Any]) -> None:
    # Every key, on all pages (waldur_client read them 10 a page, one page after another).
    assert len(world.data.ssh_keys) > 10
    assert [k["uuid"] for k in ns["result"]] == [k["uuid"] for k in world.data.ssh_keys]


def _creating(world: World) -> dict[str, Any]:
    return world.resource(state="Creating")


def _resources_values(world: World) -> dict[str, str]:
    resource = _creating(world)
    return {
        "<provider-uuid>": resource["provider_uuid"],
        "<offering-uuid>": resource["offering_uuid"],
    }


def _check_resources(world: World, ns: dict[str, Any]) -> None:
    offering = _creating(world)["offering_uuid"]
    expected = [
        r["url"]
        for r in world.data.resources
        if r["state"] == "Creating" and r["offering_uuid"] == offering
    ]
    assert expected
    assert [r["url"] for r in ns["result"]] == expected
    selected = {"name", "offering", "state", "limits", "plan", "project", "url"}
    assert all(set(r.to_dict()) == selected for r in ns["result"])  # only the fields asked for
    assert all(r["state"] == "Creating" for r in ns["result"])


def _approve_values(world: World) -> dict[str, str]:
    return {"<allocation-uuid>": world.data.resources[0]["uuid"]}


def _check_approve(world: World, ns: dict[str, Any]) -> None:
    order = world.order(ns["order"]["uuid"])
    assert order["marketplace_resource_uuid"] == world.data.resources[0]["uuid"]
    assert order["state"] == "executing"  # approved: from pending-provider to executing
    assert order["provider_reviewed_at"] is not None
    posts = world.fake.requests_for("POST", "marketplace-orders/*/approve_by_provider/")
    assert [post.status for post in posts] == [409, 200]  # as the document has it, then fixed


def _cancel_values(world: World) -> dict[str, str]:
    return {"<allocation-uuid>": world.data.resources[2]["uuid"]}


def _check_cancel(world: World, ns: dict[str, Any]) -> None:
    order = world.order(ns["order"]["uuid"])
    assert order["marketplace_resource_uuid"] == world.data.resources[2]["uuid"]
    assert order["type"] == "Terminate"
    assert order["state"] == "canceled"
    assert isinstance(ns["result"], ActionResult)
    posts = world.fake.requests_for("POST", "marketplace-orders/*/cancel/")
    # As the document has it: Waldur cancels an executing order of a Basic offering (202).
    assert [post.status for post in posts] == [202]


def _backend_id_values(world: World) -> dict[str, str]:
    return {
        "<resource-uuid>": world.data.resources[1]["uuid"],
        "<some-backend-id>": "slurm-account-0042",
    }


def _check_backend_id(world: World, ns: dict[str, Any]) -> None:
    assert world.data.resources[1]["backend_id"] == "slurm-account-0042"
    assert ns["result"]["status"] == "Resource backend_id has been changed."


def _report_values(world: World) -> dict[str, str]:
    return {"<resource-uuid>": world.data.resources[3]["uuid"]}


def _check_report(world: World, ns: dict[str, Any]) -> None:
    assert ns["ResourceReportRecord"] is ResourceReportRecord
    assert issubclass(ns["WaldurClient"], SyncPuhuriClient)
    assert world.data.resources[3]["report"] == [
        {"header": "Header1", "body": "Body1"},
        {"header": "Header2", "body": "Body2"},
    ]
    assert ns["result"]["status"] == "Report is submitted"


def _team_values(world: World) -> dict[str, str]:
    return {"<resource-uuid>": world.data.resources[4]["uuid"]}


def _check_team(world: World, ns: dict[str, Any]) -> None:
    project = world.data.resources[4]["project_uuid"]
    expected = [p["user_uuid"] for p in world.data.permissions if p["project_uuid"] == project]
    assert expected
    assert [member["uuid"] for member in ns["result"]] == expected


def _usage_resource(world: World) -> dict[str, Any]:
    return world.data.resources[2]


def _usage_values(world: World) -> dict[str, str]:
    resource = _usage_resource(world)
    return {"<offering-uuid>": resource["offering_uuid"], "<resource-uuid>": resource["uuid"]}


def _check_usage(world: World, ns: dict[str, Any]) -> None:
    offering = world.data.get("offerings", _usage_resource(world)["offering_uuid"])
    assert offering is not None
    types = [component["type"] for component in offering["components"]]
    assert ns["component_types"] == types
    (period,) = ns["result"]
    reported = {usage["type"]: Decimal(str(usage["usage"])) for usage in period["components"]}
    assert reported == dict.fromkeys(types, Decimal(10))
    assert {usage["description"] for usage in period["components"]} == {"Usage"}


def _new_account(world: World) -> tuple[dict[str, Any], dict[str, Any]]:
    offering = world.data.offerings[0]
    taken = {
        ou["user_uuid"]
        for ou in world.data.offering_users
        if ou["offering_uuid"] == offering["uuid"]
    }
    user = next(u for u in reversed(world.data.users) if u["uuid"] not in taken)
    return offering, user


def _offering_user_values(world: World) -> dict[str, str]:
    offering, user = world.chosen["account"] = _new_account(world)
    # One by UUID, one by URL: the placeholders say either works.
    return {
        "<offering-uuid-or-url>": offering["uuid"],
        "<user-uuid-or-url>": user["url"],
        "<username>": "jdoe-seed",
    }


def _check_offering_user(world: World, ns: dict[str, Any]) -> None:
    offering, user = world.chosen["account"]
    result = ns["result"]
    assert (result["username"], result["user_uuid"]) == ("jdoe-seed", user["uuid"])
    assert result["offering_uuid"] == offering["uuid"]
    stored = [ou for ou in world.data.offering_users if ou["username"] == "jdoe-seed"]
    assert [(ou["offering_uuid"], ou["user_uuid"]) for ou in stored] == [
        (offering["uuid"], user["uuid"])
    ]


def _username_user(world: World) -> str:
    return str(world.data.permissions[0]["user_uuid"])


def _set_username_values(world: World) -> dict[str, str]:
    return {
        "<service-provider-uuid>": world.data.service_provider["uuid"],
        "<user-uuid>": _username_user(world),
        "<username>": "alice-lumi",
    }


def _check_set_username(world: World, ns: dict[str, Any]) -> None:
    assert ns["result"]["detail"] == "Offering users have been set."
    accounts = [ou for ou in world.data.offering_users if ou["user_uuid"] == _username_user(world)]
    assert accounts
    assert {ou["username"] for ou in accounts} == {"alice-lumi"}


def _customer_values(name: str) -> Values:
    return lambda world: {name: world.data.customer["uuid"]}


def _check_provider(world: World, ns: dict[str, Any]) -> None:
    assert len(ns["service_providers"]) == 1
    assert ns["lumi_service_provider"]["uuid"] == world.data.service_provider["uuid"]
    assert ns["lumi_service_provider"]["customer_uuid"] == world.data.customer["uuid"]


def _check_provider_found(world: World, ns: dict[str, Any]) -> None:
    assert ns["service_provider_uuid"] == world.data.service_provider["uuid"]


def _check_provider_users(world: World, ns: dict[str, Any]) -> None:
    _check_provider_found(world, ns)
    expected = world.provider_users()
    assert expected
    assert sorted(u["uuid"] for u in ns["result"]) == sorted(expected)


def _check_provider_keys(world: World, ns: dict[str, Any]) -> None:
    _check_provider_found(world, ns)
    users = world.provider_users()
    expected = [k["uuid"] for k in world.data.ssh_keys if k["user_uuid"] in users]
    assert expected
    assert [k["uuid"] for k in ns["result"]] == expected


def _check_provider_projects(world: World, ns: dict[str, Any]) -> None:
    _check_provider_found(world, ns)
    assert world.provider_projects()
    assert {p["uuid"] for p in ns["result"]} == world.provider_projects()


def _check_provider_permissions(world: World, ns: dict[str, Any]) -> None:
    _check_provider_found(world, ns)
    projects = world.provider_projects()
    expected = [
        (p["user_uuid"], p["project_uuid"])
        for p in world.data.permissions
        if p["project_uuid"] in projects
    ]
    assert expected
    assert [(p["user_uuid"], p["project_uuid"]) for p in ns["result"]] == expected


CASES: dict[str, tuple[Values, Check]] = {
    "list_users": (_no_values, _check_users),
    "list_ssh_keys": (_no_values, _check_ssh_keys),
    "list_marketplace_resources": (_resources_values, _check_resources),
    "marketplace_order_approve_by_provider": (_approve_values, _check_approve),
    "marketplace_order_cancel": (_cancel_values, _check_cancel),
    "marketplace_resource_set_backend_id": (_backend_id_values, _check_backend_id),
    "marketplace_resource_submit_report": (_report_values, _check_report),
    "marketplace_resource_get_team": (_team_values, _check_team),
    "marketplace_resource_get_plan_periods": (_usage_values, _check_usage),
    "create_remote_offering_user": (_offering_user_values, _check_offering_user),
    "set_offerings_username": (_set_username_values, _check_set_username),
    "list_service_providers": (_customer_values("<organization_uuid>"), _check_provider),
    "list_service_provider_users": (_customer_values("<customer_uuid>"), _check_provider_users),
    "list_service_provider_ssh_keys": (_customer_values("<customer_uuid>"), _check_provider_keys),
    "list_service_provider_projects": (
        _customer_values("<customer_uuid>"),
        _check_provider_projects,
    ),
    "list_service_provider_project_permissions": (
        _customer_values("<customer_uuid>"),
        _check_provider_permissions,
    ),
}
#: The order state each order example needs, instead of the document's 'executing'.
NEEDED_STATE = {
    "marketplace_order_approve_by_provider": "pending-provider",
}


def test_every_example_of_the_seed_document_has_a_case() -> None:
    assert len(BLOCKS) == 16
    assert [operation(block.source) for block in BLOCKS] == list(CASES)


def test_porting_changes_nothing_but_the_import_line() -> None:
    for block in BLOCKS:
        original = block.source.splitlines()
        ported = port(block.source).splitlines()
        assert len(ported) <= len(original)
        for before, after in zip(original, ported, strict=False):
            if before.startswith("from waldur_client import"):
                assert after.startswith("from puhuri_async import")
            else:
                assert after == before
        cut = original[len(ported) :]
        assert not cut or _OUTPUT.match(cut[0])  # only the sample output is left out


@pytest.mark.parametrize("block", BLOCKS, ids=[operation(block.source) for block in BLOCKS])
def test_seed_example_runs_and_does_what_it_says(block: Any, world: World) -> None:
    name = operation(block.source)
    values, check = CASES[name]
    source = fill(port(block.source), values(world))
    if name in NEEDED_STATE:
        with pytest.raises(ConflictError, match="Valid states for operation") as info:
            run(source, world.client)  # unchanged: the server refuses, loudly
        assert info.value.status_code == 409
        assert world.fake.requests_for("POST")[-1].status == 409
        assert source.count("'state': 'executing'") == 1
        source = source.replace("'state': 'executing'", f"'state': {NEEDED_STATE[name]!r}")
    check(world, run(source, world.client))


def test_the_sync_results_are_the_async_client_s(world: World) -> None:
    """The facade returns exactly what PuhuriClient returns for the same calls."""
    provider = world.data.service_provider["uuid"]

    async def with_async_client() -> list[list[dict[str, Any]]]:
        async with PuhuriClient(world.fake.base_url, TOKEN, transport=world.fake.transport()) as c:
            return [
                [u.to_dict() for u in await c.list_users()],
                [p.to_dict() for p in await c.list_service_provider_project_permissions(provider)],
                [o.to_dict() for o in await c.list_orders({"state": "pending-provider"})],
            ]

    synced = [
        [u.to_dict() for u in world.client.list_users()],
        [p.to_dict() for p in world.client.list_service_provider_project_permissions(provider)],
        [o.to_dict() for o in world.client.list_orders({"state": "pending-provider"})],
    ]
    assert synced == asyncio.run(with_async_client())
    assert all(synced)
