"""Rows of the resources as their provider sees them: ``marketplace-provider-resources/``.

The list, the ``backend_id`` and access report a provider sets on a resource, the project team
that may use it and its plan periods (with the usage reported so far). The ``..._provider_...``
aliases are the names later ``waldur_client`` releases (0.6.4 among them) use. The state
transitions (``set_as_ok``, ``set_as_erred``) are not retried once they may have reached the
server; the writes that set a value (limits, metadata, end date, endpoints, effective id,
last sync) are.

What servers differ in: 7.0.7 lacks ``set_as_ok``, ``set_limits`` and ``refresh_last_sync``
(404; ``since`` is the oldest version known to have them), its ``set_as_erred`` is staff-only
and drops the error texts; ``set_end_date``, ``set_endpoints`` and ``set_effective_id`` arrived
in 8.1 (8.0.5 and 7.0.7 have ``set_end_date_by_provider`` instead of the first).
"""

from __future__ import annotations

from puhuri_async._arguments import backend_id_arg, date_arg, optional_str
from puhuri_async._operations._spec import Alias, Kind, Operation, Param
from puhuri_async.models import (
    ActionResult,
    PlanPeriod,
    Resource,
    TeamMember,
    backend_metadata_payload,
    endpoints_payload,
    limits_payload,
)

__all__ = ["OPERATIONS"]

_STATE_MACHINE = (
    "not retried once sent: it moves the resource through its state machine, so a repeat "
    "would hide whether the first one took effect"
)
_SETS_A_VALUE = (
    "it sets the resource's {} to the value given, so sending it twice leaves the same state "
    "as sending it once"
)

