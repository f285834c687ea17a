"""The demo: the job a service provider runs, against the embedded fake or a real Puhuri Core.

:func:`run_demo` is the job itself, on any ``PuhuriClient``, for the provider the token owns:

1. who the token is (``users/me/``) and which provider it manages;
2. fetch the provider's users, SSH keys, projects and project permissions, all concurrently;
3. approve the orders waiting for the provider (``pending-provider``); Basic allocations get a
   backend id and an access report;
4. on site-agent offerings, mark failed orders ``executing`` again and carry out each executing
   order on the "site" (:class:`Site`, the demo's stand-in for the provider's system): create
   the allocation, set its backend id and limits, set the resource ``OK`` and the order
   ``done``, or, when the site cannot host it, both erred with the reason;
5. give every member of those projects an account on the offering (offering users), walked
   from ``Requested`` through ``Creating`` to ``OK``;
6. report usage for every ``OK`` allocation, per usage component and, on site-agent
   offerings, per user;
7. read it back: the plan periods and the per-user usages show the amounts reported.

It returns a :class:`DemoSummary` (items per kind, counts per step, requests, retries, time).
The writing steps run only with ``write=True``, so the demo can safely look at a real server.
:func:`embedded_fake` starts the fake Puhuri Core on a loopback port, with work waiting.

``puhuri demo`` and ``python -m puhuri_async demo`` run it from the shell.
"""

from puhuri_async._demo._fake import (
    DEFAULT_LATENCY_MS,
    DEFAULT_USERS,
    OWNER_TOKEN,
    DemoSetupError,
    add_site_work,
    embedded_fake,
)
from puhuri_async._demo._job import run_demo
from puhuri_async._demo._site import Site
from puhuri_async._demo._summary import FETCHED, STEPS, WRITES, DemoSummary
from puhuri_async._demo._usage import usage_amounts

__all__ = [
    "DEFAULT_LATENCY_MS",
    "DEFAULT_USERS",
    "FETCHED",
    "OWNER_TOKEN",
    "STEPS",
    "WRITES",
    "DemoSetupError",
    "DemoSummary",
    "Site",
    "add_site_work",
    "embedded_fake",
    "run_demo",
    "usage_amounts",
]
