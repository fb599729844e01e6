"""Applications taken anywhere (신청 대행·접수) over HTTP on each engine set: a welfare centre
takes an application with the programme's documents checklist, forwards it to the responsible
주민센터, which reviews and decides it; every transition and refusal; parties only."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.applications import DECIDE, FIELDS, FORWARD, REVIEW, TAKE, taken
from tests.support.intakes import CENTRE, add_offices
from tests.support.recipients import audit_events, new_recipient

DOCUMENTS = f"""mutation($id: ID!, $v: Int!, $d: [String!]!) {{
  updateApplicationDocuments(id: $id, expectedVersion: $v, documents: $d) {{ {FIELDS} }} }}"""
GET = f"""query($id: ID!) {{ application(id: $id) {{ {FIELDS} recipient {{ name }} }} }}"""
LIST = f"""query($side: ApplicationSide!) {{ applications(side: $side) {{ totalCount
  edges {{ node {{ {FIELDS} }} }} }} }}"""
READ = """query($id: ID!) { recipient(id: $id) { name enrollments { status start } } }"""


@pytest.fixture
async def tokens(api: Any) -> dict[str, str]:
    await add_offices(api)
    return {
        "owner": api.token("ins_owner01", "CASEWORKER"),
        "centre": api.token(CENTRE, "CASEWORKER"),
        "other": api.token("ins_other001", "CASEWORKER"),
        "registrant": api.token("ins_owner01", "REGISTRANT"),
    }


async def test_a_welfare_centre_takes_forwards_and_sees_the_decision(api, tokens):
    owner, centre = tokens["owner"], tokens["centre"]
    rid = await new_recipient(api, owner)
    eligible = await api.ok(
        """query($r: ID!) { eligiblePrograms(recipientId: $r) {
             program { id requiredDocuments { code labelKo } } } }""",
        {"r": rid},
        owner,
    )
    checklist = {
        e["program"]["id"]: [d["code"] for d in e["program"]["requiredDocuments"]]
        for e in eligible["eligiblePrograms"]
    }
    assert checklist["prg_emergency"] == ["APPLICATION_FORM", "CRISIS_EVIDENCE"]
    application = await taken(api, owner, rid, ["APPLICATION_FORM"])
    assert application["status"] == "RECEIVED" and application["takenBy"] == {"id": "ins_owner01"}
    assert application["missingDocuments"] == [
        {"code": "CRISIS_EVIDENCE", "labelKo": "위기사유 확인서"}
    ]
    aid = application["id"]
    incomplete = await api.error(FORWARD, {"id": aid, "v": 1}, owner)
    assert incomplete["extensions"] == {
        "code": "BAD_USER_INPUT", "field": "documents", "missing": ["CRISIS_EVIDENCE"]
    }  # fmt: skip
    complete = await api.ok(
        DOCUMENTS, {"id": aid, "v": 1, "d": ["APPLICATION_FORM", "CRISIS_EVIDENCE"]}, owner
    )
    assert complete["updateApplicationDocuments"]["missingDocuments"] == []
    assert (await api.ok(READ, {"id": rid}, centre))["recipient"] is None
    forwarded = (await api.ok(FORWARD, {"id": aid, "v": 2}, owner))["forwardApplication"]
    assert forwarded["status"] == "FORWARDED" and forwarded["forwardedTo"] == {"id": CENTRE}
    # The office reads the applicant from forwarding until its decision.
    assert (await api.ok(READ, {"id": rid}, centre))["recipient"]["name"] == "김순자"
    inbox = (await api.ok(LIST, {"side": "FORWARDED_TO_US"}, centre))["applications"]
    assert [e["node"]["id"] for e in inbox["edges"]] == [aid]
    await api.ok(REVIEW, {"id": aid, "v": 3}, centre)
    decided = (await api.ok(DECIDE, {"id": aid, "v": 4, "d": "GRANTED"}, centre))[
        "decideApplication"
    ]
    assert decided["status"] == "DECIDED" and decided["decision"] == "GRANTED"
    assert [h["status"] for h in decided["history"]] == [
        "RECEIVED", "RECEIVED", "FORWARDED", "IN_REVIEW", "DECIDED"
    ]  # fmt: skip
    mine = (await api.ok(LIST, {"side": "TAKEN"}, owner))["applications"]["edges"]
    assert mine[0]["node"]["decision"] == "GRANTED"
    enrollments = (await api.ok(READ, {"id": rid}, owner))["recipient"]["enrollments"]
    assert {"status": "ACTIVE", "start": "2026-12-01"} in enrollments
    assert (await api.ok(READ, {"id": rid}, centre))["recipient"] is None
    operations = [e["op"] for e in await audit_events(api, rid)]
    for step in ("TAKEN", "DOCUMENTS", "FORWARD", "REVIEW", "DECIDE"):
        assert f"APPLICATION_{step}" in operations, step


async def test_every_refusal_has_its_code(api, tokens):
    owner, centre = tokens["owner"], tokens["centre"]
    rid = await new_recipient(api, owner)
    aid = (await taken(api, owner, rid, ["APPLICATION_FORM", "CRISIS_EVIDENCE"]))["id"]
    anonymous = await api.error(FORWARD, {"id": aid, "v": 1}, None)
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    registrant = await api.error(FORWARD, {"id": aid, "v": 1}, tokens["registrant"])
    assert registrant["extensions"]["code"] == "FORBIDDEN"
    early = await api.error(DECIDE, {"id": aid, "v": 1, "d": "GRANTED"}, owner)
    assert early["extensions"]["code"] == "FORBIDDEN"  # the taker does not decide
    await api.ok(FORWARD, {"id": aid, "v": 1}, owner)
    stale = await api.error(REVIEW, {"id": aid, "v": 1}, centre)
    assert stale["extensions"] == {
        "code": "CONFLICT", "currentVersion": 2, "currentStatus": "FORWARDED"
    }  # fmt: skip
    skipped = await api.error(DECIDE, {"id": aid, "v": 2, "d": "GRANTED"}, centre)
    assert skipped["extensions"]["currentStatus"] == "FORWARDED"
    again = await api.error(FORWARD, {"id": aid, "v": 2}, owner)
    assert again["extensions"]["code"] == "CONFLICT"
    await api.ok(REVIEW, {"id": aid, "v": 2}, centre)
    no_reason = await api.error(DECIDE, {"id": aid, "v": 3, "d": "REFUSED"}, centre)
    assert no_reason["extensions"] == {"code": "BAD_USER_INPUT", "field": "reason"}
    refused = await api.ok(
        DECIDE, {"id": aid, "v": 3, "d": "REFUSED", "reason": "소득 기준 초과"}, centre
    )
    assert refused["decideApplication"]["reason"] == "소득 기준 초과"
    assert refused["decideApplication"]["enrollmentId"] is None
    bad = await api.error(
        TAKE, {"input": {"recipientId": rid, "programId": "prg_emergency",
                         "documents": ["PASSPORT"]}}, owner
    )  # fmt: skip
    assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "documents"}


async def test_an_outsider_gets_what_an_unknown_id_gets(api, tokens):
    owner = tokens["owner"]
    rid = await new_recipient(api, owner)
    aid = (await taken(api, owner, rid, []))["id"]
    unknown = "apl_00000000000000000000000"
    for token in (tokens["other"], tokens["centre"], None):
        assert (await api.ok(GET, {"id": aid}, token))["application"] is None
        listed = await api.ok(LIST, {"side": "TAKEN"}, token)
        assert listed["applications"] == {"totalCount": 0, "edges": []}
        if token is None:
            continue
        hidden = await api.error(REVIEW, {"id": aid, "v": 1}, token)
        missing = await api.error(REVIEW, {"id": unknown, "v": 1}, token)
        assert hidden["extensions"] == missing["extensions"] == {"code": "NOT_FOUND"}
        assert hidden["message"].replace(aid, unknown) == missing["message"]
        take = await api.error(
            TAKE, {"input": {"recipientId": rid, "programId": "prg_emergency"}}, token
        )
        nobody = await api.error(
            TAKE, {"input": {"recipientId": "rcp_doesnotexist00", "programId": "prg_emergency"}},
            token,
        )  # fmt: skip
        assert take["extensions"] == nobody["extensions"] == {"code": "NOT_FOUND"}
        assert take["message"].replace(rid, "rcp_doesnotexist00") == nobody["message"]
    seen = await api.ok(GET, {"id": aid}, owner)
    assert seen["application"]["recipient"] == {"name": "김순자"}
