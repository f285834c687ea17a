"""What the command line prints: tables for people, JSON for scripts, progress on stderr.

Results go to stdout, in one of three formats: an aligned table (the default), ``--json`` (one
JSON document: an array for a list, an object for one item) or ``--jsonl`` (one JSON object per
line). JSON output is the server's JSON as received (``model.to_dict()``), so scripts see every
field, including fields this version does not know.

Progress bars and notes go to stderr and only when stderr is a terminal, so a pipeline or a
redirect sees nothing but the result.
"""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from puhuri_async import PuhuriModel

__all__ = ["Format", "Output", "ProgressBars", "REDACTED", "cell"]

#: What the token's text is replaced with.
REDACTED = "***"

#: Widest a table gets when stdout is not a terminal (nothing is cut or wrapped below it).
_UNBOUNDED_WIDTH = 100_000
_MAX_CELL = 60


class Format(enum.Enum):
    """How results are printed."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"


def cell(value: Any, *, limit: int | None = _MAX_CELL) -> str:
    """One table cell: ``None`` is empty, lists and dicts are compact JSON, long text is cut."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    else:
        text = str(value)
    text = " ".join(text.split()) if "\n" in text or "\t" in text else text
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _json_ready(value: Any) -> Any:
    """A model or plain value as JSON-ready data (models give the server's JSON)."""
    if isinstance(value, PuhuriModel):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    return value


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class ProgressBars:
    """Progress bars on stderr, one per labelled task; nothing at all when stderr is no terminal.

    ``track(label)`` returns the ``progress(done, total)`` callback the client's list methods
    take, so one set of bars shows several concurrent fetches.
    """

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )

    def __enter__(self) -> ProgressBars:
        self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._progress.stop()

    def track(self, label: str) -> Callable[[int, int | None], None]:
        """A new bar named ``label`` and the callback that moves it."""
        task = self._progress.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            self._progress.update(task, completed=done, total=total)

        return update


class Output:
    """The printer of one command run: the chosen format and the stdout/stderr consoles.

    ``secret`` (the API token) is replaced by ``***`` wherever it would be printed, results
    included: Waldur sends a user's own API token in the ``token`` field of their user record.
    """

    def __init__(
        self,
        fmt: Format = Format.TABLE,
        *,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        secret: str | None = None,
    ) -> None:
        self.format = fmt
        self._stdout = stdout
        self._stderr = stderr
        self._secret = secret or None

    def _redact(self, text: str) -> str:
        return text.replace(self._secret, REDACTED) if self._secret else text

    @property
    def out(self) -> TextIO:
        """The stream results go to (resolved late, so redirections made after start count)."""
        return self._stdout if self._stdout is not None else sys.stdout

    @property
    def err(self) -> TextIO:
        """The stream notes, progress and errors go to."""
        return self._stderr if self._stderr is not None else sys.stderr

    def _console(self, stream: TextIO) -> Console:
        console = Console(file=stream, highlight=False, soft_wrap=False)
        if not console.is_terminal:
            console = Console(
                file=stream, highlight=False, width=_UNBOUNDED_WIDTH, color_system=None
            )
        return console

    @property
    def interactive(self) -> bool:
        """True when stderr is a terminal (progress and notes are shown)."""
        return self._console(self.err).is_terminal

    @contextmanager
    def progress(self) -> Iterator[ProgressBars]:
        """Progress bars on stderr for the duration of the block."""
        with ProgressBars(self._console(self.err)) as bars:
            yield bars

    def note(self, text: str) -> None:
        """A line for people on stderr (only when it is a terminal)."""
        if self.interactive:
            print(self._redact(text), file=self.err)

    def error(self, text: str) -> None:
        """One line on stderr, whatever stderr is."""
        print(self._redact(text), file=self.err, flush=True)

    # -- results ----------------------------------------------------------------------------

    def items(self, rows: Sequence[Any], columns: Sequence[str], *, kind: str) -> None:
        """A list of models (or dicts): a table with ``columns``, or the JSON of each row."""
        data = [_json_ready(row) for row in rows]
        if self.format is Format.JSON:
            self._dump(data, indent=2)
        elif self.format is Format.JSONL:
            for row in data:
                self._dump(row)
        elif not data:
            self.note(f"no {kind}")
        else:
            self.table(columns, [[row.get(name) for name in columns] for row in data])

    def item(self, row: Any, *, columns: Sequence[str] | None = None) -> None:
        """One object: a two-column table of its fields (``columns`` or all), or its JSON."""
        data = _json_ready(row)
        if self.format is Format.JSON:
            self._dump(data, indent=2)
        elif self.format is Format.JSONL:
            self._dump(data)
        else:
            names = [name for name in columns if name in data] if columns else list(data)
            self.table(["field", "value"], [[name, data.get(name)] for name in names])

    def done(self, message: str, data: Mapping[str, Any]) -> None:
        """The outcome of an action: ``message`` for people, ``data`` as JSON for scripts."""
        if self.format is Format.TABLE:
            print(self._redact(message), file=self.out)
        elif self.format is Format.JSON:
            self._dump(dict(data), indent=2)
        else:
            self._dump(dict(data))

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """An aligned table; on a terminal long cells are cut to fit, elsewhere never."""
        console = self._console(self.out)
        fit = console.is_terminal
        limit = _MAX_CELL if fit else None
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
        for name in columns:
            table.add_column(name, no_wrap=True, overflow="ellipsis" if fit else "ignore")
        for row in rows:
            table.add_row(*(Text(self._redact(cell(value, limit=limit))) for value in row))
        if fit:
            console.print(table)
            return
        with console.capture() as captured:
            console.print(table)
        self.out.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))

    def _dump(self, data: Any, indent: int | None = None) -> None:
        separators = (",", ": ") if indent else (",", ":")
        text = json.dumps(
            data, ensure_ascii=False, indent=indent, separators=separators, default=_default
        )
        print(self._redact(text), file=self.out)
