"""The token never appears in logs, exception messages, tracebacks or reprs.

One whole run against the loopback fake, with every logger at DEBUG (the root logger, so the
client's, httpx's, httpcore's and uvicorn's records are all captured): lists under faults,
retries, POSTs whose outcome is unknown, a drifting list, a refused cross-origin link, a wrong
token and a malformed one. Every log record, every error (message, repr and formatted traceback
with its causes) and the repr of every object the run handed out is searched for the token.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator

import httpx
import pytest

from puhuri_async import (
    AuthenticationError,
    CountDriftWarning,
    InvalidArgumentError,
    PuhuriClient,
    PuhuriError,
    RetryEvent,
    SyncPuhuriClient,
    Timeout,
    _transports,
)
from puhuri_async.testing import DataChange, FakeData, FakePuhuri, Fault

from ._figures import FIGURES
from ._servers import HostileApi, serve
from ._support import FAST_RETRY, TOKEN, use_fake_time


def network_loggers() -> set[str]:
    """The loggers of the layer under httpx that sends in this event loop: httpcore's, unless
    the aiohttp transport is chosen (it logs nothing of its own)."""
    chosen = _transports.select(verify=True, limits=httpx.Limits())
    return set() if chosen is not None else {"httpcore"}


WRONG_TOKEN = "test-token-wrong-77aa01"
MALFORMED_TOKEN = "test-token-bad zqxv-malformed"
SECRETS = (TOKEN, WRONG_TOKEN, MALFORMED_TOKEN, "zqxv-malformed")
LOGGERS = ("puhuri_async", "httpx", "httpcore", "uvicorn", "uvicorn.error", "asyncio", "trio")


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []
        self.names: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        self.names.add(record.name.split(".")[0])


@pytest.fixture
def capture() -> Iterator[Capture]:
    handler = Capture()
    root = logging.getLogger()
    saved = root.level, {name: logging.getLogger(name).level for name in LOGGERS}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        for name, level in saved[1].items():
            logging.getLogger(name).setLevel(level)


def texts_of(error: BaseException) -> list[str]:
    return [str(error), repr(error), "".join(traceback.format_exception(error))]


async def whole_run(
    fake: FakePuhuri, base_url: str, hostile_url: str
) -> tuple[list[BaseException], list[object]]:
    """Everything a site agent does in a bad hour; returns the errors and the objects seen."""
    errors: list[BaseException] = []
    objects: list[object] = []
    events: list[RetryEvent] = []
    sp = str(fake.data.service_provider["uuid"])
    pending = [o["uuid"] for o in fake.data.orders if o["state"] == "pending-provider"]
    resource = next(r for r in fake.data.resources if r["state"] != "Terminated")["uuid"]
    for fault in (
        Fault.error(503, every=7),
        Fault.error(429, retry_after=1, every=5),
        Fault.drop(path="users/", at=(2,)),
        Fault.malformed(path="keys/", at=(1,)),
        Fault.error(502, method="POST", path="marketplace-orders/*", at=(2,)),
        Fault.slow(30.0, method="POST", path="*/set_backend_id/", at=(1,)),
    ):
        fake.add_fault(fault)
    fake.schedule_change(DataChange("users", insert=2, after=2, path="users/"))
    async with PuhuriClient(
        base_url,
        TOKEN,
        retry=FAST_RETRY,
        page_size=7,
        on_retry=events.append,
        timeout=Timeout(connect=5.0, read=0.5, write=5.0, pool=5.0),
    ) as client:
        use_fake_time(client)
        with pytest.warns(CountDriftWarning):
            objects += await client.list_users()
        objects += await client.list_ssh_keys()
        objects += await client.list_service_provider_project_permissions(sp)
        paginator = client.iter_orders()
        objects += [order async for order in paginator]
        objects.append(paginator)
        for order in pending[:3]:
            try:
                objects.append(await client.marketplace_order_approve_by_provider(order))
            except PuhuriError as exc:
                errors.append(exc)
        objects.append(await client.marketplace_resource_set_backend_id(resource, "b-1"))
        objects += [client, client._transport, client.stats, *events]
    async with PuhuriClient(base_url, WRONG_TOKEN) as wrong:
        try:
            await wrong.list_users()
        except AuthenticationError as exc:
            errors.append(exc)
    async with PuhuriClient(hostile_url, TOKEN, page_size=5) as client:
        try:
            await client.list_users()
        except PuhuriError as exc:
            errors.append(exc)
    try:
        PuhuriClient(base_url, MALFORMED_TOKEN)
    except InvalidArgumentError as exc:
        errors.append(exc)
    return errors, objects


@pytest.fixture
def servers() -> Iterator[tuple[FakePuhuri, str, str]]:
    fake = FakePuhuri(FakeData.generate(users=40, seed=13), token=TOKEN)
    hostile = HostileApi(FakePuhuri(FakeData.generate(users=320, seed=14), token=TOKEN))
    with fake.serve() as base_url, serve(hostile) as origin:
        hostile.origin = origin
        hostile.link_origin = "http://localhost:1"
        yield fake, base_url, origin + "/api/"


@pytest.mark.anyio
async def test_the_token_appears_nowhere(
    servers: tuple[FakePuhuri, str, str], capture: Capture
) -> None:
    fake, base_url, hostile_url = servers
    errors, objects = await whole_run(fake, base_url, hostile_url)
    texts = [*capture.lines]
    for error in errors:
        texts += texts_of(error)
    texts += [repr(obj) for obj in objects]
    leaks = [text for text in texts if any(secret in text for secret in SECRETS)]
    FIGURES.add(tokens_leaked=len(leaks))
    FIGURES.note("token_hygiene_texts_searched", len(texts))
    assert leaks == []
    # The run did what it claims: errors of each kind, retries logged, every library logged.
    kinds = {type(error).__name__ for error in errors}
    assert {
        "OutcomeUnknownError",
        "AuthenticationError",
        "CrossOriginError",
        "InvalidArgumentError",
    } <= kinds
    assert any("retry" in line for line in capture.lines if line.startswith("puhuri_async"))
    assert {"puhuri_async", "httpx"} | network_loggers() <= capture.names
    # The request really carried the token: the search is for something that was there.
    assert any(dict(r.headers).get("authorization") == f"Token {TOKEN}" for r in fake.requests)


def test_the_token_appears_nowhere_in_cli_output(
    servers: tuple[FakePuhuri, str, str], capture: Capture
) -> None:
    """``puhuri -v`` (every request and retry logged on stderr) over faults and failures."""
    from click.testing import CliRunner

    from puhuri_async.cli._commands import cli

    fake, base_url, hostile_url = servers
    pending = [o["uuid"] for o in fake.data.orders if o["state"] == "pending-provider"]
    fake.add_fault(Fault.error(503, method="GET", every=3))
    fake.add_fault(Fault.error(502, method="POST", path="marketplace-orders/*", at=(2,)))
    runs = [
        (["-v", "users", "list"], TOKEN, base_url),
        (["-v", "users", "list", "--json"], TOKEN, base_url),
        (["-v", "orders", "approve", pending[0]], TOKEN, base_url),
        (["-v", "orders", "approve", pending[1]], TOKEN, base_url),  # 502: outcome unknown
        (["-v", "orders", "approve", pending[0]], TOKEN, base_url),  # 409: not pending now
        (["-v", "users", "list"], WRONG_TOKEN, base_url),  # 401
        (["-v", "users", "list"], MALFORMED_TOKEN, base_url),  # refused before sending
        (["-v", "users", "list"], TOKEN, hostile_url),  # cross-origin link
        (["-v", "--token", TOKEN, "users", "list"], TOKEN, base_url),  # the flag, not the env
    ]
    outputs: list[str] = []
    exit_codes: list[int] = []
    for args, token, url in runs:
        result = CliRunner().invoke(cli, args, env={"PUHURI_API_URL": url, "PUHURI_TOKEN": token})
        outputs += [result.stdout, result.stderr]
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            outputs += texts_of(result.exception)
        exit_codes.append(result.exit_code)
    # The sync facade too: its repr and its errors.
    with SyncPuhuriClient(base_url, WRONG_TOKEN, retry=FAST_RETRY) as sync_client:
        outputs.append(repr(sync_client))
        with pytest.raises(AuthenticationError) as info:
            sync_client.list_users()
        outputs += texts_of(info.value)
    texts = outputs + capture.lines
    leaks = [text for text in texts if any(secret in text for secret in SECRETS)]
    FIGURES.add(tokens_leaked=len(leaks))
    assert leaks == []
    assert exit_codes[:3] == [0, 0, 0]
    # The CLI's statuses per class: 8 outcome unknown, 5 conflict, 3 auth, 2 usage, 1 error.
    assert exit_codes[3:8] == [8, 5, 3, 2, 1], exit_codes
    assert exit_codes[-1] == 0
    stderr = "".join(outputs)
    assert "outcome unknown" in stderr
    assert "retry" in stderr  # -v logged the retries
