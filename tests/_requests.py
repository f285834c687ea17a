"""The requests an operation sent, without the client's own questions about the server.

A call of a row that needs a server version (``since``, ``body_since``) first asks what the
server is (``GET version/``, maybe ``OPTIONS`` probes: ``puhuri_async._capabilities``), once per
client. The first read of a list asks for its first pages at once (``first_window``), and those
past the end are answered 404 ``Invalid page.``. Tests of what an operation sends look past
both (``sent``, ``pages_read``).
"""

from __future__ import annotations

from puhuri_async.testing import FakePuhuri, RequestRecord

__all__ = ["pages_past_the_end", "sent"]


def sent(fake: FakePuhuri, *, past_the_end: bool = False) -> list[RequestRecord]:
    """``fake.requests`` without the server probes and (unless ``past_the_end``) without the
    pages past the end of a list that the first window asked for."""
    return [
        record
        for record in fake.requests
        if record.method != "OPTIONS"
        and record.path != "/api/version/"
        and (past_the_end or not is_past_the_end(record))
    ]


def is_past_the_end(record: RequestRecord) -> bool:
    """A page past page 1 of a list answered 404 (the fake's DRF-like ``Invalid page.``)."""
    return (
        record.method == "GET" and record.status == 404 and record.param("page") not in ([], ["1"])
    )


def pages_past_the_end(fake: FakePuhuri) -> list[RequestRecord]:
    """The list pages past the end the fake answered 404."""
    return [record for record in fake.requests if is_past_the_end(record)]
