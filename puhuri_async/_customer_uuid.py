"""``provider_uuid`` filters take the provider's organization (customer) uuid: translate the other.

Waldur's ``provider_uuid`` filter (on orders, resources and the other marketplace lists) matches
the offering's customer, the provider's organization, not the ``ServiceProvider`` object. A
``ServiceProvider`` uuid, the one every sub-list of ``marketplace-service-providers/`` is keyed
by and the natural one to pass, silently matches nothing. So before the first page of a list
filtered by ``provider_uuid`` is fetched, the client asks ``marketplace-service-providers/<uuid>/``
(every token may read every service provider): when that is a service provider, its
``customer_uuid`` is sent instead; when it is not (404), the uuid is taken to be a customer's and
sent as given. One request per distinct uuid and client, remembered.
"""

from __future__ import annotations

from typing import Final

from puhuri_async._config import ResponseLimits, Timeout
from puhuri_async._errors import NotFoundError, PuhuriError
from puhuri_async._exchange import Received
from puhuri_async._http import Transport
from puhuri_async._response import Response
from puhuri_async._urls import Origin, replace_query_param

__all__ = ["PROVIDER_FILTER", "CustomerUuids", "TranslatingSource"]

PROVIDER_FILTER: Final = "provider_uuid"


class CustomerUuids:
    """The customer uuid of each uuid passed as ``provider_uuid``, found once per client."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    async def customer_of(self, transport: Transport, uuid: str, *, operation: str) -> str:
        """``uuid`` itself, or the customer uuid of the service provider it names."""
        known = self._known.get(uuid)
        if known is not None:
            return known
        try:
            answer = await transport.request(
                "GET", f"marketplace-service-providers/{uuid}/", operation=operation
            )
        except NotFoundError:
            customer = uuid
        else:
            data = answer.data
            found = data.get("customer_uuid") if isinstance(data, dict) else None
            customer = found.replace("-", "").lower() if isinstance(found, str) else uuid
        self._known[uuid] = customer
        return customer


class TranslatingSource:
    """The transport as the paginator's page source, with ``provider_uuid`` translated."""

    def __init__(self, transport: Transport, uuid: str, customers: CustomerUuids) -> None:
        self._transport = transport
        self._uuid = uuid
        self._customers = customers

    @property
    def origin(self) -> Origin:
        return self._transport.origin

    @property
    def max_concurrency(self) -> int:
        return self._transport.max_concurrency

    @property
    def first_window(self) -> int:
        return self._transport.first_window

    @property
    def response_limits(self) -> ResponseLimits:
        return self._transport.response_limits

    @property
    def troubles(self) -> int:
        return self._transport.troubles

    @property
    def learner(self) -> Transport:
        """The transport: a provider's lists share its pacer and counts with the others."""
        return self._transport

    def url(self, path: str) -> str:
        return self._transport.url(path)

    def redact(self, error: PuhuriError) -> PuhuriError:
        return self._transport.redact(error)

    async def get_page(
        self,
        url: str,
        *,
        operation: str,
        timeout: Timeout | None = None,  # noqa: ASYNC109 - per-call timeouts and deadline
        received: Received | None = None,
        speculative: bool = False,
    ) -> Response:
        customer = await self._customers.customer_of(
            self._transport, self._uuid, operation=operation
        )
        if customer != self._uuid:
            url = replace_query_param(url, PROVIDER_FILTER, customer)
        return await self._transport.get_page(
            url, operation=operation, timeout=timeout, received=received, speculative=speculative
        )
