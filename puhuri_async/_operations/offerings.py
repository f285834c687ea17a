"""Rows of the offerings as their provider sees them: ``marketplace-provider-offerings/``."""

from __future__ import annotations

from puhuri_async._operations._spec import Alias, Kind, Operation
from puhuri_async.models import Offering

__all__ = ["OPERATIONS"]

OPERATIONS = (
    Operation(
        name="get_marketplace_offering",
        method="GET",
        path="marketplace-provider-offerings/{offering_uuid}/",
        kind=Kind.GET,
        model=Offering,
        operation_id="marketplace_provider_offerings_retrieve",
        aliases=(
            Alias(
                "get_marketplace_provider_offering", "the name later ``waldur_client`` releases use"
            ),
        ),
        doc="""
        The offering ``offering_uuid`` with its ``components`` (``type``, ``name``, units...).

        ``offering["components"]`` and ``offering.components`` both work; the first gives the
        JSON the server sent, the second typed ``OfferingComponent`` models.
        """,
    ),
)
