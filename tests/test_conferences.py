"""Regional care conferences (지역케어회의) over HTTP on each engine set: a 주민센터 organises a
conference, the lead of a case tables it with the person's consent or a legal basis, members
read the case only through the case access rules, the minutes' decisions become actions in
each institution's worklist (overdue ones flagged); every refusal has its code."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.conferences import CREATE, MINUTES, SCHEDULE, SESSION_FIELDS, TABLE, setting
from tests.support.intakes import CENTRE, add_offices
from tests.support.recipients import audit_events

GET = f"""query($id: ID!) {{ conference(id: $id) {{ id name members {{ id }}
  sessions {{ {SESSION_FIELDS} }} }} }}"""
WORKLIST = """query($overdue: Boolean) { conferenceActions(overdue: $overdue) { totalCount
  edges { node { id description overdue status version conferenceName case { id } } } } }"""
COMPLETE = """mutation($id: ID!, $v: Int!) { completeConferenceAction(id: $id, expectedVersion: $v,
  note: "방문 완료") { status version overdue } }"""


@pytest.fixture
async def tokens(api: Any) -> dict[str, str]:
    await add_offices(api)
    return {
        "centre": api.token(CENTRE, "ADMIN"),
        "owner": api.token("ins_owner01", "CASEWORKER"),
        "partner": api.token("ins_partner01", "CASEWORKER"),
        "other": api.token("ins_other001", "CASEWORKER"),
    }


async def test_a_conference_tables_a_case_and_tracks_its_decisions(api, tokens):
    ids = await setting(api, tokens)
    tabled = await api.ok(
        TABLE, {"s": ids["session"], "k": ids["case"], "consent": ids["consent"]}, tokens["owner"]
    )
    [entry] = tabled["tableCase"]["tabledCases"]
    assert entry["basis"] == "CONSENT" and entry["tabledBy"] == {"id": "ins_owner01"}
    assert entry["case"] == {"id": ids["case"], "programme": "CRISIS_HOUSEHOLD"}
    # Members read the case only as the case rules allow: the partner may not, the centre may
    # through the consent it holds for HISTORY.
    for member, expected in (("partner", None), ("centre", ids["case"])):
        seen = (await api.ok(GET, {"id": ids["conference"]}, tokens[member]))["conference"]
        case = seen["sessions"][0]["tabledCases"][0]["case"]
        assert (case or {}).get("id") == expected, member
    decisions = [
        {"description": "주 2회 안부 확인", "assigneeId": "ins_partner01", "due": "2020-01-31",
         "caseId": ids["case"]},
        {"description": "긴급지원 신청 검토", "assigneeId": "ins_owner01", "due": "2099-01-31"},
    ]  # fmt: skip
    held = (await api.ok(MINUTES, {"s": ids["session"], "v": 2, "d": decisions}, tokens["centre"]))[
        "recordConferenceMinutes"
    ]
    assert held["status"] == "HELD" and held["minutes"] == "주 2회 안부 확인 합의"
    assert {a["assignee"]["id"] for a in held["actions"]} == {"ins_partner01", "ins_owner01"}
    overdue = (await api.ok(WORKLIST, {"overdue": True}, tokens["partner"]))["conferenceActions"]
    assert overdue["totalCount"] == 1
    action = overdue["edges"][0]["node"]
    assert action["overdue"] is True and action["conferenceName"] == "한림읍 지역케어회의"
    assert action["case"] is None  # the partner may not read the case
    assert (await api.ok(WORKLIST, {"overdue": True}, tokens["owner"]))["conferenceActions"][
        "totalCount"
    ] == 0
    done = await api.ok(COMPLETE, {"id": action["id"], "v": 1}, tokens["partner"])
    assert done["completeConferenceAction"] == {"status": "DONE", "version": 2, "overdue": False}
    assert (await api.ok(WORKLIST, {"overdue": True}, tokens["partner"]))["conferenceActions"][
        "totalCount"
    ] == 0
    events = await audit_events(api, ids["recipient"])
    assert "CASE_TABLED" in [e["op"] for e in events]


async def test_every_refusal_has_its_code(api, tokens):
    ids = await setting(api, tokens)
    centre, owner, partner = tokens["centre"], tokens["owner"], tokens["partner"]
    private = await api.error(CREATE, {"input": {"name": "x", "regionCode": "5011025000"}}, owner)
    assert private["extensions"]["code"] == "FORBIDDEN"
    elsewhere = await api.error(CREATE, {"input": {"name": "x", "regionCode": "50130"}}, centre)
    assert elsewhere["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.regionCode"}
    session, case = ids["session"], ids["case"]
    no_basis = await api.error(TABLE, {"s": session, "k": case}, owner)
    assert no_basis["extensions"] == {"code": "BAD_USER_INPUT", "field": "consentId"}
    not_lead = await api.error(TABLE, {"s": session, "k": case, "legal": "법 제41조"}, partner)
    assert not_lead["extensions"]["code"] == "FORBIDDEN"
    unknown_consent = await api.error(
        TABLE, {"s": session, "k": case, "consent": "cns_000000000000"}, owner
    )
    assert unknown_consent["extensions"]["code"] == "FORBIDDEN"
    legal = await api.ok(TABLE, {"s": session, "k": case, "legal": "사회보장급여법 제41조"}, owner)
    assert legal["tableCase"]["tabledCases"][0]["legalBasis"] == "사회보장급여법 제41조"
    twice = await api.error(TABLE, {"s": session, "k": case, "legal": "x"}, owner)
    assert twice["extensions"]["code"] == "CONFLICT"
    member = await api.error(MINUTES, {"s": session, "v": 2}, partner)
    assert member["extensions"]["code"] == "FORBIDDEN"
    stray = [{"description": "x", "assigneeId": "ins_other001", "due": "2099-01-01"}]
    outside = await api.error(MINUTES, {"s": session, "v": 2, "d": stray}, centre)
    assert outside["extensions"] == {"code": "BAD_USER_INPUT", "field": "decisions.assigneeId"}
    stale = await api.error(MINUTES, {"s": session, "v": 1}, centre)
    assert stale["extensions"] == {
        "code": "CONFLICT", "currentStatus": "SCHEDULED", "currentVersion": 2
    }  # fmt: skip
    await api.ok(MINUTES, {"s": session, "v": 2}, centre)
    late = await api.error(TABLE, {"s": session, "k": case, "legal": "x"}, owner)
    assert late["extensions"] == {"code": "CONFLICT", "currentStatus": "HELD"}


async def test_an_outsider_gets_what_an_unknown_id_gets(api, tokens):
    ids = await setting(api, tokens)
    other = tokens["other"]
    for token in (other, None):
        assert (await api.ok(GET, {"id": ids["conference"]}, token))["conference"] is None
        listed = await api.ok("{ conferences { totalCount edges { node { id } } } }", None, token)
        assert listed["conferences"] == {"totalCount": 0, "edges": []}
    pairs = (
        (SCHEDULE, {"c": ids["conference"]}, {"c": "cnf_00000000000000000000000"}),
        (TABLE, {"s": ids["session"], "k": ids["case"], "legal": "x"},
         {"s": "ses_00000000000000000000000", "k": ids["case"], "legal": "x"}),
        (MINUTES, {"s": ids["session"], "v": 1}, {"s": "ses_00000000000000000000000", "v": 1}),
    )  # fmt: skip
    for mutation, hidden_vars, unknown_vars in pairs:
        hidden = await api.error(mutation, hidden_vars, other)
        missing = await api.error(mutation, unknown_vars, other)
        assert hidden["extensions"] == missing["extensions"] == {"code": "NOT_FOUND"}
        assert len(hidden["message"]) == len(missing["message"])
