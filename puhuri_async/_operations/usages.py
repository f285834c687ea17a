"""Rows of usage reporting: ``marketplace-component-usages/``."""

from __future__ import annotations

from puhuri_async._operations._spec import Kind, Operation

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
)
