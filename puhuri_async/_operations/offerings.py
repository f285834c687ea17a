"""Rows of the offerings as their provider sees them: ``marketplace-provider-offerings/``.

What servers differ in (measured on 7.0.7): the list ignores 16 of the filters 8.0.5 documents
(``query``, ``uuid_list``, ``project_uuid``, ``tag``, ``user_has_offering_user``...) and refuses
``state=Unavailable`` (400: not among its states).
"""

from __future__ import annotations

from puhuri_async._operations._spec import Alias, Kind, Operation
from puhuri_async.models import Offering

__all__ = ["OPERATIONS"]

OPERATIONS = (
    Operation(
        name="list_marketplace_provider_offerings",
        method="GET",
        path="marketplace-provider-offerings/",
        kind=Kind.LIST,
        model=Offering,
        operation_id="marketplace_provider_offerings_list",
        item_filters={"customer_uuid": "customer_uuid"},  # exact, on the offering's owner
        doc="""
        Every offering matching the filters, as providers see them (all pages).

        Filters: ``customer_uuid`` (the provider's organization), ``state`` (one or a list:
        ``"Active"``, ``"Paused"``...), ``type``, ``name``, ... given as a dict (as
        ``waldur_client`` takes them), as keywords, or both. 7.0.7 ignores many of the others
        (``query``, ``project_uuid``, ``tag``...).

        Example::

            offerings = await client.list_marketplace_provider_offerings(
                {"customer_uuid": customer_uuid, "state": "Active"}
            )
            for offering in offerings:
                print(offering.name, [c.type for c in offering.components])
        """,
        iter_doc="Stream the provider offerings matching the filters.",
    ),
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
