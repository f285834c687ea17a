"""What every handler of the fake shares: the data, the caller's view of it, lists and retrieves.

Handlers hold the fake's lock while they run. A list is: the items the caller may see, filtered as
the request asks (minus the filters the server version ignores), ordered, cut to the page, each
item shaped for the version and the caller; ``HEAD`` answers the count only.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from puhuri_async.testing import _jsonio
from puhuri_async.testing._data import FakeData, JSONObject, timestamp
from puhuri_async.testing._filters import SERVICE_PROVIDER_FILTERS
from puhuri_async.testing._http import HttpError, Reply, Request, json_reply, not_found
from puhuri_async.testing._listing import (
    Filter,
    Page,
    filter_items,
    link_header,
    project,
    select_fields,
    take_page,
)
from puhuri_async.testing._profiles import ServerProfile
from puhuri_async.testing._quirks import Quirks
from puhuri_async.testing._shapes import Shaper
from puhuri_async.testing._views import Views
from puhuri_async.testing._visibility import Caller, Visibility

__all__ = ["ApiBase", "Listing", "caller_of"]

_MODELS = {
    "users": "User",
    "orders": "Order",
    "resources": "Resource",
    "offerings": "Offering",
    "offering_users": "OfferingUser",
    "component_usages": "ComponentUsage",
    "user_usage_limits": "ComponentUserUsageLimit",
    "service_providers": "ServiceProvider",
}


def caller_of(request: Request) -> Caller:
    """The caller a request was authenticated as."""
    caller = request.caller
    assert isinstance(caller, Caller)
    return caller


@dataclass(frozen=True)
class Listing:
    """One list: its name (for caches and the profile), what it shows and how it filters."""

    name: str
    items: Callable[[], Sequence[JSONObject]]
    filters: dict[str, Filter]
    rule: str = ""
    """Whose items the caller sees (a ``Visibility`` kind; none: everyone sees all)."""
    shape: str = ""
    """How its items are shaped for the version and the caller (a ``Shaper`` kind)."""
    ties: str | None = None
    """The non-unique key the real server orders it by (``unstable_ties`` shuffles ties)."""
    scope: str = ""
    """What else its items depend on (the provider of a sub-list), for the caches."""
    orderings: tuple[str, ...] | None = None
    """The fields ``o=`` may name (``-`` for descending); another is a 400. None: ``o`` is
    ignored (the list has no ordering filter)."""


def _check_ordering(request: Request, fields: tuple[str, ...]) -> None:
    """django-filter's ``OrderingFilter``: 400 for a field it does not offer."""
    for value in request.values("o"):
        for term in (t.strip() for t in value.split(",")):
            if term and term.lstrip("-") not in fields:
                raise HttpError(
                    400,
                    {"o": [f"Select a valid choice. {term} is not one of the available choices."]},
                )


