"""What a paginator found wrong with a list, told truthfully: a change, an unstable order, a
filter the server ignored.

- The **count changed** between pages (``X-Result-Count``), or a page vanished (404): the list
  changed on the server while it was read. ``CountDriftWarning``; strict: ``CountDriftError``.
- The **count held**, but the pages held fewer distinct items than it said, or repeated some:
  the server's ordering is not unique, so LIMIT/OFFSET pages overlapped (an item ordered by a
  non-unique key can come twice while another never comes). The data did not change; the
  paginator re-reads to recover, then says how many items are still missing.
  ``UnstableOrderWarning``; strict, when items are still missing: ``UnstableOrderError``.
- Rows that fail a filter of the request: the server did not apply it (older servers ignore
  some). They are dropped. ``FilterIgnoredWarning``; strict: ``FilterIgnoredError``.
"""

from __future__ import annotations

import attrs

__all__ = ["CountDrift", "ignored_message"]


def _items(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


@attrs.frozen
class CountDrift:
    """How a list differed from a steady read of it.

    ``initial``: ``X-Result-Count`` of page 1; ``counts``: (page number, count) of every page
    whose count differed; ``duplicates``: items skipped because already yielded;
    ``vanished_page``: the page that answered 404 because the list shrank (the end of the
    list). With a steady count: ``missing``, items the count promised that never came;
    ``rereads``, how many times the pages were read again, and ``recovered``, the items found
    that way.
    """

    initial: int | None
    counts: tuple[tuple[int, int], ...] = ()
    duplicates: int = 0
    vanished_page: int | None = None
    missing: int = 0
    rereads: int = 0
    recovered: int = 0

    @property
    def changed(self) -> bool:
        """Whether the list changed on the server (its count moved, or a page vanished)."""
        return bool(self.counts) or self.vanished_page is not None

    @property
    def unstable(self) -> bool:
        """Whether the count held while pages overlapped or came up short (not a change)."""
        return not self.changed and bool(self.duplicates or self.missing or self.recovered)

    def __str__(self) -> str:
        if not self.changed and (self.duplicates or self.missing or self.recovered):
            return self._unstable_text()
        parts = [f"the list changed on the server while it was read (count {self.initial}"]
        parts.extend(f" → {count} at page {page}" for page, count in self.counts)
        parts.append(")")
        if self.duplicates:
            parts.append(f"; {self.duplicates} repeated items skipped")
        if self.vanished_page is not None:
            parts.append(f"; it ended early: page {self.vanished_page} vanished")
        return "".join(parts)

    def _unstable_text(self) -> str:
        if self.duplicates:
            cause = (
                "the server's ordering of this list is not unique, so its pages overlapped "
                f"(X-Result-Count {self.initial} held; {_items(self.duplicates)} came twice)"
            )
        else:
            cause = (
                f"the server's pages held fewer items than its X-Result-Count {self.initial}, "
                "which held"
            )
        if self.rereads:
            times = "once" if self.rereads == 1 else f"{self.rereads} times"
            cause += f"; read again {times}, {self.recovered} more found"
        if self.missing:
            verb = "is" if self.missing == 1 else "are"
            return f"{cause}; {_items(self.missing)} {verb} missing from the result"
        return f"{cause}; none is missing"


def ignored_message(filters: dict[str, int]) -> str:
    """What a paginator says about rows that failed filters of the request."""
    named = ", ".join(
        f"{name!r} ({count} {'row' if count == 1 else 'rows'})"
        for name, count in sorted(filters.items())
    )
    word = "filter" if len(filters) == 1 else "filters"
    return (
        f"the server did not apply the {word} {named}: the rows that fail it were dropped "
        "(the server may be older than the filter)"
    )
