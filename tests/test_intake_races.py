"""Concurrent transitions with one `expectedVersion` over real HTTP (a Uvicorn server), on each
engine set: of racing pick-ups of one intake, visits to one crisis report, reviews of one
application and minutes of one conference session, exactly one wins and every other gets
CONFLICT with the winner's version. On Neo4j this holds because each statement takes the
node's write lock before it reads its guards."""

from __future__ import annotations

import asyncio

import httpx

from tests.support.applications import FORWARD, REVIEW, taken
from tests.support.conferences import MINUTES, setting
from tests.support.crisis_reports import LIST, REPORT, VISIT, report
from tests.support.intakes import CENTRE, PICK_UP, add_offices, take
from tests.support.live import live_server, post
from tests.support.races import RACERS, split
from tests.support.recipients import REGISTER, new_recipient, person


async def test_racing_pick_ups_of_one_intake_have_one_winner(api):
    await add_offices(api)
    owner = api.token("ins_owner01", "CASEWORKER")
    rid = await new_recipient(api, owner)
    intake = await take(api, owner, recipientId=rid)
    async with live_server(api.runtime) as address:
        async with httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client:
            bodies = await asyncio.gather(
                *(
                    post(
                        client,
                        PICK_UP,
                        {"id": intake["id"], "v": 1},
                        api.token("ins_owner01", "CASEWORKER", subject=f"cw-{n}"),
                    )
                    for n in range(RACERS)
                )
            )
    winners, losers = split(bodies)
    assert len(winners) == 1 and len(losers) == RACERS - 1, bodies
    assert {e["extensions"]["code"] for e in losers} == {"CONFLICT"}
    assert {e["extensions"]["currentVersion"] for e in losers} == {2}
    rows = await api.runtime.backends.graph.run(
        "MATCH (k:Intake {id: $id}) RETURN k.version AS v, size(k.history) AS steps",
        {"id": intake["id"]},
    )
    assert rows == [{"v": 2, "steps": 2}]


async def test_racing_visits_to_one_crisis_report_have_one_winner(api):
    await add_offices(api)
    centre = api.token(CENTRE, "CASEWORKER")
    await api.ok(REPORT, {"input": report()}, None)
    rid = (await api.ok(LIST, None, centre))["crisisReports"]["edges"][0]["node"]["id"]
    async with live_server(api.runtime) as address:
        async with httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client:
            bodies = await asyncio.gather(
                *(
                    post(
                        client,
                        VISIT,
                        {"id": rid, "v": 1},
                        api.token(CENTRE, "VILLAGE_PLANNER", subject=f"planner-{n}"),
                    )
                    for n in range(RACERS)
                )
            )
    winners, losers = split(bodies)
    assert len(winners) == 1 and len(losers) == RACERS - 1, bodies
    assert {e["extensions"]["currentVersion"] for e in losers} == {2}
    rows = await api.runtime.backends.graph.run(
        "MATCH (c:CrisisReport {id: $id}) RETURN c.version AS v, size(c.history) AS steps",
        {"id": rid},
    )
    assert rows == [{"v": 2, "steps": 2}]


async def test_racing_reviews_of_one_application_have_one_winner(api):
    await add_offices(api)
    owner = api.token("ins_owner01", "CASEWORKER")
    rid = await new_recipient(api, owner)
    aid = (await taken(api, owner, rid, ["APPLICATION_FORM", "CRISIS_EVIDENCE"]))["id"]
    await api.ok(FORWARD, {"id": aid, "v": 1}, owner)
    async with live_server(api.runtime) as address:
        async with httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client:
            bodies = await asyncio.gather(
                *(
                    post(client, REVIEW, {"id": aid, "v": 2},
                         api.token(CENTRE, "CASEWORKER", subject=f"officer-{n}"))
                    for n in range(RACERS)
                )
            )  # fmt: skip
    winners, losers = split(bodies)
    assert len(winners) == 1 and len(losers) == RACERS - 1, bodies
    assert {e["extensions"]["currentVersion"] for e in losers} == {3}
    rows = await api.runtime.backends.graph.run(
        "MATCH (a:Application {id: $id}) RETURN a.version AS v, size(a.history) AS steps",
        {"id": aid},
    )
    assert rows == [{"v": 3, "steps": 3}]


async def test_racing_minutes_of_one_session_have_one_winner_and_one_set_of_actions(api):
    await add_offices(api)
    tokens = {"centre": api.token(CENTRE, "ADMIN"), "owner": api.token("ins_owner01")}
    ids = await setting(api, tokens)
    decisions = [{"description": "안부 확인", "assigneeId": "ins_owner01", "due": "2099-01-01"}]
    async with live_server(api.runtime) as address:
        async with httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client:
            bodies = await asyncio.gather(
                *(
                    post(client, MINUTES, {"s": ids["session"], "v": 1, "d": decisions},
                         api.token(CENTRE, "ADMIN", subject=f"admin-{n}"))
                    for n in range(RACERS)
                )
            )  # fmt: skip
    winners, losers = split(bodies)
    assert len(winners) == 1 and len(losers) == RACERS - 1, bodies
    assert {e["extensions"]["currentStatus"] for e in losers} == {"HELD"}
    rows = await api.runtime.backends.graph.run("MATCH (x:ConferenceAction) RETURN count(x) AS n")
    assert rows == [{"n": 1}]


async def test_racing_registrations_of_one_person_leave_one_record(api):
    """Institutions registering the same national id at once: one record, every other request
    a CONFLICT (on Neo4j the uniqueness of the id's hash decides, not the read before it)."""
    await add_offices(api)
    national_id = "520101-1234567"
    async with live_server(api.runtime) as address:
        async with httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client:
            bodies = await asyncio.gather(
                *(
                    post(
                        client,
                        REGISTER,
                        {"input": person(nationalId=national_id)},
                        api.token(office, "CASEWORKER", subject=f"cw-{n}"),
                    )
                    for n, office in enumerate([CENTRE, "ins_owner01"] * (RACERS // 2))
                )
            )
    winners, losers = split(bodies)
    assert len(winners) == 1 and len(losers) == len(bodies) - 1, bodies
    assert {e["extensions"]["code"] for e in losers} == {"CONFLICT"}
    assert all(national_id not in str(body) for body in bodies)
    rows = await api.runtime.backends.graph.run(
        "MATCH (p:Recipient) WHERE p.idHash IS NOT NULL RETURN count(p) AS n"
    )
    assert rows == [{"n": 1}]
