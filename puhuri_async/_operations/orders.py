"""Rows of the orders for the provider's offerings: ``marketplace-orders/`` and its actions.

No state transition (approve, reject, cancel, executing, done, erred) is retried once it may
have reached the server: each moves the order through its state machine, so a repeat after
success would answer 409 and, worse, hide whether the first one took effect. Such a failure
raises ``OutcomeUnknownError``; read the order again (``get_order``) to see its state. Only
``set_backend_id``, which sets one field, is retried.

What servers differ in (measured on 7.0.7): it has no order ``set_backend_id`` (404), and its
``set_state_executing`` / ``set_state_erred`` serve only site-agent (``Marketplace.Slurm``)
offerings: on a Basic offering they answer 405, as 8.x does too.
"""

from __future__ import annotations

from puhuri_async._arguments import backend_id_arg, optional_str
from puhuri_async._operations._spec import Kind, Operation, Param
from puhuri_async.models import ActionResult, Order

__all__ = ["OPERATIONS"]

_STATE_MACHINE = (
    "not retried once sent: it moves the order through its state machine, so a repeat would "
    "answer 409 and hide whether the first one took effect"
)

OPERATIONS = (
    Operation(
        name="get_order",
        method="GET",
        path="marketplace-orders/{order_uuid}/",
        kind=Kind.GET,
        model=Order,
        operation_id="marketplace_orders_retrieve",
        doc="""
        The order ``order_uuid``: its ``state``, ``type``, resource, offering and attributes.

        The marketplace resource it is about is ``marketplace_resource_uuid`` (``resource_uuid``
        is the backend resource, ``None`` for Basic offerings). An order the token cannot see
        raises ``NotFoundError``.

        Example::

            order = await client.get_order(order_uuid)
            if order.state == "executing":
                ...
        """,
    ),
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
    Operation(
        name="marketplace_order_set_state_executing",
        method="POST",
        path="marketplace-orders/{order_uuid}/set_state_executing/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_orders_set_state_executing",
        idempotent=False,
        why=_STATE_MACHINE,
        sends_body=False,
        doc="""
        Mark the order ``executing``: the site has started on it (from ``pending-consumer``,
        ``pending-provider`` or ``erred``).

        Only site-agent offerings (``Marketplace.Slurm``) take it: on a Basic offering the
        server answers 405 (``APIError``, ``status_code`` 405); a wrong state raises
        ``ConflictError``. The server answers with no body (the result reads as ``{}``). Not
        retried once sent.

        Example::

            await client.marketplace_order_set_state_executing(order_uuid)
        """,
    ),
    Operation(
        name="marketplace_order_set_state_done",
        method="POST",
        path="marketplace-orders/{order_uuid}/set_state_done/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_orders_set_state_done",
        idempotent=False,
        why=_STATE_MACHINE,
        sends_body=False,
        doc="""
        Finish an ``executing`` order: it becomes ``done``, and its resource follows (a
        ``Create`` or ``Update`` makes it ``OK``, a ``Terminate`` makes it ``Terminated``).

        An order in any other state raises ``ConflictError`` (409). The server answers with no
        body (the result reads as ``{}``). Not retried once sent: a failure that may have
        reached the server raises ``OutcomeUnknownError``; read the order to see its state.

        Example::

            await client.marketplace_order_set_state_done(order_uuid)
            order = await client.get_order(order_uuid)  # "done" now
        """,
    ),
    Operation(
        name="marketplace_order_set_state_erred",
        method="POST",
        path="marketplace-orders/{order_uuid}/set_state_erred/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_orders_set_state_erred",
        idempotent=False,
        why=_STATE_MACHINE,
        params=(
            Param("error_message", "str", optional_str, default='""'),
            Param("error_traceback", "str", optional_str, default='""'),
        ),
        doc="""
        Fail the order: it becomes ``erred`` with ``error_message`` and ``error_traceback``
        (both sent, empty by default, as ``waldur_client`` does), and so does its resource.

        Only site-agent offerings (``Marketplace.Slurm``) take it: on a Basic offering the
        server answers 405 (``APIError``, ``status_code`` 405). The server answers with no body
        (the result reads as ``{}``). Not retried once sent.

        Example::

            await client.marketplace_order_set_state_erred(
                order_uuid, "allocation failed", "Traceback (most recent call last): ..."
            )
        """,
    ),
    Operation(
        name="marketplace_order_set_backend_id",
        method="POST",
        path="marketplace-orders/{order_uuid}/set_backend_id/",
        kind=Kind.ACTION,
        model=ActionResult,
        operation_id="marketplace_orders_set_backend_id",
        idempotent=True,
        why=(
            "it sets one field to a value, so sending it twice leaves the same state as sending "
            "it once"
        ),
        since="8.0.5",  # 7.0.7 has no such route (404)
        params=(Param("backend_id", "str", backend_id_arg),),
        doc="""
        Link the order to the provider's own record: set its ``backend_id`` (1-255 chars).

        The result's ``status`` says whether it changed (``"Order backend_id has been
        changed."`` or ``"... is not changed."``). Servers before 8.0 lack it.

        Example::

            result = await client.marketplace_order_set_backend_id(order_uuid, "job-4711")
            print(result.message)
        """,
    ),
)
