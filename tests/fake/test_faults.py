"""Fault plans in-process: statuses, Retry-After, HTML, malformed and cut bodies, slowness,
whether the operation was applied, when plans fire, and injected latency."""

from __future__ import annotations

import json

import httpx
import pytest

from puhuri_async.testing import FakeData, FakePuhuri, Fault

from ._util import TOKEN, client_for

pytestmark = pytest.mark.anyio


def pending(fake: FakePuhuri) -> dict:
    return next(o for o in fake.data.orders if o["state"] == "pending-provider")


async def statuses(client: httpx.AsyncClient, path: str, count: int) -> list[int]:
    return [(await client.get(path)).status_code for _ in range(count)]


async def test_status_every_nth(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    fake.add_fault(Fault.error(503, every=3, path="users/"))
    assert await statuses(client, "users/", 7) == [200, 200, 503, 200, 200, 503, 200]
    assert await statuses(client, "keys/", 3) == [200, 200, 200]
    response = await client.get("users/")  # the 8th
    assert response.status_code == 200
    faulted = [r for r in fake.requests if r.fault]
    assert [(r.status, r.fault, r.applied) for r in faulted] == [(503, "status", False)] * 2
    ((plan, matched, fired),) = fake.fault_counts()
    assert (plan.status, matched, fired) == (503, 8, 2)


async def test_status_body_and_retry_after(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    fake.add_fault(Fault.error(429, retry_after=2, at=(1,)))
    throttled = await client.get("users/")
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "2"
    assert throttled.json() == {"detail": "Request was throttled. Expected available in 2 seconds."}
    assert (await client.get("users/")).status_code == 200
    fake.add_fault(
        Fault.error(
            502,
            body=b"<h1>bad gateway</h1>",
            content_type="text/html",
            at=(1,),
            retry_after="Wed, 21 Oct 2026 07:28:00 GMT",
        )
    )
    gateway = await client.get("users/")
    assert gateway.status_code == 502
    assert gateway.text == "<h1>bad gateway</h1>"
    assert gateway.headers["Retry-After"] == "Wed, 21 Oct 2026 07:28:00 GMT"
    fake.add_fault(Fault.error(504, at=(1,)))
    assert (await client.get("users/")).json() == {"detail": "504 Gateway Timeout"}


async def test_at_times_and_method_filters(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    fake.add_fault(Fault.error(500, at=(2, 3)))
    fake.add_fault(Fault.error(503, times=1))
    fake.add_fault(Fault.error(502, method="post"))
    assert await statuses(client, "users/", 4) == [503, 500, 500, 200]
    order = pending(fake)
    posted = await client.post(f"marketplace-orders/{order['uuid']}/approve_by_provider/", json={})
    assert posted.status_code == 502
    assert order["state"] == "pending-provider"


async def test_probability_is_seeded(fake: FakePuhuri) -> None:
    async def run(seed: int) -> list[int]:
        other = FakePuhuri(
            FakeData.generate(users=3),
            token=TOKEN,
            faults=[Fault.error(503, probability=0.5, seed=seed)],
        )
        async with client_for(other) as http:
            return await statuses(http, "users/", 20)

    first = await run(3)
    assert first == await run(3)
    assert first != await run(4)
    assert 0 < first.count(503) < 20
    never = FakePuhuri(
        FakeData.generate(users=3), token=TOKEN, faults=[Fault.error(503, probability=0.0)]
    )
    async with client_for(never) as http:
        assert await statuses(http, "users/", 5) == [200] * 5


@pytest.mark.parametrize("applied", [False, True])
async def test_error_after_or_before_the_post_took_effect(
    client: httpx.AsyncClient, fake: FakePuhuri, applied: bool
) -> None:
    order = pending(fake)
    fake.add_fault(
        Fault.error(
            502,
            method="POST",
            path="marketplace-orders/*/approve_by_provider/",
            at=(1,),
            applied=applied,
        )
    )
    path = f"marketplace-orders/{order['uuid']}/approve_by_provider/"
    assert (await client.post(path, json={})).status_code == 502
    assert order["state"] == ("executing" if applied else "pending-provider")
    retry = await client.post(path, json={})
    assert retry.status_code == (409 if applied else 200)
    log = fake.requests_for("POST", path)
    assert [(r.status, r.applied, r.fault) for r in log] == [
        (502, applied, "status"),
        (retry.status_code, not applied, None),
    ]
    assert sum(r.applied for r in log) == 1


async def test_html_page(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    fake.add_fault(Fault.html(at=(1,)))
    fake.add_fault(Fault.html(503, at=(2,)))
    page = await client.get("users/")
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert page.text.startswith("<!DOCTYPE html>")
    with pytest.raises(json.JSONDecodeError):
        page.json()
    error = await client.get("users/")
    assert error.status_code == 503
    assert "503 Service Unavailable" in error.text


async def test_malformed_body(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    whole = (await client.get("users/")).content
    fake.add_fault(Fault.malformed(at=(1,)))
    broken = await client.get("users/")
    assert broken.status_code == 200
    assert broken.headers["Content-Type"] == "application/json"
    assert broken.content == whole[: len(whole) // 2]
    with pytest.raises(json.JSONDecodeError):
        broken.json()


@pytest.mark.parametrize("applied", [False, True])
async def test_malformed_answer_to_a_post(
    client: httpx.AsyncClient, fake: FakePuhuri, applied: bool
) -> None:
    order = pending(fake)
    fake.add_fault(Fault.malformed(method="POST", applied=applied))
    response = await client.post(
        f"marketplace-orders/{order['uuid']}/approve_by_provider/", json={}
    )
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert order["state"] == ("executing" if applied else "pending-provider")


async def test_dropped_connection(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    fake.add_fault(Fault.drop(path="users/", at=(1,)))
    with pytest.raises(httpx.RemoteProtocolError, match="peer closed connection"):
        await client.get("users/")
    async with client.stream("GET", "users/") as fine:
        assert fine.status_code == 200
        await fine.aread()
    fake.add_fault(Fault.drop(path="keys/", at=(1,)))
    async with client.stream("GET", "keys/") as cut:
        assert cut.status_code == 200  # the headers arrived
        expected = int(cut.headers["Content-Length"])
        with pytest.raises(httpx.RemoteProtocolError):
            await cut.aread()
    assert expected > 0
    assert fake.requests[-1].fault == "drop"


@pytest.mark.parametrize("applied", [False, True])
async def test_dropped_post(client: httpx.AsyncClient, fake: FakePuhuri, applied: bool) -> None:
    resource = fake.data.resources[0]
    fake.add_fault(Fault.drop(method="POST", applied=applied))
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post(
            f"marketplace-provider-resources/{resource['uuid']}/set_backend_id/",
            json={"backend_id": "b-1"},
        )
    assert resource["backend_id"] == ("b-1" if applied else "")
    assert fake.requests[-1].applied is applied


async def test_slow_answer_times_out(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    fake.add_fault(Fault.slow(5.0, path="users/", at=(1,)))
    with pytest.raises(httpx.ReadTimeout):
        await client.get("users/", timeout=0.02)
    assert (await client.get("users/", timeout=1.0)).status_code == 200
    fake.add_fault(Fault.slow(0.001, path="keys/"))
    assert (await client.get("keys/", timeout=1.0)).status_code == 200


@pytest.mark.parametrize("applied", [False, True])
async def test_slow_post(client: httpx.AsyncClient, fake: FakePuhuri, applied: bool) -> None:
    order = pending(fake)
    fake.add_fault(Fault.slow(5.0, method="POST", applied=applied))
    with pytest.raises(httpx.ReadTimeout):
        await client.post(
            f"marketplace-orders/{order['uuid']}/approve_by_provider/", json={}, timeout=0.02
        )
    assert order["state"] == ("executing" if applied else "pending-provider")


async def test_fault_plans_reject_bad_arguments() -> None:
    with pytest.raises(ValueError, match="kind"):
        Fault("explode")
    with pytest.raises(ValueError, match="at most one"):
        Fault.error(503, every=2, probability=0.5)
    with pytest.raises(ValueError, match="every"):
        Fault.error(503, every=0)
    with pytest.raises(ValueError, match="probability"):
        Fault.error(503, probability=1.5)
    with pytest.raises(ValueError, match="status"):
        Fault.error(42)
    with pytest.raises(ValueError, match="at"):
        Fault.drop(at=(0,))
    assert Fault.error(503, method="post").method == "POST"


async def test_latency_global_and_per_path() -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    fake = FakePuhuri(
        FakeData.generate(users=3),
        token=TOKEN,
        latency=0.02,
        path_latency={"keys/": 0.5, "/api/marketplace-orders/*": 0.0},
        sleep=record,
    )
    async with client_for(fake) as http:
        for path in ("users/", "keys/", "marketplace-orders/", "users/"):
            assert (await http.get(path)).status_code == 200
    assert waits == [0.02, 0.5, 0.02]


async def test_real_tiny_latency(fake: FakePuhuri) -> None:
    fake.latency = 0.001
    async with client_for(fake) as http:
        assert (await http.get("users/")).status_code == 200
    with pytest.raises(ValueError, match="latency"):
        FakePuhuri(FakeData(), latency=-1)


async def test_first_firing_plan_answers(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    fake.add_fault(Fault.error(503, every=2))
    fake.add_fault(Fault.error(429, every=3, retry_after=1))
    assert await statuses(client, "users/", 6) == [200, 503, 429, 503, 200, 503]
    assert [(plan.status, matched, fired) for plan, matched, fired in fake.fault_counts()] == [
        (503, 6, 3),
        (429, 6, 1),
    ]
    fake.clear_faults()
    assert fake.fault_counts() == []


async def test_concurrency_is_measured(fake: FakePuhuri, anyio_backend: str) -> None:
    import anyio

    release = anyio.Event()
    entered = 0

    async def hold(seconds: float) -> None:
        nonlocal entered
        entered += 1
        if entered == 5:
            release.set()
        await release.wait()

    measured = FakePuhuri(fake.data, token=TOKEN, latency=1.0, sleep=hold)
    async with client_for(measured) as http, anyio.create_task_group() as group:
        for _ in range(5):
            group.start_soon(http.get, "users/")
    assert measured.max_in_flight == 5
    assert measured.in_flight == 0
