"""Concurrent writes with one `expectedVersion` over real HTTP against a Uvicorn server, on each
engine set: exactly one writer wins and every other gets CONFLICT with the winner's version.
On Neo4j this holds only because each statement takes the node's write lock before it reads
its guards (graph/resources.py, graph/cases.py); FalkorDB runs writes one at a time."""

from __future__ import annotations

import asyncio

import httpx

from tests.support.live import live_server, post
from tests.support.races import RACERS, split
from tests.support.recipients import OPEN_CASE, new_recipient
from tests.support.resources import UPDATE, register

CARE_PLAN = """mutation($c: ID!, $v: Int!, $plan: String!) {
  updateCarePlan(caseId: $c, expectedVersion: $v, carePlan: $plan) { status version carePlan } }"""

ADD_PARTICIPANT = """mutation($c: ID!, $v: Int!, $i: ID!) {
  addCaseParticipant(caseId: $c, institutionId: $i, expectedVersion: $v) {
    version participants { id } } }"""

CLOSE = """mutation($c: ID!, $v: Int!) {
  closeCase(caseId: $c, reason: "목표 달성", expectedVersion: $v) { status version } }"""


async def test_concurrent_updates_with_one_expected_version_have_one_winner(api):
    registrant = api.token("ins_owner01", "REGISTRANT")
    resource = await register(api, registrant)
    async with live_server(api.runtime) as address:
        async with httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client:
            bodies = await asyncio.gather(
                *(
                    post(
                        client,
                        UPDATE,
                        {"id": resource["id"], "v": 1, "input": {"name": f"이름 {n}"}},
                        api.token("ins_owner01", "REGISTRANT", subject=f"registrant-{n}"),
                    )
                    for n in range(RACERS)
                )
            )
    winners, losers = split(bodies)
    assert len(winners) == 1 and len(losers) == RACERS - 1, bodies
    won = winners[0]["data"]["updateResource"]
    assert won["version"] == 2
    assert {e["extensions"]["code"] for e in losers} == {"CONFLICT"}
    assert {e["extensions"]["currentVersion"] for e in losers} == {2}
    rows = await api.runtime.backends.graph.run(
        "MATCH (r:Resource {id: $id}) RETURN r.version AS version, r.name AS name",
        {"id": resource["id"]},
    )
    assert rows == [{"version": 2, "name": won["name"]}]


async def test_case_transitions_racing_each_other_have_one_winner(api):
    lead = api.token("ins_owner01", "CASEWORKER")
    rid = await new_recipient(api, lead)
    case = (await api.ok(OPEN_CASE, {"r": rid, "p": "ELDERLY_LIVING_ALONE"}, lead))["openCase"]
    cid = case["id"]
    partners = ["ins_partner01", "ins_region01", "ins_other001"]
    async with live_server(api.runtime) as address:
        async with httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client:
            # Version 1: care-plan updates race participant additions.
            first = await asyncio.gather(
                *(
                    post(client, CARE_PLAN, {"c": cid, "v": 1, "plan": f"계획 {n}"}, lead)
                    for n in range(RACERS // 2)
                ),
                *(
                    post(client, ADD_PARTICIPANT, {"c": cid, "v": 1, "i": inst}, lead)
                    for inst in partners
                ),
            )
            winners, losers = split(first)
            assert len(winners) == 1, first
            assert {e["extensions"]["code"] for e in losers} == {"CONFLICT"}
            # Version 2: closing races more care-plan updates (the case may still be OPEN
            # if a participant addition won; close then conflicts on status, not version).
            second = await asyncio.gather(
                post(client, CLOSE, {"c": cid, "v": 2}, lead),
                *(
                    post(client, CARE_PLAN, {"c": cid, "v": 2, "plan": f"계획 B{n}"}, lead)
                    for n in range(RACERS // 2)
                ),
            )
    won_second, lost_second = split(second)
    assert len(won_second) == 1, second
    assert {e["extensions"]["code"] for e in lost_second} == {"CONFLICT"}
    closed = "closeCase" in won_second[0]["data"]
    rows = await api.runtime.backends.graph.run(
        "MATCH (p:Recipient)-[:HAS_CASE]->(k:`Case` {id: $id}) "
        "RETURN k.version AS version, k.participants AS participants, "
        "p.caseInstitutions AS institutions",
        {"id": cid},
    )
    assert rows[0]["version"] == 3
    # The one participant added (if any) is on the case, and on the recipient while the case
    # is open: closing recomputes who is on the recipient's open cases (none here).
    added = rows[0]["participants"]
    assert len(added) <= 1
    on_recipient = [i for i in rows[0]["institutions"] if i in partners]
    assert on_recipient == ([] if closed else added)
