"""The ``puhuri`` root command: connection settings, running a job, and turning errors into exits.

Every subcommand runs one coroutine against one ``PuhuriClient`` through :meth:`App.run`, the one
place where errors become exit statuses and single lines on stderr:

- 0: success;
- 1: the API or the network failed (``APIError``, ``TransportError``, ...);
- 2: a usage error: a bad option (click's own errors), a missing setting, or an argument the
  client rejected before sending anything (``InvalidArgumentError``).

The API token is never printed: it is not part of any error or log message the client makes, and
as a second guard every line this module writes has the token's text replaced by ``***``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import click

from puhuri_async import InvalidArgumentError, PuhuriClient, PuhuriError, RetryPolicy, Timeout
from puhuri_async._version import __version__
from puhuri_async.cli._output import REDACTED, Format, Output

__all__ = ["App", "Fetch", "Progress", "cli", "output_option"]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

#: ``progress(done, total)``: what the client's list methods report as pages arrive.
Progress = Callable[[int, int | None], None]
#: ``fetch(client, progress)``: one list request of a command, reporting progress as it goes.
Fetch = Callable[[PuhuriClient, Progress], Awaitable[Sequence[Any]]]

EXIT_API_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class _RedactingFilter(logging.Filter):
    """Replaces the token's text in log records (a guard: the client never logs it)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secret and self._secret in record.getMessage():
            record.msg = record.getMessage().replace(self._secret, REDACTED)
            record.args = None
        return True


class App:
    """Settings of one ``puhuri`` invocation and the way its subcommands run (``ctx.obj``)."""

    def __init__(
        self,
        *,
        api_url: str | None,
        token: str | None,
        token_prefix: str,
        timeout: float,
        retries: int,
        max_concurrency: int,
        verbose: bool,
    ) -> None:
        self.api_url = (api_url or "").strip() or None
        self.token = (token or "").strip() or None
        self.token_prefix = token_prefix
        self.timeout = timeout
        self.retries = retries
        self.max_concurrency = max_concurrency
        self.verbose = verbose

    def __repr__(self) -> str:
        token = "set" if self.token else "unset"
        return f"<puhuri App api_url={self.api_url!r} token={token}>"

    @property
    def configured(self) -> bool:
        """True when both the API URL and the token are known (flags or environment)."""
        return self.api_url is not None and self.token is not None

    def redact(self, text: str) -> str:
        """``text`` on one line, with the token's text (if any) replaced by ``***``."""
        if self.token:
            text = text.replace(self.token, REDACTED)
        return " ".join(text.split())

    def client(self, api_url: str | None = None, token: str | None = None) -> PuhuriClient:
        """A client for the settings (or the given URL and token, e.g. the demo's fake)."""
        api_url = api_url or self.api_url
        token = token or self.token
        if api_url is None:
            raise click.UsageError("no API URL: pass --api-url or set PUHURI_API_URL")
        if token is None:
            raise click.UsageError("no API token: pass --token or set PUHURI_TOKEN")
        retry = RetryPolicy(max_attempts=self.retries + 1) if self.retries else RetryPolicy.none()
        return PuhuriClient(
            api_url,
            token,
            token_prefix=self.token_prefix,
            timeout=Timeout(read=self.timeout, write=self.timeout, pool=self.timeout),
            retry=retry,
            max_concurrency=self.max_concurrency,
            user_agent=f"puhuri-cli/{__version__}",
        )

    # -- running ----------------------------------------------------------------------------

    def fail(self, status: int, message: str) -> click.exceptions.Exit:
        """Print ``error: message`` (one line, token-free) and return the exit to raise."""
        click.echo(f"error: {self.redact(message)}", err=True)
        return click.exceptions.Exit(status)

    @contextmanager
    def _logging(self) -> Iterator[None]:
        """With ``--verbose``: the client's log (each request, each retry) on stderr."""
        if not self.verbose:
            yield
            return
        logger = logging.getLogger("puhuri_async")
        handler: logging.Handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        handler.addFilter(_RedactingFilter(self.token or ""))
        level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        try:
            yield
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)

    def run(self, job: Callable[[], Awaitable[T]]) -> T:
        """Run ``job()`` in a new event loop (its errors are turned into exits by the root)."""
        with self._logging():
            return asyncio.run(_call(job))

    def with_client(self, job: Callable[[PuhuriClient], Awaitable[T]]) -> T:
        """Run ``job(client)`` with a client for the settings, closed afterwards."""

        async def run() -> T:
            async with self.client() as client:
                return await job(client)

        return self.run(run)

    # -- the shapes of output ---------------------------------------------------------------

    def show_list(self, out: Output, kind: str, columns: Sequence[str], fetch: Fetch) -> None:
        """Fetch a list (with progress bars on a terminal) and print it."""

        async def job(client: PuhuriClient) -> Sequence[Any]:
            with out.progress() as bars:
                return await fetch(client, bars.track(kind))

        out.items(self.with_client(job), columns, kind=kind)

    def show_item(
        self,
        out: Output,
        fetch: Callable[[PuhuriClient], Awaitable[Any]],
        columns: Sequence[str] | None = None,
    ) -> Any:
        """Fetch one object, print it (``columns``: the fields a table shows) and return it."""
        result = self.with_client(fetch)
        out.item(result, columns=columns)
        return result

    def act(
        self,
        out: Output,
        action: Callable[[PuhuriClient], Awaitable[Any]],
        message: str,
        data: Mapping[str, Any],
    ) -> None:
        """Do one change; print ``message`` (table format) or ``data`` plus the answer (JSON)."""
        result = self.with_client(action)
        answer = result.to_dict() if hasattr(result, "to_dict") else result
        out.done(message, {**data, "result": answer})


