"""Rows of usage reporting: ``marketplace-component-usages/``, per-user usages and limits.

Both writes are upserts (``set_usage`` by plan period, component and month; ``set_user_usage``
by component usage and username), so both are retried. What servers differ in: 7.0.7 drops
``date`` from both bodies (the amount lands in the current month) and has no
``component-user-usage-limits/`` (404). Every token sees every component usage (measured on
7.0.7), so filter by resource.
"""

from __future__ import annotations

from puhuri_async._operations._spec import Kind, Operation
from puhuri_async.models import ComponentUsageRecord, ComponentUserUsage, ComponentUserUsageLimit

__all__ = ["OPERATIONS"]

OPERATIONS = (
    Operation(
        name="create_component_usages",
        method="POST",
        path="marketplace-component-usages/set_usage/",
        kind=Kind.ACTION,
        model=None,
        operation_id="marketplace_component_usages_set_usage",
        idempotent=True,
        why=(
            "set_usage is an upsert keyed by plan period, component type and billing month, so "
            "sending the same usages again stores the same amounts"
        ),
        # The 7.0.7 serializer has no `date`: the amount lands in the current month, with a 201.
        body_since={"date": "8.0.5"},
        handwritten=True,
        doc="Report ``usages`` (``ComponentUsage`` items) of a resource for the current month.",
    ),
    Operation(
        name="list_component_usages",
        method="GET",
        path="marketplace-component-usages/",
        kind=Kind.LIST,
        model=ComponentUsageRecord,
        operation_id="marketplace_component_usages_list",
        named_filters=("resource_uuid", "date_after", "date_before", "billing_period"),
        item_filters={"resource_uuid": "resource_uuid"},  # exact, on the usage's resource
        doc="""
        The usages reported so far (one per component and month), all pages.

        ``resource_uuid``, ``date_after``, ``date_before`` and ``billing_period`` come in
        ``waldur_client``'s order; other filters (``offering_uuid``, ``type``...) as keywords.
        Every token sees every usage, so give the resource. Each record's ``uuid`` is what
        ``create_component_user_usage`` reports per-user usage against.

        Example::

            for record in await client.list_component_usages(resource_uuid):
                print(record.type, record.usage, record.billing_period)
        """,
        iter_doc="Stream the component usages matching the filters.",
    ),
    Operation(
        name="create_component_user_usage",
        method="POST",
        path="marketplace-component-usages/{component_usage_uuid}/set_user_usage/",
        kind=Kind.ACTION,
        model=None,
        operation_id="marketplace_component_usages_set_user_usage",
        idempotent=True,
        why=(
            "set_user_usage is an upsert keyed by the component usage and the username, so "
            "sending it again stores the same amount"
        ),
        # The 7.0.7 serializer has no `date`: it is dropped, with a 201.
        body_since={"date": "8.0.5"},
        handwritten=True,
        doc="Report how much of a component usage one user (``username``) used.",
    ),
    Operation(
        name="list_component_user_usages",
        method="GET",
        path="marketplace-component-user-usages/",
        kind=Kind.LIST,
        model=ComponentUserUsage,
        operation_id="marketplace_component_user_usages_list",
        item_filters={"resource_uuid": "resource_uuid"},  # exact, on the usage's resource
        doc="""
        The per-user usages reported so far, all pages (newest month first).

        Filters: ``resource_uuid``, ``username``, ``type`` (the component), ``offering_uuid``,
        ``date_after``, ``date_before``...

        Example::

            for item in await client.list_component_user_usages(resource_uuid=resource_uuid):
                print(item.username, item.usage)
        """,
        iter_doc="Stream the per-user usages matching the filters.",
    ),
    Operation(
        name="list_component_user_usage_limits",
        method="GET",
        path="component-user-usage-limits/",
        kind=Kind.LIST,
        model=ComponentUserUsageLimit,
        operation_id="component_user_usage_limits_list",
        since="8.0.5",  # 7.0.7 has no such route (404)
        doc="""
        The per-user limits set on the components of resources, all pages.

        Filters: ``resource_uuid``, ``component_type``, ``username``, ``offering_uuid``.
        Servers before 8.0 lack it.

        Example::

            limits = await client.list_component_user_usage_limits({"resource_uuid": uuid})
        """,
        iter_doc="Stream the per-user usage limits matching the filters.",
    ),
)