class ApiBase:
    """Shared state and helpers of the handlers (one instance per fake)."""

    def __init__(
        self,
        data: FakeData,
        views: Views,
        clock: Callable[[], datetime],
        profile: ServerProfile,
        quirks: Quirks,
    ) -> None:
        self.data = data
        self.views = views
        self.clock = clock
        self.profile = profile
        self.quirks = quirks
        self.shaper = Shaper(data, profile, quirks)
        customers = {
            "owner": data.customer["uuid"],
            "other_owner": data.other_customer["uuid"],
        }
        self.visibility = Visibility(data, data.member_projects, customers)

    # -- small helpers ----------------------------------------------------------------------

    def now(self) -> str:
        """The clock's time in Waldur's format."""
        return timestamp(self.clock())

    def missing(self, collection: str) -> HttpError:
        """The 404 of an object that is not there (or not for the caller's eyes): DRF's
        ``{"detail": "Not found."}``; 7.0.7's DRF names the model (``No Order matches the
        given query.``)."""
        if not self.profile.legacy_shapes:
            return not_found()
        model = _MODELS.get(collection, "object")
        return HttpError(404, {"detail": f"No {model} matches the given query."})

    def object(self, collection: str, uuid: str) -> JSONObject:
        """The object of ``collection`` with ``uuid``; 404 when there is none."""
        found = self.data.get(collection, uuid)
        if found is None:
            raise self.missing(collection)
        return found

    def seen(self, request: Request, kind: str, collection: str, uuid: str) -> JSONObject:
        """The object when the caller may see it as ``kind``; 404 otherwise."""
        found = self.data.get(collection, uuid)
        if found is None or not self.visibility.can_see(kind, caller_of(request), found):
            raise self.missing(collection)
        return found

    def service_provider(self, uuid: str) -> JSONObject:
        """A service provider by uuid (every token sees every one); 404 when unknown."""
        for provider in self.data.service_providers:
            if provider["uuid"] == uuid:
                return provider
        raise self.missing("service_providers")

    def owned_service_provider(self, request: Request, uuid: str) -> JSONObject:
        """A service provider whose owner the caller is (staff too); 403 for anyone else.

        On 7.x the sub-lists look the provider up through the provider list's own filters, so
        their query parameters (``customer_uuid``, ``customer``, ...) can filter it out: 404.
        """
        provider = self.service_provider(uuid)
        if self.profile.legacy_shapes and not filter_items(
            [provider], request, SERVICE_PROVIDER_FILTERS, self.data
        ):
            raise self.missing("service_providers")
        self.visibility.require_provider(caller_of(request), provider["customer_uuid"])
        return provider

    # -- lists and retrieves ----------------------------------------------------------------

    def serve_list(self, request: Request, listing: Listing) -> Reply:
        """A page of ``listing`` as the caller sees it (or its count for ``HEAD``)."""
        caller = caller_of(request)
        rule = self.visibility.rule(listing.rule, caller) if listing.rule else None
        specs = {
            name: spec
            for name, spec in listing.filters.items()
            if not self.profile.ignores(listing.name, name)
        }
        for name, refused in self.profile.refused_choices.get(listing.name, {}).items():
            if name in specs:
                kept = tuple(c for c in specs[name].choices if c not in refused)
                specs[name] = dataclasses.replace(specs[name], choices=kept)
        unstable = self.quirks.unstable_ties and listing.ties is not None
        orderings = self.profile.orderings.get(listing.name, listing.orderings)
        if orderings is not None:
            _check_ordering(request, orderings)

        def items() -> Sequence[JSONObject]:
            found = listing.items()
            if rule is not None:
                found = [item for item in found if rule(item)]
            if unstable:
                tie = str(listing.ties)
                found = sorted(found, key=lambda item: str(item.get(tie, "")))
            return found

        role = caller.role if rule is not None else ""
        key: Hashable = (listing.name, listing.scope, role, unstable)
        selected = self.views.filtered(key, items, request, specs, ordered=orderings is not None)
        count_header = ("X-Result-Count", str(len(selected)))
        if request.method == "HEAD":
            return Reply(200, b"", [count_header], content_type=None)
        page = take_page(len(selected), request)
        shape_key, transform = self.shaper.transform(listing.shape, caller)
        wanted = select_fields(request)
        if wanted is None and not unstable:  # the usual page: kept once encoded
            body = self.views.encode_page(selected, page.start, page.stop, transform, shape_key)
        else:
            if unstable:
                chunk = self._unstable_page(selected, page, str(listing.ties))
            else:
                chunk = list(selected[page.start : page.stop])
            if wanted is None:
                body = self.views.encode_list(chunk, transform, shape_key)
            else:
                shaped = [transform(item) for item in chunk] if transform else chunk
                body = _jsonio.dumps([project(item, wanted) for item in shaped])
        return Reply(200, body, [count_header, ("Link", link_header(request, page))])

    def _unstable_page(
        self, ordered: Sequence[JSONObject], page: Page, tie: str
    ) -> list[JSONObject]:
        """The page as Postgres may cut it: each run of equal ``tie`` values in an order of its
        own for this query (seeded by ``tie_seed`` and the page), so pages overlap and skip."""
        rng = random.Random(f"{self.quirks.tie_seed}:{page.number}:{page.size}")  # noqa: S311
        shuffled: list[JSONObject] = []
        start = 0
        while start < len(ordered):
            stop = start + 1
            value = ordered[start].get(tie)
            while stop < len(ordered) and ordered[stop].get(tie) == value:
                stop += 1
            run = list(ordered[start:stop])
            if len(run) > 1 and stop > page.start and start < page.stop:
                rng.shuffle(run)
            shuffled.extend(run)
            start = stop
        return shuffled[page.start : page.stop]

    def retrieve(self, request: Request, shape: str, item: JSONObject) -> Reply:
        """One object, shaped for the caller, with ``field`` selection."""
        _, transform = self.shaper.transform(shape, caller_of(request))
        shaped = transform(item) if transform else item
        return json_reply(200, project(shaped, select_fields(request)))

    def hyperlink_error(self, value: str) -> str:
        """DRF's message for a hyperlink to the wrong kind of object: "Incorrect URL match." when
        the URL is another API object's, "No URL match." when it is nothing the API serves."""
        path = urlsplit(value).path
        known = path.startswith("/api/") and self.routes_match(path[len("/api/") :])
        return f"Invalid hyperlink - {'Incorrect' if known else 'No'} URL match."

    def routes_match(self, subpath: str) -> bool:
        """Whether some route serves ``subpath`` (the router's ``find``, in ``Api``)."""
        return False

    def not_allowed(self, request: Request) -> HttpError:
        """DRF's 405 for a method a route does not have."""
        return HttpError(405, {"detail": f'Method "{request.method}" not allowed.'})