async def _call(job: Callable[[], Awaitable[T]]) -> T:
    return await job()


def output_option(func: F) -> F:
    """``--json`` / ``--jsonl`` (default: a table); the command receives ``out: Output``."""

    @functools.wraps(func)
    def command(*args: Any, fmt: str | None, **kwargs: Any) -> Any:
        app = click.get_current_context().find_object(App)
        out = Output(Format(fmt or "table"), secret=app.token if app else None)
        return func(*args, out=out, **kwargs)

    wrapped = click.option(
        "--jsonl",
        "fmt",
        flag_value="jsonl",
        help="Print one JSON object per line (the server's JSON).",
    )(command)
    wrapped = click.option(
        "--json", "fmt", flag_value="json", help="Print one JSON document (the server's JSON)."
    )(wrapped)
    return cast(F, wrapped)


_PLAIN = App(
    api_url=None,
    token=None,
    token_prefix="Token",  # noqa: S106 - the scheme word
    timeout=60.0,
    retries=0,
    max_concurrency=1,
    verbose=False,
)


class _Root(click.Group):
    """The root group: errors of the client, from any subcommand, become exits here."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (PuhuriError, KeyboardInterrupt) as exc:
            app = ctx.obj if isinstance(ctx.obj, App) else _PLAIN
            if isinstance(exc, KeyboardInterrupt):
                raise app.fail(EXIT_INTERRUPTED, "interrupted") from None
            status = EXIT_USAGE if isinstance(exc, InvalidArgumentError) else EXIT_API_ERROR
            raise app.fail(status, str(exc)) from None


@click.group(
    cls=_Root, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(
    __version__, "--version", prog_name="puhuri", message="%(prog)s (puhuri-async) %(version)s"
)
@click.option(
    "--api-url",
    envvar="PUHURI_API_URL",
    metavar="URL",
    help="Puhuri Core API root, e.g. https://puhuri-core.example.org/api/ [env: PUHURI_API_URL].",
)
@click.option(
    "--token",
    envvar="PUHURI_TOKEN",
    metavar="TOKEN",
    help="API token [env: PUHURI_TOKEN]; prefer the variable, flags show in `ps`.",
)
@click.option(
    "--token-prefix",
    type=click.Choice(["Token", "Bearer"]),
    default="Token",
    show_default=True,
    help="Authorization scheme: Token (API tokens) or Bearer (OIDC).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for an answer.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Retries of a failed request (only when a retry is safe); 0 turns them off.",
)
@click.option(
    "--max-concurrency",
    type=click.IntRange(min=1),
    default=16,
    show_default=True,
    help="Requests in flight at once.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log each request and retry on stderr.")
@click.pass_context
def cli(
    ctx: click.Context,
    api_url: str | None,
    token: str | None,
    token_prefix: str,
    timeout: float,
    retries: int,
    max_concurrency: int,
    verbose: bool,
) -> None:
    """Puhuri Core from the shell, for service providers.

    Connection settings come from the options or from PUHURI_API_URL and PUHURI_TOKEN. Results
    are tables for people; --json and --jsonl give the server's JSON for scripts. Exit status:
    0 success, 1 API or network error, 2 usage error.
    """
    ctx.obj = App(
        api_url=api_url,
        token=token,
        token_prefix=token_prefix,
        timeout=timeout,
        retries=retries,
        max_concurrency=max_concurrency,
        verbose=verbose,
    )
