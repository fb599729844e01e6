"""Crisis reports (위기가구 발굴 신고) over HTTP on each engine set: a public report reaches the
responsible 주민센터 and its reporter learns nothing else; the workflow's transitions and
refusals; reads audited; the per-address limit."""

from __future__ import annotations

import json
from typing import Any

import pytest

from resolvers.crisis_report_limiter import ReportLimiter
from tests.support.crisis_reports import (
    ASSESS,
    CLOSE,
    FIELDS,
    LIST,
    REPORT,
    VISIT,
    report,
    reported,
)
from tests.support.intakes import CENTRE, CITY_HALL, add_offices
from tests.support.recipients import audit_events, new_recipient

GET = f"""query($id: ID!) {{ crisisReport(id: $id) {{ {FIELDS} }} }}"""


@pytest.fixture
async def tokens(api: Any) -> dict[str, str]:
    await add_offices(api)
    return {
        "centre": api.token(CENTRE, "CASEWORKER"),
        "hall": api.token(CITY_HALL, "CASEWORKER"),
        "planner": api.token(CENTRE, "VILLAGE_PLANNER", subject="planner-1"),
        "owner": api.token("ins_owner01", "CASEWORKER"),
        "registrant": api.token(CENTRE, "REGISTRANT"),
    }


async def test_a_residents_report_reaches_the_responsible_centre_only(api, tokens):
    answer = await reported(
        api, None, contactAgreed=True, reporter={"name": "이웃 주민", "phone": "010-1111-2222"}
    )
    assert answer["reportCrisis"]["received"] is True
    await reported(api, None, reporter={"name": "익명 희망", "phone": "010-3333-4444"})
    await reported(api, tokens["planner"], observed="마을 순찰 중 확인: 난방이 끊긴 집")
    reports = (await api.ok(LIST, None, tokens["centre"]))["crisisReports"]
    assert reports["totalCount"] == 3
    first, second, third = (e["node"] for e in reports["edges"])
    assert first["assignedTo"] == {"id": CENTRE} and first["region"] == {"code": "5011025000"}
    assert first["reporterKind"] == "RESIDENT" and first["status"] == "RECEIVED"
    assert (first["reporterName"], first["reporterPhone"]) == ("이웃 주민", "010-1111-2222")
    # Without the reporter's agreement, how to reach them is not even stored.
    assert (second["reporterName"], second["reporterPhone"]) == (None, None)
    assert third["reporterKind"] == "VILLAGE_PLANNER"
    for token in (tokens["hall"], tokens["owner"], None):
        assert (await api.ok(LIST, None, token))["crisisReports"] == {
            "totalCount": 0, "edges": []
        }  # fmt: skip
    reads = await api.runtime.backends.graph.run(
        "MATCH (a:AuditEvent {entity: 'CrisisReport'}) RETURN a.operation AS op, "
        "a.institutionId AS inst ORDER BY a.id"
    )
    assert [r["op"] for r in reads].count("CRISIS_REPORTED") == 3
    assert [r["inst"] for r in reads if r["op"] == "READ"] == [CENTRE] * 3


async def test_a_reporter_learns_nothing_about_whether_the_person_is_known(api, tokens):
    rid = await new_recipient(api, tokens["owner"], address="제주시 한림읍 한림로 1")
    before = await audit_events(api, rid)
    answers = set()
    for token in (None, tokens["owner"], tokens["planner"], tokens["hall"]):
        for place in ({"address": "제주시 한림읍 한림로 1", "observed": "김순자 어르신이 위험"},
                      {"address": "어딘가 없는 주소 999", "observed": "모르는 분이 위험"},
                      {"regionCode": "5011031000", "aboutSelf": True}):  # fmt: skip
            response = await api.raw(REPORT, {"input": report(**place)}, token)
            answers.add(json.dumps(response.json(), sort_keys=True))
    assert len(answers) == 1
    assert json.loads(answers.pop()) == {
        "data": {"reportCrisis": {"received": True, "message": answers_message()}}
    }
    assert await audit_events(api, rid) == before  # nothing about the recipient was read


def answers_message() -> str:
    from resolvers.crisis_reports import RECEIPT

    return str(RECEIPT["message"])


async def test_public_reports_are_limited_per_address(api, tokens):
    api.runtime.services.crisis_reports = ReportLimiter(2)
    for _ in range(2):
        await reported(api, None)
    refused = await api.error(REPORT, {"input": report()}, None)
    assert refused["extensions"] == {"code": "RATE_LIMITED"}
    await reported(api, tokens["planner"])  # staff are identified, not limited
    rows = await api.runtime.backends.graph.run("MATCH (c:CrisisReport) RETURN count(c) AS n")
    assert rows[0]["n"] == 3


