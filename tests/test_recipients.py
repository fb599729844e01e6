"""Recipients, consent, assessments, enrollments and case management over HTTP on the real
embedded engines: who may see what, and that every read is audited."""

from __future__ import annotations

import asyncio
import json

from graph.engine import round_trips
from tests.support.recipients import (
    CONSENT,
    OPEN_CASE,
    REGISTER,
    audit_events,
    new_recipient,
    person,
    view,
)
from tests.support.resources import register


async def test_the_registering_institution_sees_everything_and_each_read_is_audited(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    seen = await view(api, rid, tokens["owner"])
    assert seen is not None
    assert seen["name"] == "김순자"
    assert seen["age"] >= 80
    assert seen["contact"] == {"phone": "010-1234-5678"}
    assert seen["household"] == {"size": 1, "type": "SINGLE_ELDERLY"}
    assert seen["withheldCategories"] == []
    assert seen["needs"] == [] and seen["cases"] == [] and seen["consents"] == []
    events = await audit_events(api, rid)
    assert [e["op"] for e in events] == ["REGISTER", "READ"]
    assert set(events[1]["categories"]) == {
        "IDENTITY",
        "CONTACT",
        "NEEDS",
        "HISTORY",
        "CASE_NOTES",
    }


async def test_outsiders_learn_nothing(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    for token in (None, tokens["other"], tokens["region"], tokens["partner"]):
        assert await view(api, rid, token) is None
        assert await view(api, "rcp_doesnotexist00", token) is None
        listed = await api.ok("{ recipients { totalCount edges { node { id } } } }", None, token)
        assert listed["recipients"] == {"totalCount": 0, "edges": []}
    before = len(await audit_events(api, rid))
    assert before == 1  # only the registration: refused reads write nothing
    hidden = await api.error(
        """mutation($r: ID!) { assessNeeds(recipientId: $r,
             needs: [{code: "HEALTH_MENTAL", severity: 3}]) { id } }""",
        {"r": rid},
        tokens["other"],
    )
    missing = await api.error(
        """mutation($r: ID!) { assessNeeds(recipientId: $r,
             needs: [{code: "HEALTH_MENTAL", severity: 3}]) { id } }""",
        {"r": "rcp_doesnotexist00"},
        tokens["other"],
    )
    assert hidden["extensions"]["code"] == missing["extensions"]["code"] == "NOT_FOUND"
    assert hidden["message"].replace(rid, "X") == missing["message"].replace(
        "rcp_doesnotexist00", "X"
    )


async def test_consent_grants_only_its_categories_until_revoked(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    await api.ok(
        """mutation($r: ID!) { assessNeeds(recipientId: $r, needs: [
             {code: "DAILY_LIVING_MEALS", severity: 4, note: "혼자 식사 어려움"}]) { id } }""",
        {"r": rid},
        tokens["owner"],
    )
    consent = (
        await api.ok(
            CONSENT,
            {
                "input": {
                    "recipientId": rid,
                    "scope": ["NEEDS"],
                    "institutions": ["ins_other001"],
                    "validUntil": "2099-01-01T00:00:00Z",
                }
            },
            tokens["owner"],
        )
    )["recordConsent"]
    seen = await view(api, rid, tokens["other"])
    assert seen is not None
    assert seen["readableCategories"] == ["NEEDS"]
    assert seen["name"] is None and seen["contact"] is None and seen["birthDate"] is None
    assert seen["needs"] == [{"code": "DAILY_LIVING_MEALS", "severity": 4}]
    assert seen["cases"] is None and seen["enrollments"] is None and seen["consents"] is None
    assert "김순자" not in json.dumps(seen, ensure_ascii=False)
    # The consented institution may not revoke or widen it.
    refused = await api.error(
        "mutation($id: ID!) { revokeConsent(id: $id) { id } }",
        {"id": consent["id"]},
        tokens["other"],
    )
    assert refused["extensions"]["code"] == "NOT_FOUND"
    await api.ok(
        "mutation($id: ID!) { revokeConsent(id: $id) { status } }",
        {"id": consent["id"]},
        tokens["owner"],
    )
    assert await view(api, rid, tokens["other"]) is None
    again = await api.error(
        "mutation($id: ID!) { revokeConsent(id: $id) { id } }",
        {"id": consent["id"]},
        tokens["owner"],
    )
    assert again["extensions"]["code"] == "NOT_FOUND"


async def test_consent_by_institution_kind_and_expiry(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    await api.ok(
        CONSENT,
        {
            "input": {
                "recipientId": rid,
                "scope": ["IDENTITY"],
                "institutionKinds": ["COMMUNITY_CENTER"],
                "validUntil": "2099-01-01T00:00:00Z",
            }
        },
        tokens["owner"],
    )
    assert (await view(api, rid, tokens["region"]))["name"] == "김순자"  # a 주민센터
    assert await view(api, rid, tokens["other"]) is None  # a welfare centre
    past = await api.error(
        CONSENT,
        {
            "input": {
                "recipientId": rid,
                "scope": ["IDENTITY"],
                "institutions": ["ins_other001"],
                "validUntil": "2001-01-01T00:00:00Z",
            }
        },
        tokens["owner"],
    )
    assert past["extensions"]["code"] == "BAD_USER_INPUT"
    # A consent that has run out no longer admits: write one expiring now-ish directly.
    graph = api.runtime.backends.graph
    await graph.run(
        "MATCH (p:Recipient {id: $id}) SET p.consentGrants = p.consentGrants + $g",
        {"id": rid, "g": ["inst:ins_other001|IDENTITY|1000|cns_expired000"]},
        write=True,
    )
    assert await view(api, rid, tokens["other"]) is None


async def test_case_lifecycle_participants_notes_and_access(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    case = (await api.ok(OPEN_CASE, {"r": rid, "p": "ELDERLY_LIVING_ALONE"}, tokens["owner"]))[
        "openCase"
    ]
    assert case["status"] == "OPEN" and case["version"] == 1
    assert await view(api, rid, tokens["partner"]) is None
    added = await api.ok(
        """mutation($c: ID!) { addCaseParticipant(caseId: $c, institutionId: "ins_partner01",
             expectedVersion: 1) { version participants { id } } }""",
        {"c": case["id"]},
        tokens["owner"],
    )
    assert added["addCaseParticipant"]["participants"] == [{"id": "ins_partner01"}]
    for text, audience, token in (
        ("리드만 보는 메모", "LEAD_ONLY", tokens["owner"]),
        ("참여기관 공유 메모", "PARTICIPANTS", tokens["partner"]),
    ):
        await api.ok(
            """mutation($c: ID!, $t: String!, $a: NoteAudience!) {
                 addCaseNote(caseId: $c, text: $t, audience: $a) { id } }""",
            {"c": case["id"], "t": text, "a": audience},
            token,
        )
    as_partner = await view(api, rid, tokens["partner"])
    assert as_partner["name"] == "김순자"
    assert [n["text"] for n in as_partner["cases"][0]["notes"]] == ["참여기관 공유 메모"]
    as_lead = await view(api, rid, tokens["owner"])
    assert [n["text"] for n in as_lead["cases"][0]["notes"]] == [
        "리드만 보는 메모",
        "참여기관 공유 메모",
    ]

    close = """mutation($c: ID!, $v: Int!) {
      closeCase(caseId: $c, reason: "목표 달성", expectedVersion: $v) { status version } }"""
    not_active = await api.error(close, {"c": case["id"], "v": 2}, tokens["owner"])
    assert not_active["extensions"]["code"] == "CONFLICT"
    assert not_active["extensions"]["currentStatus"] == "OPEN"
    plan = """mutation($c: ID!, $v: Int!) {
      updateCarePlan(caseId: $c, expectedVersion: $v, carePlan: "주 2회 방문") {
        status version } }"""
    by_partner = await api.error(plan, {"c": case["id"], "v": 2}, tokens["partner"])
    assert by_partner["extensions"]["code"] == "FORBIDDEN"
    planned = (await api.ok(plan, {"c": case["id"], "v": 2}, tokens["owner"]))["updateCarePlan"]
    assert planned == {"status": "ACTIVE", "version": 3}
    stale = await api.error(plan, {"c": case["id"], "v": 2}, tokens["owner"])
    assert stale["extensions"]["code"] == "CONFLICT" and stale["extensions"]["currentVersion"] == 3
    closed = (await api.ok(close, {"c": case["id"], "v": 3}, tokens["owner"]))["closeCase"]
    assert closed == {"status": "CLOSED", "version": 4}
    # Closing the case ends the participant's access; the registering institution keeps it.
    assert await view(api, rid, tokens["partner"]) is None
    assert (await view(api, rid, tokens["owner"]))["cases"][0]["status"] == "CLOSED"
    late = await api.error(
        """mutation($c: ID!) { addCaseNote(caseId: $c, text: "x") { id } }""",
        {"c": case["id"]},
        tokens["owner"],
    )
    assert late["extensions"]["code"] == "CONFLICT"


async def test_a_case_lead_elsewhere_gains_access_through_its_case(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    await api.ok(
        CONSENT,
        {
            "input": {
                "recipientId": rid,
                "scope": ["IDENTITY"],
                "institutions": ["ins_other001"],
                "validUntil": "2099-01-01T00:00:00Z",
            }
        },
        tokens["owner"],
    )
    case = (await api.ok(OPEN_CASE, {"r": rid, "p": "CRISIS_HOUSEHOLD"}, tokens["other"]))[
        "openCase"
    ]
    seen = await view(api, rid, tokens["other"])
    assert seen["withheldCategories"] == []  # leading a case makes it a member
    assert seen["cases"][0]["id"] == case["id"]


async def test_programmes_and_inputs_are_checked(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    unknown = await api.error(OPEN_CASE, {"r": rid, "p": "NOT_A_PROGRAMME"}, tokens["owner"])
    assert unknown["extensions"]["code"] == "BAD_USER_INPUT"
    for overrides, field in (
        ({"birthDate": "2999-01-01"}, "input.birthDate"),
        ({"birthDate": "1850-01-01"}, "input.birthDate"),
        ({"nationalId": "12345"}, "input.nationalId"),
        ({"regionCode": "99999"}, "input.regionCode"),
        ({"incomePercent": -1}, "input.incomePercent"),
        ({"householdSize": 0}, "input.householdSize"),
        ({"phone": "call me"}, "input.phone"),
        ({"name": "  "}, "input.name"),
    ):
        error = await api.error(REGISTER, {"input": person(**overrides)}, tokens["owner"])
        assert error["extensions"]["code"] == "BAD_USER_INPUT", overrides
        assert error["extensions"]["field"] == field, overrides
    anonymous = await api.error(REGISTER, {"input": person()}, None)
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"


async def test_duplicates_are_found_through_the_keyed_hash_only(api, tokens):
    national_id = "440302-2345678"
    rid = await new_recipient(api, tokens["owner"], nationalId=national_id)
    again = await api.error(
        REGISTER, {"input": person(nationalId="4403022345678")}, tokens["owner"]
    )
    assert again["extensions"]["code"] == "CONFLICT"
    assert again["extensions"]["existingId"] == rid
    elsewhere = await api.error(
        REGISTER, {"input": person(nationalId=national_id)}, tokens["other"]
    )
    assert elsewhere["extensions"]["code"] == "CONFLICT"
    assert "existingId" not in elsewhere["extensions"] and rid not in elsewhere["message"]
    stored = await api.runtime.backends.graph.run(
        "MATCH (p:Recipient {id: $id}) RETURN properties(p) AS props", {"id": rid}
    )
    text = json.dumps(stored, ensure_ascii=False)
    assert "2345678" not in text and "nationalId" not in text
    assert len(stored[0]["props"]["idHash"]) == 64


async def test_enrollments_are_history(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    resource = await register(api, api.token("ins_owner01", "REGISTRANT"))
    enrolled = await api.ok(
        """mutation($input: RecordEnrollmentInput!) {
             recordEnrollment(input: $input) { id status start end resource { name } } }""",
        {"input": {"recipientId": rid, "resourceId": resource["id"], "start": "2026-03-01"}},
        tokens["owner"],
    )
    assert enrolled["recordEnrollment"]["resource"]["name"] == resource["name"]
    backwards = await api.error(
        """mutation($input: RecordEnrollmentInput!) { recordEnrollment(input: $input) { id } }""",
        {
            "input": {
                "recipientId": rid,
                "resourceId": resource["id"],
                "start": "2026-03-01",
                "end": "2026-01-01",
            }
        },
        tokens["owner"],
    )
    assert backwards["extensions"]["code"] == "BAD_USER_INPUT"
    seen = await view(api, rid, tokens["owner"])
    assert [e["resource"]["name"] for e in seen["enrollments"]] == [resource["name"]]


async def test_concurrent_reads_each_leave_one_audit_event(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    query = "query($id: ID!) { recipient(id: $id) { name } }"
    await asyncio.gather(*(api.ok(query, {"id": rid}, tokens["owner"]) for _ in range(25)))
    reads = [e for e in await audit_events(api, rid) if e["op"] == "READ"]
    assert len(reads) == 25
    assert all(e["categories"] == ["IDENTITY"] and e["inst"] == "ins_owner01" for e in reads)


async def test_access_log_is_for_lead_admins_and_platform_admins(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    await view(api, rid, tokens["owner"])
    log = """query($r: ID!) { recipientAccessLog(recipientId: $r) {
      totalCount edges { node { operation institutionId categories } } } }"""
    mine = (await api.ok(log, {"r": rid}, tokens["owner_admin"]))["recipientAccessLog"]
    assert mine["totalCount"] == 2
    assert [e["node"]["operation"] for e in mine["edges"]] == ["REGISTER", "READ"]
    assert (await api.ok(log, {"r": rid}, tokens["platform"]))["recipientAccessLog"][
        "totalCount"
    ] >= 2
    assert (await api.error(log, {"r": rid}, tokens["owner"]))["extensions"]["code"] == (
        "FORBIDDEN"
    )
    assert (await api.error(log, {"r": rid}, tokens["other_admin"]))["extensions"]["code"] == (
        "NOT_FOUND"
    )


async def test_the_360_view_costs_a_bounded_number_of_round_trips(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    registrant = api.token("ins_owner01", "REGISTRANT")
    resources = [(await register(api, registrant, name=f"자원 {n}"))["id"] for n in range(5)]
    enroll = (
        """mutation($input: RecordEnrollmentInput!) { recordEnrollment(input: $input) { id } }"""
    )
    for n in range(20):
        await api.ok(
            enroll,
            {"input": {"recipientId": rid, "resourceId": resources[n % 5], "start": "2026-01-01"}},
            tokens["owner"],
        )
    for programme in ("CRISIS_HOUSEHOLD", "MEDICAL_AID", "WELFARE_CENTER"):
        case = (await api.ok(OPEN_CASE, {"r": rid, "p": programme}, tokens["owner"]))["openCase"]
        await api.ok(
            """mutation($c: ID!) { addCaseNote(caseId: $c, text: "방문 상담") { id } }""",
            {"c": case["id"]},
            tokens["owner"],
        )
    await api.ok(
        """mutation($r: ID!) { assessNeeds(recipientId: $r, needs: [
             {code: "DAILY_LIVING_MEALS", severity: 4}]) { id } }""",
        {"r": rid},
        tokens["owner"],
    )
    counter = round_trips()
    seen = await view(api, rid, tokens["owner"])
    assert len(seen["enrollments"]) == 20 and len(seen["cases"]) == 3
    assert all(len(c["notes"]) == 1 for c in seen["cases"])
    # viewer, recipient+audit, assessments, enrollments, cases, consents, notes, resources,
    # institutions: each one batched query however many rows.
    assert counter.count <= 9


async def test_entities_resolve_recipients_for_entitled_viewers_only_and_audit(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Recipient { id name } } }"""
    reps = {"r": [{"__typename": "Recipient", "id": rid}]}
    assert (await api.ok(query, reps, tokens["owner"]))["_entities"] == [
        {"id": rid, "name": "김순자"}
    ]
    for token in (None, tokens["other"]):
        assert (await api.ok(query, reps, token))["_entities"] == [None]
    reads = [e for e in await audit_events(api, rid) if e["op"] == "READ"]
    assert len(reads) == 1 and reads[0]["categories"] == ["IDENTITY"]
