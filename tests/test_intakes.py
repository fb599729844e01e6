"""One-stop intake (상담 접수) over HTTP on each engine set: the phone-call flow, the duplicate
check, every transition and refusal, hand-over and the escalation timer on a moved clock."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.intakes import (
    CENTRE,
    CITY_HALL,
    CLOSE,
    GET,
    HAND_OVER,
    PICK_UP,
    PLAN,
    QUEUE,
    add_offices,
    intake_input,
    new_person,
    take,
)
from tests.support.recipients import (
    CONSENT,
    REGISTER,
    REVOKE,
    audit_events,
    new_recipient,
    person,
)
from tests.support.referrals import CREATE as CREATE_REFERRAL
from tests.support.referrals import Clock

MINUTE_MS = 60_000
RECIPIENT_VIEW = """query($id: ID!) { recipient(id: $id) { name needs { code }
  intakes { id status action referralId plan { goals items { description } } } } }"""


@pytest.fixture
async def tokens(api: Any) -> dict[str, str]:
    await add_offices(api)
    return {
        "owner": api.token("ins_owner01", "CASEWORKER"),
        "partner": api.token("ins_partner01", "CASEWORKER"),
        "other": api.token("ins_other001", "CASEWORKER"),
        "registrant": api.token("ins_owner01", "REGISTRANT"),
        "centre": api.token(CENTRE, "CASEWORKER"),
        "hall": api.token(CITY_HALL, "CASEWORKER"),
    }


async def test_a_phone_call_registers_the_person_plans_refers_and_closes(api, tokens):
    owner = tokens["owner"]
    intake = await take(api, owner, person=new_person(), pickUp=True)
    assert intake["status"] == "IN_PROGRESS" and intake["matchedExisting"] is False
    assert intake["recipient"]["name"] == "김순자"
    assert intake["needs"] == [{"code": "DAILY_LIVING_MEALS", "severity": 4}]
    rid = intake["recipient"]["id"]
    plan = {
        "goals": ["끼니 해결", "주 1회 안부 확인"],
        "items": [
            {"description": "도시락 배달 연계", "institutionId": "ins_partner01",
             "due": "2026-12-31"},
        ],
    }  # fmt: skip
    planned = (await api.ok(PLAN, {"id": intake["id"], "v": 1, "plan": plan}, owner))[
        "setIntakePlan"
    ]
    assert planned["version"] == 2 and planned["plan"]["goals"] == plan["goals"]
    assert planned["plan"]["items"][0]["institution"] == {"id": "ins_partner01"}
    consent = await api.ok(
        CONSENT,
        {"input": {"recipientId": rid, "scope": ["IDENTITY", "NEEDS"],
                   "institutions": ["ins_partner01"], "validUntil": "2099-01-01T00:00:00Z"}},
        owner,
    )  # fmt: skip
    referral = await api.ok(
        CREATE_REFERRAL,
        {"input": {"recipientId": rid, "toInstitutionId": "ins_partner01",
                   "needCodes": ["DAILY_LIVING_MEALS"], "message": "도시락 배달 부탁드립니다.",
                   "sharedCategories": ["IDENTITY", "NEEDS"],
                   "consentId": consent["recordConsent"]["id"]}},
        owner,
    )  # fmt: skip
    ref_id = referral["createReferral"]["id"]
    closed = (
        await api.ok(
            CLOSE, {"id": intake["id"], "v": 2, "action": "REFERRED", "ref": ref_id}, owner
        )
    )["closeIntake"]
    assert closed["status"] == "CLOSED" and closed["action"] == "REFERRED"
    assert [h["status"] for h in closed["history"]] == ["IN_PROGRESS", "PLANNED", "CLOSED"]
    view = (await api.ok(RECIPIENT_VIEW, {"id": rid}, owner))["recipient"]
    assert view["needs"] == [{"code": "DAILY_LIVING_MEALS"}]
    assert view["intakes"] == [
        {"id": intake["id"], "status": "CLOSED", "action": "REFERRED", "referralId": ref_id,
         "plan": {"goals": plan["goals"], "items": [{"description": "도시락 배달 연계"}]}}
    ]  # fmt: skip
    operations = [e["op"] for e in await audit_events(api, rid)]
    assert operations[0] == "INTAKE_REGISTERED"
    assert "INTAKE_PLAN" in operations and "INTAKE_CLOSE" in operations


async def test_the_duplicate_check_attaches_only_for_entitled_takers(api, tokens):
    first = await take(api, tokens["owner"], person=new_person())
    again = await take(api, tokens["owner"], person=new_person(name="김순자 (재접수)"))
    assert again["matchedExisting"] is True
    assert again["recipient"]["id"] == first["recipient"]["id"]
    assert again["recipient"]["name"] == "김순자"  # the record is not overwritten
    refused = await api.error(
        TAKE_QUERY, {"input": intake_input(person=new_person())}, tokens["other"]
    )
    registered = await api.error(
        REGISTER, {"input": person(nationalId="440302-2345678")}, tokens["other"]
    )
    assert refused["extensions"] == registered["extensions"] == {"code": "CONFLICT"}
    assert refused["message"] == registered["message"]
    assert first["recipient"]["id"] not in str(refused)
    rows = await api.runtime.backends.graph.run("MATCH (k:Intake) RETURN count(k) AS n")
    assert rows[0]["n"] == 2


async def test_every_transition_and_refusal(api, tokens):
    owner, clock = tokens["owner"], Clock(api)
    rid = await new_recipient(api, owner)
    intake = await take(api, owner, recipientId=rid)
    assert intake["status"] == "OPEN" and intake["holder"] == {"id": "ins_owner01"}
    clock.advance(7 * MINUTE_MS)
    queue = (await api.ok(QUEUE, {"status": ["OPEN"]}, owner))["intakeQueue"]
    assert queue["totalCount"] == 1
    assert queue["edges"][0]["node"]["waitingMinutes"] == 7
    iid = intake["id"]
    # Closing needs it picked up; the wrong roles and parties are refused.
    early = await api.error(CLOSE, {"id": iid, "v": 1, "action": "ANSWERED"}, owner)
    assert early["extensions"]["code"] == "FORBIDDEN"
    registrant = await api.error(PICK_UP, {"id": iid, "v": 1}, tokens["registrant"])
    assert registrant["extensions"]["code"] == "FORBIDDEN"
    anonymous = await api.error(PICK_UP, {"id": iid, "v": 1}, None)
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    picked = (await api.ok(PICK_UP, {"id": iid, "v": 1}, owner))["pickUpIntake"]
    assert picked["status"] == "IN_PROGRESS" and picked["version"] == 2
    assert picked["waitingMinutes"] == 7
    stale = await api.error(PICK_UP, {"id": iid, "v": 1}, owner)
    assert stale["extensions"] == {
        "code": "CONFLICT", "currentVersion": 2, "currentStatus": "IN_PROGRESS"
    }  # fmt: skip
    again = await api.error(PICK_UP, {"id": iid, "v": 2}, owner)
    assert again["extensions"]["code"] == "CONFLICT"
    assert again["extensions"]["currentStatus"] == "IN_PROGRESS"
    missing = await api.error(CLOSE, {"id": iid, "v": 2, "action": "REFERRED"}, owner)
    assert missing["extensions"] == {"code": "BAD_USER_INPUT", "field": "referralId"}
    bad_plan = await api.error(
        PLAN, {"id": iid, "v": 2, "plan": {"goals": [], "items": [
            {"description": "급여 신청", "programId": "NO_SUCH_PROGRAM"}]}}, owner
    )  # fmt: skip
    assert bad_plan["extensions"]["code"] == "BAD_USER_INPUT"
    case = await api.ok(
        """mutation($r: ID!) { openCase(recipientId: $r, programme: ELDERLY_LIVING_ALONE) {
             id } }""",
        {"r": rid},
        owner,
    )
    cid = case["openCase"]["id"]
    closed = (await api.ok(CLOSE, {"id": iid, "v": 2, "action": "CASE_OPENED", "case": cid},
                           owner))["closeIntake"]  # fmt: skip
    assert closed["status"] == "CLOSED" and closed["caseId"] == cid
    for mutation, variables in ((PICK_UP, {}), (HAND_OVER, {})):
        late = await api.error(mutation, {"id": iid, "v": 3, **variables}, owner)
        assert late["extensions"]["currentStatus"] == "CLOSED"
    assert (await api.ok(QUEUE, {"status": ["OPEN"]}, owner))["intakeQueue"]["totalCount"] == 0


async def test_a_hand_over_moves_the_intake_and_the_access_to_the_responsible_centre(api, tokens):
    owner, centre = tokens["owner"], tokens["centre"]
    rid = await new_recipient(api, owner)
    read = """query($id: ID!) { recipient(id: $id) { name } }"""
    assert (await api.ok(read, {"id": rid}, centre))["recipient"] is None
    intake = await take(api, owner, recipientId=rid)
    moved = (await api.ok(HAND_OVER, {"id": intake["id"], "v": 1}, owner))["handOverIntake"]
    assert moved["status"] == "OPEN" and moved["holder"] == {"id": CENTRE}
    assert (await api.ok(QUEUE, {}, owner))["intakeQueue"]["totalCount"] == 0
    assert (await api.ok(read, {"id": rid}, centre))["recipient"] == {"name": "김순자"}
    queued = (await api.ok(QUEUE, {}, centre))["intakeQueue"]["edges"]
    assert [e["node"]["id"] for e in queued] == [intake["id"]]
    gone = await api.error(PICK_UP, {"id": intake["id"], "v": 2}, owner)
    assert gone["extensions"]["code"] == "FORBIDDEN"
    await api.ok(PICK_UP, {"id": intake["id"], "v": 2}, centre)
    await api.ok(CLOSE, {"id": intake["id"], "v": 3, "action": "ANSWERED"}, centre)
    # Closing ends the access the hand-over gave.
    assert (await api.ok(read, {"id": rid}, centre))["recipient"] is None


async def test_an_unpicked_urgent_intake_escalates_to_the_centre_and_the_city(api, tokens):
    owner, clock = tokens["owner"], Clock(api)
    api.runtime.services.intake_escalation_minutes = 30
    rid = await new_recipient(api, owner)
    urgent = await take(api, owner, recipientId=rid, urgency="URGENT")
    await take(api, owner, recipientId=rid, urgency="URGENT", pickUp=True)
    await take(api, owner, recipientId=rid)
    escalation = api.runtime.escalation
    clock.advance(29 * MINUTE_MS)
    assert await escalation.run_once() == 0
    assert (await api.ok(QUEUE, {}, tokens["centre"]))["intakeQueue"]["totalCount"] == 0
    clock.advance(2 * MINUTE_MS)
    assert await escalation.run_once() == 1
    assert await escalation.run_once() == 0
    for office in ("centre", "hall"):
        edges = (await api.ok(QUEUE, {}, tokens[office]))["intakeQueue"]["edges"]
        assert [e["node"]["id"] for e in edges] == [urgent["id"]]
        node = edges[0]["node"]
        assert node["escalated"] is True and node["waitingMinutes"] == 31
        assert {i["id"] for i in node["escalatedTo"]} == {CENTRE, CITY_HALL}
    assert (await api.ok(QUEUE, {}, tokens["other"]))["intakeQueue"]["totalCount"] == 0
    picked = await api.ok(PICK_UP, {"id": urgent["id"], "v": 2}, tokens["hall"])
    assert picked["pickUpIntake"]["history"][-2]["status"] == "ESCALATED"
    assert "INTAKE_ESCALATED" in [e["op"] for e in await audit_events(api, rid)]


async def test_an_outsider_gets_what_an_unknown_id_gets(api, tokens):
    owner = tokens["owner"]
    rid = await new_recipient(api, owner)
    intake = await take(api, owner, recipientId=rid)
    before = len(await audit_events(api, rid))
    unknown = "itk_00000000000000000000000"
    for token in (tokens["other"], tokens["partner"], None):
        assert (await api.ok(GET, {"id": intake["id"]}, token))["intake"] is None
        assert (await api.ok(QUEUE, {}, token))["intakeQueue"] == {"totalCount": 0, "edges": []}
        if token is None:
            continue
        hidden = await api.error(PICK_UP, {"id": intake["id"], "v": 1}, token)
        missing = await api.error(PICK_UP, {"id": unknown, "v": 1}, token)
        assert hidden["extensions"] == missing["extensions"] == {"code": "NOT_FOUND"}
        assert hidden["message"].replace(intake["id"], unknown) == missing["message"]
        taken = await api.error(TAKE_QUERY, {"input": intake_input(recipientId=rid)}, token)
        nobody = await api.error(
            TAKE_QUERY, {"input": intake_input(recipientId="rcp_doesnotexist00")}, token
        )
        assert taken["extensions"] == nobody["extensions"] == {"code": "NOT_FOUND"}
        assert taken["message"].replace(rid, "rcp_doesnotexist00") == nobody["message"]
    assert len(await audit_events(api, rid)) == before  # refused reads write nothing


TAKE_QUERY = """mutation($input: TakeIntakeInput!) { takeIntake(input: $input) { id } }"""


async def test_the_360_view_lists_intakes_only_to_readers_of_needs(api, tokens):
    """An intake holds what the person said and their basic needs survey: a consent to read
    the person's HISTORY without their NEEDS shows no intake, through the 360° view as through
    `intake(id)` (found by the intake visibility property test)."""
    owner, partner = tokens["owner"], tokens["partner"]
    rid = await new_recipient(api, owner)
    intake = await take(api, owner, recipientId=rid)
    share = {"recipientId": rid, "institutions": ["ins_partner01"],
             "validUntil": "2099-01-01T00:00:00Z"}  # fmt: skip
    consent = await api.ok(CONSENT, {"input": {**share, "scope": ["IDENTITY", "HISTORY"]}}, owner)
    assert (await api.ok(GET, {"id": intake["id"]}, partner))["intake"] is None
    seen = (await api.ok(RECIPIENT_VIEW, {"id": rid}, partner))["recipient"]
    assert seen["name"] == "김순자" and seen["intakes"] is None
    assert intake["situation"] not in json.dumps(seen, ensure_ascii=False)
    await api.ok(REVOKE, {"id": consent["recordConsent"]["id"]}, owner)
    await api.ok(CONSENT, {"input": {**share, "scope": ["HISTORY", "NEEDS"]}}, owner)
    seen = (await api.ok(RECIPIENT_VIEW, {"id": rid}, partner))["recipient"]
    assert [i["id"] for i in seen["intakes"]] == [intake["id"]]
    assert (await api.ok(GET, {"id": intake["id"]}, partner))["intake"]["id"] == intake["id"]


async def test_a_read_of_intakes_alone_shows_them_and_is_audited_as_needs_too(api, tokens):
    """An intake holds the person's words and basic needs survey: a 360° read that selects
    `intakes` without `needs` still shows them, and its audit event names NEEDS beside
    HISTORY (it named HISTORY alone)."""
    owner = tokens["owner"]
    rid = await new_recipient(api, owner)
    intake = await take(api, owner, recipientId=rid)
    read = "query($id: ID!) { recipient(id: $id) { intakes { id situation } } }"
    seen = (await api.ok(read, {"id": rid}, owner))["recipient"]
    assert [i["id"] for i in seen["intakes"]] == [intake["id"]]
    events = [e for e in await audit_events(api, rid) if e["op"] == "READ"]
    assert events and sorted(events[-1]["categories"]) == ["HISTORY", "NEEDS"], events


async def test_a_queue_institution_that_may_no_longer_read_the_person_cannot_act(api, tokens):
    """A revoked consent ends the taker's access on the next request: the intake it took
    answers its changes as an unknown id does, and nothing is written or shown (the changes
    used to go through and answer with the situation and the needs survey)."""
    owner, partner = tokens["owner"], tokens["partner"]
    rid = await new_recipient(api, partner)
    share = {"recipientId": rid, "scope": ["IDENTITY", "NEEDS"],
             "institutions": ["ins_owner01"], "validUntil": "2099-01-01T00:00:00Z"}  # fmt: skip
    consent = (await api.ok(CONSENT, {"input": share}, partner))["recordConsent"]["id"]
    intake = await take(api, owner, recipientId=rid)
    await api.ok(REVOKE, {"id": consent}, partner)
    unknown = "itk_00000000000000000000000"
    plan = {"plan": {"goals": ["끼니 해결"], "items": []}}
    for mutation, extra in ((PICK_UP, {}), (PLAN, plan), (HAND_OVER, {})):
        hidden = await api(mutation, {"id": intake["id"], "v": 1, **extra}, owner)
        missing = await api(mutation, {"id": unknown, "v": 1, **extra}, owner)
        assert hidden["data"] is None and hidden["errors"][0]["extensions"] == {
            "code": "NOT_FOUND"
        }  # fmt: skip
        assert json.dumps(hidden).replace(intake["id"], unknown) == json.dumps(missing)
    rows = await api.runtime.backends.graph.run(
        "MATCH (k:Intake) RETURN k.version AS v, k.status AS s"
    )
    assert rows == [{"v": 1, "s": "OPEN"}]
