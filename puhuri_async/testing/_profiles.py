"""Server profiles: what differs between the Waldur Mastermind versions the fake can play.

A ``ServerProfile`` says which operations a version has, which filters its lists ignore,
which request-body fields its serializers drop (DRF drops unknown fields and still answers 2xx),
and how some of its objects are shaped. Three are defined, from the servers' own source:

- ``"8.0"`` (the default, Waldur 8.0.5: the OpenAPI subset is its contract);
- ``"8.1"`` (8.0 plus the provider-resource actions ``set_end_date``, ``set_endpoints`` and
  ``set_effective_id`` that arrived in 8.1);
- ``"7.0"`` (Waldur 7.0.7, the release a real server on these machines runs, as measured there):

  - it lacks the order action ``set_backend_id``, the provider-resource actions ``set_as_ok``,
    ``set_limits`` and ``refresh_last_sync``, the offering-user state transitions and the
    per-user usage limits (their URLs answer Django's HTML 404, as any unknown URL does);
  - ``set_as_erred`` is staff-only and stores no message;
  - the provider's ``keys/``, ``projects/`` and ``project_permissions/`` sub-lists apply no
    filter at all (``user_uuid``, ``name``, ``username``, ...); its ``users/`` ignores
    ``project_uuid``, resources ignore ``plan_uuid`` and ``offering_slug``, orders
    ``resource_name``; the sub-lists take ``o=customer_name`` only;
  - offering users have no ``state`` (nor a filter by it) but a ``propagation_date``;
  - ``set_usage`` and ``set_user_usage`` have no ``date`` (the amount lands in the current
    month); ``reject_by_provider`` takes no body (the comment is dropped);
  - ``approve_by_provider`` answers 200 with no body; ``cancel`` does not take orders in
    ``pending-start-date``, nor the order filters ``state=pending-start-date`` and
    ``type=Restore`` (400);
  - an unknown object is ``{"detail": "No Order matches the given query."}``; service providers
    have ``organization_group``, project permissions ``role`` (``"member"``) but no
    ``role_name``, orders no ``url`` (see ``puhuri_async.testing._legacy``).

Pick one with ``FakePuhuri(profile="7.0")`` (``"7"``, ``"7.0.7"``, ``"8"``, ``"8.0.5"``,
``"8.1"``, ``"8.1.2"`` are accepted too) or pass a ``ServerProfile`` of your own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["PROFILES", "ServerProfile", "get_profile"]

#: A list's name in ``ignored_filters`` -> this value: the list applies no filter at all.
ALL = frozenset({"*"})


@dataclass(frozen=True)
class ServerProfile:
    """What one Waldur Mastermind version serves (see the module documentation)."""

    name: str
    version: str
    """What ``version/`` answers."""
    missing: frozenset[str] = frozenset()
    """Names of the fake's routes this version does not have (``orders.set_backend_id``...)."""
    ignored_filters: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """List name -> query parameters it ignores (``ALL``: every filter)."""
    dropped_fields: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """Route name -> request-body fields the server drops."""
    legacy_shapes: bool = False
    """7.x object shapes (service providers, permissions, offering users, orders)."""
    empty_approve: bool = False
    """``approve_by_provider`` answers 200 with no body."""
    staff_only_set_as_erred: bool = False
    """``set_as_erred`` on provider resources needs staff (7.x) instead of the provider."""
    refused_choices: Mapping[str, Mapping[str, frozenset[str]]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """List name -> filter -> values this version does not know (400 "Select a valid choice")."""
    orderings: Mapping[str, tuple[str, ...] | None] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """List name -> the ``o=`` fields it offers on this version (None: ``o`` is ignored)."""
    cancel_states: tuple[str, ...] = (
        "pending-consumer",
        "pending-provider",
        "pending-start-date",
        "executing",
    )
    """The order states ``cancel`` accepts (7.x has no ``pending-start-date`` there)."""

    def has(self, route: str) -> bool:
        """Whether this version serves the route named ``route``."""
        return route not in self.missing

    def ignores(self, listing: str, name: str) -> bool:
        """Whether the list ``listing`` ignores the query parameter ``name``."""
        ignored = self.ignored_filters.get(listing, frozenset())
        return ignored is ALL or name in ignored

    def drops(self, route: str, name: str) -> bool:
        """Whether the route ``route`` drops the body field ``name``."""
        return name in self.dropped_fields.get(route, frozenset())


_ADDED_IN_8_1 = frozenset(
    {
        "provider_resources.set_end_date",
        "provider_resources.set_endpoints",
        "provider_resources.set_effective_id",
    }
)
_ADDED_IN_8 = frozenset(
    {
        "orders.set_backend_id",
        "provider_resources.set_as_ok",
        "provider_resources.set_limits",
        "provider_resources.refresh_last_sync",
        "offering_users.begin_creating",
        "offering_users.set_ok",
        "offering_users.set_error_creating",
        "offering_users.set_pending_account_linking",
        "offering_users.set_pending_additional_validation",
        "offering_users.set_validation_complete",
        "offering_users.set_deleting",
        "offering_users.set_deleted",
        "user_usage_limits.list",
        "user_usage_limits.get",
    }
)

PROFILES: Mapping[str, ServerProfile] = MappingProxyType(
    {
        "8.0": ServerProfile("8.0", "8.0.5", missing=_ADDED_IN_8_1),
        "8.1": ServerProfile("8.1", "8.1.2"),
        "7.0": ServerProfile(
            "7.0",
            "7.0.7",
            missing=_ADDED_IN_8 | _ADDED_IN_8_1,
            ignored_filters=MappingProxyType(
                {
                    "sp_keys": ALL,
                    "sp_projects": ALL,
                    "sp_permissions": ALL,
                    "sp_users": frozenset({"project_uuid"}),
                    "offering_users": frozenset({"state"}),
                    "resources": frozenset({"plan_uuid", "offering_slug"}),
                    "provider_resources": frozenset({"plan_uuid", "offering_slug"}),
                    "orders": frozenset({"resource_name"}),
                }
            ),
            dropped_fields=MappingProxyType(
                {
                    "usages.set_usage": frozenset({"date"}),
                    "usages.set_user_usage": frozenset({"date"}),
                    "orders.reject_by_provider": frozenset({"provider_rejection_comment"}),
                    "provider_resources.set_as_erred": frozenset(
                        {"error_message", "error_traceback"}
                    ),
                }
            ),
            legacy_shapes=True,
            empty_approve=True,
            staff_only_set_as_erred=True,
            cancel_states=("pending-consumer", "pending-provider", "executing"),
            orderings=MappingProxyType(
                {
                    # The sub-lists read o= with the service-provider list's own filter.
                    "sp_users": ("customer_name",),
                    "sp_keys": ("customer_name",),
                    "sp_projects": ("customer_name",),
                    "sp_permissions": ("customer_name",),
                    "resources": ("created", "name"),
                    "provider_resources": ("created", "name"),
                    "component_usages": None,
                    "component_user_usages": None,
                }
            ),
            refused_choices=MappingProxyType(
                {
                    "orders": MappingProxyType(
                        {
                            "state": frozenset({"pending-start-date"}),
                            "type": frozenset({"Restore"}),
                        }
                    )
                }
            ),
        ),
    }
)

_ALIASES = {"7": "7.0", "7.0.7": "7.0", "8": "8.0", "8.0.5": "8.0", "8.1.2": "8.1"}


def get_profile(value: str | ServerProfile) -> ServerProfile:
    """The profile ``value`` names (or ``value`` itself); ``ValueError`` for an unknown name."""
    if isinstance(value, ServerProfile):
        return value
    name = _ALIASES.get(value, value)
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown server profile {value!r}; choose from {known}") from None
