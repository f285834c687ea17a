"""Derived collections of the fake (the provider's users, keys, projects, permissions, a team)
and the caches that keep a page cheap: views, filter results, encoded objects and encoded
pages live until the data changes (``FakeData.generation``), so fetching page N of a large
list is O(page size) the first time and a lookup after that.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from puhuri_async.testing import _jsonio
from puhuri_async.testing._data import FakeData, JSONObject
from puhuri_async.testing._http import Request
from puhuri_async.testing._listing import Filter, filter_items, sort_items

__all__ = ["Views"]

_MAX_FILTER_RESULTS = 256
_MAX_PAGE_BYTES = 256 * 1024 * 1024  # then the pages kept are dropped, all at once

_PROVIDER_USER_FIELDS = (
    "uuid",
    "username",
    "full_name",
    "first_name",
    "last_name",
    "organization",
    "email",
    "phone_number",
    "projects_count",
    "registration_method",
    "affiliations",
    "is_active",
    "job_title",
    "gender",
    "personal_title",
    "place_of_birth",
    "country_of_residence",
    "nationality",
    "nationalities",
    "organization_country",
    "organization_type",
    "organization_registry_code",
    "eduperson_assurance",
    "civil_number",
    "birth_date",
    "identity_source",
    "active_isds",
)


class Views:
    """Computed collections and caches over one ``FakeData``."""

    def __init__(self, data: FakeData) -> None:
        self.data = data
        self._generation = -1
        self._views: dict[Hashable, Any] = {}
        self._filtered: dict[Hashable, Sequence[JSONObject]] = {}
        self._encoded: dict[Hashable, dict[int, tuple[JSONObject, bytes]]] = {}
        self._pages: dict[Hashable, tuple[Sequence[JSONObject], bytes]] = {}
        self._page_bytes = 0

    def _sync(self) -> None:
        if self._generation != self.data.generation:
            self._generation = self.data.generation
            self._views.clear()
            self._filtered.clear()
            self._encoded.clear()
            self._pages.clear()
            self._page_bytes = 0

    def _view(self, key: Hashable, build: Callable[[], Any]) -> Any:
        self._sync()
        if key not in self._views:
            self._views[key] = build()
        return self._views[key]

    # -- provider views ---------------------------------------------------------------------

    def provider_projects(self, customer: str | None = None) -> list[JSONObject]:
        """Projects using the shared offerings of provider ``customer`` (not terminated)."""
        customer = customer or self.data.customer["uuid"]

        def build() -> list[JSONObject]:
            return self.data.provider_projects(customer)

        result: list[JSONObject] = self._view(("projects", customer), build)
        return result

    def provider_permissions(self, customer: str | None = None) -> list[JSONObject]:
        """Project permissions of active users in the provider's projects."""

        def build() -> list[JSONObject]:
            projects = {p["uuid"] for p in self.provider_projects(customer)}
            active = {u["uuid"] for u in self.data.users if u["is_active"]}
            return [
                p
                for p in self.data.permissions
                if p["project_uuid"] in projects and p["user_uuid"] in active
            ]

        result: list[JSONObject] = self._view(("permissions", customer), build)
        return result

    def provider_users(self, customer: str | None = None) -> list[JSONObject]:
        """Users with a permission in a provider project, as ``MarketplaceServiceProviderUser``."""

        def build() -> list[JSONObject]:
            counts: dict[str, int] = {}
            for permission in self.provider_permissions(customer):
                counts[permission["user_uuid"]] = counts.get(permission["user_uuid"], 0) + 1
            users = []
            for user in self.data.users:
                count = counts.get(user["uuid"])
                if count:
                    shaped = {name: user.get(name) for name in _PROVIDER_USER_FIELDS}
                    shaped["projects_count"] = count
                    users.append(shaped)
            return users

        result: list[JSONObject] = self._view(("users", customer), build)
        return result

    def provider_keys(self, customer: str | None = None) -> list[JSONObject]:
        """SSH keys of the provider's users."""

        def build() -> list[JSONObject]:
            users = {u["uuid"] for u in self.provider_users(customer)}
            return [k for k in self.data.ssh_keys if k["user_uuid"] in users]

        result: list[JSONObject] = self._view(("keys", customer), build)
        return result

    def team(self, resource: JSONObject) -> list[JSONObject]:
        """The ``ProjectUser`` list of a resource's project, with offering usernames."""
        accounts = {
            ou["user_uuid"]: ou
            for ou in self.data.offering_users
            if ou["offering_uuid"] == resource["offering_uuid"]
        }
        team = []
        for permission in self.data.permissions:
            if permission["project_uuid"] != resource["project_uuid"]:
                continue
            account = accounts.get(permission["user_uuid"])
            team.append(
                {
                    "url": permission["user"],
                    "uuid": permission["user_uuid"],
                    "username": permission["user_username"],
                    "full_name": permission["user_full_name"],
                    "email": permission["user_email"],
                    "role": permission["role_name"],
                    "expiration_time": permission["expiration_time"],
                    "offering_user_username": account["username"] if account else None,
                    "offering_user_state": account["state"] if account else None,
                }
            )
        return team

    # -- lists ------------------------------------------------------------------------------

    def filtered(
        self,
        key: Hashable,
        items: Callable[[], Sequence[JSONObject]],
        request: Request,
        specs: dict[str, Filter],
        *,
        ordered: bool = True,
    ) -> Sequence[JSONObject]:
        """``items()`` filtered and (unless not ``ordered``) ordered as ``request`` asks, cached
        until the data changes."""
        self._sync()
        params = tuple(
            sorted((k, v) for k, v in request.query if k in specs or (ordered and k == "o"))
        )
        cache_key = (key, params)
        found = self._filtered.get(cache_key)
        if found is None:
            found = filter_items(items(), request, specs, self.data)
            if ordered:
                found = sort_items(found, request)
            if len(self._filtered) >= _MAX_FILTER_RESULTS:
                self._filtered.clear()
            self._filtered[cache_key] = found
        return found

    def encode_page(
        self,
        selected: Sequence[JSONObject],
        start: int,
        stop: int,
        transform: Callable[[JSONObject], JSONObject] | None = None,
        shape: Hashable = None,
    ) -> bytes:
        """``encode_list`` of ``selected[start:stop]``, kept while the data is unchanged:
        ``selected`` is a cached result of ``filtered`` (the same object for the same query),
        so a page asked for again, as a client reading a list again does, costs a lookup."""
        self._sync()
        key = (shape, id(selected), start, stop)
        found = self._pages.get(key)
        if found is not None and found[0] is selected:
            return found[1]
        body = self.encode_list(selected[start:stop], transform, shape)
        if self._page_bytes > _MAX_PAGE_BYTES:
            self._pages.clear()
            self._page_bytes = 0
        self._pages[key] = (selected, body)  # the list kept alive: its id is not reused
        self._page_bytes += len(body)
        return body

    def encode_list(
        self,
        items: Sequence[JSONObject],
        transform: Callable[[JSONObject], JSONObject] | None = None,
        shape: Hashable = None,
    ) -> bytes:
        """The JSON array of ``items`` (each passed through ``transform``, whose cache key is
        ``shape``), each object encoded once per data generation."""
        self._sync()
        cache = self._encoded.setdefault(shape, {})
        parts = []
        for item in items:
            entry = cache.get(id(item))
            if entry is None or entry[0] is not item:
                entry = (item, _jsonio.dumps(transform(item) if transform else item))
                cache[id(item)] = entry
            parts.append(entry[1])
        return b"[" + b",".join(parts) + b"]"
