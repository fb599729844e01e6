"""Recipient scenarios on the generated data (`bench.generate`): the 360° view (GraphQL
p50/p95/p99, graph round trips, and the time spent in the graph engine within the same
requests, for the overhead ratio), the membership scan rate over every recipient, and
createReferral / acceptReferral with 1 and 8 concurrent clients.

The rich recipient of the 360° view and every referral go through the GraphQL API like a
caseworker's."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from bench.generate import Synthetic
from bench.measure import (
    api_client,
    busy_seconds,
    engine_time,
    graphql_ok,
    percentiles,
    staff_token,
    throughput,
)
from graph.engine import round_trips
from resolvers.membership import scan
from server.runtime import Runtime

__all__ = ["BUSIEST_REGISTRAR", "REGISTERED_BY", "VIEW_360", "run_recipients"]

VIEW_360 = """query($id: ID!) { recipient(id: $id) {
  name age household { type } incomePercent withheldCategories
  needs { code severity }
  enrollments { status start resource { name provider { name } } }
  cases { programme status lead { name } participants { name } notes { text } }
  referrals { status createdAt toInstitution { name } }
} }"""
# The institution that registered the most recipients, and recipients it registered, to refer
# (benchmark reads, not product paths).
BUSIEST_REGISTRAR = """MATCH (p:Recipient)
RETURN p.registeredBy AS id, count(p) AS registered ORDER BY registered DESC, id LIMIT 1"""
REGISTERED_BY = """MATCH (p:Recipient) WHERE p.registeredBy = $institution
RETURN p.id AS id ORDER BY p.id LIMIT $limit"""


async def _rich_recipient(
    client: httpx.AsyncClient, lead: str, partner: str, resources: list[str], partner_id: str
) -> str:
    """One recipient with 20 enrollments, 3 cases with notes and 10 referrals."""
    data = await graphql_ok(
        client,
        lead,
        """mutation { registerRecipient(input: {name: "김순자", birthDate: "1944-03-02",
             sex: FEMALE, regionCode: "5011025000", householdType: SINGLE_ELDERLY,
             incomePercent: 30}) { id } }""",
        {},
    )
    rid = data["registerRecipient"]["id"]
    await graphql_ok(
        client,
        lead,
        """mutation($r: ID!) { assessNeeds(recipientId: $r, needs: [
             {code: "DAILY_LIVING_MEALS", severity: 4}, {code: "SOCIAL_ISOLATION", severity: 3}
           ]) { id } }""",
        {"r": rid},
    )
    for n in range(20):
        await graphql_ok(
            client,
            lead,
            """mutation($i: RecordEnrollmentInput!) { recordEnrollment(input: $i) { id } }""",
            {"i": {"recipientId": rid, "resourceId": resources[n % len(resources)],
                   "start": "2025-06-01"}},
        )  # fmt: skip
    for programme in ("CRISIS_HOUSEHOLD", "ELDERLY_LIVING_ALONE", "WELFARE_CENTER"):
        case = await graphql_ok(
            client,
            lead,
            """mutation($r: ID!, $p: Programme!) {
                 openCase(recipientId: $r, programme: $p) { id } }""",
            {"r": rid, "p": programme},
        )
        for text in ("가정 방문 상담", "자원 연계 완료"):
            await graphql_ok(
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
    data = await graphql_ok(
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


async def run_recipients(
    runtime: Runtime,
    synthetic: Synthetic,
    *,
    repeat: int,
    referrals: int,
    warm_up: int = 0,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    graph = runtime.backends.graph
    busiest = (await graph.run(BUSIEST_REGISTRAR))[0]["id"]
    lead_inst = next(i for i in synthetic.institutions if i["id"] == busiest)
    partner_inst = next(i for i in synthetic.institutions if i["kind"] == "WELFARE_CENTER")
    resources = [r["id"] for r in synthetic.demo.resources if r["status"] == "ACTIVE"][:60]
    results: dict[str, Any] = {"recipients": synthetic.scale.recipients}

    progress("  membership scan over every recipient")
    started = time.perf_counter()
    outcome = await scan(runtime.services, region=None, restart=True)
    results["scan_per_s"] = outcome["scanned"] / (time.perf_counter() - started)
    results["scan_recommendations"] = outcome["recommendations"]

    lead, partner = staff_token(runtime, lead_inst["id"]), staff_token(runtime, partner_inst["id"])
    async with api_client(runtime) as client:
        progress("  building the 360° recipient (20 enrollments, 3 cases, 10 referrals)")
        rid = await _rich_recipient(client, lead, partner, resources, partner_inst["id"])
        for _ in range(5):
            await graphql_ok(client, lead, VIEW_360, {"id": rid})
        counter = round_trips()
        await graphql_ok(client, lead, VIEW_360, {"id": rid})
        results["view_360_round_trips"] = counter.count
        samples, engine = [], []
        for _ in range(repeat):
            with engine_time(runtime) as spent:
                started = time.perf_counter()
                await graphql_ok(client, lead, VIEW_360, {"id": rid})
                samples.append((time.perf_counter() - started) * 1000)
            engine.append(busy_seconds(spent) * 1000)
        results["view_360_graphql"] = percentiles(samples)
        results["view_360_engine"] = percentiles(engine)
        results["view_360_overhead_ratio_p50"] = (
            results["view_360_graphql"]["p50_ms"] / results["view_360_engine"]["p50_ms"]
        )

        rows = await graph.run(
            REGISTERED_BY, {"institution": lead_inst["id"], "limit": referrals * 2 + warm_up}
        )
        targets = [row["id"] for row in rows]
        if len(targets) < referrals * 2:
            raise RuntimeError(
                f"{lead_inst['name']} registered {len(targets)} recipients; the referral "
                f"timing needs {referrals * 2}: generate more recipients"
            )

        async def accept(referral: dict[str, Any]) -> None:
            variables = {"id": referral["id"], "v": referral["version"]}
            await graphql_ok(client, partner, ACCEPT_REFERRAL, variables)

        def creating(made: list[dict[str, Any]]) -> Callable[[str], Awaitable[None]]:
            async def create(recipient: str) -> None:
                made.append(await _create_referral(client, lead, recipient, partner_inst["id"]))

            return create

        # Warm-up (untimed): the recipients beyond the timed ones, as many as the registrar
        # has, referred and accepted with 8 clients.
        ahead = targets[referrals * 2 :]
        warmed: list[dict[str, Any]] = []
        if ahead:
            progress(f"  warm-up: {len(ahead)} referrals created and accepted")
            await throughput(8, ahead, creating(warmed))
            await throughput(8, warmed, accept)
        for clients in (1, 8):
            progress(f"  createReferral / acceptReferral, {clients} client(s)")
            chunk = targets[:referrals] if clients == 1 else targets[referrals : referrals * 2]
            created: list[dict[str, Any]] = []
            results[f"create_referral_{clients}"] = await throughput(
                clients, chunk, creating(created), runtime=runtime
            )
            results[f"accept_referral_{clients}"] = await throughput(
                clients, created, accept, runtime=runtime
            )
    return results
