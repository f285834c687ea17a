"""``PUHURI_LOG``: the library's log on stderr, switched on from the environment.

``PUHURI_LOG=debug`` (each HTTP exchange and retry), ``info`` (retries, token renewals) or
``warning`` gives the ``puhuri_async`` logger a stderr handler of its own at that level, when
the package is imported, so a program that never configures logging can still be watched
without a code change. Nothing else changes: records still propagate to the program's own
handlers, and httpx's loggers are left alone. The library never logs a token (URLs and
reasons are scrubbed by the client's redactor, headers are never logged), so neither does this.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Mapping
from typing import Final

from puhuri_async._errors import PuhuriWarning

__all__ = ["ENV_LOG", "FORMAT", "configure_from_env"]

ENV_LOG: Final = "PUHURI_LOG"
FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_LEVELS: Final = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}


class _EnvironmentHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler ``PUHURI_LOG`` adds (told apart from the program's own)."""


def configure_from_env(environ: Mapping[str, str] | None = None) -> logging.Handler | None:
    """Apply ``PUHURI_LOG`` (unset or empty: nothing); the handler added, if any.

    Called once when the package is imported; calling it again replaces the handler it added.
    An unknown value warns (``PuhuriWarning``) and changes nothing.
    """
    value = (os.environ if environ is None else environ).get(ENV_LOG, "").strip().lower()
    logger = logging.getLogger("puhuri_async")
    for old in [h for h in logger.handlers if isinstance(h, _EnvironmentHandler)]:
        logger.removeHandler(old)
    if not value:
        return None
    level = _LEVELS.get(value)
    if level is None:
        warnings.warn(
            f"{ENV_LOG}={value!r} is not one of {', '.join(_LEVELS)}: logging left as it is",
            PuhuriWarning,
            stacklevel=2,
        )
        return None
    handler = _EnvironmentHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > level:
        logger.setLevel(level)
    return handler


configure_from_env()
