"""Benchmarks of puhuri-async against raw httpx, python-waldur-client and waldur-api-client.

Run them all with ``python -m benchmarks`` (or ``python3 scripts/dev.py bench``, which installs
the ``bench`` extra first); ``--quick`` for a small smoke run. See ``benchmarks/__main__.py``.
"""
