"""The fake's store: the uuid index, change versions, URLs and the seeded random stream.

``Store`` is the base of ``puhuri_async.testing.FakeData``: every factory registers
its object here, every change bumps a collection's version (the caches of the views key on it).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["EPOCH", "JSONObject", "Store", "timestamp"]

JSONObject = dict[str, Any]

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)


def timestamp(moment: datetime) -> str:
    """Waldur's timestamp format: ISO 8601 in UTC with microseconds and a ``Z``."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


class Store:
    """The uuid index and versions over the collections (declared by ``FakeData``)."""

    base_url: str
    generation: int
    versions: dict[str, int]
    customer: JSONObject
    service_provider: JSONObject
    users: list[JSONObject]
    ssh_keys: list[JSONObject]
    projects: list[JSONObject]
    permissions: list[JSONObject]
    resources: list[JSONObject]
    orders: list[JSONObject]
    offering_users: list[JSONObject]
    offerings: list[JSONObject]
    consumer_customers: list[JSONObject]
    plan_periods: dict[str, list[JSONObject]]
    usages: dict[tuple[str, str, str], JSONObject]
    component_usages: list[JSONObject]
    component_user_usages: list[JSONObject]
    user_usage_limits: list[JSONObject]
    _rng: random.Random
    _counter: int
    _index: dict[str, dict[str, JSONObject]]

    # -- helpers ----------------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` (relative to the API root) on the canonical base."""
        return self.base_url + path

    def _uuid(self) -> str:
        # A version-4 UUID from the seeded stream (as uuid.UUID(int=..., version=4) builds it).
        number = self._rng.getrandbits(128) & _UUID_CLEAR | _UUID_SET
        return f"{number:032x}"

    def new_uuid(self) -> str:
        """A fresh uuid (32 hex digits) from the seeded stream."""
        return self._uuid()

    def _created(self) -> str:
        offset = timedelta(microseconds=self._rng.randrange(365 * 86400 * 1_000_000))
        return timestamp(EPOCH + offset)

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _register(self, collection: str, obj: JSONObject, *, key: str = "uuid") -> JSONObject:
        self._index.setdefault(collection, {})[obj[key]] = obj
        self.touch(collection)
        return obj

    def get(self, collection: str, uuid: str) -> JSONObject | None:
        """The object of ``collection`` with this uuid (32 hex digits, lower case), or None."""
        return self._index.get(collection, {}).get(uuid)

    def touch(self, collection: str) -> None:
        """Record that ``collection`` changed: cached pages and views of it are recomputed."""
        self.versions[collection] = self.versions.get(collection, 0) + 1
        self.generation += 1

    def version(self, *collections: str) -> tuple[int, ...]:
        """The versions of ``collections``, a cache key for anything computed from them."""
        return tuple(self.versions.get(name, 0) for name in collections)

    def resources_of_project(self, project_uuid: str) -> Iterable[JSONObject]:
        """The resources of a project, in list order."""
        return (r for r in self.resources if r["project_uuid"] == project_uuid)

    # -- object factories -------------------------------------------------------------------
