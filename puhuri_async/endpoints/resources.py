"""Resource allocations as their provider sees them: ``marketplace-provider-resources/``.

The list, the ``backend_id`` and access report a provider sets on a resource, the project team
that may use it and its plan periods (with the usage reported so far).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from puhuri_async._pagination import Paginator
from puhuri_async._validation import backend_id_arg, uuid_arg
from puhuri_async.endpoints._base import EndpointMixin, Progress
from puhuri_async.models import ActionResult, PlanPeriod, Resource, TeamMember
from puhuri_async.models.inputs import ResourceReportRecord, report_payload

__all__ = ["ResourcesEndpoints"]

_LIST = "marketplace-provider-resources/"


def _resource_path(resource_uuid: str, action: str) -> str:
    return f"{_LIST}{uuid_arg(resource_uuid, 'resource_uuid')}/{action}/"


def _named_filters(
    provider_uuid: str | None,
    state: str | Iterable[str] | None,
    offering_uuid: str | Iterable[str] | None,
    filter_kwargs: Mapping[str, Any],
) -> dict[str, Any]:
    """The seed's named filters joined to the keyword filters (``None`` means not filtered)."""
    named = {"provider_uuid": provider_uuid, "state": state, "offering_uuid": offering_uuid}
    return {**{k: v for k, v in named.items() if v is not None}, **filter_kwargs}


class ResourcesEndpoints(EndpointMixin):
    """Resources of the provider's offerings and the provider's actions on them."""

    async def list_marketplace_resources(
        self,
        provider_uuid: str | None = None,
        state: str | Iterable[str] | None = None,
        offering_uuid: str | Iterable[str] | None = None,
        fields: str | Iterable[str] | None = None,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        **filter_kwargs: Any,
    ) -> list[Resource]:
        """Every resource of the provider's offerings matching the filters (all pages).

        ``state`` is one state or a list of them (``"Creating"``, ``"OK"``, ``"Erred"``,
        ``"Updating"``, ``"Terminating"``, ``"Terminated"``; case matters), sent as repeated
        ``state`` parameters. ``fields`` names the fields to return (repeated ``field``): the
        models then hold only those. Any other filter of the endpoint comes in ``filters`` or
        as a keyword (``project_uuid=...``).
        """
        return await self._paginate(
            _LIST,
            Resource,
            operation="list_marketplace_resources",
            filters=filters,
            keywords=_named_filters(provider_uuid, state, offering_uuid, filter_kwargs),
            fields=fields,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
        ).collect()

    def iter_marketplace_resources(
        self,
        provider_uuid: str | None = None,
        state: str | Iterable[str] | None = None,
        offering_uuid: str | Iterable[str] | None = None,
        fields: str | Iterable[str] | None = None,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        strict: bool = False,
        **filter_kwargs: Any,
    ) -> Paginator[Resource]:
        """Stream the resources matching the filters (as ``list_marketplace_resources``)."""
        return self._paginate(
            _LIST,
            Resource,
            operation="iter_marketplace_resources",
            filters=filters,
            keywords=_named_filters(provider_uuid, state, offering_uuid, filter_kwargs),
            fields=fields,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
            strict=strict,
        )

    async def marketplace_resource_set_backend_id(
        self, resource_uuid: str, backend_id: str
    ) -> ActionResult:
        """Link the resource to the provider's own record: set its ``backend_id`` (1-255 chars).

        The result's ``status`` says whether it changed.
        """
        path = _resource_path(resource_uuid, "set_backend_id")
        body = {"backend_id": backend_id_arg(backend_id)}
        # Idempotent: it sets one field to a value, so sending it twice leaves the same state
        # as sending it once; it may be retried after a 502 or a timeout.
        return await self._action(
            path, operation="marketplace_resource_set_backend_id", json=body, idempotent=True
        )

    async def marketplace_resource_submit_report(
        self, resource_uuid: str, report: Iterable[ResourceReportRecord]
    ) -> ActionResult:
        """Publish access details for the resource: a list of ``ResourceReportRecord``.

        Mappings with ``header`` and ``body`` are accepted too; both must be non-empty.
        """
        path = _resource_path(resource_uuid, "submit_report")
        body = {"report": report_payload(report)}
        # Not idempotent: the API makes no promise that a repeated submission is harmless (it is
        # an action, not a field update), so a POST that may have arrived is never sent again;
        # such a failure raises OutcomeUnknownError.
        return await self._action(
            path, operation="marketplace_resource_submit_report", json=body, idempotent=False
        )

    async def marketplace_resource_get_team(self, resource_uuid: str) -> list[TeamMember]:
        """The members of the resource's project with their roles (one response, no paging)."""
        path = _resource_path(resource_uuid, "team")
        return await self._get_list(path, TeamMember, operation="marketplace_resource_get_team")

    async def marketplace_resource_get_plan_periods(self, resource_uuid: str) -> list[PlanPeriod]:
        """The resource's plan periods, each with the component usages reported in it."""
        path = _resource_path(resource_uuid, "plan_periods")
        return await self._get_list(
            path, PlanPeriod, operation="marketplace_resource_get_plan_periods"
        )

    # The names later waldur_client releases (0.6.4 among them) use.

    async def list_marketplace_provider_resources(
        self,
        provider_uuid: str | None = None,
        state: str | Iterable[str] | None = None,
        offering_uuid: str | Iterable[str] | None = None,
        fields: str | Iterable[str] | None = None,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        **filter_kwargs: Any,
    ) -> list[Resource]:
        """Alias of ``list_marketplace_resources`` (which already reads the provider's view)."""
        return await self.list_marketplace_resources(
            provider_uuid,
            state,
            offering_uuid,
            fields,
            filters,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
            **filter_kwargs,
        )

    async def marketplace_provider_resource_set_backend_id(
        self, resource_uuid: str, backend_id: str
    ) -> ActionResult:
        """Alias of ``marketplace_resource_set_backend_id``."""
        return await self.marketplace_resource_set_backend_id(resource_uuid, backend_id)

    async def marketplace_provider_resource_submit_report(
        self, resource_uuid: str, report: Iterable[ResourceReportRecord]
    ) -> ActionResult:
        """Alias of ``marketplace_resource_submit_report``."""
        return await self.marketplace_resource_submit_report(resource_uuid, report)

    async def marketplace_provider_resource_get_team(self, resource_uuid: str) -> list[TeamMember]:
        """Alias of ``marketplace_resource_get_team``."""
        return await self.marketplace_resource_get_team(resource_uuid)

    async def marketplace_provider_resource_get_plan_periods(
        self, resource_uuid: str
    ) -> list[PlanPeriod]:
        """Alias of ``marketplace_resource_get_plan_periods``."""
        return await self.marketplace_resource_get_plan_periods(resource_uuid)
