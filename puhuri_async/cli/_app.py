"""The ``puhuri`` root command: connection settings, running a job, and turning errors into exits.

Every subcommand runs its calls against one ``PuhuriClient`` through :class:`App`; the root
group (:class:`Root`) is the one place where failures become exit statuses (see ``_exits``)
and single, terminal-safe lines on stderr.

The API token is never printed: it is not part of any error or log message the client makes,
and as a second guard every line this module writes has the token's text replaced by ``***``.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from puhuri_async import PuhuriClient, PuhuriError, RetryPolicy, Timeout
from puhuri_async._version import __version__
from puhuri_async.cli._deadline import call_within
from puhuri_async.cli._exits import EXIT_DOCS, CliError, Exit, exit_for, message_for
from puhuri_async.cli._help import Group
from puhuri_async.cli._output import REDACTED, Output
from puhuri_async.cli._profiles import PROFILE_ENV, config_path, load
from puhuri_async.cli._settings import Given, Settings, resolve
from puhuri_async.cli._terminal import escape

__all__ = ["App", "Fetch", "Progress", "Root", "cli"]

T = TypeVar("T")

#: ``progress(done, total)``: what the client's list methods report as pages arrive.
Progress = Callable[[int, int | None], None]
#: ``fetch(client, progress)``: one list request of a command, reporting progress as it goes.
Fetch = Callable[[PuhuriClient, Progress], Awaitable[Sequence[Any]]]

DEFAULT_TIMEOUT = 120.0
_CONNECT_TIMEOUT = 10.0
_BACKSTOP = 1.0


class _RedactingFilter(logging.Filter):
    """Replaces the token's text in log records (a guard: the client never logs it)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._secret and self._secret in message:
            message = message.replace(self._secret, REDACTED)
        record.msg, record.args = escape(message), None
        return True


class App:
    """Settings of one ``puhuri`` invocation and the way its subcommands run (``ctx.obj``).

    ``given`` holds ``api_url``, ``token`` and ``token_prefix`` as the options or variables
    gave them; the full settings (with the profile) are resolved when first needed.
    """

    def __init__(
        self,
        *,
        given: Mapping[str, Given] | None = None,
        profile: Given | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 3,
        max_concurrency: int = 16,
        verbose: bool = False,
    ) -> None:
        self.given = dict(given or {})
        self.profile = profile or Given()
        self.timeout = timeout
        self.retries = retries
        self.max_concurrency = max_concurrency
        self.verbose = verbose
        self._settings: Settings | None = None
        self._unresolvable = False
        self.secrets: list[str] = []
        """More tokens to keep out of every line (the one ``login`` is checking)."""

    def __repr__(self) -> str:
        return f"<puhuri App profile={self.profile.value!r}>"

    @property
    def settings(self) -> Settings:
        """The connection settings: flags, then environment, then the profile (see
        ``_settings``)."""
        if self._settings is None:
            self._settings = resolve(self.given, profile=self.profile)
        return self._settings

    @property
    def chosen_server(self) -> bool:
        """Whether the options or variables name a server: a URL, a token or a profile (the
        demo then uses it; without, it starts the embedded fake)."""
        named = [self.given.get("api_url"), self.given.get("token"), self.profile]
        return any(given is not None and given.source for given in named)

    @property
    def known_token(self) -> str | None:
        """The token, for redaction: from the settings when they can be resolved (never
        raises: a broken config file is reported by the command that needs it)."""
        if self._settings is None and not self._unresolvable:
            try:
                return self.settings.token
            except CliError:
                self._unresolvable = True
        if self._settings is not None:
            return self._settings.token
        return (self.given.get("token") or Given()).value

    def redact(self, text: str) -> str:
        """``text`` on one line, with the token's text (if any) replaced by ``***``."""
        for token in (self.known_token, *self.secrets):
            if token:
                text = text.replace(token, REDACTED)
        return " ".join(text.split())

    def client(
        self, api_url: str | None = None, token: str | None = None, *, prefix: str | None = None
    ) -> PuhuriClient:
        """A client for the settings (or the given URL and token, e.g. the demo's fake)."""
        settings = self.settings if api_url is None or token is None else Settings()
        api_url = api_url or settings.api_url
        token = token or settings.token
        if api_url is None:
            raise CliError(
                Exit.USAGE,
                "no API URL: run `puhuri login`, pass --api-url or set PUHURI_API_URL",
            )
        if token is None:
            raise CliError(
                Exit.USAGE, "no API token: run `puhuri login`, pass --token or set PUHURI_TOKEN"
            )
        check_scheme(api_url, settings.sources.get("api_url", "--api-url"))
        retry = RetryPolicy(max_attempts=self.retries + 1) if self.retries else RetryPolicy.none()
        # The per-phase timeouts only back the deadline up (``_deadline``): a little longer than
        # it, so that a slow answer ends with the deadline's message, not a read timeout's.
        seconds = self.timeout + _BACKSTOP
        return PuhuriClient(
            api_url,
            token,
            token_prefix=prefix or settings.token_prefix,
            timeout=Timeout(
                connect=min(seconds, _CONNECT_TIMEOUT), read=seconds, write=seconds, pool=seconds
            ),
            retry=retry,
            max_concurrency=self.max_concurrency,
            user_agent=f"puhuri-cli/{__version__}",
        )

    # -- running ----------------------------------------------------------------------------

    def fail(self, status: int, message: str) -> click.exceptions.Exit:
        """Print ``error: message`` (one line, token-free, terminal-safe); the exit to raise."""
        click.echo(escape(f"error: {self.redact(message)}"), err=True)
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
        handler.addFilter(_RedactingFilter(self.known_token or ""))
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
        client = self.client()

        async def run() -> T:
            async with client:
                return await job(client)

        return self.run(run)

    async def call(
        self, operation: str, call: Callable[[], Awaitable[T]], *, changes: bool = False
    ) -> T:
        """One API call, given ``--timeout`` seconds in all (see ``_deadline``)."""
        return await call_within(self.timeout, call, operation=operation, changes=changes)

    # -- the shapes of output ---------------------------------------------------------------

    def show_list(
        self,
        out: Output,
        kind: str,
        columns: Sequence[str],
        fetch: Fetch,
        *,
        operation: str,
        empty: str | None = None,
    ) -> None:
        """Fetch a list (with progress bars on a terminal) and print it."""

        async def job(client: PuhuriClient) -> Sequence[Any]:
            with out.progress() as bars:
                track = bars.track(kind)
                return await self.call(operation, lambda: fetch(client, track))

        out.items(self.with_client(job), columns, kind=kind, empty=empty)


