"""Recipient scenarios: the 360° view (GraphQL p50/p95/p99, graph round trips, and the time
spent in the graph engine within the same requests, for the overhead ratio), the membership
scan rate, and createReferral / acceptReferral with 1 and 8 concurrent clients.

Recipients are bulk-loaded through `graph.recipients.upsert_recipients`; the rich recipient
of the 360° view and every referral go through the GraphQL API like a caseworker's."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import random
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date, timedelta
from typing import Any

import httpx

from bench.search import percentiles
from graph.engine import round_trips
from graph.institutions import upsert_institutions
from graph.recipients import upsert_recipients
from graph.resources import upsert_resources
from resolvers.membership import scan
from server.app import create_app
from server.auth import issue_token
from server.demo import demo_resource_record
from server.demo_data import build_demo_dataset
from server.runtime import Runtime

__all__ = ["VIEW_360", "run_recipients"]

NOW = "2026-01-01T00:00:00.000Z"
BATCH = 1000
VIEW_360 = """query($id: ID!) { recipient(id: $id) {
  name age household { type } incomePercent withheldCategories
  needs { code severity }
  enrollments { status start resource { name provider { name } } }
  cases { programme status lead { name } participants { name } notes { text } }
  referrals { status createdAt toInstitution { name } }
} }"""
_HOUSEHOLDS = ("SINGLE_ELDERLY", "SINGLE_PARENT", "GRANDPARENT_HEADED", "GENERAL")
_NEEDS = ("DAILY_LIVING_MEALS", "SOCIAL_ISOLATION", "ECONOMY_LIVING_COSTS", "HEALTH_MENTAL")


def light_recipient(n: int, rng: random.Random, registrar: dict[str, Any]) -> dict[str, Any]:
    """A recipient row as registration stores it, with facts the scan can evaluate."""
    born = date(2026, 1, 1) - timedelta(days=365 * rng.randint(20, 95))
    return {
        "id": f"rcp_bench{n:07d}",
        "name": f"대상자{n}",
        "birthDate": born.isoformat(),
        "sex": rng.choice(("FEMALE", "MALE")),
        "regionCode": registrar["regionCode"],
        "householdSize": rng.randint(1, 4),
        "householdType": rng.choice(_HOUSEHOLDS),
        "incomePercent": rng.choice((25, 32, 40, 48, 60, 90)),
        "disability": rng.choice(("NONE", "NONE", "MILD", "SEVERE")),
        "flags": rng.sample(["기초수급", "차상위", "위기사유"], k=rng.randint(0, 1)),
        "registeredBy": registrar["id"],
        "caseInstitutions": [], "caseLeads": [], "consentGrants": [], "referralGrants": [],
        "currentNeeds": rng.sample(_NEEDS, k=2), "version": 1,
        "createdAt": NOW, "updatedAt": NOW,
    }  # fmt: skip


_measured: contextvars.ContextVar[list[tuple[float, float]] | None] = contextvars.ContextVar(
    "measured", default=None
)


@contextlib.contextmanager
def engine_time(runtime: Runtime) -> Iterator[list[tuple[float, float]]]:
    """(start, end) of each graph statement of this task (and the tasks it starts) while the
    block runs; the server's background loops (search sync, referral sweep) do not count."""
    graph = runtime.services.graph
    original = graph.run
    spent: list[tuple[float, float]] = []

    async def timed(*args: Any, **kwargs: Any) -> Any:
        bucket = _measured.get()
        started = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            if bucket is not None:
                bucket.append((started, time.perf_counter()))

    graph.run = timed  # type: ignore[method-assign]
    token = _measured.set(spent)
    try:
        yield spent
    finally:
        _measured.reset(token)
        graph.run = original  # type: ignore[method-assign]


