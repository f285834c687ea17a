"""Hand-written provider-resource actions: the access report and the erred state.

``POST marketplace-provider-resources/{uuid}/submit_report/``: the report is a list of records,
each checked (``models.inputs.report_payload``). ``.../set_as_erred/``: the error texts come as
``waldur_client``'s ``error_details`` mapping or as keywords, not both. Their rows
(``marketplace_resource_submit_report``, ``marketplace_provider_resource_set_as_erred``) give
the method, path and idempotency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from puhuri_async._arguments import optional_str
from puhuri_async._endpoints._base import EndpointMixin, path_of, structure_for
from puhuri_async._errors import InvalidArgumentError
from puhuri_async.models import ActionResult
from puhuri_async.models.inputs import ResourceReportRecord, report_payload

__all__ = ["ReportsEndpoints"]


_ERROR_FIELDS = ("error_message", "error_traceback")


class ReportsEndpoints(EndpointMixin):
    """Publishing the access details of a resource; telling that it failed."""

    async def marketplace_provider_resource_set_as_erred(
        self,
        resource_uuid: str,
        error_details: Mapping[str, str] | None = None,
        *,
        error_message: str | None = None,
        error_traceback: str | None = None,
    ) -> ActionResult:
        """Set the resource ``Erred``, with an error message and traceback if given.

        Give the texts as ``error_details`` (``{"error_message": ..., "error_traceback":
        ...}``, as ``waldur_client`` takes them) or as the keywords, not both. The server
        answers with no body (the result reads as ``{}``). Not retried once sent: it moves the
        resource through its state machine. On 7.0.7 only staff may call it (403 for the
        provider) and the texts are dropped.

        Example:

        ```python
        await client.marketplace_provider_resource_set_as_erred(
            resource_uuid, error_message="quota exceeded", error_traceback="..."
        )
        ```
        """
        name = "marketplace_provider_resource_set_as_erred"
        path = path_of(name, (resource_uuid,))
        given = {"error_message": error_message, "error_traceback": error_traceback}
        if error_details is not None:
            if not isinstance(error_details, Mapping):  # typed, but callers may pass anything
                kind = type(error_details).__name__  # type: ignore[unreachable]
                raise InvalidArgumentError("error_details", f"must be a mapping, got {kind}")
            unknown = sorted(str(key) for key in error_details if key not in _ERROR_FIELDS)
            if unknown:
                raise InvalidArgumentError(
                    "error_details",
                    f"takes only {' and '.join(_ERROR_FIELDS)}, got {', '.join(unknown)}",
                )
            both = [key for key, value in given.items() if value is not None]
            if both:
                raise InvalidArgumentError(
                    both[0], "given with error_details: give the texts one way only"
                )
            given = {key: error_details.get(key) for key in _ERROR_FIELDS}
            where = "error_details[{!r}]"
        else:
            where = "{}"
        body = {}
        for key, value in given.items():
            checked = optional_str(value, where.format(key))
            if checked is not None:
                body[key] = checked
        response = await self._send(name, body, path=path)
        data = {} if response.data is None else response.data
        return structure_for(data, model=ActionResult, operation=name, response=response)

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
