"""The requests an operation sent, without the client's own questions about the server.

A call of a row that needs a server version (``since``, ``body_since``) first asks what the
server is (``GET version/``, maybe ``OPTIONS`` probes: ``puhuri_async._capabilities``), once per
client. Tests of what an operation sends look past those.
"""

from __future__ import annotations

from puhuri_async.testing import FakePuhuri, RequestRecord

__all__ = ["sent"]


def sent(fake: FakePuhuri) -> list[RequestRecord]:
    """``fake.requests`` without the server probes."""
    return [
        record
        for record in fake.requests
        if record.method != "OPTIONS" and record.path != "/api/version/"
    ]
