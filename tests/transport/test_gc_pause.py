"""The collector's first threshold is raised while lists are collected, and always set back."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from puhuri_async._gc_pause import FACTOR, fewer_collections


@pytest.fixture(autouse=True)
def _thresholds() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield saved
    gc.set_threshold(*saved)


def test_raised_inside_and_set_back_after() -> None:
    with fewer_collections():
        assert gc.get_threshold() == (700 * FACTOR, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_overlapping_collects_share_one_raise() -> None:
    outer = fewer_collections()
    outer.__enter__()
    with fewer_collections():
        assert gc.get_threshold()[0] == 700 * FACTOR
    assert gc.get_threshold()[0] == 700 * FACTOR  # the outer one still runs
    outer.__exit__(None, None, None)
    assert gc.get_threshold()[0] == 700


def test_set_back_when_the_collect_fails() -> None:
    with pytest.raises(KeyError), fewer_collections():
        raise KeyError("x")
    assert gc.get_threshold()[0] == 700


def test_a_threshold_the_program_set_meanwhile_is_kept() -> None:
    with fewer_collections():
        gc.set_threshold(5000, 10, 10)
    assert gc.get_threshold()[0] == 5000


def test_collection_turned_off_stays_off() -> None:
    gc.set_threshold(0, 10, 10)
    with fewer_collections():
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold()[0] == 0
