"""Cells and TSV fields: readable times, one line, control characters shown, not sent."""

from __future__ import annotations

import pytest

from puhuri_async.cli._cells import cell, readable_time, tsv_field
from puhuri_async.cli._terminal import escape, escape_json_text

HOSTILE = {
    "clear screen": "\x1b[2J\x1b[H",
    "window title": "\x1b]0;owned\x07",
    "cursor up": "\x1b[3A",
    "OSC 8 hyperlink": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "C1 CSI": "\x9b31m",
    "bidi override": "\u202eexe.txt",
    "carriage return": "ok\rERR",
    "backspace": "a\x08b",
    "DEL": "a\x7fb",
    "line separator": "a\u2028b",
}


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.fixture
def helsinki(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Helsinki")
    time.tzset()
    yield
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def test_times_lose_their_microseconds_and_show_their_zone(utc: None) -> None:
    assert readable_time("2024-09-03T17:43:20.363981Z") == "2024-09-03 17:43:20 UTC"
    assert readable_time("2024-09-03T20:43:20+03:00") == "2024-09-03 17:43:20 UTC"
    assert readable_time("2024-09-03T17:43:20.5") == "2024-09-03 17:43:20"  # no zone: as is
    assert readable_time("2024-09-03") is None  # a date stays a date
    assert readable_time("allocation 2024-09-03T17:43:20Z") is None
    assert readable_time("2024-13-45T99:00:00Z") is None
    assert cell("2024-09-03T17:43:20.363981Z") == "2024-09-03 17:43:20 UTC"


def test_times_in_the_local_zone(helsinki: None) -> None:
    assert readable_time("2024-09-03T17:43:20.363981Z") == "2024-09-03 20:43:20 +03:00"
    assert readable_time("2024-01-03T17:43:20Z") == "2024-01-03 19:43:20 +02:00"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_no_control_character_reaches_a_cell(name: str) -> None:
    text = cell(f"project {HOSTILE[name]} name")
    assert all(ch.isprintable() for ch in text), text
    assert "\x1b" not in text
    assert "\x9b" not in text
    assert "\u202e" not in text


def test_escapes_are_visible() -> None:
    assert escape("\x1b]0;owned\x07") == "\\x1b]0;owned\\x07"
    assert escape("\x9b31m") == "\\x9b31m"
    assert escape("\u202eexe") == "\\u202eexe"
    assert escape("Ylläpitäjä 東京 🙂") == "Ylläpitäjä 東京 🙂"  # printable text is left alone
    assert cell("two\nlines\tand\rmore") == "two lines and more"


def test_json_text_escapes_denote_the_same_characters() -> None:
    import json

    for value in HOSTILE.values():
        text = escape_json_text(json.dumps({"name": value}, ensure_ascii=False))
        assert json.loads(text) == {"name": value}
        assert all(ch.isprintable() for ch in text), text


def test_tsv_fields_keep_values_as_sent() -> None:
    assert tsv_field("2024-09-03T17:43:20.363981Z") == "2024-09-03T17:43:20.363981Z"
    assert tsv_field("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"
    assert tsv_field(None) == ""
    assert tsv_field(False) == "false"
    assert tsv_field({"cpu": 1}) == '{"cpu":1}'
    assert tsv_field("\x1b[2J") == "\x1b[2J"  # a pipe gets the value as it is
    assert tsv_field("\x1b[2J", terminal=True) == "\\x1b[2J"
