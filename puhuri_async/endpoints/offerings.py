"""Offerings as their provider sees them: ``GET marketplace-provider-offerings/{uuid}/``."""

from __future__ import annotations

from puhuri_async._validation import uuid_arg
from puhuri_async.endpoints._base import EndpointMixin, structure_for
from puhuri_async.models import Offering

__all__ = ["OfferingsEndpoints"]


class OfferingsEndpoints(EndpointMixin):
    """One offering, with its components (the usage types a resource reports)."""

    async def get_marketplace_offering(self, offering_uuid: str) -> Offering:
        """The offering ``offering_uuid`` with its ``components`` (``type``, ``name``, units...).

        ``offering["components"]`` and ``offering.components`` both work; the first gives the
        JSON the server sent, the second typed ``OfferingComponent`` models.
        """
        uuid = uuid_arg(offering_uuid, "offering_uuid")
        operation = "get_marketplace_offering"
        response = await self._transport.request(
            "GET", f"marketplace-provider-offerings/{uuid}/", operation=operation
        )
        return structure_for(response.data, model=Offering, operation=operation, response=response)

    async def get_marketplace_provider_offering(self, offering_uuid: str) -> Offering:
        """Alias of ``get_marketplace_offering`` (the name later ``waldur_client`` releases use)."""
        return await self.get_marketplace_offering(offering_uuid)
