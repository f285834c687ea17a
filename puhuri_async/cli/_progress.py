"""Progress bars on stderr while lists are fetched: only on a terminal that allows escape codes."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["ProgressBars"]


class ProgressBars:
    """Progress bars on ``console``, one per labelled task; nothing at all when ``enabled`` is
    false or the console is no terminal.

    ``track(label)`` returns the ``progress(done, total)`` callback the client's list methods
    take, so one set of bars shows several concurrent fetches.
    """

    def __init__(self, console: Console, *, enabled: bool = True) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not (enabled and console.is_terminal),
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
