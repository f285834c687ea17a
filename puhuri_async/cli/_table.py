"""Aligned tables that fit a terminal without ever cutting what the next command needs.

A UUID is what a provider copies into the next command, and a state is what they read the list
for, so those columns (``uuid``, ``*_uuid``, ``state``) are never cut, at any width. When a
table is wider than the terminal, the other columns give way: first the widest are cut (with
``…``) down to their header's width (at least 12 columns; times are never cut), then whole
columns are left out from the right, and the room they leave goes back to the columns still
shown. Columns chosen with ``--column`` are cut but never left out. Off a terminal nothing is
cut or left out.

Widths are terminal cells (``rich.cells``), so wide characters (CJK, emoji) align too. Cells
arrive terminal-safe (see ``_cells.cell``); the only escape code this module adds is bold for
the header line, when styles are allowed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len, get_character_cell_size

__all__ = ["GAP", "Layout", "is_key_column", "plan", "render"]

#: Spaces between two columns.
GAP = 2
_MIN_WIDTH = 12
_WRAP_WIDTH = 32  # a UUID
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"
#: A time as ``_cells.readable_time`` writes it: cut, it would say nothing.
_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}( UTC| [+-]\d{2}:\d{2})?")


def is_key_column(name: str) -> bool:
    """Whether a column is never cut nor left out: UUIDs and states."""
    return name in ("uuid", "state", "field") or name.endswith("_uuid")


@dataclass
class Layout:
    """Which columns a table shows (indexes into its columns) and how wide each one is."""

    shown: list[int]
    widths: list[int]
    dropped: list[str] = field(default_factory=list)


def _fit(natural: list[int], mins: list[int], shrinkable: list[int], room: int) -> list[int]:
    """Cut the widest shrinkable columns first, evenly, until the widths fit ``room``."""
    widths = list(natural)
    excess = sum(widths) - room
    while excess > 0:
        candidates = [i for i in shrinkable if widths[i] > mins[i]]
        if not candidates:
            break
        top = max(widths[i] for i in candidates)
        tops = [i for i in candidates if widths[i] == top]
        lower = [widths[i] for i in candidates if widths[i] < top]
        floor = max([*lower, *(mins[i] for i in tops)])
        cut = min(excess, (top - floor) * len(tops))
        each, extra = divmod(cut, len(tops))
        for rank, i in enumerate(tops):
            widths[i] -= each + (1 if rank < extra else 0)
        excess -= cut
    return widths


def plan(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int | None,
    may_drop: bool = True,
    wrap: Sequence[int] = (),
) -> Layout:
    """The layout of a table of ``headers`` and cell texts, ``width`` cells wide (None: any).

    A column of ``wrap`` is never left out, and at least as wide as a UUID, so that none is
    ever broken.
    """
    natural = [cell_len(h) for h in headers]
    for row in rows:
        for i, text in enumerate(row):
            natural[i] = max(natural[i], cell_len(text))
    times = [
        all(_TIME.fullmatch(row[i]) for row in rows if row[i]) and any(row[i] for row in rows)
        for i in range(len(headers))
    ]
    shown = list(range(len(headers)))
    if width is None:
        return Layout(shown, natural)
    dropped: list[str] = []
    while True:
        room = width - GAP * (len(shown) - 1)
        sub_natural = [natural[i] for i in shown]
        mins = [
            natural[i]
            if times[i]
            else min(
                natural[i], max(_WRAP_WIDTH if i in wrap else _MIN_WIDTH, cell_len(headers[i]))
            )
            for i in shown
        ]
        shrinkable = [k for k, i in enumerate(shown) if not is_key_column(headers[i])]
        widths = _fit(sub_natural, mins, shrinkable, room)
        droppable = [k for k in shrinkable if shown[k] not in wrap]
        if sum(widths) <= room or not may_drop or not droppable:
            return Layout(shown, widths, dropped)
        last = shown.pop(droppable[-1])
        dropped.insert(0, headers[last])


def _fit_text(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells (ending in ``…`` when cut), padded to exactly ``width``."""
    size = cell_len(text)
    if size > width:
        kept, used = [], 0
        for char in text:
            char_size = get_character_cell_size(char)
            if used + char_size > width - 1:
                break
            kept.append(char)
            used += char_size
        text, size = "".join(kept) + "…", used + 1
    return text + " " * (width - size)


def _chunks(text: str, width: int) -> list[str]:
    """``text`` in pieces of at most ``width`` cells (for a column that wraps)."""
    pieces: list[str] = []
    piece: list[str] = []
    used = 0
    for char in text:
        size = get_character_cell_size(char)
        if piece and used + size > width:
            pieces.append("".join(piece))
            piece, used = [], 0
        piece.append(char)
        used += size
    pieces.append("".join(piece))
    return pieces


def render(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    layout: Layout,
    *,
    bold: bool = False,
    wrap: Sequence[int] = (),
) -> list[str]:
    """The lines of the table: header, a rule under each column, then the rows.

    A cell too wide for its column is cut, or, in a column of ``wrap`` (indexes into the
    columns), continued on the next lines: a two-column field/value view wraps its values.
    """
    gap = " " * GAP
    shown = list(zip(layout.shown, layout.widths, strict=True))

    def lines_of(cells: Sequence[str]) -> list[str]:
        parts = [_chunks(cells[i], w) if i in wrap else [_fit_text(cells[i], w)] for i, w in shown]
        height = max(len(part) for part in parts)
        out = []
        for k in range(height):
            texts = [
                _fit_text(part[k], w) if k < len(part) else " " * w
                for part, (_, w) in zip(parts, shown, strict=True)
            ]
            out.append(gap.join(texts).rstrip())
        return out

    header = lines_of(headers)[0]
    lines = [f"{_BOLD}{header}{_RESET}" if bold else header]
    lines.append(gap.join("─" * w for _, w in shown))
    for row in rows:
        lines.extend(lines_of(row))
    return lines
