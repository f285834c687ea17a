"""What the real-server tests share: the settings, both clients, raw reads and own objects.

The suite runs only when the environment names a server (see ``docs/real-server.md``):

- ``PUHURI_REALPEER_URL``: the API root, e.g. ``http://127.0.0.1:8000/api/``;
- ``PUHURI_REALPEER_SEED``: a JSON file with the tokens and uuids the tests use, in the shape
  ``../shared/realpeer/seed.py`` writes (``staff_token``, ``owner_token``, ``provider_uuid``...);
- ``PUHURI_REALPEER_PSQL`` (optional): a libpq URI of the server's database, for the checks the
  API cannot show (``postgresql://waldur:waldur@127.0.0.1:55432/waldur``); ``psql`` must be
  installed;
- ``PUHURI_REALPEER_TIMEOUT`` (optional): the client's read timeout in seconds (default 600: a
  real server on a busy machine takes tens of seconds for a page of 300 users);
- ``PUHURI_REALPEER_ALLOW_REMOTE=1``: needed for a server that is not on the loopback interface,
  because the suite writes (it approves, rejects and cancels orders it creates, reports usage).

``Api`` runs one operation on the async client (``asyncio.run`` around a fresh
``PuhuriClient``) or on the sync one (one ``SyncPuhuriClient`` per role for the session), so a
test is written once for both. ``Raw`` reads and prepares with plain httpx: the tests compare the
client's results with what the server says without the client in the way.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import shutil
import subprocess
import uuid as uuid_mod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs
import httpx

from puhuri_async import PuhuriClient, SyncPuhuriClient, Timeout

ENV_URL = "PUHURI_REALPEER_URL"
ENV_SEED = "PUHURI_REALPEER_SEED"
ENV_PSQL = "PUHURI_REALPEER_PSQL"
ENV_TIMEOUT = "PUHURI_REALPEER_TIMEOUT"
ENV_ALLOW_REMOTE = "PUHURI_REALPEER_ALLOW_REMOTE"

#: The roles the client is run as (the other two only prepare and check).
CLIENT_ROLES = ("owner", "staff")
FLAVORS = ("async", "sync")


@attrs.frozen
class Settings:
    """The server and what the seed file says about it."""

    url: str
    seed: dict[str, Any]
    psql: str | None
    timeout: float

    def token(self, role: str) -> str:
        return str(self.seed[f"{role}_token"])

    def uuid(self, *keys: str) -> str:
        """A seeded uuid: ``uuid("provider_uuid")``, ``uuid("resources", "ok1")``."""
        value: Any = self.seed
        for key in keys:
            value = value[key]
        return str(value)


def settings_from_env() -> Settings | str:
    """The settings, or why the suite cannot run (the skip reason)."""
    url = os.environ.get(ENV_URL, "").strip()
    seed_path = os.environ.get(ENV_SEED, "").strip()
    if not url or not seed_path:
        return (
            f"set {ENV_URL} and {ENV_SEED} to run the tests against a real Waldur "
            "(see docs/real-server.md)"
        )
    host = urlsplit(url).hostname or ""
    if not _loopback(host) and os.environ.get(ENV_ALLOW_REMOTE) != "1":
        return (
            f"{url} is not on this machine; the suite writes, set {ENV_ALLOW_REMOTE}=1 to allow it"
        )
    path = Path(seed_path)
    if not path.is_file():
        return f"{ENV_SEED}={seed_path}: no such file"
    psql = os.environ.get(ENV_PSQL, "").strip() or None
    if psql and shutil.which("psql") is None:
        return f"{ENV_PSQL} is set but the psql program is not installed"
    timeout = float(os.environ.get(ENV_TIMEOUT, "600"))
    return Settings(url.rstrip("/") + "/", json.loads(path.read_text()), psql, timeout)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Api:
    """One client flavor as one role: ``api("list_orders", state="done")`` runs the operation."""

    def __init__(self, settings: Settings, role: str, flavor: str) -> None:
        self.settings = settings
        self.role = role
        self.flavor = flavor
        self._sync: SyncPuhuriClient | None = None

    def _options(self) -> dict[str, Any]:
        return {"timeout": Timeout(connect=10.0, read=self.settings.timeout)}

    def __call__(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        if self.flavor == "sync":
            return getattr(self.sync_client(), operation)(*args, **kwargs)
        return asyncio.run(self._run(operation, args, kwargs))

    def collect(self, operation: str, *args: Any, **kwargs: Any) -> tuple[list[Any], Any]:
        """The items of an ``iter_*`` operation, iterated to the end, and what it returned.

        That is a ``Paginator`` for the async client; the sync client returns a plain iterator
        today (``total`` and ``drift`` are checked only where the result has them).
        """
        if self.flavor == "sync":
            paginator = getattr(self.sync_client(), operation)(*args, **kwargs)
            return list(paginator), paginator
        return asyncio.run(self._iterate(operation, args, kwargs))

    async def _run(self, operation: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        url, token = self.settings.url, self.settings.token(self.role)
        async with PuhuriClient(url, token, **self._options()) as client:
            return await getattr(client, operation)(*args, **kwargs)

    async def _iterate(
        self, operation: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[list[Any], Any]:
        url, token = self.settings.url, self.settings.token(self.role)
        async with PuhuriClient(url, token, **self._options()) as client:
            paginator = getattr(client, operation)(*args, **kwargs)
            return [item async for item in paginator], paginator

    def sync_client(self) -> SyncPuhuriClient:
        if self._sync is None:
            self._sync = SyncPuhuriClient(
                self.settings.url, self.settings.token(self.role), **self._options()
            )
        return self._sync

    def close(self) -> None:
        if self._sync is not None:
            self._sync.close()

    def __repr__(self) -> str:
        return f"<Api {self.role} {self.flavor}>"


class Raw:
    """Plain httpx, one client per role: the server's own answers, and objects for the tests."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._clients = {
            role: httpx.Client(
                base_url=settings.url,
                headers={"Authorization": f"Token {settings.token(role)}"},
                timeout=settings.timeout,
            )
            for role in ("staff", "owner", "other", "member")
            if f"{role}_token" in settings.seed
        }

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def get(self, path: str, *, role: str = "staff", **params: Any) -> Any:
        response = self._clients[role].get(path, params=params)
        response.raise_for_status()
        return response.json()

    def all(self, path: str, *, role: str = "staff", **params: Any) -> list[Any]:
        """Every item of a list, following ``Link: rel="next"`` at 300 items a page."""
        client = self._clients[role]
        response = client.get(path, params={**params, "page_size": 300})
        items: list[Any] = []
        while True:
            response.raise_for_status()
            items.extend(response.json())
            following = response.links.get("next", {}).get("url")
            if not following:
                return items
            response = client.get(following)

    def count(self, path: str, *, role: str = "staff", **params: Any) -> int:
        """``X-Result-Count`` of the list for ``role``."""
        response = self._clients[role].get(path, params={**params, "page_size": 1})
        response.raise_for_status()
        return int(response.headers["X-Result-Count"])

    def post(self, path: str, body: Any, *, role: str = "staff") -> httpx.Response:
        return self._clients[role].post(path, json=body)

    def delete(self, path: str, *, role: str = "staff") -> httpx.Response:
        return self._clients[role].delete(path)

    def order(self, order_uuid: str) -> dict[str, Any]:
        result: dict[str, Any] = self.get(f"marketplace-orders/{order_uuid}/")
        return result

    def resource(self, resource_uuid: str) -> dict[str, Any]:
        result: dict[str, Any] = self.get(f"marketplace-provider-resources/{resource_uuid}/")
        return result

    def new_order(self, name: str, *, offering_key: str = "storage_offering_uuid") -> str:
        """A fresh ``pending-provider`` order of ours (staff creates it; staff skips review).

        The storage offering is the default: approving its orders creates no offering users,
        unlike the cluster offering (its ``service_provider_can_create_offering_user`` makes one
        for every project member).
        """
        offering = self.get(f"marketplace-public-offerings/{self.settings.uuid(offering_key)}/")
        body: dict[str, Any] = {
            "offering": offering["url"],
            "plan": offering["plans"][0]["url"],
            "project": self.project_url(),
            "attributes": {"name": f"{name}-{uuid_mod.uuid4().hex[:8]}"},
        }
        limits = {c["type"]: 1 for c in offering["components"] if c["billing_type"] == "limit"}
        if limits:
            body["limits"] = limits
        response = self.post("marketplace-orders/", body)
        assert response.status_code == 201, response.text
        order: dict[str, Any] = response.json()
        assert order["state"] == "pending-provider", order["state"]
        return str(order["uuid"])

    def new_resource(self, name: str, *, offering_key: str = "storage_offering_uuid") -> str:
        """A fresh ``OK`` resource of ours: an order created and approved by staff."""
        order_uuid = self.new_order(name, offering_key=offering_key)
        response = self.post(f"marketplace-orders/{order_uuid}/approve_by_provider/", {})
        assert response.status_code == 200, response.text
        order = self.order(order_uuid)
        assert order["state"] == "done", order["state"]
        return str(order["marketplace_resource_uuid"])

    def project_url(self) -> str:
        """The project our orders are made in: the second seeded one (rp-project-b)."""
        return f"{self.settings.url}projects/{self.settings.seed['project_uuids'][1]}/"


class Database:
    """Read-only queries through ``psql``, for what the API cannot show (the ``db`` fixture)."""

    def __init__(self, dsn: str | None) -> None:
        self.dsn = dsn

    def rows(self, query: str) -> list[list[str]]:
        assert self.dsn is not None
        done = subprocess.run(
            ["psql", self.dsn, "-AtX", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", query],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return [line.split("\t") for line in done.stdout.splitlines()]

    def column(self, query: str) -> list[str]:
        return [row[0] for row in self.rows(query)]


@contextmanager
def cleanup(raw: Raw, *paths: str) -> Iterator[list[str]]:
    """Paths to DELETE (as staff) after the block, also when it fails; more may be appended."""
    pending = list(paths)
    try:
        yield pending
    finally:
        for path in pending:
            raw.delete(path)