async def test_a_place_no_office_covers_is_refused_and_nothing_is_stored(api, tokens):
    """서귀포시 has no 주민센터 or 시청 in this graph: stored, the report would reach no one."""
    for token in (None, tokens["planner"]):
        refused = await api.error(REPORT, {"input": report(regionCode="5013025000")}, token)
        assert refused["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.regionCode"}
        assert "129" in refused["message"] and "시군구" in refused["message"]
    rows = await api.runtime.backends.graph.run("MATCH (c:CrisisReport) RETURN count(c) AS n")
    assert rows[0]["n"] == 0
    await reported(api, None)  # 한림읍 is covered
    rows = await api.runtime.backends.graph.run("MATCH (c:CrisisReport) RETURN count(c) AS n")
    assert rows[0]["n"] == 1


def test_the_limiter_counts_a_sliding_hour_per_address():
    now = [0.0]
    limiter = ReportLimiter(2, clock=lambda: now[0])
    assert limiter.admit("a") and limiter.admit("a") and not limiter.admit("a")
    assert limiter.admit("b")
    now[0] = 3599.0
    assert not limiter.admit("a")
    now[0] = 3600.0
    assert limiter.admit("a")


async def test_every_transition_and_refusal(api, tokens):
    centre, planner = tokens["centre"], tokens["planner"]
    await reported(api, None)
    rid = (await api.ok(LIST, None, centre))["crisisReports"]["edges"][0]["node"]["id"]
    forbidden = await api.error(VISIT, {"id": rid, "v": 1}, tokens["registrant"])
    assert forbidden["extensions"]["code"] == "FORBIDDEN"
    early = await api.error(CLOSE, {"id": rid, "v": 1, "o": "INTAKE", "i": "itk_0000000000000"},
                            centre)  # fmt: skip
    assert early["extensions"] == {
        "code": "CONFLICT", "currentVersion": 1, "currentStatus": "RECEIVED"
    }  # fmt: skip
    visited = (await api.ok(VISIT, {"id": rid, "v": 1}, planner))["recordCrisisVisit"]
    assert visited["status"] == "VISITED" and visited["visitNote"] == "방문: 냉장고 비어 있음"
    stale = await api.error(VISIT, {"id": rid, "v": 1}, centre)
    assert stale["extensions"] == {
        "code": "CONFLICT", "currentVersion": 2, "currentStatus": "VISITED"
    }  # fmt: skip
    assessed = (await api.ok(ASSESS, {"id": rid, "v": 2}, centre))["recordCrisisAssessment"]
    assert assessed["needs"] == [{"code": "DAILY_LIVING_MEALS"}]
    no_link = await api.error(CLOSE, {"id": rid, "v": 3, "o": "INTAKE"}, centre)
    assert no_link["extensions"] == {"code": "BAD_USER_INPUT", "field": "intakeId"}
    no_reason = await api.error(CLOSE, {"id": rid, "v": 3, "o": "NO_ACTION"}, centre)
    assert no_reason["extensions"] == {"code": "BAD_USER_INPUT", "field": "reason"}
    closed = await api.ok(
        CLOSE, {"id": rid, "v": 3, "o": "INTAKE", "i": "itk_1234567890abc"}, centre
    )
    done = closed["closeCrisisReport"]
    assert done["status"] == "CLOSED" and done["intakeId"] == "itk_1234567890abc"
    assert [h["status"] for h in done["history"]] == ["RECEIVED", "VISITED", "ASSESSED", "CLOSED"]
    assert [h["actor"] for h in done["history"]][:2] == ["resident", "planner-1"]
    # NO_ACTION closes from any open state, with a reason.
    await reported(api, None)
    other = (await api.ok(LIST, None, centre))["crisisReports"]["edges"][1]["node"]["id"]
    quick = await api.ok(
        CLOSE, {"id": other, "v": 1, "o": "NO_ACTION", "reason": "주소지 확인 불가"}, centre
    )
    assert quick["closeCrisisReport"]["outcomeReason"] == "주소지 확인 불가"


async def test_an_outsider_gets_what_an_unknown_id_gets(api, tokens):
    await reported(api, None)
    rid = (await api.ok(LIST, None, tokens["centre"]))["crisisReports"]["edges"][0]["node"]["id"]
    unknown = "crr_00000000000000000000000"
    for token in (tokens["hall"], tokens["owner"], None):
        assert (await api.ok(GET, {"id": rid}, token))["crisisReport"] is None
        assert (await api.ok(GET, {"id": unknown}, token))["crisisReport"] is None
        if token is None:
            continue
        hidden = await api.error(VISIT, {"id": rid, "v": 1}, token)
        missing = await api.error(VISIT, {"id": unknown, "v": 1}, token)
        assert hidden["extensions"] == missing["extensions"] == {"code": "NOT_FOUND"}
        assert hidden["message"].replace(rid, unknown) == missing["message"]
