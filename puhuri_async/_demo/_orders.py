"""The orders part of the job: approve, put failed orders back, carry out, finish.

Orders of Basic offerings are approved and their new allocations get a backend id and an
access report. Orders of site-agent offerings (``Marketplace.Slurm``) are the site's work: an
``erred`` one is marked ``executing`` again (a retry), and each ``executing`` one is carried out
on the :class:`~puhuri_async._demo._site.Site` and finished: ``done`` with the resource ``OK``,
its backend id and limits set, or ``erred`` with the resource erred and the site's reason.
"""

from __future__ import annotations

from collections import Counter

from puhuri_async import Order, PuhuriClient, ResourceReportRecord
from puhuri_async._demo._site import Site
from puhuri_async._demo._steps import SITE_AGENT, Track, each, optional

__all__ = ["approve", "carry_out", "open_allocation", "restart"]


async def approve(
    client: PuhuriClient, orders: list[Order], track: Track, steps: Counter[str]
) -> None:
    """Approve the orders waiting for the provider; give Basic allocations their access."""
    await each(
        orders,
        lambda order: client.marketplace_order_approve_by_provider(order["uuid"]),
        track("approving orders"),
    )
    steps["orders_approved"] += len(orders)
    created = [
        order
        for order in orders
        if order.get("type") == "Create"
        and order.get("offering_type") != SITE_AGENT
        and order.get("marketplace_resource_uuid")
    ]
    await each(created, lambda order: open_allocation(client, order), track("backend ids, reports"))
    steps["backend_ids_set"] += len(created)
    steps["reports_submitted"] += len(created)


async def open_allocation(client: PuhuriClient, order: Order, account: str = "") -> None:
    """Link an allocation to its account and say how to log in."""
    resource = str(order["marketplace_resource_uuid"])
    backend_id = account or f"demo-{resource[:12]}"
    await client.marketplace_resource_set_backend_id(resource, backend_id)
    await client.marketplace_resource_submit_report(
        resource,
        [
            ResourceReportRecord("Login", f"ssh {backend_id}@login.example.org"),
            ResourceReportRecord("Documentation", "https://docs.example.org/getting-started"),
        ],
    )


async def restart(client: PuhuriClient, provider: str, track: Track, steps: Counter[str]) -> None:
    """Mark the site's ``erred`` orders ``executing`` again: the site retries them."""
    erred = await client.list_orders(state="erred", provider_uuid=provider)
    failed = [order for order in erred if order.get("offering_type") == SITE_AGENT]
    await each(
        failed,
        lambda order: client.marketplace_order_set_state_executing(order["uuid"]),
        track("restarting orders"),
    )
    steps["orders_restarted"] += len(failed)


def _limits(order: Order) -> dict[str, int]:
    return {str(kind): int(amount) for kind, amount in (order.get("limits") or {}).items()}


async def carry_out(
    client: PuhuriClient, site: Site, order: Order, steps: Counter[str], lacking: set[str]
) -> None:
    """Do on the site what an executing order asks, then finish it (done or erred).

    The steps a server may lack or keep for staff are noted in ``lacking`` and skipped.
    """
    order = await client.get_order(order["uuid"])  # read again: another agent may have acted
    if order["state"] != "executing":
        return
    resource = str(order["marketplace_resource_uuid"])
    limits = _limits(order)
    if order["type"] == "Create":
        refusal = site.refusal(limits)
        if refusal is not None:
            await optional(
                client.marketplace_provider_resource_set_as_erred(
                    resource, error_message=f"The site cannot host it: {refusal}."
                ),
                "marketplace_provider_resource_set_as_erred",
                "resources_set_erred",
                steps,
                lacking,
            )
            await client.marketplace_order_set_state_erred(
                order["uuid"],
                error_message=f"The site cannot host this allocation: {refusal}.",
                error_traceback=f"site.refusal({limits!r})",
            )
            steps["orders_erred"] += 1
            return
        account = site.create(resource, limits)
        steps["allocations_created"] += 1
        await open_allocation(client, order, account)
        steps["backend_ids_set"] += 1
        steps["reports_submitted"] += 1
    elif order["type"] == "Terminate":
        site.remove(resource)
    else:
        site.update(resource, limits)
    if limits and order["type"] != "Terminate":
        await optional(
            client.marketplace_provider_resource_set_limits(resource, limits),
            "marketplace_provider_resource_set_limits",
            "limits_set",
            steps,
            lacking,
        )
    if order["type"] == "Create":
        await optional(
            client.marketplace_provider_resource_set_as_ok(resource),
            "marketplace_provider_resource_set_as_ok",
            "resources_set_ok",
            steps,
            lacking,
        )
    await client.marketplace_order_set_state_done(order["uuid"])
    steps["orders_done"] += 1
