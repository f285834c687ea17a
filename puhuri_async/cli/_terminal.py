"""Terminal safety: what may reach a terminal, and when styles are allowed.

Names and messages come from the server, and a server (or a proxy, or another user who named a
project) can put control characters in them: ESC sequences that clear the screen, set the
window title, move the cursor, open OSC 8 hyperlinks or answer back; C1 controls (``U+009B`` is
a one-character CSI on many terminals); bidirectional overrides that make text read backwards.
Everything the command line prints for people goes through :func:`escape`, which shows such
characters as visible escapes (``\\x1b``, ``\\u202e``) instead of sending them.

Styles (bold table headers) and animated progress bars are the only escape codes ``puhuri``
writes itself, and only to a terminal, never when ``NO_COLOR`` is set (https://no-color.org)
or ``TERM`` is ``dumb``.
"""

from __future__ import annotations

import os
import re
from typing import TextIO

__all__ = ["UNSAFE", "escape", "escape_json_text", "is_terminal", "styles_allowed"]

#: C0 controls, DEL, C1 controls, the bidirectional controls and the line/paragraph separators.
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)

#: What ``json.dumps`` writes raw inside strings (it escapes C0 controls itself): the rest.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with every character that could drive a terminal shown as an escape."""
    return UNSAFE.sub(_visible, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_json_text(text: str) -> str:
    """JSON text with unsafe characters as ``\\uXXXX`` escapes: the same JSON values, exactly.

    ``json.dumps`` already escapes C0 controls; DEL, C1 and the bidirectional controls it writes
    raw. They can only occur inside JSON strings, where ``\\uXXXX`` denotes the same character.
    """
    return _JSON_UNSAFE.sub(_json_escape, text)


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (a closed or odd stream counts as not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def styles_allowed(stream: TextIO) -> bool:
    """Whether ``puhuri`` may write its own escape codes (styles, progress bars) to ``stream``."""
    if os.environ.get("NO_COLOR", "") != "":
        return False
    if os.environ.get("TERM", "") == "dumb":
        return False
    return is_terminal(stream)
