"""The exception hierarchy of puhuri-async (a leaf module: it imports nothing of the package).

This is the part the models and the argument checks need; the request errors join it here.
"""

from __future__ import annotations

from typing import Any


class PuhuriError(Exception):
    """Base class of every error puhuri-async raises on purpose."""


class InvalidArgumentError(PuhuriError, ValueError):
    """An argument was rejected before any request was sent; ``argument`` names it."""

    def __init__(self, message: str, *, argument: str) -> None:
        super().__init__(message)
        self.argument = argument


class DecodeError(PuhuriError):
    """A response body (or a value given to ``structure``) is not the JSON that was expected.

    Request context (``operation``, ``method``, ``url``...) is optional: structuring a plain value
    has none.
    """

    def __init__(self, message: str, **context: Any) -> None:
        super().__init__(message)
        for key, value in context.items():
            setattr(self, key, value)
