"""The embedded fake Puhuri Core the demo runs against, with a site agent's work waiting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = [
    "DEFAULT_LATENCY_MS",
    "DEFAULT_USERS",
    "OWNER_TOKEN",
    "DemoSetupError",
    "add_site_work",
    "embedded_fake",
]

DEFAULT_USERS = 2_000
DEFAULT_LATENCY_MS = 10.0
#: The fake's token of the provider's owner (the one a provider's agent would hold).
OWNER_TOKEN = "owner-token"  # noqa: S105 - a fixed token of the fake, not a secret
#: The site agent's offering of the fake's data.
SITE_OFFERING = "Site agent allocation"


class DemoSetupError(Exception):
    """The demo cannot start (e.g. the embedded fake needs the ``testing`` extra)."""


def add_site_work(data: Any, *, users: int) -> None:
    """Orders on the site agent's offering for the demo to work through (``FakeData``).

    New allocations asked for (one per 100 users, at least four), one of them over the site's
    capacity, an order that failed before and is retried, and a change of limits.
    """
    offering = next((o for o in data.offerings if o["name"] == SITE_OFFERING), None)
    if offering is None:
        return
    mine = [r for r in data.resources if r["offering_uuid"] == offering["uuid"]]
    projects = sorted({r["project_uuid"] for r in mine})
    if not projects:
        return
    limits = {"cpu": 20_000, "gpu": 400, "storage": 5_000}
    for number in range(max(4, users // 100)):
        project = data.get("projects", projects[number % len(projects)])
        resource = data.add_resource(project=project, offering=offering, state="Creating")
        data.add_order(
            resource=resource, state="pending-provider", order_type="Create", limits=dict(limits)
        )
    project = data.get("projects", projects[0])
    huge = data.add_resource(project=project, offering=offering, state="Creating")
    data.add_order(
        resource=huge,
        state="pending-provider",
        order_type="Create",
        limits={**limits, "cpu": 10_000_000},
    )
    failed = data.add_resource(project=project, offering=offering, state="Erred")
    data.add_order(resource=failed, state="erred", order_type="Create", limits=dict(limits))
    running = next((r for r in mine if r["state"] == "OK"), None)
    if running is not None:
        data.add_order(
            resource=running,
            state="pending-provider",
            order_type="Update",
            limits={**limits, "cpu": 40_000},
        )


@contextmanager
def embedded_fake(
    *, users: int = DEFAULT_USERS, latency_ms: float = DEFAULT_LATENCY_MS, seed: int = 0
) -> Iterator[tuple[str, str]]:
    """The fake Puhuri Core on a loopback port for the block: yields ``(api_url, token)``.

    Sized by ``users`` (projects, resources and orders follow), each answer delayed by
    ``latency_ms``, the data fixed by ``seed``; the site agent's offering has work waiting
    (:func:`add_site_work`). The token is the provider owner's. Needs the ``testing`` extra.
    """
    try:
        import uvicorn  # noqa: F401 - only checked: the fake serves through it

        from puhuri_async.testing import FakeData, FakePuhuri
    except ImportError as exc:
        raise DemoSetupError(
            f"the embedded fake Puhuri Core needs the 'testing' extra ({exc.name} is missing): "
            "pip install 'puhuri-async[cli,testing]'"
        ) from exc
    data = FakeData.generate(users=users, seed=seed)
    add_site_work(data, users=users)
    fake = FakePuhuri(data, latency=latency_ms / 1000)
    with fake.serve() as api_url:
        yield api_url, OWNER_TOKEN
