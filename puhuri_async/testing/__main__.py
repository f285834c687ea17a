"""``python -m puhuri_async.testing serve``: run the fake Puhuri Core on a loopback port.

Prints the API base URL (one line on stdout, for scripts) and serves until interrupted.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from puhuri_async.testing._app import DEFAULT_TOKEN, FakePuhuri
from puhuri_async.testing._data import FakeData
from puhuri_async.testing._profiles import PROFILES
from puhuri_async.testing._quirks import Quirks

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m puhuri_async.testing",
        description="The embedded fake Puhuri Core of puhuri-async.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the fake API on a loopback port")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=0, help="port (default 0: a free one)")
    serve.add_argument(
        "--token", default=DEFAULT_TOKEN, help=f"API token (default {DEFAULT_TOKEN})"
    )
    serve.add_argument(
        "--latency-ms", type=float, default=0.0, help="delay of every answer in milliseconds"
    )
    serve.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    serve.add_argument(
        "--profile",
        default="8.0",
        help=f"server version to play: {', '.join(sorted(PROFILES))} (default 8.0)",
    )
    serve.add_argument(
        "--real-quirks",
        action="store_true",
        help="show every real-server behaviour (unstable ties, nulls, ...)",
    )
    serve.add_argument(
        "--site-agent",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="add the site agent's offering and its work (default: yes)",
    )
    for name, default in (("users", 20), ("offerings", 2)):
        serve.add_argument(f"--{name}", type=int, default=default, help=f"default {default}")
    for name in ("ssh-keys", "projects", "permissions", "resources", "orders", "offering-users"):
        serve.add_argument(f"--{name}", type=int, default=None, help="default: follows --users")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.latency_ms < 0:
        print("error: --latency-ms must be >= 0", file=sys.stderr)
        return 2
    try:
        data = FakeData.generate(
            users=args.users,
            ssh_keys=args.ssh_keys,
            projects=args.projects,
            permissions=args.permissions,
            resources=args.resources,
            orders=args.orders,
            offerings=args.offerings,
            offering_users=args.offering_users,
            site_agent=args.site_agent,
            seed=args.seed,
        )
        quirks = Quirks.real() if args.real_quirks else Quirks()
        fake = FakePuhuri(
            data,
            token=args.token,
            profile=args.profile,
            quirks=quirks,
            latency=args.latency_ms / 1000,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with fake.serve(args.host, args.port) as base_url:
        print(base_url, flush=True)
        print(
            f"fake Puhuri Core {fake.profile.version}: staff token {args.token!r} (also "
            f"{', '.join(sorted(fake.tokens))}), service provider "
            f"{data.service_provider['uuid']}, {len(data.users)} users; Ctrl-C stops it",
            file=sys.stderr,
            flush=True,
        )
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
