"""What the provider's action POSTs answer: a short status message, or nothing."""

from __future__ import annotations

from typing import ClassVar

import attrs

from puhuri_async.models._base import PuhuriModel


@attrs.frozen(eq=False, repr=False, slots=False)
class ActionResult(PuhuriModel):
    """The answer of an action such as ``approve_by_provider`` or ``set_backend_id``.

    The actions answer differently: ``{"status": "..."}`` (``set_backend_id``, ``submit_report``),
    ``{"detail": "..."}`` (``approve_by_provider``, ``set_offerings_username``) or no body at all
    (``reject_by_provider``, ``cancel``). One type covers them all: mapping access gives exactly
    what the server sent (``result["status"]``, ``dict(result)``; an empty body reads as ``{}``),
    and :attr:`message` gives the text whichever key carried it.

    Schema component: ``ResourceResponseStatus`` (``OrderInfoResponse``'s ``detail`` is read by
    the :attr:`detail` property).
    """

    _repr_keys: ClassVar[tuple[str, ...]] = ("status", "detail")
    schema_component: ClassVar[str] = "ResourceResponseStatus"

    status: str | None = None

    @property
    def detail(self) -> str | None:
        """The ``detail`` text the server sent, if any."""
        value = self._data.get("detail")
        return value if isinstance(value, str) else None

    @property
    def message(self) -> str | None:
        """The server's message: ``status`` or ``detail``; ``None`` for an empty answer."""
        return self.status if self.status is not None else self.detail
