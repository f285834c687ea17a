"""Run ``puhuri`` in a real pseudo-terminal of a given size, as a person at a terminal would.

The child gets the pty as stdin, stdout, stderr and controlling terminal (so ``getpass``
reads from it with echo off), in a session of its own. ``expect`` waits for text in what the
terminal shows (``select`` on the pty, no sleeping), ``send`` types a line. Everything is
bounded: a child that hangs is killed after ``timeout`` seconds and the test fails.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping

BOUND = 60.0


def _make_controlling_terminal() -> None:
    # In the child, after setsid(): the pty (fd 0) becomes the session's controlling terminal.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    # A shell starts a background job with Ctrl-C ignored, and the child would inherit that;
    # a person's terminal session has the default (Python then raises KeyboardInterrupt).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """``puhuri ARGS`` running in a ``columns`` x ``rows`` pseudo-terminal."""

    def __init__(
        self,
        *args: str,
        env: Mapping[str, str],
        columns: int = 80,
        rows: int = 24,
        timeout: float = BOUND,
    ) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self._master = master
        self._deadline = time.monotonic() + timeout
        self._seen = bytearray()
        self._offset = 0
        self.process = subprocess.Popen(
            [sys.executable, "-m", "puhuri_async", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=dict(env),
            start_new_session=True,
            preexec_fn=_make_controlling_terminal,
            close_fds=True,
        )
        os.close(slave)

    def _read(self) -> bool:
        """Read what is there (waiting until the deadline); False at end of output."""
        left = self._deadline - time.monotonic()
        if left <= 0:
            self.process.kill()
            raise AssertionError(f"puhuri did not finish in time; it showed: {self.text!r}")
        ready, _, _ = select.select([self._master], [], [], left)
        if not ready:
            return True
        try:
            chunk = os.read(self._master, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not chunk:
            return False
        self._seen += chunk
        return True

    @property
    def text(self) -> str:
        """Everything the terminal showed so far, with the terminal's \\r\\n as \\n."""
        return self._seen.decode("utf-8", "replace").replace("\r\n", "\n")

    def expect(self, wanted: str) -> str:
        """Wait until ``wanted`` shows (after what earlier calls consumed); the text up to it."""
        while True:
            text = self.text
            found = text.find(wanted, self._offset)
            if found >= 0:
                before, self._offset = text[self._offset : found], found + len(wanted)
                return before
            if not self._read():
                raise AssertionError(f"{wanted!r} never showed; the terminal showed {text!r}")

    def send(self, line: str) -> None:
        """Type ``line`` and Enter."""
        self.write(line + "\r")

    def write(self, keys: str) -> None:
        """Type ``keys`` as they are (``"\x03"`` is Ctrl-C)."""
        os.write(self._master, keys.encode())

    def finish(self) -> tuple[int, str]:
        """Wait for the end; the exit status and everything the terminal showed."""
        while self._read():
            pass
        left = max(0.1, self._deadline - time.monotonic())
        status = self.process.wait(timeout=left)
        os.close(self._master)
        return status, self.text


def terminal_env(url: str, token: str, home: str, **extra: str) -> dict[str, str]:
    """The environment of a person at a terminal: the server set, no colour override."""
    keep = {"PATH", "LANG", "LC_ALL", "SYSTEMROOT", "PYTHONPATH", "VIRTUAL_ENV"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(
        TERM="xterm-256color",
        HOME=home,
        XDG_CONFIG_HOME=os.path.join(home, ".config"),
        PUHURI_API_URL=url,
        PUHURI_TOKEN=token,
        TZ="UTC",
        PYTHONIOENCODING="utf-8",
        LC_ALL="C.UTF-8",
    )
    env.update(extra)
    return {key: value for key, value in env.items() if value}
