"""The two shapes of command over UUIDs: ``get`` (show objects) and actions (change them).

Both take one or more UUIDs (``-`` reads them from stdin, see ``_bulk``), check them all before
sending anything, run one call per UUID and report each on its own line as it ends.

``get``: one UUID shows the object (a field/value table, or its JSON object); several show a
table with one row per object (or a JSON array, or JSON lines). An action prints one line per
UUID (``order 0b5c... approved``); with ``-o json``/``jsonl`` one record per UUID says what was
asked, ``"ok"``, and the server's answer (``"result"``) or the failure (``"error"`` and the
item's ``"exit_status"``). Failures are also lines on stderr (``error: ...``). With several
UUIDs, a last line on stderr counts the failures. The exit status reflects every item.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import click

from puhuri_async import PuhuriClient
from puhuri_async.cli._app import App
from puhuri_async.cli._bulk import Outcome, check_uuids, expand_items, run_each
from puhuri_async.cli._exits import Exit, combined, message_for
from puhuri_async.cli._output import Format, Output, json_ready

__all__ = ["act_each", "get_each", "show_made"]

#: ``call(client, uuid)``: the one call a verb makes for one UUID.
ItemCall = Callable[[PuhuriClient, str], Awaitable[Any]]


def _items(values: Sequence[str], argument: str) -> list[str]:
    items = expand_items(values, sys.stdin)
    check_uuids(items, argument)
    return items


def _fail_line(out: Output, noun: str, outcome: Outcome[Any], several: bool) -> None:
    assert outcome.error is not None
    where = f"{noun} {outcome.item}: " if several else ""
    out.error(f"error: {where}{message_for(outcome.error)}")


def _finish(out: Output, outcomes: Sequence[Outcome[Any]], nouns: str) -> None:
    """Count the failures (several items) and exit with the status they add up to."""
    status = combined(outcome.status for outcome in outcomes)
    failed = sum(outcome.status is not Exit.OK for outcome in outcomes)
    if len(outcomes) > 1 and failed:
        out.error(f"{failed} of {len(outcomes)} {nouns} failed")
    if status is not Exit.OK:
        raise click.exceptions.Exit(int(status))


def _run(
    app: App,
    items: Sequence[str],
    call: Callable[[PuhuriClient, str], Awaitable[Any]],
    report: Callable[[int, Outcome[Any]], None],
) -> list[Outcome[Any]]:
    async def job(client: PuhuriClient) -> list[Outcome[Any]]:
        return await run_each(
            items,
            lambda item: call(client, item),
            report,
            concurrency=app.max_concurrency,
        )

    return app.with_client(job)


def get_each(
    app: App,
    out: Output,
    values: Sequence[str],
    fetch: ItemCall,
    *,
    operation: str,
    argument: str,
    noun: str,
    fields: Sequence[str],
    columns: Sequence[str],
) -> None:
    """``get``: fetch each UUID's object; ``fields`` for one object, ``columns`` for several."""
    items = _items(values, argument)
    several = len(items) > 1

    def call(client: PuhuriClient, item: str) -> Awaitable[Any]:
        return app.call(operation, lambda: fetch(client, item))

    def report(index: int, outcome: Outcome[Any]) -> None:
        if outcome.error is not None:
            _fail_line(out, noun, outcome, several)
        elif out.format is Format.JSONL:
            out.record(json_ready(outcome.result), first=index == 0, last=False)

    outcomes = _run(app, items, call, report)
    found = [outcome.result for outcome in outcomes if outcome.error is None]
    if out.format is not Format.JSONL and found:
        if several:
            out.items(found, columns, kind=f"{noun}s")
        else:
            out.item(found[0], columns=fields)
    _finish(out, outcomes, f"{noun}s")


def act_each(
    app: App,
    out: Output,
    values: Sequence[str],
    action: ItemCall,
    *,
    operation: str,
    argument: str,
    noun: str,
    done: str | Callable[[str], str],
    data: Callable[[str], Mapping[str, Any]],
) -> None:
    """An action on each UUID: ``{noun} {uuid} {done}`` per success (or ``done(uuid)``, when
    it is a function), ``data(uuid)`` in JSON."""
    items = _items(values, argument)
    several = len(items) > 1
    records: list[dict[str, Any]] = []

    def call(client: PuhuriClient, item: str) -> Awaitable[Any]:
        return app.call(operation, lambda: action(client, item), changes=True)

    def report(index: int, outcome: Outcome[Any]) -> None:
        record = dict(data(outcome.item))
        if outcome.error is None:
            record.update(ok=True, result=json_ready(outcome.result))
            if not out.structured:
                out.line(done(outcome.item) if callable(done) else f"{noun} {outcome.item} {done}")
        else:
            _fail_line(out, noun, outcome, several)
            record.update(
                ok=False, error=message_for(outcome.error), exit_status=int(outcome.status)
            )
        if out.format is Format.JSONL:
            out.record(record, first=index == 0, last=False)
        records.append(record)

    outcomes = _run(app, items, call, report)
    if out.format is Format.JSON:
        out.item(records if several else records[0])
    _finish(out, outcomes, f"{noun}s")


def show_made(
    app: App,
    out: Output,
    make: Callable[[PuhuriClient], Awaitable[Any]],
    *,
    operation: str,
    fields: Sequence[str],
) -> None:
    """One call that makes an object (a change): show the object as ``get`` shows one."""
    made = app.with_client(lambda client: app.call(operation, lambda: make(client), changes=True))
    out.item(made, columns=fields)
