"""The keys a paginator saw: exact while few, 8 bytes a key once folded, the same answers."""

from __future__ import annotations

from typing import Any

import pytest

from puhuri_async import _page_keys
from puhuri_async._page_fetch import RawPage
from puhuri_async._page_items import Ledger, RowKey, all_strings, uuid_key
from puhuri_async._page_keys import SeenKeys


def test_answers_stay_the_same_across_folds() -> None:
    seen = SeenKeys(recent=4)
    keys = [f"{n:032x}" for n in range(10)]
    for key in keys[:3]:
        seen.add(key)
    assert len(seen._folded) == 0  # not folded yet
    assert seen.add_new([keys[3], keys[4]])  # the fourth key folds the five
    assert len(seen._folded) == 5
    assert len(seen._recent) == 0
    assert seen.add_new(keys[5:9])  # folded again: merged with the first five
    assert list(seen._folded) == sorted(map(hash, keys[:9]))
    seen.add(keys[9])
    assert len(seen) == 10
    assert all(key in seen for key in keys)
    assert "f" * 32 not in seen
    assert 12345 not in seen
    assert not seen.add_new(["a", keys[0]])  # a folded key
    assert not seen.add_new(["a", keys[9]])  # a recent key
    assert "a" not in seen  # nothing of a refused page is kept
    assert seen.add_new(["a", "b"])


def test_other_hashable_keys_fold_too() -> None:
    seen = SeenKeys(recent=2)
    assert seen.add_new([(1, "a"), 7, frozenset({2})])
    assert (1, "a") in seen
    assert 7 in seen
    assert frozenset({2}) in seen
    assert (1, "b") not in seen
    assert len(seen) == 3


@pytest.mark.parametrize("recent", [3, 1000])
def test_add_new_takes_a_page_whole_or_not_at_all(recent: int) -> None:
    seen = SeenKeys(recent=recent)
    keys = [f"{n:032x}" for n in range(8)]
    assert seen.add_new(keys[:2])
    before = (set(seen._recent), list(seen._folded))
    refused: list[list[str | None]] = [
        [keys[2], keys[3], keys[2]],  # a key repeated within the page
        [keys[2], None, keys[3]],  # a row without a key
        [keys[2], keys[1]],  # a key seen on an earlier page
    ]
    for page_keys in refused:
        assert not seen.add_new(page_keys)
        assert (set(seen._recent), list(seen._folded)) == before  # nothing added
    assert seen.add_new(keys[2:8])
    assert len(seen) == 8
    assert all(key in seen for key in keys)
    if recent == 3:
        assert len(seen._folded) == 8  # folded once the recent keys reached three
        assert not seen.add_new(["a", keys[0]])  # a folded key
        assert "a" not in seen


def page(number: int, uuids: list[int]) -> RawPage:
    rows = [{"uuid": f"{n:032x}"} for n in uuids]
    return RawPage(number, rows, None, True, items=rows)


@pytest.mark.parametrize("recent", [3, 1000])
def test_a_ledger_skips_repeated_items_whether_folded_or_not(
    recent: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_page_keys, "RECENT", recent)
    ledger: Ledger[Any] = Ledger(
        item=lambda row: row, items=None, key=None, limit=None, row_check=None, label=(None, "")
    )
    got: list[str] = []
    for number, uuids in enumerate([[0, 1, 2, 3], [3, 4, 5], [0, 5, 6], [7, 8, 1]], start=1):
        taken, _ = ledger.take(page(number, uuids))
        got += [row["uuid"] for row in taken.items]
    assert got == [f"{n:032x}" for n in range(9)]
    assert ledger.duplicates == 4
    assert len(ledger.seen) == 9


def _ledger(key: Any = None) -> Ledger[Any]:
    return Ledger(
        item=lambda row: row, items=None, key=key, limit=None, row_check=None, label=(None, "")
    )


