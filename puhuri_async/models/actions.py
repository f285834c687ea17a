"""What the provider's action POSTs answer: a short status message, or nothing."""

from __future__ import annotations

from typing import ClassVar

from puhuri_async.models._base import PuhuriModel
from puhuri_async.models._fields import response_model


@response_model
class ActionResult(PuhuriModel):
    """The answer of an action such as ``approve_by_provider`` or ``set_backend_id``.

    The actions answer differently: ``{"status": "..."}`` (``set_backend_id``, ``submit_report``,
    ``set_limits``, ``set_backend_metadata``, and 8.1's ``set_endpoints`` and
    ``set_effective_id``), ``{"detail": "..."}`` (``approve_by_provider``,
    ``set_offerings_username``) or no body at all (``reject_by_provider``, ``cancel``, the
    order's ``set_state_*``, the resource's ``set_as_ok`` / ``set_as_erred`` /
    ``refresh_last_sync`` / ``set_end_date_by_provider``, the offering user's state changes,
    ``set_user_usage``). One type covers them all: mapping access gives exactly what the server
    sent (``result["status"]``, ``dict(result)``; an empty body reads as ``{}``), and
    ``message`` gives the text whichever key carried it. ``status`` is ``None`` for the
    answers without one, so it is typed ``str | None`` although the schema requires it.

    Schema component: ``ResourceResponseStatus`` (``OrderInfoResponse``'s ``detail`` is read by
    the ``detail`` property).
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("status", "detail")
    schema_component: ClassVar[str] = "ResourceResponseStatus"
    sometimes_absent: ClassVar[tuple[str, ...]] = ("status",)

    status: str | None

    @property
    def detail(self) -> str | None:
        """The ``detail`` text the server sent, if any."""
        value = self._data.get("detail")
        return value if isinstance(value, str) else None

    @property
    def message(self) -> str | None:
        """The server's message: ``status`` or ``detail``; ``None`` for an empty answer."""
        return self.status if self.status is not None else self.detail
