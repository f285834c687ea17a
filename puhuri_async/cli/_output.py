"""What the command line prints: tables for people, JSON, JSON lines and TSV for scripts.

Results go to stdout in the format chosen with ``--output`` (``-o``):

- ``table`` (the default): aligned columns that fit the terminal (see ``_table``), times
  readable, every control character from the server shown as an escape;
- ``json``: one JSON document (an array for a list, an object for one item);
- ``jsonl``: one JSON object per line;
- ``tsv``: a header line, then one line per item, tab-separated, values as sent.

JSON output is the server's JSON as received (``model.to_dict()``), every field included: each
value parses back to exactly what the server sent. Characters that could drive a terminal are
written as ``\\uXXXX`` escapes, which denote the same characters.

Notes, per-item errors and progress bars go to stderr; notes and progress only when it is a
terminal, so a pipeline sees nothing but the result.
"""

from __future__ import annotations

import enum
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, TextIO

from rich.console import Console

from puhuri_async import PuhuriModel
from puhuri_async.cli._cells import cell, tsv_field
from puhuri_async.cli._progress import ProgressBars
from puhuri_async.cli._table import plan, render
from puhuri_async.cli._terminal import escape, escape_json_text, is_terminal, styles_allowed

__all__ = ["REDACTED", "Format", "Output", "ProgressBars", "cell", "json_ready"]

#: What the token's text is replaced with.
REDACTED = "***"


