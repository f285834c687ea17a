"""Order actions with Waldur's state machine, checks and answers.

Every action first finds the order among those the caller sees (404), then checks the caller's
permission (403), then the order's state (409 ``{"detail": "Valid states for operation: ..."}``)
and offering type (405, DRF's ``MethodNotAllowed`` wrapped round Waldur's message), then the body
(400). As in Waldur:

- ``approve_by_provider`` (``pending-provider``): ``executing``. With ``basic_orders_complete``
  an order of a ``Marketplace.Basic`` offering completes at once (Waldur's Basic processor), and
  a created resource brings an offering user with an empty username for every project member.
  8.x answers ``{"detail": "Order has been approved."}``, 7.x 200 with no body.
- ``reject_by_provider`` (``pending-provider``): ``rejected``; a ``Create`` order's resource that
  is still ``Creating`` is terminated; 8.x keeps ``provider_rejection_comment``, 7.x drops it.
- ``cancel`` is the consumer's action (403 for the provider), on ``Marketplace.Basic`` offerings
  only, from ``pending-consumer``, ``pending-provider``, ``pending-start-date`` (8.x) or
  ``executing``; 202 with no body.
- ``set_state_executing`` (site-agent offerings, from ``pending-consumer``, ``pending-provider``
  or ``erred``); ``set_state_done`` (from ``executing``; site-agent and Basic offerings);
  ``set_state_erred`` (site-agent offerings, any state). Done and erred act through the
  resource, as Waldur's ``sync_order_state`` does: the ``executing`` order of the same resource
  and type moves (``Create`` done: resource ``OK``; ``Update`` done: resource ``OK`` with the
  order's limits; ``Terminate`` done: resource ``Terminated``; ``Create``/``Update`` erred:
  resource ``Erred``; ``Terminate`` erred: resource ``OK``); an order that is not executing keeps
  its state, and ``set_state_erred`` still stores ``error_message`` and ``error_traceback``.
- ``set_backend_id`` (8.x): ``{"status": "Order backend_id has been changed."}`` (or
  ``... is not changed.``).
"""

from __future__ import annotations

from collections.abc import Sequence

from puhuri_async.testing._api_base import ApiBase, caller_of
from puhuri_async.testing._bodies import require_object, string_field
from puhuri_async.testing._catalog import BASIC_OFFERING, SITE_AGENT_OFFERING
from puhuri_async.testing._http import HttpError, Reply, Request, json_reply, validation_error
from puhuri_async.testing._store import JSONObject
from puhuri_async.testing._visibility import denied

__all__ = ["OrderHandlers", "REVIEWER_FULL_NAME", "REVIEWER_USERNAME"]

REVIEWER_USERNAME = "provider-api"
REVIEWER_FULL_NAME = "Service provider API user"
_SUPPORT_OFFERING = "Support.OfferingTemplate"


def wrong_state(states: Sequence[str]) -> HttpError:
    """Waldur's ``IncorrectStateException`` (409)."""
    return HttpError(409, {"detail": f"Valid states for operation: {', '.join(states)}."})


def wrong_type(offering_type: str) -> HttpError:
    """DRF's ``MethodNotAllowed`` as Waldur's ``OfferingTypeValidator`` raises it (405)."""
    message = f"The order's offering with {offering_type} type does not support this action"
    return HttpError(405, {"detail": f'Method "{message}" not allowed.'})


