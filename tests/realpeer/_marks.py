"""Marks for the known failures of today's client against a real server, one per issue item.

``@issue12(3)`` marks a test with ``issue12_3`` and ``xfail(strict=True)``: it fails now, and
the fix that makes it pass turns the run red, so the mark is removed with the fix. ``raises``
names the failure expected, so that a test failing for another reason (the server down, a
fixture) is reported as a failure and not hidden as the known one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest

#: What each item of issue 12 is about (the marker's description and the xfail reason).
ISSUE12 = {
    1: "lists ordered by a non-unique key lose items (SSH keys)",
    2: "nulls the schema does not admit (limit_usage)",
    3: "filters the server does not apply (the provider's sub-lists)",
    4: "parameters 7.0.7 drops silently (usage date, rejection comment)",
    5: "semantics the docs get wrong (provider_uuid is the customer's uuid)",
    6: "model drift across versions (role, organization_group)",
    7: "a 400 whose body is a JSON list gives no field errors",
    8: "who sees what",
}

F = TypeVar("F", bound=Callable[..., Any])

Raises = type[BaseException] | tuple[type[BaseException], ...]


def issue12(item: int, *, raises: Raises = AssertionError) -> Callable[[F], F]:
    """Mark a test that shows item ``item`` of issue 12: it must fail until the item is fixed."""

    def mark(test: F) -> F:
        marked = getattr(pytest.mark, f"issue12_{item}")(test)
        reason = f"issue 12 item {item}: {ISSUE12[item]}"
        result: F = pytest.mark.xfail(strict=True, reason=reason, raises=raises)(marked)
        return result

    return mark