async def _call(job: Callable[[], Awaitable[T]]) -> T:
    return await job()


def check_scheme(api_url: str, source: str) -> None:
    """A URL without ``http://`` or ``https://`` is a usage error that says so."""
    if "://" in api_url:
        return
    hint = api_url.strip().lstrip("/")
    raise CliError(
        Exit.USAGE,
        f"invalid API URL {api_url!r} (from {source}): it has no scheme; "
        f"write it whole, such as https://{hint}",
    )


class Root(Group):
    """The root group: failures of any subcommand become exit statuses and one-line errors."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (PuhuriError, CliError, KeyboardInterrupt) as exc:
            app = ctx.obj if isinstance(ctx.obj, App) else App()
            raise app.fail(exit_for(exc), message_for(exc)) from None

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        with formatter.section("Exit status"):
            formatter.write_dl([(str(int(code)), text) for code, text in EXIT_DOCS.items()])


def _profile_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of ``--profile``: the config file's profiles."""
    try:
        names = list(load(config_path()).profiles)
    except CliError:
        return []
    return [name for name in names if name.startswith(incomplete)]


def _given(ctx: click.Context, name: str, option: str, variable: str) -> Given:
    source = ctx.get_parameter_source(name)
    value = ctx.params.get(name)
    if source is click.core.ParameterSource.COMMANDLINE:
        return Given(value, option)
    if source is click.core.ParameterSource.ENVIRONMENT:
        return Given(value, variable)
    return Given()


@click.group(
    cls=Root,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(
    __version__, "--version", prog_name="puhuri", message="%(prog)s (puhuri-async) %(version)s"
)
@click.option(
    "--profile",
    envvar=PROFILE_ENV,
    metavar="NAME",
    shell_complete=_profile_names,
    help="The config file's profile to use (`puhuri login` makes one) [env: PUHURI_PROFILE].",
)
@click.option(
    "--api-url",
    envvar="PUHURI_API_URL",
    metavar="URL",
    help="Puhuri Core API root, such as https://puhuri-core.example.org/api/ "
    "[env: PUHURI_API_URL].",
)
@click.option(
    "--token",
    envvar="PUHURI_TOKEN",
    metavar="TOKEN",
    help="API token [env: PUHURI_TOKEN]; prefer a profile or the variable, flags show in `ps`.",
)
@click.option(
    "--token-prefix",
    envvar="PUHURI_TOKEN_PREFIX",
    type=click.Choice(["Token", "Bearer"]),
    default=None,
    help="Authorization scheme: Token (API tokens, the default) or Bearer (OIDC) "
    "[env: PUHURI_TOKEN_PREFIX].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="The most seconds each API call may take in all (a list with all its pages, one "
    "action), retries and waits included.",
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
    profile: str | None,
    api_url: str | None,
    token: str | None,
    token_prefix: str | None,
    timeout: float,
    retries: int,
    max_concurrency: int,
    verbose: bool,
) -> None:
    """Puhuri Core from the shell, for service providers.

    Connection settings come from the options, else from PUHURI_API_URL, PUHURI_TOKEN and
    PUHURI_TOKEN_PREFIX, else from a profile of the config file (`puhuri login` writes one).
    Results are tables for people; -o json, jsonl or tsv give data for scripts.
    """
    ctx.obj = App(
        given={
            "api_url": _given(ctx, "api_url", "--api-url", "PUHURI_API_URL"),
            "token": _given(ctx, "token", "--token", "PUHURI_TOKEN"),
            "token_prefix": _given(ctx, "token_prefix", "--token-prefix", "PUHURI_TOKEN_PREFIX"),
        },
        profile=_given(ctx, "profile", "--profile", PROFILE_ENV),
        timeout=timeout,
        retries=retries,
        max_concurrency=max_concurrency,
        verbose=verbose,
    )