def test_the_keys_of_a_page_are_found_as_it_arrives() -> None:
    """``collect`` takes its pages once the last has come; the built-in keys are made before
    then, by the worker that parsed the page, so taking the pages is set operations only."""
    calls: list[int] = []

    def many(rows: list[dict[str, Any]]) -> list[Any] | None:
        calls.append(len(rows))
        return [row["user_uuid"] + row["project_uuid"] for row in rows]

    key = RowKey(lambda row: row["user_uuid"] + row["project_uuid"], many)
    ledger = _ledger(key)
    rows = [{"user_uuid": f"u{n}", "project_uuid": "p"} for n in range(3)]
    made = ledger.prepare(rows, "https://puhuri.example/api/x/?page=1")
    assert made.keys == ["u0p", "u1p", "u2p"]
    assert calls == [3]  # on arrival
    raw = RawPage(1, rows, 3, False, made.items, made.failures, keys=made.keys)
    taken, _ = ledger.take(raw)
    assert calls == [3]  # not again when taken
    assert taken.items == rows
    again = ledger.prepare([rows[0], {"user_uuid": "u9", "project_uuid": "p"}], "u")
    taken, _ = ledger.take(
        RawPage(2, [rows[0], again.items[1]], 3, False, again.items, keys=again.keys)
    )
    assert [row["user_uuid"] for row in taken.items] == ["u9"]  # the repeated row skipped
    assert ledger.duplicates == 1


def test_a_key_function_of_the_caller_is_still_called_when_the_page_is_taken() -> None:
    seen: list[str] = []

    def key(row: dict[str, Any]) -> str:
        seen.append(row["name"])
        return str(row["name"])

    ledger = _ledger(key)
    rows = [{"name": "a"}, {"name": "b"}]
    made = ledger.prepare(rows, "u")
    assert made.keys is None
    assert seen == []  # not in the fetch worker
    taken, _ = ledger.take(RawPage(1, rows, 2, False, made.items, made.failures))
    assert seen == ["a", "b"]
    assert taken.items == rows


def test_a_page_with_a_row_that_is_not_an_object_gets_its_keys_when_taken() -> None:
    ledger = _ledger()
    rows: list[Any] = [{"uuid": "a" * 32}, "not an object"]
    made = ledger.prepare(rows, "u")
    assert made.keys is None
    taken, _ = ledger.take(RawPage(1, rows, 2, False, made.items, made.failures))
    assert taken.items == rows
    assert ledger.keyless == 1  # keyed row by row: the string has no identity


def test_all_strings_is_an_exact_check() -> None:
    assert all_strings([])
    assert all_strings(["a" * 32, "", "b"])
    for odd in (None, 1, 1.0, True, b"a", ["a"]):
        assert not all_strings(["a", odd])


def test_uuid_keys_of_a_page_with_keyless_or_odd_rows() -> None:
    rows: list[dict[str, Any]] = [{"uuid": "a" * 32}, {"name": "no uuid"}]
    assert uuid_key.many(rows) == ["a" * 32, None]  # None: a row without an identity
    assert uuid_key.many([{"uuid": "a"}, {"uuid": 1}]) is None  # keyed row by row
    assert uuid_key.many([{"uuid": "a"}, {"uuid": ["b"]}]) is None


def test_a_page_past_the_limit_is_keyed_by_the_keys_found_on_arrival() -> None:
    """A page taken row by row (here: ``limit`` ends within it) uses the keys found as it
    arrived, and they are the same as row by row: the repeated row is skipped."""
    calls: list[int] = []

    def one(row: dict[str, Any]) -> str:
        calls.append(1)
        return str(row["uuid"])

    key = RowKey(one, lambda rows: [row["uuid"] for row in rows])
    ledger: Ledger[Any] = Ledger(
        item=lambda row: row, items=None, key=key, limit=3, row_check=None, label=(None, "u")
    )
    rows = [{"uuid": "a"}, {"uuid": "a"}, {"uuid": "b"}, {"uuid": "c"}, {"uuid": "d"}]
    made = ledger.prepare(rows, "u")
    taken, _ = ledger.take(RawPage(1, rows, 5, False, made.items, made.failures, keys=made.keys))
    assert [row["uuid"] for row in taken.items] == ["a", "b", "c"]
    assert ledger.duplicates == 1
    assert calls == []  # never row by row


def test_a_page_of_permissions_with_a_row_that_is_not_an_object_is_keyed_when_taken() -> None:
    from puhuri_async._operations._keys import permission_key

    ledger = _ledger(permission_key)
    good = {"user_uuid": "a" * 32, "project_uuid": "b" * 32, "role_name": "PROJECT.ADMIN"}
    rows: list[Any] = [good, ["not", "an", "object"]]
    made = ledger.prepare(rows, "u")
    assert made.keys is None  # the keys' own dict.get refused the list
    taken, _ = ledger.take(RawPage(1, rows, 2, False, made.items, made.failures))
    assert taken.items == rows
    assert ledger.keyless == 1
