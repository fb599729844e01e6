"""The access object of graph/ (`graph.access.GraphAccess`): a child read (a recipient's
assessments, consents, enrollments, cases and notes, referrals, intakes) carries the
entitlement in its own statement, so calling it directly with another institution's access
returns nothing, on both engine sets; the parameters a statement may not set itself; audit ids
in the order a request wrote them."""

from __future__ import annotations

from typing import Any

import pytest

from graph.access import GraphAccess
from graph.assessments import assessments_of
from graph.cases import cases_of, notes_of
from graph.consents import consents_of
from graph.enrollments import enrollments_of
from graph.intakes import intakes_of
from graph.recipients import upsert_recipients
from graph.referrals import referrals_of
from tests.test_recipients import CONSENT, OPEN_CASE, new_recipient
from tests.test_resources_api import register
from vocabulary.access import Viewer

ASSESS = """mutation($r: ID!) { assessNeeds(recipientId: $r,
  needs: [{code: "DAILY_LIVING_MEALS", severity: 4}]) { id } }"""
ENROLL = """mutation($input: RecordEnrollmentInput!) { recordEnrollment(input: $input) { id } }"""
NOTE = """mutation($c: ID!) { addCaseNote(caseId: $c, text: "방문 메모", audience: PARTICIPANTS) {
  id } }"""
REFER = """mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }"""
TAKE = """mutation($input: TakeIntakeInput!) { takeIntake(input: $input) { id } }"""


def access_of(api: Any, institution: str) -> GraphAccess:
    viewer = Viewer(subject="staff-1", institution_id=institution, roles=frozenset({"CASEWORKER"}))
    return GraphAccess.of(viewer, now_ms=api.runtime.services.clock())


async def everything_of(api: Any) -> tuple[str, str]:
    """A recipient of ins_owner01 with one of every child record; ins_partner01 holds a
    consent to its IDENTITY only. Returns the recipient and its case."""
    owner = api.token("ins_owner01", "CASEWORKER")
    rid = await new_recipient(api, owner)
    await api.ok(ASSESS, {"r": rid}, owner)
    resource = await register(api, api.token("ins_owner01", "REGISTRANT"))
    enrollment = {"recipientId": rid, "resourceId": resource["id"], "start": "2026-03-01"}
    await api.ok(ENROLL, {"input": enrollment}, owner)
    consent = {"recipientId": rid, "scope": ["IDENTITY"], "institutions": ["ins_partner01"],
               "validUntil": "2099-01-01T00:00:00Z"}  # fmt: skip
    await api.ok(CONSENT, {"input": consent}, owner)
    case = (await api.ok(OPEN_CASE, {"r": rid, "p": "CRISIS_HOUSEHOLD"}, owner))["openCase"]
    await api.ok(NOTE, {"c": case["id"]}, owner)
    referral = {"recipientId": rid, "toInstitutionId": "ins_other001",
                "needCodes": ["DAILY_LIVING_MEALS"], "sharedCategories": ["IDENTITY"],
                "message": "연락 부탁드립니다.", "urgent": True,
                "urgentReason": "연락 두절"}  # fmt: skip
    await api.ok(REFER, {"input": referral}, owner)
    intake = {"recipientId": rid, "channel": "PHONE", "urgency": "ROUTINE",
              "situation": "식사 문의",
              "needs": [{"code": "DAILY_LIVING_MEALS", "severity": 3}]}  # fmt: skip
    await api.ok(TAKE, {"input": intake}, owner)
    return rid, case["id"]


async def children(api: Any, access: GraphAccess, rid: str, case: str) -> dict[str, int]:
    graph = api.runtime.backends.graph
    return {
        "assessments": len(await assessments_of(graph, [rid], access)),
        "consents": len(await consents_of(graph, [rid], access)),
        "enrollments": len(await enrollments_of(graph, [rid], access)),
        "cases": len(await cases_of(graph, [rid], access)),
        "notes": len(await notes_of(graph, [case], [rid], access)),
        "referrals": len(await referrals_of(graph, [rid], access)),
        "intakes": len(await intakes_of(graph, [rid], access)),
    }


async def test_child_reads_return_nothing_to_an_institution_not_entitled(api):
    rid, case = await everything_of(api)
    # The registering institution reads every child record (the intake's survey is an
    # assessment too).
    assert await children(api, access_of(api, "ins_owner01"), rid, case) == {
        "assessments": 2, "consents": 1, "enrollments": 1, "cases": 1, "notes": 1,
        "referrals": 1, "intakes": 1,
    }  # fmt: skip
    # An institution with no relation to the person reads none, whatever ids it names; so
    # does an anonymous viewer.
    nothing = dict.fromkeys(("assessments", "consents", "enrollments", "cases", "notes",
                             "referrals", "intakes"), 0)  # fmt: skip
    assert await children(api, access_of(api, "ins_region01"), rid, case) == nothing
    anonymous = GraphAccess.of(Viewer(), now_ms=api.runtime.services.clock())
    assert await children(api, anonymous, rid, case) == nothing
    # A consent to IDENTITY opens neither NEEDS (assessments) nor HISTORY (the rest); the
    # consents themselves are for any entitled institution (a sender checks the one it names).
    partner = await children(api, access_of(api, "ins_partner01"), rid, case)
    assert partner == {**nothing, "consents": 1}
    # The urgent referral's target reads IDENTITY only once it accepts: not yet.
    assert await children(api, access_of(api, "ins_other001"), rid, case) == nothing


async def test_a_statement_may_not_set_an_access_parameter_itself(api):
    access = access_of(api, "ins_owner01")
    with pytest.raises(ValueError, match="viewerInst"):
        access.params({"viewerInst": "ins_other001"})
    with pytest.raises(ValueError, match="audit"):
        access.params({}, audited=True)  # an audited statement names its operation
    with pytest.raises(PermissionError):
        await upsert_recipients(api.runtime.backends.graph, [], access.audit("BULK_LOAD"))


def test_audit_ids_begin_with_the_time_and_keep_the_order_of_a_request():
    access = GraphAccess.of(Viewer(subject="s", institution_id="i"), now_ms=1_700_000_000_000)
    first = access.audit("READ", ["NEEDS"]).params(audited=True)
    second = access.audit("READ", ["NEEDS"]).params(audited=True)
    assert first["auditPrefix"].startswith("aud_1700000000000")
    assert first["auditPrefix"] < second["auditPrefix"]
    later = GraphAccess.of(Viewer(), now_ms=1_700_000_000_001).audit("READ").params(audited=True)
    assert second["auditPrefix"] < later["auditPrefix"]
