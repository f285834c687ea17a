"""What the connected server can honour: its version, its generation, and the refusals.

Waldur servers differ in what this client needs: 7.x lacks routes that 8.0 has, 8.1 adds more,
and some 7.x serializers drop body fields that 8.x stores (DRF ignores unknown fields and still
answers 2xx). The operation table says what each row needs (``since``, ``body_since``); this
module finds out what the server is and refuses, before sending, what it cannot honour.

How the server is told (once per client, cached; both steps are side-effect free):

1. ``GET version/``: the exact version. Real servers let only staff and support read it; any
   other token gets 403, and the client goes on to step 2.
2. ``OPTIONS`` probes, which work for every role: ``OPTIONS`` answers 200 on every route that
   exists (without looking the object up, so a zero uuid will do) and Django's HTML 404 on one
   that does not. ``marketplace-orders/<uuid>/set_backend_id/`` arrived in 8.0 and
   ``marketplace-provider-resources/<uuid>/set_endpoints/`` in 8.1, so at most two requests
   give the generation (7.x, 8.0 or 8.1+). (``OPTIONS`` cannot tell an action's body fields: it
   lists the viewset's serializer, not the action's.)

When it runs: lazily, on the first call that needs it, which is a call of a row with ``since``
or a write that sends a field of its row's ``body_since``. Plain reads never wait for it.

How a requirement is judged: with an exact version, by comparing versions; with a generation
only, a requirement within the generation (``8.0.5`` on an 8.0 server) is taken as met (the
generation's release is assumed) and one of a later generation is not. When neither step says
anything (a proxy refusing ``OPTIONS``), operations are sent (a missing route only answers 404)
but a body field that an older server would drop silently is refused: losing data without a
word is worse than asking the caller to leave the field out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import attrs

from puhuri_async._errors import APIError, NotFoundError, PermissionDeniedError
from puhuri_async._http import Transport

__all__ = ["DROPPED_FIELD_EFFECTS", "ServerInfo", "detect", "parse_version"]

_ZERO: Final = "00000000-0000-0000-0000-000000000000"
#: (generation it proves, path whose OPTIONS answers 200 from that generation on), oldest first.
MARKERS: Final = (
    ("8.0", f"marketplace-orders/{_ZERO}/set_backend_id/"),
    ("8.1", f"marketplace-provider-resources/{_ZERO}/set_endpoints/"),
)
#: Generation -> (lowest version, first version of the next generation or None).
_RANGES: Final[Mapping[str, tuple[tuple[int, ...], tuple[int, ...] | None]]] = {
    "7": ((7, 0, 0), (8, 0, 0)),
    "8.0": ((8, 0, 0), (8, 1, 0)),
    "8.1": ((8, 1, 0), None),
}
#: What happens when an older server drops a body field, by wire name (said in the refusal).
DROPPED_FIELD_EFFECTS: Final[Mapping[str, str]] = {
    "date": "it would store the usage in the current month, replacing that month's amount",
    "provider_rejection_comment": "it would drop the comment and still answer 200",
    "error_message": "it would drop the message and still answer 200",
    "error_traceback": "it would drop the traceback and still answer 200",
}

_VERSION = re.compile(r"\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def parse_version(text: str) -> tuple[int, int, int] | None:
    """``"7.0.7+2.g1ea6cb820"`` -> ``(7, 0, 7)``; ``None`` when it does not start like one."""
    match = _VERSION.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    major, minor, patch = (int(part) if part else 0 for part in match.groups())
    return major, minor, patch


def _generation_of(version: tuple[int, int, int]) -> str:
    if version < (8, 0, 0):
        return "7"
    if version < (8, 1, 0):
        return "8.0"
    return "8.1"


@attrs.frozen
class ServerInfo:
    """What the client knows of the server it talks to (``client.server_info()``).

    - ``version``: the exact version string from ``version/`` (``None`` when the token may not
      read it).
    - ``generation``: ``"7"``, ``"8.0"`` or ``"8.1"`` (8.1 or later), or ``None`` when neither
      ``version/`` nor the probes could tell.
    - ``source``: ``"version/"``, ``"OPTIONS probes"`` or ``"unknown"``.
    """

    version: str | None
    generation: str | None
    source: str

    @property
    def known(self) -> bool:
        """Whether anything is known of the server."""
        return self.generation is not None

    def satisfies(self, needed: str) -> bool | None:
        """Whether the server is ``needed`` or later: ``True``, ``False``, or ``None`` (unknown)."""
        wanted = parse_version(needed)
        if wanted is None:
            raise ValueError(f"not a version: {needed!r}")
        exact = parse_version(self.version) if self.version is not None else None
        if exact is not None:
            return exact >= wanted
        if self.generation is None:
            return None
        low, high = _RANGES[self.generation]
        if wanted <= low:
            return True
        return high is None or wanted < high

    def __str__(self) -> str:
        if self.version is not None:
            return self.version
        if self.generation is None:
            return "a server of unknown version"
        shown = "8.1 or later" if self.generation == "8.1" else f"{self.generation}.x"
        return f"{shown} (told by {self.source})"


async def detect(transport: Transport, *, operation: str) -> ServerInfo:
    """Ask the server what it is (see the module docs): ``version/``, then the probes."""
    try:
        answer = await transport.request("GET", "version/", operation=operation)
    except (PermissionDeniedError, NotFoundError):
        pass
    else:
        data = answer.data
        text = data.get("version") if isinstance(data, dict) else None
        parsed = parse_version(text) if isinstance(text, str) else None
        if isinstance(text, str) and parsed is not None:
            return ServerInfo(text.strip(), _generation_of(parsed), "version/")
    return await probe(transport, operation=operation)


async def probe(transport: Transport, *, operation: str) -> ServerInfo:
    """The generation from ``OPTIONS`` on the marker routes (works for every role)."""
    generation: str | None = "7"
    for proves, path in MARKERS:
        try:
            await transport.request("OPTIONS", path, operation=operation)
        except NotFoundError:
            break  # the route does not exist: the server is older than ``proves``
        except APIError:
            if generation == "7":
                return ServerInfo(None, None, "unknown")
            break
        generation = proves
    return ServerInfo(None, generation, "OPTIONS probes")
