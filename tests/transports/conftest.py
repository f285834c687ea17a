"""The aiohttp transport's tests need aiohttp (the ``aiohttp`` extra)."""

from __future__ import annotations

import pytest

pytest.importorskip("aiohttp", reason="the aiohttp extra is not installed")