class Format(enum.Enum):
    """How results are printed."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    TSV = "tsv"


def json_ready(value: Any) -> Any:
    """A model or plain value as JSON-ready data (models give the server's JSON)."""
    if isinstance(value, PuhuriModel):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    return value


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def terminal_width(stream: TextIO) -> int:
    """Columns of the terminal behind ``stream`` (``COLUMNS`` first, as shells set it)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


class Output:
    """The printer of one command run: the chosen format, stdout and stderr.

    ``secret`` (the API token) is replaced by ``***`` wherever it would be printed, results
    included: Waldur sends a user's own API token in the ``token`` field of their user record.
    ``chosen_columns``: the table's columns were chosen by the user, so none is left out.
    """

    def __init__(
        self,
        fmt: Format = Format.TABLE,
        *,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        secret: str | None = None,
        chosen_columns: bool = False,
    ) -> None:
        self.format = fmt
        self._stdout = stdout
        self._stderr = stderr
        self._secret = secret or None
        self.chosen_columns = chosen_columns

    def redacted(self, text: str) -> str:
        """``text`` with the token's text replaced by ``***``."""
        return text.replace(self._secret, REDACTED) if self._secret else text

    _redact = redacted

    @property
    def out(self) -> TextIO:
        """The stream results go to (resolved late, so redirections made after start count)."""
        return self._stdout if self._stdout is not None else sys.stdout

    @property
    def err(self) -> TextIO:
        """The stream notes, progress and errors go to."""
        return self._stderr if self._stderr is not None else sys.stderr

    @property
    def interactive(self) -> bool:
        """True when stderr is a terminal (notes are shown)."""
        return is_terminal(self.err)

    @property
    def structured(self) -> bool:
        """True for the JSON formats (results carry every field; messages are records)."""
        return self.format in (Format.JSON, Format.JSONL)

    @contextmanager
    def progress(self) -> Iterator[ProgressBars]:
        """Progress bars on stderr for the duration of the block (terminal and styles only)."""
        console = Console(file=self.err, highlight=False, no_color=True, soft_wrap=False)
        with ProgressBars(console, enabled=styles_allowed(self.err)) as bars:
            yield bars

    def note(self, text: str) -> None:
        """A line for people on stderr (only when it is a terminal)."""
        if self.interactive:
            print(escape(self._redact(text)), file=self.err, flush=True)

    def error(self, text: str) -> None:
        """One line on stderr, whatever stderr is; terminal-safe and token-free."""
        line = " ".join(self._redact(text).split())
        print(escape(line), file=self.err, flush=True)

    def line(self, text: str) -> None:
        """One line of result for people on stdout (an action's outcome)."""
        print(escape(self._redact(text)), file=self.out, flush=True)

    # -- results ----------------------------------------------------------------------------

    def items(
        self, rows: Sequence[Any], columns: Sequence[str], *, kind: str, empty: str | None = None
    ) -> None:
        """A list of models (or dicts): a table or TSV of ``columns``, or the JSON of each row.

        An empty list prints nothing on stdout (``[]`` in JSON) and, on stderr, says so:
        ``empty`` or ``no <kind>``.
        """
        data = [json_ready(row) for row in rows]
        if self.format is Format.JSON:
            self._dump(data, indent=2)
            return
        if self.format is Format.JSONL:
            for row in data:
                self._dump(row)
            return
        if not data:
            message = empty or f"no {kind}"
            if self.format is Format.TABLE:
                self.error(message)
            else:
                self.note(message)
            return
        values = [[row.get(name) for name in columns] for row in data]
        if self.format is Format.TSV:
            self.tsv(columns, values)
        else:
            self.table(columns, values)

    def item(self, row: Any, *, columns: Sequence[str] | None = None) -> None:
        """One object: a two-column table of its fields (``columns`` or all), or its JSON."""
        data = json_ready(row)
        if self.format is Format.JSON:
            self._dump(data, indent=2)
        elif self.format is Format.JSONL:
            self._dump(data)
        else:
            names = [name for name in columns if name in data] if columns else list(data)
            pairs = [[name, data.get(name)] for name in names]
            if self.format is Format.TSV:
                self.tsv(["field", "value"], pairs)
            else:
                self.table(["field", "value"], pairs, wrap=("value",))

    def record(self, data: Mapping[str, Any], *, first: bool, last: bool) -> None:
        """One record of a stream of results in JSON: JSONL lines, or one JSON array."""
        if self.format is Format.JSONL:
            self._dump(dict(data))
            return
        text = self._json(dict(data), indent=2)
        body = "\n".join("  " + line for line in text.splitlines())
        opening = "[\n" if first else ""
        closing = "\n]" if last else ","
        print(f"{opening}{body}{closing}", file=self.out, flush=True)

    def table(
        self, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, wrap: Sequence[str] = ()
    ) -> None:
        """An aligned table; on a terminal it fits the width (UUIDs and states stay whole).

        Cells of the columns named in ``wrap`` continue on the next lines instead of being cut.
        """
        terminal = is_terminal(self.out)
        headers = [escape(name) for name in columns]
        texts = [[self._redact(cell(value)) for value in row] for row in rows]
        width = terminal_width(self.out) if terminal else None
        wrapping = [i for i, name in enumerate(columns) if name in wrap]
        layout = plan(headers, texts, width=width, may_drop=not self.chosen_columns, wrap=wrapping)
        lines = render(headers, texts, layout, bold=styles_allowed(self.out), wrap=wrapping)
        self.out.write("".join(line + "\n" for line in lines))
        self.out.flush()
        if layout.dropped:
            self.note(f"(no room at {width} columns for {', '.join(layout.dropped)}: see --column)")

    def tsv(self, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Tab-separated values: a header line, then one line per row, nothing cut."""
        terminal = is_terminal(self.out)
        lines = ["\t".join(tsv_field(name, terminal=terminal) for name in columns)]
        for row in rows:
            lines.append("\t".join(self._redact(tsv_field(v, terminal=terminal)) for v in row))
        self.out.write("".join(line + "\n" for line in lines))
        self.out.flush()

    def _json(self, data: Any, indent: int | None = None) -> str:
        separators = (",", ": ") if indent else (",", ":")
        text = json.dumps(
            data, ensure_ascii=False, indent=indent, separators=separators, default=_default
        )
        return self._redact(escape_json_text(text))

    def _dump(self, data: Any, indent: int | None = None) -> None:
        print(self._json(data, indent), file=self.out, flush=True)
