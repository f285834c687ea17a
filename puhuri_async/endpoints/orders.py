"""Orders: ``marketplace-orders/`` and the provider's approve, reject and cancel actions.

None of the three actions is retried once it may have reached the server: each moves the order
through its state machine, so a repeat after success would answer 409 and, worse, hide whether
the first one took effect. Such a failure raises ``OutcomeUnknownError``; list the order again
to see its state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from puhuri_async._pagination import Paginator
from puhuri_async._validation import optional_str, uuid_arg
from puhuri_async.endpoints._base import EndpointMixin, Progress
from puhuri_async.models import ActionResult, Order

__all__ = ["OrdersEndpoints"]

_ORDER = "marketplace-orders/{uuid}/"


class OrdersEndpoints(EndpointMixin):
    """Orders for the provider's offerings, and the provider's decisions on them."""

    async def list_orders(
        self,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        **filter_kwargs: Any,
    ) -> list[Order]:
        """Every order matching the filters (all pages, fetched concurrently).

        Filters: ``state`` (one or a list: ``"pending-provider"``, ``"executing"``...),
        ``type`` (``"Create"``, ``"Update"``, ``"Terminate"``, ``"Restore"``),
        ``resource_uuid``, ``offering_uuid``, ``provider_uuid``, ... Values are checked
        case-sensitively before any request.
        """
        return await self._paginate(
            "marketplace-orders/",
            Order,
            operation="list_orders",
            filters=filters,
            keywords=filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
        ).collect()

    def iter_orders(
        self,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        strict: bool = False,
        **filter_kwargs: Any,
    ) -> Paginator[Order]:
        """Stream the orders matching the filters."""
        return self._paginate(
            "marketplace-orders/",
            Order,
            operation="iter_orders",
            filters=filters,
            keywords=filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
            strict=strict,
        )

    async def marketplace_order_approve_by_provider(self, order_uuid: str) -> ActionResult:
        """Approve a ``pending-provider`` order; it moves on to ``executing``.

        A wrong state raises ``ConflictError`` (409). Not retried once sent (see the module).
        """
        uuid = uuid_arg(order_uuid, "order_uuid")
        return await self._action(
            f"{_ORDER.format(uuid=uuid)}approve_by_provider/",
            operation="marketplace_order_approve_by_provider",
            json={},
            idempotent=False,
        )

    async def marketplace_order_reject_by_provider(
        self, order_uuid: str, comment: str | None = None
    ) -> ActionResult:
        """Reject a ``pending-provider`` order, with ``comment`` shown to the consumer if given.

        The server answers with no body (the result reads as ``{}``). A wrong state raises
        ``ConflictError``. Not retried once sent.
        """
        uuid = uuid_arg(order_uuid, "order_uuid")
        text = optional_str(comment, "comment")
        body = {} if text is None else {"provider_rejection_comment": text}
        return await self._action(
            f"{_ORDER.format(uuid=uuid)}reject_by_provider/",
            operation="marketplace_order_reject_by_provider",
            json=body,
            idempotent=False,
        )

    async def marketplace_order_cancel(self, order_uuid: str) -> ActionResult:
        """Cancel an order still ``pending-consumer`` or ``pending-provider`` (202, no body).

        A wrong state raises ``ConflictError``. Not retried once sent.
        """
        uuid = uuid_arg(order_uuid, "order_uuid")
        return await self._action(
            f"{_ORDER.format(uuid=uuid)}cancel/",
            operation="marketplace_order_cancel",
            idempotent=False,
        )
