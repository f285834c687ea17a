"""The figures of the reliability suite: what was injected, survived, sent and lost.

Tests add to the one ``FIGURES`` collector; at the end of the session the conftest writes them
to ``reliability-figures.json`` under pytest's temporary directory and prints them in the
terminal summary, so a report can quote them.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any


class Figures:
    """Counters by name, plus the largest value seen of each gauge (sockets, RSS...).

    A fault injected is either survived (the call succeeded, the data is right) or reported (it
    ended, as it must, in its typed error: ``OutcomeUnknownError`` for a POST that may have run,
    or the error itself when retries are off).
    """

    COUNTERS = (
        "cells",
        "faults_injected",
        "faults_survived",
        "faults_reported",
        "requests",
        "retries",
        "typed_errors",
        "duplicate_posts",
        "items_lost",
        "items_duplicated",
        "leaked_tasks",
        "leaked_connections",
        "leak_checks",
        "resource_warnings",
        "tokens_leaked",
    )

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter(dict.fromkeys(self.COUNTERS, 0))
        self.gauges: dict[str, float] = {}
        self.notes: dict[str, Any] = {}
        self.path: Path | None = None

    def add(self, **counts: int) -> None:
        """Add to counters (unknown names are refused, so a typo cannot hide a figure)."""
        unknown = set(counts) - set(self.COUNTERS)
        if unknown:
            raise KeyError(f"unknown figures {sorted(unknown)}")
        with self._lock:
            self.counts.update(counts)

    def gauge(self, name: str, value: float) -> None:
        """Keep the largest ``value`` of gauge ``name``."""
        with self._lock:
            self.gauges[name] = max(value, self.gauges.get(name, value))

    def note(self, name: str, value: Any) -> None:
        """A free-form figure (e.g. the requests of the 1,000-task run)."""
        with self._lock:
            self.notes[name] = value

    def as_dict(self) -> dict[str, Any]:
        with self._lock:
            return {
                "counts": dict(self.counts),
                "gauges": dict(self.gauges),
                "notes": dict(self.notes),
            }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), indent=2, sort_keys=True) + "\n")
        self.path = path

    def lines(self) -> list[str]:
        data = self.as_dict()
        out = [f"{name}: {value}" for name, value in data["counts"].items()]
        out += [f"{name}: {value:g}" for name, value in sorted(data["gauges"].items())]
        out += [f"{name}: {value}" for name, value in sorted(data["notes"].items())]
        if self.path is not None:
            out.append(f"written to {self.path}")
        return out


FIGURES = Figures()