class OrderHandlers(ApiBase):
    """The provider's (and the consumer's ``cancel``) order actions."""

    def _order(self, request: Request, uuid: str) -> JSONObject:
        order = self.seen(request, "orders", "orders", uuid)
        self.visibility.require_provider(caller_of(request), order["provider_uuid"])
        return order

    @staticmethod
    def _state_in(order: JSONObject, *states: str) -> None:
        if order["state"] not in states:
            raise wrong_state(states)

    @staticmethod
    def _type_in(order: JSONObject, *types: str) -> None:
        if order["offering_type"] not in types:
            raise wrong_type(order["offering_type"])

    def _review(self, order: JSONObject, state: str) -> None:
        now = self.now()
        order.update(
            state=state,
            modified=now,
            provider_reviewed_by=REVIEWER_USERNAME,
            provider_reviewed_by_username=REVIEWER_USERNAME,
            provider_reviewed_by_full_name=REVIEWER_FULL_NAME,
            provider_reviewed_at=now,
        )

    # -- review -----------------------------------------------------------------------------

    def approve(self, request: Request, uuid: str) -> Reply:
        order = self._order(request, uuid)
        self._state_in(order, "pending-provider")
        require_object(request.json())
        self._review(order, "executing")
        if self.quirks.basic_orders_complete and order["offering_type"] == BASIC_OFFERING:
            self._sync(order, "done")
            if order["type"] == "Create":
                self._accounts_for_members(order)
        self.data.touch("orders")
        if self.profile.empty_approve:
            return Reply(200, content_type=None)
        return json_reply(200, {"detail": "Order has been approved."})

    def reject(self, request: Request, uuid: str) -> Reply:
        order = self._order(request, uuid)
        self._state_in(order, "pending-provider")
        body = require_object(request.json())
        comment = body.get("provider_rejection_comment", "")
        if self.profile.drops("orders.reject_by_provider", "provider_rejection_comment"):
            comment = order["provider_rejection_comment"]
        elif not isinstance(comment, str):
            raise validation_error({"provider_rejection_comment": ["Not a valid string."]})
        self._review(order, "rejected")
        order["provider_rejection_comment"] = comment
        order["completed_at"] = order["modified"]
        resource = self.data.get("resources", order["marketplace_resource_uuid"])
        if order["type"] == "Create" and resource and resource["state"] == "Creating":
            resource["state"] = "Terminated"
            resource["modified"] = order["modified"]
            self.data.touch("resources")
        self.data.touch("orders")
        return Reply(200, content_type=None)

    def cancel(self, request: Request, uuid: str) -> Reply:
        order = self.seen(request, "orders", "orders", uuid)
        caller = caller_of(request)
        # CANCEL_ORDER on the order's project organisation: the consumer's, not the provider's
        # (a project member does not hold it either).
        if not (caller.is_staff or order["customer_uuid"] in self.visibility.customers(caller)):
            raise denied()
        self._state_in(order, *self.profile.cancel_states)
        self._type_in(order, BASIC_OFFERING, _SUPPORT_OFFERING)
        order.update(state="canceled", modified=self.now())
        self.data.touch("orders")
        return Reply(202, content_type=None)

    # -- the agent's transitions ------------------------------------------------------------

    def set_state_executing(self, request: Request, uuid: str) -> Reply:
        order = self._order(request, uuid)
        self._state_in(order, "pending-consumer", "pending-provider", "erred")
        self._type_in(order, SITE_AGENT_OFFERING)
        order.update(state="executing", modified=self.now())
        self.data.touch("orders")
        return Reply(200, content_type=None)

    def set_state_done(self, request: Request, uuid: str) -> Reply:
        order = self._order(request, uuid)
        self._state_in(order, "executing")
        self._type_in(order, SITE_AGENT_OFFERING, BASIC_OFFERING, _SUPPORT_OFFERING)
        self._sync(order, "done")
        return Reply(200, content_type=None)

    def set_state_erred(self, request: Request, uuid: str) -> Reply:
        order = self._order(request, uuid)
        self._type_in(order, SITE_AGENT_OFFERING)
        body = require_object(request.json())
        errors: dict[str, list[str]] = {}
        texts = {}
        for name in ("error_message", "error_traceback"):
            value = body.get(name, "")
            if value is None:
                errors[name] = ["This field may not be null."]
            elif not isinstance(value, str):
                errors[name] = ["Not a valid string."]
            else:
                texts[name] = value
        if errors:
            raise validation_error(errors)
        self._sync(order, "erred")
        order.update(texts, modified=self.now())
        self.data.touch("orders")
        return Reply(200, content_type=None)

    def set_backend_id(self, request: Request, uuid: str) -> Reply:
        order = self._order(request, uuid)
        body = require_object(request.json())
        backend_id = string_field(body, "backend_id", max_length=255)
        if order["backend_id"] == backend_id:
            return json_reply(200, {"status": "Order backend_id is not changed."})
        order.update(backend_id=backend_id, modified=self.now())
        self.data.touch("orders")
        return json_reply(200, {"status": "Order backend_id has been changed."})

    def _accounts_for_members(self, order: JSONObject) -> None:
        """A new resource of an offering that lets the provider create offering users gets one,
        with an empty username, for each member of its project who has none (Waldur's handler)."""
        offering = self.data.get("offerings", order["offering_uuid"])
        if not offering or not offering["plugin_options"].get(
            "service_provider_can_create_offering_user"
        ):
            return
        taken = {
            a["user_uuid"]
            for a in self.data.offering_users
            if a["offering_uuid"] == offering["uuid"]
        }
        for permission in self.data.permissions:
            user = self.data.get("users", permission["user_uuid"])
            if permission["project_uuid"] != order["project_uuid"] or user is None:
                continue
            if user["uuid"] not in taken:
                taken.add(user["uuid"])
                account = self.data.add_offering_user(
                    offering=offering, user=user, username="", created=self.now()
                )
                account["state"] = "Requested"
        self.data.touch("offering_users")

    # -- Waldur's sync_order_state ----------------------------------------------------------

    def _sync(self, order: JSONObject, state: str) -> None:
        """Move the resource's executing order of this type to ``state``, and the resource."""
        resource = self.data.get("resources", order["marketplace_resource_uuid"])
        kind = order["type"]
        if resource is None or kind not in ("Create", "Update", "Terminate"):
            return
        now = self.now()
        current = [
            o
            for o in self.data.orders
            if o["marketplace_resource_uuid"] == resource["uuid"]
            and o["type"] == kind
            and o["state"] == "executing"
        ]
        if len(current) == 1:
            current[0].update(state=state, modified=now, completed_at=now)
        after = {
            ("Create", "done"): "OK",
            ("Update", "done"): "OK",
            ("Terminate", "done"): "Terminated",
            ("Create", "erred"): "Erred",
            ("Update", "erred"): "Erred",
            ("Terminate", "erred"): "OK",
        }[(kind, state)]
        if (kind, state) == ("Update", "done") and len(current) == 1 and current[0]["limits"]:
            resource["limits"] = dict(current[0]["limits"])
        if resource["state"] != after:
            resource.update(state=after, modified=now)
        self.data.touch("orders")
        self.data.touch("resources")