def busy_seconds(intervals: list[tuple[float, float]]) -> float:
    """Wall time during which at least one statement was in flight: a request's loaders run
    statements concurrently, so summing them would count the overlap twice."""
    total, end = 0.0, float("-inf")
    for start, stop in sorted(intervals):
        if stop > end:
            total += stop - max(start, end)
            end = stop
    return total


@contextlib.asynccontextmanager
async def api_client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        yield client


async def _ok(client: httpx.AsyncClient, token: str, query: str, variables: Any) -> Any:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL error in the benchmark: {body['errors'][0]}")
    return body["data"]


async def _rich_recipient(
    client: httpx.AsyncClient, lead: str, partner: str, resources: list[str], partner_id: str
) -> str:
    """One recipient with 20 enrollments, 3 cases with notes and 10 referrals."""
    data = await _ok(
        client,
        lead,
        """mutation { registerRecipient(input: {name: "김순자", birthDate: "1944-03-02",
             sex: FEMALE, regionCode: "5011025000", householdType: SINGLE_ELDERLY,
             incomePercent: 30}) { id } }""",
        {},
    )
    rid = data["registerRecipient"]["id"]
    await _ok(
        client,
        lead,
        """mutation($r: ID!) { assessNeeds(recipientId: $r, needs: [
             {code: "DAILY_LIVING_MEALS", severity: 4}, {code: "SOCIAL_ISOLATION", severity: 3}
           ]) { id } }""",
        {"r": rid},
    )
    for n in range(20):
        await _ok(
            client,
            lead,
            """mutation($i: RecordEnrollmentInput!) { recordEnrollment(input: $i) { id } }""",
            {"i": {"recipientId": rid, "resourceId": resources[n % len(resources)],
                   "start": "2025-06-01"}},
        )  # fmt: skip
    for programme in ("CRISIS_HOUSEHOLD", "ELDERLY_LIVING_ALONE", "WELFARE_CENTER"):
        case = await _ok(
            client,
            lead,
            """mutation($r: ID!, $p: Programme!) {
                 openCase(recipientId: $r, programme: $p) { id } }""",
            {"r": rid, "p": programme},
        )
        for text in ("가정 방문 상담", "자원 연계 완료"):
            await _ok(
                client,
                lead,
                """mutation($c: ID!, $t: String!) { addCaseNote(caseId: $c, text: $t) { id } }""",
                {"c": case["openCase"]["id"], "t": text},
            )
    for _ in range(10):
        await _create_referral(client, lead, rid, partner_id)
    return rid


CREATE_REFERRAL = """mutation($i: CreateReferralInput!) { createReferral(input: $i) {
  id version } }"""
ACCEPT_REFERRAL = """mutation($id: ID!, $v: Int!) { acceptReferral(id: $id, expectedVersion: $v) {
  status } }"""


async def _create_referral(
    client: httpx.AsyncClient, token: str, recipient: str, target: str
) -> dict[str, Any]:
    data = await _ok(
        client,
        token,
        CREATE_REFERRAL,
        {
            "i": {
                "recipientId": recipient,
                "toInstitutionId": target,
                "needCodes": ["DAILY_LIVING_MEALS"],
                "message": "도시락 배달 연계를 부탁드립니다.",
                "sharedCategories": ["IDENTITY", "NEEDS"],
                "urgent": True,
                "urgentReason": "결식 위험",
            }
        },
    )
    return data["createReferral"]


async def _throughput(
    clients: int, items: list[Any], one: Callable[[Any], Any]
) -> dict[str, float]:
    """Run `one(item)` for every item with `clients` concurrent workers."""
    queue: asyncio.Queue[Any] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    samples: list[float] = []

    async def worker() -> None:
        while not queue.empty():
            item = queue.get_nowait()
            started = time.perf_counter()
            await one(item)
            samples.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    seconds = time.perf_counter() - started
    return {**percentiles(samples), "per_s": len(items) / seconds}


