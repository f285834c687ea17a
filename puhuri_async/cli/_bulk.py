"""Commands over several objects: ``puhuri orders approve A B C`` and ``... approve -``.

UUIDs come from the arguments, and ``-`` stands for every UUID on stdin (separated by white
space or newlines, so ``... -o jsonl | jq -r .uuid | puhuri orders approve -`` works). Every
UUID is checked before anything is sent: one malformed UUID is a usage error and no request
is made. Then the items run concurrently (at most ``--max-concurrency`` at once), each one
call with its own ``--timeout``, and each reports success or failure on its own line, in the
order given, as soon as it and those before it are done. A failure of one item does not stop
the others; the command's exit status says whether any failed (see ``_exits.combined``).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TextIO, TypeVar

import anyio

from puhuri_async import InvalidArgumentError, PuhuriError
from puhuri_async.cli._exits import CliError, Exit, exit_for

__all__ = ["Outcome", "check_uuids", "expand_items", "run_each"]

T = TypeVar("T")

STDIN = "-"
_HEX = "[0-9a-fA-F]"
_UUID = re.compile(f"{_HEX}{{32}}|{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}")


def expand_items(values: Sequence[str], stdin: TextIO) -> list[str]:
    """The items of ``values`` with ``-`` replaced by the words on ``stdin``, duplicates dropped.

    ``-`` may be given once; an empty stdin is a usage error.
    """
    if values.count(STDIN) > 1:
        raise CliError(Exit.USAGE, "'-' (read UUIDs from stdin) may be given once")
    items: list[str] = []
    for value in values:
        if value != STDIN:
            items.append(value)
            continue
        words = stdin.read().split()
        if not words:
            raise CliError(Exit.USAGE, "no UUIDs on stdin ('-' was given)")
        items.extend(words)
    return list(dict.fromkeys(items))


def _preview(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_uuids(items: Sequence[str], argument: str) -> None:
    """Refuse the whole command, before anything is sent, when any item is not a UUID.

    The client checks every argument too, but only when its call starts; with several items,
    earlier ones would already have been sent. The rule is the client's (32 hex digits, or the
    dashed 8-4-4-4-12 form, in any case) and so is the message.
    """
    for item in items:
        if not _UUID.fullmatch(item):
            raise InvalidArgumentError(
                argument, f"must be a UUID (32 hex digits, dashes allowed), got {_preview(item)}"
            )


@dataclass
class Outcome(Generic[T]):
    """How one item ended: its result, or the failure with its exit status."""

    item: str
    result: T | None = None
    error: BaseException | None = None

    @property
    def status(self) -> Exit:
        """``Exit.OK``, or the exit status of the failure."""
        return Exit.OK if self.error is None else exit_for(self.error)


async def run_each(
    items: Sequence[str],
    call: Callable[[str], Awaitable[T]],
    report: Callable[[int, Outcome[T]], None],
    *,
    concurrency: int,
) -> list[Outcome[T]]:
    """Run ``call(item)`` for every item, at most ``concurrency`` at once, and ``report`` each
    outcome in the order of ``items`` as soon as it and all before it are done.

    The client's errors (and ``CliError``, e.g. a timeout) become the item's outcome; anything
    else (a bug, Ctrl-C) ends the whole run.
    """
    outcomes: list[Outcome[T] | None] = [None] * len(items)
    finished = [anyio.Event() for _ in items]
    limiter = anyio.CapacityLimiter(max(1, concurrency))

    async def one(index: int, item: str) -> None:
        async with limiter:
            try:
                outcomes[index] = Outcome(item, result=await call(item))
            except (PuhuriError, CliError) as exc:
                outcomes[index] = Outcome(item, error=exc)
        finished[index].set()

    async def reporter() -> None:
        for index, event in enumerate(finished):
            await event.wait()
            outcome = outcomes[index]
            assert outcome is not None
            report(index, outcome)

    async with anyio.create_task_group() as group:
        group.start_soon(reporter)
        for index, item in enumerate(items):
            group.start_soon(one, index, item)
    return [outcome for outcome in outcomes if outcome is not None]
