"""Access reports: ``POST marketplace-provider-resources/{uuid}/submit_report/``.

Hand-written: the report is a list of records, each checked (``models.inputs.report_payload``).
Its row (``marketplace_resource_submit_report``) gives the method, path and idempotency.
"""

from __future__ import annotations

from collections.abc import Iterable

from puhuri_async._endpoints._base import EndpointMixin, path_of, structure_for
from puhuri_async.models import ActionResult
from puhuri_async.models.inputs import ResourceReportRecord, report_payload

__all__ = ["ReportsEndpoints"]


class ReportsEndpoints(EndpointMixin):
    """Publishing the access details of a resource."""

    async def marketplace_resource_submit_report(
        self, resource_uuid: str, report: Iterable[ResourceReportRecord]
    ) -> ActionResult:
        """Publish access details for the resource: a list of ``ResourceReportRecord``.

        Mappings with ``header`` and ``body`` are accepted too; both must be non-empty. Not
        retried once it may have reached the server (``OutcomeUnknownError`` instead).

        Args:
            resource_uuid: UUID of the resource (``marketplace-provider-resources``).
            report: The records, in the order the server shows them.

        Returns:
            The server's answer, as ``ActionResult``.

        Raises:
            InvalidArgumentError: A malformed UUID or an empty header or body, before any request
                is sent.
            OutcomeUnknownError: The answer was lost after the request may have reached the
                server; it is not sent again.
        """
        return await self._submit_report(
            "marketplace_resource_submit_report", resource_uuid, report
        )

    async def marketplace_provider_resource_submit_report(
        self, resource_uuid: str, report: Iterable[ResourceReportRecord]
    ) -> ActionResult:
        """Alias of ``marketplace_resource_submit_report``.

        Args:
            resource_uuid: UUID of the resource (``marketplace-provider-resources``).
            report: The records, in the order the server shows them.

        Returns:
            The server's answer, as ``ActionResult``.
        """
        return await self._submit_report(
            "marketplace_provider_resource_submit_report", resource_uuid, report
        )

    async def _submit_report(
        self, name: str, resource_uuid: str, report: Iterable[ResourceReportRecord]
    ) -> ActionResult:
        path = path_of(name, (resource_uuid,))
        body = {"report": report_payload(report)}
        response = await self._send(name, body, path=path)
        data = {} if response.data is None else response.data
        return structure_for(data, model=ActionResult, operation=name, response=response)