async def run_recipients(
    runtime: Runtime, *, people: int, repeat: int, referrals: int, progress: Callable[[str], None]
) -> dict[str, Any]:
    graph = runtime.backends.graph
    data = build_demo_dataset()
    await upsert_institutions(graph, data.institutions, NOW)
    lead_inst = next(i for i in data.institutions if i["kind"] == "COMMUNITY_CENTER")
    partner_inst = next(i for i in data.institutions if i["kind"] == "WELFARE_CENTER")
    rows = [demo_resource_record(r, i, NOW) for i, r in enumerate(data.resources[:60])]
    await upsert_resources(graph, rows, event_ids=[f"evt_rb{i:05d}" for i in range(60)], now_ms=0)
    results: dict[str, Any] = {}

    progress(f"  bulk-loading {people} recipients")
    rng = random.Random(7)
    started = time.perf_counter()
    for start in range(0, people, BATCH):
        batch = [
            light_recipient(n, rng, lead_inst) for n in range(start, min(people, start + BATCH))
        ]
        await upsert_recipients(
            graph, batch, actor="bench", now=NOW, audit_id=f"aud_bench{start:07d}"
        )
        if (start // BATCH) % 20 == 19:
            progress(f"    {start + len(batch)} recipients")
    results["recipients"] = people
    results["recipient_load_per_s"] = people / (time.perf_counter() - started)

    progress("  membership scan over every recipient")
    started = time.perf_counter()
    outcome = await scan(runtime.services, region=None, restart=True)
    results["scan_per_s"] = outcome["scanned"] / (time.perf_counter() - started)
    results["scan_recommendations"] = outcome["recommendations"]

    def token(inst: dict[str, Any]) -> str:
        return issue_token(
            runtime.secret, subject=f"bench-{inst['id']}", institution_id=inst["id"],
            roles=["CASEWORKER"], ttl_seconds=3600,
        )  # fmt: skip

    lead, partner = token(lead_inst), token(partner_inst)
    async with api_client(runtime) as client:
        progress("  building the 360° recipient (20 enrollments, 3 cases, 10 referrals)")
        rid = await _rich_recipient(
            client, lead, partner, [r["id"] for r in rows if r["status"] == "ACTIVE"],
            partner_inst["id"],
        )  # fmt: skip
        for _ in range(5):
            await _ok(client, lead, VIEW_360, {"id": rid})
        counter = round_trips()
        await _ok(client, lead, VIEW_360, {"id": rid})
        results["view_360_round_trips"] = counter.count
        samples, engine = [], []
        for _ in range(repeat):
            with engine_time(runtime) as spent:
                started = time.perf_counter()
                await _ok(client, lead, VIEW_360, {"id": rid})
                samples.append((time.perf_counter() - started) * 1000)
            engine.append(busy_seconds(spent) * 1000)
        results["view_360_graphql"] = percentiles(samples)
        results["view_360_engine"] = percentiles(engine)
        results["view_360_overhead_ratio_p50"] = (
            results["view_360_graphql"]["p50_ms"] / results["view_360_engine"]["p50_ms"]
        )

        targets = [f"rcp_bench{n:07d}" for n in range(min(people, referrals * 2))]
        for clients in (1, 8):
            progress(f"  createReferral / acceptReferral, {clients} client(s)")
            chunk = targets[:referrals] if clients == 1 else targets[referrals : referrals * 2]
            created: list[dict[str, Any]] = []

            async def create(recipient: str, made: list[dict[str, Any]] = created) -> None:
                made.append(await _create_referral(client, lead, recipient, partner_inst["id"]))

            async def accept(referral: dict[str, Any]) -> None:
                variables = {"id": referral["id"], "v": referral["version"]}
                await _ok(client, partner, ACCEPT_REFERRAL, variables)

            results[f"create_referral_{clients}"] = await _throughput(clients, chunk, create)
            results[f"accept_referral_{clients}"] = await _throughput(clients, created, accept)
    return results
