"""Rows of the orders for the provider's offerings: ``marketplace-orders/`` and its actions.

None of the three actions is retried once it may have reached the server: each moves the order
through its state machine, so a repeat after success would answer 409 and, worse, hide whether
the first one took effect. Such a failure raises ``OutcomeUnknownError``; list the order again
to see its state.
"""

from __future__ import annotations

from puhuri_async._arguments import optional_str
from puhuri_async._operations._spec import Kind, Operation, Param
from puhuri_async.models import ActionResult, Order

__all__ = ["OPERATIONS"]

_STATE_MACHINE = (
    "not retried once sent: it moves the order through its state machine, so a repeat would "
    "answer 409 and hide whether the first one took effect"
)

OPERATIONS = (
    Operation(
        name="list_orders",
        method="GET",
        path="marketplace-orders/",
        kind=Kind.LIST,
        model=Order,
        operation_id="marketplace_orders_list",
        # OrderFilter: exact uuid lookups, state and type by their names; 7.0.7 ignores
        # resource_name. The resource_uuid filter matches the marketplace resource.
        item_filters={
            "state": "state",
            "type": "type",
            "offering_uuid": "offering_uuid",
            "project_uuid": "project_uuid",
            "customer_uuid": "customer_uuid",
            "resource_uuid": "marketplace_resource_uuid",
            "resource_name": "resource_name__icontains",
        },
        doc="""
        Every order matching the filters (all pages, fetched concurrently).

        Filters: ``state`` (one or a list: ``"pending-provider"``, ``"executing"``...),
        ``type`` (``"Create"``, ``"Update"``, ``"Terminate"``, ``"Restore"``),
        ``resource_uuid``, ``offering_uuid``, ``provider_uuid``, ... Values are checked
        case-sensitively before any request.
        """,
        iter_doc="Stream the orders matching the filters.",
    ),
    Operation(
        name="marketplace_order_approve_by_provider",
        method="POST",
        path="marketplace-orders/{order_uuid}/approve_by_provider/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_orders_approve_by_provider",
        idempotent=False,
        why=_STATE_MACHINE,
        doc="""
        Approve a ``pending-provider`` order; it moves on to ``executing``.

        The answer: 8.x says ``{"detail": ...}`` (``result.message``); 7.x answers 200 with no
        body, read as an empty result (``dict(result) == {}``, ``message`` ``None``). On a
        ``Marketplace.Basic`` offering the order is ``done`` at once (never ``executing``) and
        its resource ``OK``; read the order back for its state. A wrong state raises
        ``ConflictError`` (409). Not retried once sent: a failure that may
        have reached the server raises ``OutcomeUnknownError``; list the order to see its state.
        """,
    ),
    Operation(
        name="marketplace_order_reject_by_provider",
        method="POST",
        path="marketplace-orders/{order_uuid}/reject_by_provider/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_orders_reject_by_provider",
        idempotent=False,
        why=_STATE_MACHINE,
        # The 7.0.7 serializer has no such field: it drops the comment and answers 200.
        body_since={"provider_rejection_comment": "8.0.5"},
        params=(
            Param(
                "comment",
                "str | None",
                optional_str,
                wire="provider_rejection_comment",
                default="None",
            ),
        ),
        doc="""
        Reject a ``pending-provider`` order, with ``comment`` shown to the consumer if given.

        The server answers with no body (the result reads as ``{}``). A wrong state raises
        ``ConflictError``. Not retried once sent.
        """,
    ),
    Operation(
        name="marketplace_order_cancel",
        method="POST",
        path="marketplace-orders/{order_uuid}/cancel/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_orders_cancel",
        idempotent=False,
        why=_STATE_MACHINE,
        sends_body=False,
        doc="""
        Cancel an order still ``pending-consumer`` or ``pending-provider`` (202, no body).

        A consumer action: the order's project (or staff) may cancel it; a provider's token
        gets ``PermissionDeniedError`` whatever the state (a provider declines an order with
        ``marketplace_order_reject_by_provider``). A wrong state raises ``ConflictError``. Not
        retried once sent.
        """,
    ),
)
