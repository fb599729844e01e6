"""Concurrent answers over real HTTP against a Uvicorn server: of two staff answering one
referral exactly one wins, and concurrent acceptances never take more places than a resource
has free."""

from __future__ import annotations

import asyncio

import httpx

from tests.support.live import live_server, post
from tests.support.recipients import new_recipient
from tests.support.referrals import ACCEPT, DECLINE, send
from tests.support.resources import register

URGENT = {"urgent": True, "urgentReason": "위기 가구 긴급 연계"}


def staff(api, n: int) -> str:
    return api.token("ins_partner01", "CASEWORKER", subject=f"partner-staff-{n}")


async def test_accept_and_decline_race_exactly_one_wins(api):
    owner = api.token("ins_owner01", "CASEWORKER")
    rid = await new_recipient(api, owner)
    referrals = [await send(api, owner, rid, **URGENT) for _ in range(8)]
    async with live_server(api.runtime) as address:
        async with httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client:
            calls = []
            for n, referral in enumerate(referrals):
                variables = {"id": referral["id"], "v": 1}
                calls.append(post(client, ACCEPT, variables, staff(api, 2 * n)))
                calls.append(
                    post(
                        client,
                        DECLINE,
                        {**variables, "reason": "NO_CAPACITY"},
                        staff(api, 2 * n + 1),
                    )
                )
            bodies = await asyncio.gather(*calls)
    for n in range(len(referrals)):
        pair = bodies[2 * n : 2 * n + 2]
        winners = [b for b in pair if "errors" not in b]
        losers = [b for b in pair if "errors" in b]
        assert len(winners) == 1 and len(losers) == 1, pair
        won = next(iter(winners[0]["data"].values()))
        assert won["version"] == 2 and len(won["history"]) == 2
        error = losers[0]["errors"][0]
        assert error["extensions"]["code"] == "CONFLICT"
        assert error["extensions"]["currentStatus"] == won["status"]
        assert error["extensions"]["currentVersion"] == 2


async def test_many_concurrent_accepts_of_one_referral(api):
    owner = api.token("ins_owner01", "CASEWORKER")
    rid = await new_recipient(api, owner)
    referral = await send(api, owner, rid, **URGENT)
    async with live_server(api.runtime) as address:
        async with httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client:
            bodies = await asyncio.gather(
                *(
                    post(client, ACCEPT, {"id": referral["id"], "v": 1}, staff(api, n))
                    for n in range(20)
                )
            )
    assert sum("errors" not in b for b in bodies) == 1
    assert {b["errors"][0]["extensions"]["code"] for b in bodies if "errors" in b} == {"CONFLICT"}
    grants = await api.runtime.backends.graph.run(
        "MATCH (p:Recipient {id: $id}) RETURN p.referralGrants AS grants", {"id": rid}
    )
    assert len(grants[0]["grants"]) == 2  # IDENTITY and NEEDS, once


async def test_concurrent_accepts_never_take_more_places_than_are_free(api):
    owner = api.token("ins_owner01", "CASEWORKER")
    registrant = api.token("ins_partner01", "REGISTRANT")
    resource = await register(api, registrant, capacity={"total": 10, "available": 3})
    rid = await new_recipient(api, owner)
    referrals = [
        await send(api, owner, rid, resourceId=resource["id"], **URGENT) for _ in range(12)
    ]
    async with live_server(api.runtime) as address:
        async with httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client:
            bodies = await asyncio.gather(
                *(
                    post(client, ACCEPT, {"id": r["id"], "v": 1}, staff(api, n))
                    for n, r in enumerate(referrals)
                )
            )
    accepted = [b for b in bodies if "errors" not in b]
    refused = [b["errors"][0] for b in bodies if "errors" in b]
    assert len(accepted) == 3 and len(refused) == 9
    assert all(e["extensions"]["code"] == "CONFLICT" for e in refused)
    assert all(e["extensions"].get("reason") == "NO_CAPACITY" for e in refused)
    assert all(e["extensions"]["currentStatus"] == "SENT" for e in refused)
    rows = await api.runtime.backends.graph.run(
        "MATCH (r:Resource {id: $id}) RETURN r.capAvailable AS free, r.version AS version",
        {"id": resource["id"]},
    )
    assert rows == [{"free": 0, "version": 1 + 3}]
    # The search index learns the new count through the outbox events written with each
    # acceptance: the resource no longer shows free places to its owner.
    query = """query($i: [ID!]) { searchResources(input: {institutions: $i, hasCapacity: true}) {
      totalCount } }"""
    async with asyncio.timeout(10):
        while True:
            found = await api.ok(query, {"i": ["ins_partner01"]}, registrant)
            if found["searchResources"]["totalCount"] == 0:
                break
            await asyncio.sleep(0.05)
    # A refused referral can still be declined for lack of capacity.
    loser = next(r for r, b in zip(referrals, bodies, strict=True) if "errors" in b)
    declined = await api.ok(
        DECLINE, {"id": loser["id"], "v": 1, "reason": "NO_CAPACITY"}, staff(api, 99)
    )
    assert declined["declineReferral"]["reason"] == "NO_CAPACITY"
