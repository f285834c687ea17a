"""Rows of the resources as their provider sees them: ``marketplace-provider-resources/``.

The list, the ``backend_id`` and access report a provider sets on a resource, the project team
that may use it and its plan periods (with the usage reported so far). The ``..._provider_...``
aliases are the names later ``waldur_client`` releases (0.6.4 among them) use.
"""

from __future__ import annotations

from puhuri_async._arguments import backend_id_arg
from puhuri_async._operations._spec import Alias, Kind, Operation, Param
from puhuri_async.models import ActionResult, PlanPeriod, Resource, TeamMember

__all__ = ["OPERATIONS"]

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
)
