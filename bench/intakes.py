"""Intake scenario on the generated data (`bench.generate`): takeIntake through the GraphQL
API like a caseworker's phone call, with 1 and 8 concurrent clients — for a person registered
with the intake (national id checked, survey and intake written in one statement) and for a
person the institution registered before. `warm_up` intakes of new people go first, untimed
(`bench.measure.throughput`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.generate import Synthetic
from bench.measure import api_client, graphql_ok, staff_token, throughput
from bench.recipients import BUSIEST_REGISTRAR, REGISTERED_BY
from server.runtime import Runtime

__all__ = ["run_intakes"]

TAKE = """mutation($i: TakeIntakeInput!) { takeIntake(input: $i) { id version } }"""
_BASE = {
    "channel": "PHONE",
    "urgency": "ROUTINE",
    "situation": "식사를 자주 거르신다고 가족이 전화함.",
    "needs": [{"code": "DAILY_LIVING_MEALS", "severity": 4}],
    "consentObtained": ["IDENTITY", "NEEDS"],
}


def _person(n: int, region: str) -> dict[str, Any]:
    return {
        "name": f"상담자{n}",
        "birthDate": "1945-01-01",
        "sex": "FEMALE",
        "regionCode": region,
        "householdType": "SINGLE_ELDERLY",
        "nationalId": f"450101-2{n:06d}",
    }


async def run_intakes(
    runtime: Runtime,
    synthetic: Synthetic,
    *,
    count: int,
    warm_up: int = 0,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    graph = runtime.backends.graph
    busiest = (await graph.run(BUSIEST_REGISTRAR))[0]["id"]
    lead_inst = next(i for i in synthetic.institutions if i["id"] == busiest)
    token = staff_token(runtime, lead_inst["id"])
    rows = await graph.run(REGISTERED_BY, {"institution": lead_inst["id"], "limit": count})
    known = [row["id"] for row in rows]
    results: dict[str, Any] = {}
    serial = iter(range(1, 10**6))
    async with api_client(runtime) as client:

        async def new_person(_: int) -> None:
            person = _person(next(serial), lead_inst["regionCode"])
            await graphql_ok(client, token, TAKE, {"i": {**_BASE, "person": person}})

        async def registered(recipient: str) -> None:
            await graphql_ok(client, token, TAKE, {"i": {**_BASE, "recipientId": recipient}})

        if warm_up:
            progress(f"  warm-up: {warm_up} intakes of new people, 8 clients")
            await throughput(8, list(range(warm_up)), new_person)
        for clients in (1, 8):
            progress(f"  takeIntake (new person), {clients} client(s)")
            results[f"take_intake_new_{clients}"] = await throughput(
                clients, list(range(count)), new_person, runtime=runtime
            )
        progress("  takeIntake (registered person), 8 clients")
        results["take_intake_known_8"] = await throughput(8, known, registered, runtime=runtime)
    return results
