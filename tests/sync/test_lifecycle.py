"""The facade's life: creation, close(), use after close, garbage, interpreter exit, fork."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import threading
import time
import weakref
from pathlib import Path

import anyio
import pytest
from _requests import sent

from puhuri_async import (
    ClientClosedError,
    InvalidArgumentError,
    RetryPolicy,
    SyncPuhuriClient,
)
from puhuri_async.testing import FakeData, FakePuhuri, Fault

from .conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30.0  # an upper bound for waiting on another thread or process; never reached normally


def _loop_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("puhuri-sync-")}


def test_close_twice_is_harmless(fake: FakePuhuri) -> None:
    client = SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport())
    assert len(client.list_users()) == 60
    assert not client.closed
    client.close()
    client.close()
    assert client.closed
    assert not client._loop.thread.is_alive()
    assert repr(client) == "<SyncPuhuriClient http://puhuri.test/api/ (closed)>"


def test_use_after_close_raises_clearly(fake: FakePuhuri) -> None:
    with SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport()) as client:
        started = client.iter_users()
        next(started)
    assert client.closed
    message = "the SyncPuhuriClient for http://puhuri.test/api/ was closed"
    with pytest.raises(ClientClosedError, match=message):
        client.list_users()
    with pytest.raises(ClientClosedError, match=message):
        client.iter_users()
    with pytest.raises(ClientClosedError, match=message):
        list(started)  # an iterator from before the close, resumed after it
    with pytest.raises(ClientClosedError, match=message), client:
        pass
    assert len(sent(fake)) == 1


def test_close_from_another_thread_ends_a_waiting_call(fake: FakePuhuri) -> None:
    started = threading.Event()

    async def pause(seconds: float) -> None:
        started.set()
        await anyio.sleep_forever()

    slow = FakePuhuri(FakeData.generate(users=5, seed=2), token=TOKEN, sleep=pause)
    slow.add_fault(Fault.slow(600, path="users/"))
    client = SyncPuhuriClient(
        slow.base_url, TOKEN, transport=slow.transport(), retry=RetryPolicy.none()
    )
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            client.list_users()
        except BaseException as exc:
            outcome.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    assert started.wait(WAIT)
    client.close()
    caller.join(WAIT)
    (error,) = outcome
    assert isinstance(error, ClientClosedError)
    assert "closed while the call was waiting" in str(error)
    assert slow.in_flight == 0


def test_close_from_a_callback_in_the_loop_thread_does_not_deadlock(fake: FakePuhuri) -> None:
    client = SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport(), page_size=10)
    with pytest.raises(ClientClosedError, match="closed while the call was waiting"):
        client.list_users(progress=lambda done, total: client.close())
    client._loop.thread.join(WAIT)
    assert client.closed
    assert not client._loop.thread.is_alive()


def test_bad_constructor_arguments_start_no_thread() -> None:
    before = _loop_threads()
    with pytest.raises(InvalidArgumentError, match="page_size"):
        SyncPuhuriClient("https://puhuri.example.org/api/", TOKEN, page_size=0)
    with pytest.raises(InvalidArgumentError, match="api_url"):
        SyncPuhuriClient("not a url", TOKEN)
    assert _loop_threads() == before


def test_settings_are_the_async_client_s(fake: FakePuhuri) -> None:
    with SyncPuhuriClient(
        "http://puhuri.test", TOKEN, transport=fake.transport(), page_size=20, max_concurrency=3
    ) as client:
        assert client.base_url == "http://puhuri.test/api/"
        assert client.page_size == 20
        assert client.max_concurrency == 3
        assert client.stats.requests == 0
        client.list_users()
        assert client.stats.requests == 3
        assert repr(client) == "<SyncPuhuriClient http://puhuri.test/api/ (open)>"


def test_from_env(fake: FakePuhuri, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUHURI_API_URL", fake.base_url)
    monkeypatch.setenv("PUHURI_TOKEN", TOKEN)
    with SyncPuhuriClient.from_env(transport=fake.transport(), page_size=7) as client:
        assert isinstance(client, SyncPuhuriClient)
        assert client.page_size == 7
        assert len(client.list_users()) == 60
    monkeypatch.delenv("PUHURI_TOKEN")
    with pytest.raises(InvalidArgumentError, match="PUHURI_TOKEN"):
        SyncPuhuriClient.from_env()


def test_a_client_garbage_collected_while_open_stops_its_thread(fake: FakePuhuri) -> None:
    client = SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport())
    client.list_users(limit=1)
    thread = client._loop.thread
    gone = weakref.ref(client)
    del client
    gc.collect()
    assert gone() is None
    thread.join(WAIT)
    assert not thread.is_alive()


# -- interpreter exit and fork, in fresh processes ---------------------------------------------

_NEVER_CLOSED = textwrap.dedent(
    """
    import sys
    from puhuri_async import SyncPuhuriClient
    from puhuri_async.testing import FakeData, FakePuhuri

    fake = FakePuhuri(FakeData.generate(users=30, seed=1), token="test-token-123")
    if sys.argv[1] == "loopback":
        server = fake.serve()
        client = SyncPuhuriClient(server.__enter__(), "test-token-123", page_size=10)
    else:
        client = SyncPuhuriClient(fake.base_url, "test-token-123", transport=fake.transport(),
                                  page_size=10)
    users = client.list_users()
    left_open = client.iter_users()
    next(left_open)
    print(len(users), flush=True)
    # no close(), no `with`: the interpreter must still exit
    """
)


@pytest.mark.parametrize("mode", ["in-process", "loopback"])
def test_no_hang_at_interpreter_exit_without_close(mode: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _NEVER_CLOSED, mode],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "30"
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr


_FORKED = textwrap.dedent(
    """
    import os, sys
    from puhuri_async import ClientClosedError, SyncPuhuriClient
    from puhuri_async.testing import FakePuhuri

    fake = FakePuhuri(token="test-token-123")
    client = SyncPuhuriClient(fake.base_url, "test-token-123", transport=fake.transport())
    client.list_users()
    pid = os.fork()
    if pid == 0:
        try:
            client.list_users()
        except ClientClosedError as exc:
            print("child:", exc, flush=True)
        sys.exit(0)  # a normal exit: the exit hook must not wait for the parent's thread
    _, status = os.waitpid(pid, 0)
    print("parent:", len(client.list_users()), os.waitstatus_to_exitcode(status), flush=True)
    """
)


def test_a_forked_child_exits_normally_without_hanging() -> None:
    done = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-c", _FORKED],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("child: this SyncPuhuriClient was created in process")
    assert "os.fork()" in lines[0]
    assert lines[1] == "parent: 20 0"


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_fork_guard(client: SyncPuhuriClient) -> None:
    assert len(client.list_users(limit=2)) == 2
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report through the pipe and leave without pytest's teardown
        code = 1
        try:
            try:
                client.list_users(limit=2)
                report = "no error"
            except ClientClosedError as exc:
                report = str(exc)
            with pytest.raises(ClientClosedError):
                list(client.iter_users())
            client.close()  # harmless in the child
            client.close()
            os.write(writer, report.encode())
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    deadline = time.monotonic() + WAIT
    while True:
        finished, status = os.waitpid(pid, os.WNOHANG)
        if finished:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the forked child hung")
        time.sleep(0.01)
    with os.fdopen(reader) as pipe:
        report = pipe.read()
    assert os.waitstatus_to_exitcode(status) == 0
    assert f"created in process {os.getpid()}" in report
    assert "cannot be used in process" in report
    assert "os.fork()" in report
    assert len(client.list_users(limit=2)) == 2  # the parent's client is untouched
