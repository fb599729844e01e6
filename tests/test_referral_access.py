"""Referrals and what they let read: consent (missing, revoked, expired, of another scope
or institution), what a sender may pass on, urgent referrals without consent, and what
the target may read of the recipient when; every read audited."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.recipients import audit_events, new_recipient, view
from tests.support.referrals import CREATE, GET, act, consented_recipient, referral_input, send


@pytest.fixture
async def consented(api, tokens) -> tuple[str, str]:
    return await consented_recipient(api, tokens)


async def test_consent_missing_revoked_expired_or_of_the_wrong_scope(api, tokens):
    rid, consent = await consented_recipient(api, tokens, scope=["NEEDS"])

    async def refused(**overrides: Any) -> dict[str, Any]:
        return await api.error(CREATE, {"input": referral_input(rid, **overrides)}, tokens["owner"])

    missing = await refused(sharedCategories=["NEEDS"])
    assert missing["extensions"]["reason"] == "CONSENT_REQUIRED"
    scope = await refused(consentId=consent, sharedCategories=["NEEDS", "CONTACT"])
    assert scope["extensions"]["field"] == "input.sharedCategories"
    assert scope["extensions"]["reason"] == "CONSENT_SCOPE" and "CONTACT" in scope["message"]
    elsewhere = await refused(
        consentId=consent, sharedCategories=["NEEDS"], toInstitutionId="ins_other001"
    )
    assert elsewhere["extensions"]["reason"] == "CONSENT_INSTITUTION"
    unknown = await refused(consentId="cns_nosuchconsent", sharedCategories=["NEEDS"])
    assert unknown["extensions"]["reason"] == "CONSENT_UNKNOWN"
    # A consent of another recipient is unknown here too.
    other_rid, other_consent = await consented_recipient(api, tokens, scope=["NEEDS"])
    assert other_rid != rid
    foreign = await refused(consentId=other_consent, sharedCategories=["NEEDS"])
    assert foreign["extensions"]["reason"] == "CONSENT_UNKNOWN"
    ok = await send(api, tokens["owner"], rid, consentId=consent, sharedCategories=["NEEDS"])
    assert ok["status"] == "SENT"
    await api.ok(
        "mutation($id: ID!) { revokeConsent(id: $id) { status } }", {"id": consent}, tokens["owner"]
    )
    revoked = await refused(consentId=consent, sharedCategories=["NEEDS"])
    assert revoked["extensions"]["reason"] == "CONSENT_REVOKED"
    assert revoked["extensions"]["code"] == "BAD_USER_INPUT"
    # An expired consent: its grants and record both say so.
    graph = api.runtime.backends.graph
    rid2, consent2 = await consented_recipient(api, tokens, scope=["NEEDS"])
    await graph.run(
        "MATCH (c:Consent {id: $id}) SET c.validUntil = '2001-01-01T00:00:00+00:00'",
        {"id": consent2},
        write=True,
    )
    expired_consent = await api.error(
        CREATE,
        {"input": referral_input(rid2, consentId=consent2, sharedCategories=["NEEDS"])},
        tokens["owner"],
    )
    assert expired_consent["extensions"]["reason"] == "CONSENT_EXPIRED"


async def test_the_sender_cannot_share_or_refer_what_it_cannot_read(api, tokens, consented):
    rid, _ = consented
    hidden = await api.error(
        CREATE,
        {"input": referral_input(rid, urgent=True, urgentReason="긴급")},
        tokens["other"],
    )
    unknown = await api.error(
        CREATE,
        {"input": referral_input("rcp_nosuchperson00", urgent=True, urgentReason="긴급")},
        tokens["other"],
    )
    assert hidden["extensions"]["code"] == unknown["extensions"]["code"] == "NOT_FOUND"
    assert hidden["message"].replace(rid, "X") == unknown["message"].replace(
        "rcp_nosuchperson00", "X"
    )
    # ins_partner01 reads IDENTITY and NEEDS by consent: it may not pass on CONTACT.
    onward = await api.error(
        CREATE,
        {
            "input": referral_input(
                rid,
                toInstitutionId="ins_other001",
                sharedCategories=["CONTACT"],
                urgent=True,
                urgentReason="긴급",
            )
        },
        tokens["partner"],
    )
    assert onward["extensions"]["code"] == "FORBIDDEN"


async def test_urgent_referrals_are_audited_for_the_lead_institution(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    referral = await send(
        api,
        tokens["owner"],
        rid,
        urgent=True,
        urgentReason="보호자 연락 두절, 식사 중단",
        sharedCategories=["IDENTITY"],
    )
    assert referral["urgent"] is True
    log = """query($r: ID!) { recipientAccessLog(recipientId: $r) {
      edges { node { operation institutionId referralId reason } } } }"""
    entries = [
        e["node"]
        for e in (await api.ok(log, {"r": rid}, tokens["owner_admin"]))["recipientAccessLog"][
            "edges"
        ]
    ]
    assert {
        "operation": "REFERRAL_SENT_URGENT",
        "institutionId": "ins_owner01",
        "referralId": referral["id"],
        "reason": "보호자 연락 두절, 식사 중단",
    } in entries
    reason = """query($id: ID!) { referral(id: $id) { urgentReason } }"""
    assert (await api.ok(reason, {"id": referral["id"]}, tokens["owner"]))["referral"] == {
        "urgentReason": "보호자 연락 두절, 식사 중단"
    }


async def test_the_target_reads_the_shared_categories_from_acceptance_to_completion(api, tokens):
    """Urgent (no consent): while SENT nothing; accepted: IDENTITY only; completed: nothing."""
    rid = await new_recipient(api, tokens["owner"])
    referral = await send(
        api, tokens["owner"], rid, urgent=True, urgentReason="위기", sharedCategories=["IDENTITY"]
    )
    partner = tokens["partner"]
    details = """query($id: ID!) { referral(id: $id) { needs { code } message urgentReason
      recipient { name contact { phone } readableCategories referrals { id } } } }"""
    assert await view(api, rid, partner) is None
    withheld = (await api.ok(details, {"id": referral["id"]}, partner))["referral"]
    assert withheld == {"needs": None, "message": None, "urgentReason": None, "recipient": None}

    accepted = (await act(api, "ACCEPT", referral, partner))["data"]["acceptReferral"]
    seen = await view(api, rid, partner)
    assert seen["name"] == "김순자" and seen["readableCategories"] == ["IDENTITY"]
    assert seen["contact"] is None and seen["needs"] is None and seen["cases"] is None
    assert "010-1234-5678" not in json.dumps(seen)
    through = (await api.ok(details, {"id": referral["id"]}, partner))["referral"]
    assert through["recipient"] == {
        "name": "김순자",
        "contact": None,
        "readableCategories": ["IDENTITY"],
        "referrals": None,  # HISTORY was not shared
    }
    assert through["needs"] is None and through["message"] is None  # NEEDS was not shared

    started = (await act(api, "START", accepted, partner))["data"]["startReferral"]
    assert (await view(api, rid, partner))["name"] == "김순자"
    await act(api, "COMPLETE", started, partner)
    assert await view(api, rid, partner) is None
    assert (await api.ok(details, {"id": referral["id"]}, partner))["referral"]["recipient"] is None
    # Reads of the recipient through the referral are audited as reads.
    reads = [e for e in await audit_events(api, rid) if e["inst"] == "ins_partner01"]
    assert any(e["op"] == "READ" and e["categories"] == ["IDENTITY"] for e in reads)


async def test_history_readers_see_the_referrals_of_a_recipient(api, tokens, consented):
    rid, consent = consented
    referral = await send(api, tokens["owner"], rid, consentId=consent)
    history = """query($id: ID!) { recipient(id: $id) { referrals {
      id status toInstitution { id } needs { code } } } }"""
    mine = (await api.ok(history, {"id": rid}, tokens["owner"]))["recipient"]["referrals"]
    assert mine == [
        {
            "id": referral["id"],
            "status": "SENT",
            "toInstitution": {"id": "ins_partner01"},
            "needs": [{"code": "DAILY_LIVING_MEALS"}],
        }
    ]
    # The consented target reads IDENTITY and NEEDS, not HISTORY.
    theirs = (await api.ok(history, {"id": rid}, tokens["partner"]))["recipient"]
    assert theirs == {"referrals": None}
    # Reading needs through a referral is audited.
    ops = [e["op"] for e in await audit_events(api, rid)]
    assert "READ_REFERRAL" in ops


async def test_revoking_the_consent_ends_the_access_of_a_referral_accepted_under_it(
    api, tokens, consented
):
    rid, consent = consented
    referral = await send(api, tokens["owner"], rid, consentId=consent)
    await act(api, "ACCEPT", referral, tokens["partner"])
    assert (await view(api, rid, tokens["partner"]))["name"] == "김순자"
    await api.ok(
        "mutation($id: ID!) { revokeConsent(id: $id) { status } }", {"id": consent}, tokens["owner"]
    )
    assert await view(api, rid, tokens["partner"]) is None
    # The referral itself goes on.
    got = (await api.ok(GET, {"id": referral["id"]}, tokens["partner"]))["referral"]
    assert got["status"] == "ACCEPTED"