OPERATIONS = (
    Operation(
        name="list_marketplace_resources",
        method="GET",
        path="marketplace-provider-resources/",
        kind=Kind.LIST,
        model=Resource,
        operation_id="marketplace_provider_resources_list",
        # ResourceFilter: exact uuid lookups, state by name; 7.0.7 ignores plan_uuid and
        # offering_slug (and more filters the items do not carry).
        item_filters={
            "state": "state",
            "offering_uuid": "offering_uuid",
            "project_uuid": "project_uuid",
            "customer_uuid": "customer_uuid",
            "plan_uuid": "plan_uuid",
            "offering_slug": "offering_slug",
            "name": "name__icontains",
            "name_exact": "name",
            "backend_id": "backend_id",
        },
        named_filters=("provider_uuid", "state", "offering_uuid"),
        fields=True,
        aliases=(
            Alias("list_marketplace_provider_resources", "which already reads the provider's view"),
        ),
        doc="""
        Every resource of the provider's offerings matching the filters (all pages).

        ``state`` is one state or a list of them (``"Creating"``, ``"OK"``, ``"Erred"``,
        ``"Updating"``, ``"Terminating"``, ``"Terminated"``; case matters), sent as repeated
        ``state`` parameters. ``fields`` names the fields to return (repeated ``field``): the
        models then hold only those. Any other filter of the endpoint comes in ``filters`` or
        as a keyword (``project_uuid=...``).
        """,
        iter_doc="Stream the resources matching the filters (as ``list_marketplace_resources``).",
    ),
    Operation(
        name="marketplace_resource_set_backend_id",
        method="POST",
        path="marketplace-provider-resources/{resource_uuid}/set_backend_id/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_provider_resources_set_backend_id",
        idempotent=True,
        why=(
            "it sets one field to a value, so sending it twice leaves the same state as sending "
            "it once"
        ),
        params=(Param("backend_id", "str", backend_id_arg),),
        aliases=(Alias("marketplace_provider_resource_set_backend_id"),),
        doc="""
        Link the resource to the provider's own record: set its ``backend_id`` (1-255 chars).

        The result's ``status`` says whether it changed.
        """,
    ),
    Operation(
        name="marketplace_resource_submit_report",
        method="POST",
        path="marketplace-provider-resources/{resource_uuid}/submit_report/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_provider_resources_submit_report",
        idempotent=False,
        why=(
            "the API makes no promise that a repeated submission is harmless (it is an action, "
            "not a field update), so a POST that may have arrived is never sent again"
        ),
        aliases=(Alias("marketplace_provider_resource_submit_report"),),
        handwritten=True,
        doc="Publish access details for the resource: a list of ``ResourceReportRecord``.",
    ),
    Operation(
        name="marketplace_resource_get_team",
        method="GET",
        path="marketplace-provider-resources/{resource_uuid}/team/",
        kind=Kind.ROWS,
        model=TeamMember,
        operation_id="marketplace_provider_resources_team_list",
        aliases=(Alias("marketplace_provider_resource_get_team"),),
        doc="The members of the resource's project with their roles (one response, no paging).",
    ),
    Operation(
        name="marketplace_resource_get_plan_periods",
        method="GET",
        path="marketplace-provider-resources/{resource_uuid}/plan_periods/",
        kind=Kind.ROWS,
        model=PlanPeriod,
        operation_id="marketplace_provider_resources_plan_periods_list",
        aliases=(Alias("marketplace_provider_resource_get_plan_periods"),),
        doc="The resource's plan periods, each with the component usages reported in it.",
    ),
    Operation(
        name="get_marketplace_provider_resource",
        method="GET",
        path="marketplace-provider-resources/{resource_uuid}/",
        kind=Kind.GET,
        model=Resource,
        operation_id="marketplace_provider_resources_retrieve",
        doc="""
        The resource ``resource_uuid`` as its provider sees it: state, limits, backend_id...

        A resource outside the token's offerings raises ``NotFoundError``.

        Example::

            resource = await client.get_marketplace_provider_resource(resource_uuid)
            print(resource.state, resource.limits)
        """,
    ),
    Operation(
        name="marketplace_provider_resource_set_as_ok",
        method="POST",
        path="marketplace-provider-resources/{resource_uuid}/set_as_ok/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_provider_resources_set_as_ok",
        idempotent=False,
        why=_STATE_MACHINE,
        sends_body=False,
        since="8.0.5",  # 7.0.7 has no such route (404)
        doc="""
        Set the resource ``OK``: the allocation exists and works (from ``Creating``,
        ``Updating``, ``Terminating`` or ``Erred``; the error texts are cleared).

        The server answers with no body (the result reads as ``{}``). Not retried once sent.
        Servers before 8.0 lack it: finish the order instead (``set_state_done``).

        Example::

            await client.marketplace_provider_resource_set_as_ok(resource_uuid)
        """,
    ),
    Operation(
        name="marketplace_provider_resource_set_as_erred",
        method="POST",
        path="marketplace-provider-resources/{resource_uuid}/set_as_erred/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_provider_resources_set_as_erred",
        idempotent=False,
        why=_STATE_MACHINE,
        # 7.0.7: staff-only, and the serializer takes no body (the texts are dropped).
        body_since={"error_message": "8.0.5", "error_traceback": "8.0.5"},
        handwritten=True,
        doc="Set the resource ``Erred``, with an error message and traceback if given.",
    ),
    Operation(
        name="marketplace_provider_resource_set_limits",
        method="POST",
        path="marketplace-provider-resources/{resource_uuid}/set_limits/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_provider_resources_set_limits",
        idempotent=True,
        why=_SETS_A_VALUE.format("limits"),
        since="8.0.5",  # 7.0.7 has no such route (404)
        params=(Param("limits", "Mapping[str, int]", limits_payload),),
        doc="""
        Replace the resource's ``limits``: component type -> a whole, non-negative amount.

        The limits the site really applied, as opposed to those ordered. Floats, booleans and
        decimal text are refused rather than rounded. Servers before 8.0 lack it.

        Example::

            await client.marketplace_provider_resource_set_limits(
                resource_uuid, {"cpu": 1000, "gpu": 10}
            )
        """,
    ),
    Operation(
        name="marketplace_provider_resource_set_backend_metadata",
        method="POST",
        path="marketplace-provider-resources/{resource_uuid}/set_backend_metadata/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_provider_resources_set_backend_metadata",
        idempotent=True,
        why=_SETS_A_VALUE.format("backend_metadata"),
        params=(Param("backend_metadata", "Mapping[str, Any]", backend_metadata_payload),),
        doc="""
        Replace the resource's ``backend_metadata``: any JSON object the site keeps there.

        The whole object is replaced (send every key you mean to keep). Values must be JSON:
        dicts, lists, strings, numbers, booleans, ``None``.

        Example::

            await client.marketplace_provider_resource_set_backend_metadata(
                resource_uuid, {"cluster": "lumi", "account": "project_465000001"}
            )
        """,
    ),
    Operation(
        name="marketplace_provider_resource_refresh_last_sync",
        method="POST",
        path="marketplace-provider-resources/{resource_uuid}/refresh_last_sync/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_provider_resources_refresh_last_sync",
        idempotent=True,
        why=(
            "it stamps the resource's last_sync with the server's now, so a repeat only moves "
            "the stamp a moment later"
        ),
        sends_body=False,
        since="8.0.5",  # 7.0.7 has no such route (404)
        doc="""
        Record that the site has just synchronised the resource (its ``last_sync`` is now).

        The server answers with no body (the result reads as ``{}``). Servers before 8.0 lack
        it.

        Example::

            await client.marketplace_provider_resource_refresh_last_sync(resource_uuid)
        """,
    ),
    Operation(
        name="marketplace_provider_resource_set_end_date_by_provider",
        method="POST",
        path="marketplace-provider-resources/{resource_uuid}/set_end_date_by_provider/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_provider_resources_set_end_date_by_provider",
        idempotent=True,
        why=_SETS_A_VALUE.format("end_date"),
        params=(Param("end_date", "date | str", date_arg),),
        doc="""
        Set the day the resource ends (a ``date`` or ``YYYY-MM-DD``), as the provider.

        The route 8.0 and 7.0 servers have; 8.1 renamed it ``set_end_date``
        (``marketplace_provider_resource_set_end_date``). The server wants the day at least 7
        days ahead and answers 400 otherwise (7.0.7 also refuses a resource used in the last 90
        days). The server answers with no body (the result reads as ``{}``).

        Example::

            from datetime import date, timedelta

            await client.marketplace_provider_resource_set_end_date_by_provider(
                resource_uuid, date.today() + timedelta(days=30)
            )
        """,
    ),
    Operation(
        name="marketplace_provider_resource_set_end_date",
        method="POST",
        path="marketplace-provider-resources/{resource_uuid}/set_end_date/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_provider_resources_set_end_date",
        idempotent=True,
        why=_SETS_A_VALUE.format("end_date"),
        since="8.1.0",  # 8.0.5 and 7.0.7: set_end_date_by_provider
        params=(Param("end_date", "date | str", date_arg),),
        doc="""
        Set the day the resource ends (a ``date`` or ``YYYY-MM-DD``): the 8.1 route.

        Servers before 8.1 have ``set_end_date_by_provider`` instead
        (``marketplace_provider_resource_set_end_date_by_provider``). The day must be at least 7
        days ahead (400 otherwise).

        Example::

            await client.marketplace_provider_resource_set_end_date(resource_uuid, "2027-06-30")
        """,
    ),
    Operation(
        name="marketplace_provider_resource_set_endpoints",
        method="POST",
        path="marketplace-provider-resources/{resource_uuid}/set_endpoints/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_provider_resources_set_endpoints",
        idempotent=True,
        why=_SETS_A_VALUE.format("endpoints (the whole list)"),
        since="8.1.0",
        params=(
            Param(
                "endpoints",
                "Iterable[ResourceEndpoint | Mapping[str, str]]",
                endpoints_payload,
            ),
        ),
        doc="""
        Replace the resource's access endpoints: ``ResourceEndpoint(name, url)`` items.

        Mappings with ``name`` and ``url`` are accepted too; an empty list removes them all.
        Servers before 8.1 lack it.

        Example::

            from puhuri_async import ResourceEndpoint

            await client.marketplace_provider_resource_set_endpoints(
                resource_uuid, [ResourceEndpoint("Login node", "ssh://login.example.org")]
            )
        """,
    ),
    Operation(
        name="marketplace_provider_resource_set_effective_id",
        method="POST",
        path="marketplace-provider-resources/{resource_uuid}/set_effective_id/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_provider_resources_set_effective_id",
        idempotent=True,
        why=_SETS_A_VALUE.format("effective_id"),
        since="8.1.0",
        params=(Param("effective_id", "str", optional_str),),
        doc="""
        Set the resource's ``effective_id``: the identifier users know it by on the site.

        An empty string clears it. Servers before 8.1 lack it.

        Example::

            await client.marketplace_provider_resource_set_effective_id(resource_uuid, "acct-42")
        """,
    ),
)
