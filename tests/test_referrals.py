"""Referrals over HTTP on the real engines: the workflow, every forbidden transition, actors,
expiry and the inbox and sent lists. Consent and what the target may read of the recipient
when are in test_referral_access.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.support.recipients import audit_events, new_recipient
from tests.support.referrals import (
    ACTIONS,
    CREATE,
    DAY_MS,
    GET,
    PATHS,
    Clock,
    act,
    consented_recipient,
    in_state,
    referral_input,
    send,
)

# (state, action) pairs the workflow allows, and who acts.
ALLOWED = {
    ("SENT", "ACCEPT"): "target",
    ("SENT", "DECLINE"): "target",
    ("SENT", "CANCEL"): "sender",
    ("ACCEPTED", "START"): "target",
    ("IN_PROGRESS", "COMPLETE"): "target",
}
STATES = [*PATHS, "EXPIRED"]


@pytest.fixture
async def consented(api, tokens) -> tuple[str, str]:
    return await consented_recipient(api, tokens)


async def test_the_closed_loop_from_sending_to_completion(api, tokens, consented):
    rid, consent = consented
    sent = await send(api, tokens["owner"], rid, consentId=consent)
    assert sent["status"] == "SENT" and sent["version"] == 1 and not sent["urgent"]
    assert sent["fromInstitution"] == {"id": "ins_owner01"}
    assert sent["toInstitution"] == {"id": "ins_partner01"}
    assert [h["status"] for h in sent["history"]] == ["SENT"]

    inbox = """query($s: [ReferralStatus!]) { referralsInbox(status: $s) {
      totalCount edges { node { id status needs { code } message } } } }"""
    got = (await api.ok(inbox, {"s": ["SENT"]}, tokens["partner"]))["referralsInbox"]
    assert got["totalCount"] == 1
    assert got["edges"][0]["node"]["needs"] == [{"code": "DAILY_LIVING_MEALS"}]  # consented
    assert got["edges"][0]["node"]["message"].startswith("독거")
    sent_list = await api.ok("{ referralsSent { totalCount } }", None, tokens["owner"])
    assert sent_list["referralsSent"]["totalCount"] == 1
    assert (await api.ok("{ referralsInbox { totalCount } }", None, tokens["owner"]))[
        "referralsInbox"
    ]["totalCount"] == 0

    accepted = (await act(api, "ACCEPT", sent, tokens["partner"]))["data"]["acceptReferral"]
    assert accepted["status"] == "ACCEPTED" and accepted["version"] == 2
    assert accepted["answeredAt"] is not None
    started = (await act(api, "START", accepted, tokens["partner"]))["data"]["startReferral"]
    done = (await act(api, "COMPLETE", started, tokens["partner"]))["data"]["completeReferral"]
    assert done["status"] == "COMPLETED" and done["outcome"] == "SERVED"
    assert [h["status"] for h in done["history"]] == [
        "SENT",
        "ACCEPTED",
        "IN_PROGRESS",
        "COMPLETED",
    ]
    assert [h["institution"]["id"] for h in done["history"]] == [
        "ins_owner01",
        *["ins_partner01"] * 3,
    ]
    assert all(h["actor"] == "staff-1" for h in done["history"])
    ops = [e["op"] for e in await audit_events(api, rid)]
    for op in ("REFERRAL_SENT", "REFERRAL_ACCEPTED", "REFERRAL_STARTED", "REFERRAL_COMPLETED"):
        assert op in ops


async def expired(api, tokens, rid: str, clock: Clock) -> dict[str, Any]:
    referral = await send(api, tokens["owner"], rid, urgent=True, urgentReason="연락 두절 위기")
    clock.advance(7 * DAY_MS)
    got = (await api.ok(GET, {"id": referral["id"]}, tokens["owner"]))["referral"]
    assert got["status"] == "EXPIRED"
    return got


@pytest.mark.parametrize("state", STATES)
async def test_every_transition_from_every_state(api, tokens, state):
    """Allowed moves succeed for the right party only; every other move is a CONFLICT naming
    the current status; outsiders get NOT_FOUND."""
    rid = await new_recipient(api, tokens["owner"])
    clock = Clock(api)
    sides = {"target": tokens["partner"], "sender": tokens["owner"]}
    for action in ACTIONS:
        if state == "EXPIRED":
            referral = await expired(api, tokens, rid, clock)
        else:
            referral = await in_state(
                api, tokens, rid, state, urgent=True, urgentReason="위기 가구 긴급 연계"
            )
        allowed_side = ALLOWED.get((state, action))
        for side, token in sides.items():
            body = await act(api, action, referral, token)
            if side == allowed_side:
                assert "errors" not in body, (state, action, body)
                continue
            error = body["errors"][0]
            wrong_party = allowed_side is not None or (
                side != ("sender" if action == "CANCEL" else "target")
            )
            expected = "FORBIDDEN" if wrong_party else "CONFLICT"
            assert error["extensions"]["code"] == expected, (state, action, side, error)
            if expected == "CONFLICT":
                assert error["extensions"]["currentStatus"] == state
                assert error["extensions"]["currentVersion"] == referral["version"]
        for token in (tokens["other"], tokens["region"]):
            outsider = (await act(api, action, referral, token))["errors"][0]
            assert outsider["extensions"]["code"] == "NOT_FOUND"
            missing = (await act(api, action, {"id": "ref_nosuchreferral0", "version": 1}, token))[
                "errors"
            ][0]
            assert outsider["message"].replace(referral["id"], "X") == missing["message"].replace(
                "ref_nosuchreferral0", "X"
            )
        # Nothing was written by any refused attempt.
        after = (await api.ok(GET, {"id": referral["id"]}, tokens["owner"]))["referral"]
        if allowed_side is None:
            assert after["version"] == referral["version"]


async def test_stale_versions_roles_and_outsiders(api, tokens, consented):
    rid, consent = consented
    referral = await send(api, tokens["owner"], rid, consentId=consent)
    stale = await act(api, "ACCEPT", {**referral, "version": 7}, tokens["partner"])
    assert stale["errors"][0]["extensions"] == {
        "code": "CONFLICT",
        "currentVersion": 1,
        "currentStatus": "SENT",
    }
    registrant = api.token("ins_partner01", "REGISTRANT")
    refused = (await act(api, "ACCEPT", referral, registrant))["errors"][0]
    assert refused["extensions"]["code"] == "FORBIDDEN" and "CASEWORKER" in refused["message"]
    # Any staff of the parties reads it; nobody else learns it exists.
    assert (await api.ok(GET, {"id": referral["id"]}, registrant))["referral"]["id"]
    for token in (None, tokens["other"], tokens["platform"]):
        assert (await api.ok(GET, {"id": referral["id"]}, token))["referral"] is None
        listed = await api.ok("{ referralsInbox { totalCount } referralsSent { totalCount } }",
                              None, token)  # fmt: skip
        assert listed == {"referralsInbox": {"totalCount": 0}, "referralsSent": {"totalCount": 0}}
    sender_registrant = api.token("ins_owner01", "REGISTRANT")
    forbidden = await api.error(
        CREATE, {"input": referral_input(rid, consentId=consent)}, sender_registrant
    )
    assert forbidden["extensions"]["code"] == "FORBIDDEN"


async def test_reasons_are_checked_per_transition(api, tokens, consented):
    rid, consent = consented
    referral = await send(api, tokens["owner"], rid, consentId=consent)
    wrong = (await act(api, "DECLINE", referral, tokens["partner"], reason="NO_ANSWER"))["errors"]
    assert wrong[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "reason"}
    accepted = (await act(api, "ACCEPT", referral, tokens["partner"]))["data"]["acceptReferral"]
    started = (await act(api, "START", accepted, tokens["partner"]))["data"]["startReferral"]
    unexplained = await act(api, "COMPLETE", started, tokens["partner"], outcome="NOT_SERVED")
    assert unexplained["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "reason"}
    done = await act(
        api,
        "COMPLETE",
        started,
        tokens["partner"],
        outcome="NOT_SERVED",
        reason="COULD_NOT_CONTACT",
    )
    finished = done["data"]["completeReferral"]
    assert (finished["outcome"], finished["reason"]) == ("NOT_SERVED", "COULD_NOT_CONTACT")
    assert finished["history"][-1]["reason"] == "COULD_NOT_CONTACT"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"needCodes": []}, "input.needCodes"),
        ({"needCodes": ["NOT_A_NEED"]}, "input.needCodes"),
        ({"needCodes": ["DAILY_LIVING_MEALS", "DAILY_LIVING_MEALS"]}, "input.needCodes"),
        ({"sharedCategories": []}, "input.sharedCategories"),
        ({"message": "   "}, "input.message"),
        ({"message": "가" * 2001}, "input.message"),
        ({"recipientId": "not-an-id"}, "input.recipientId"),
        ({"toInstitutionId": "ins_owner01"}, "input.toInstitutionId"),
        ({"toInstitutionId": "ins_nosuchinstitution"}, "input.toInstitutionId"),
        ({"resourceId": "cas_wrongkind00"}, "input.resourceId"),
        ({"consentId": None}, "input.consentId"),
        ({"consentId": None, "urgent": True}, "input.urgentReason"),
    ],
)
async def test_bad_input_names_the_field(api, tokens, consented, overrides, field):
    rid, consent = consented
    error = await api.error(
        CREATE,
        {"input": referral_input(rid, **{"consentId": consent, **overrides})},
        tokens["owner"],
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["field"] == field


async def test_unanswered_referrals_expire_after_the_configured_days(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    clock = Clock(api)
    api.runtime.services.referral_expiry_days = 3
    referral = await send(api, tokens["owner"], rid, urgent=True, urgentReason="위기")
    clock.advance(3 * DAY_MS - 1)
    assert (await api.ok(GET, {"id": referral["id"]}, tokens["partner"]))["referral"][
        "status"
    ] == "SENT"
    clock.advance(1)
    late = (await act(api, "ACCEPT", referral, tokens["partner"]))["errors"][0]
    assert late["extensions"]["code"] == "CONFLICT"
    assert late["extensions"]["currentStatus"] == "EXPIRED"
    got = (await api.ok(GET, {"id": referral["id"]}, tokens["owner"]))["referral"]
    assert got["status"] == "EXPIRED" and got["reason"] == "NO_ANSWER" and got["version"] == 2
    assert got["history"][-1] == {
        "status": "EXPIRED",
        "actor": "system",
        "reason": "NO_ANSWER",
        "institution": None,
    }
    waited = datetime.fromisoformat(got["expiresAt"]) - datetime.fromisoformat(got["createdAt"])
    assert waited == timedelta(days=3)
    ops = [e["op"] for e in await audit_events(api, rid)]
    assert ops.count("REFERRAL_EXPIRED") == 1


async def test_a_recipients_referrals_expire_when_read(api, tokens):
    """The 360° view reads first and expires only what it shows due, then reads again."""
    rid = await new_recipient(api, tokens["owner"])
    clock = Clock(api)
    referral = await send(api, tokens["owner"], rid, urgent=True, urgentReason="위기")
    query = """query($id: ID!) { recipient(id: $id) { referrals { id status version } } }"""
    before = (await api.ok(query, {"id": rid}, tokens["owner"]))["recipient"]["referrals"]
    assert before == [{"id": referral["id"], "status": "SENT", "version": 1}]
    clock.advance(7 * DAY_MS)
    for _ in range(2):
        after = (await api.ok(query, {"id": rid}, tokens["owner"]))["recipient"]["referrals"]
        assert after == [{"id": referral["id"], "status": "EXPIRED", "version": 2}]
    ops = [e["op"] for e in await audit_events(api, rid)]
    assert ops.count("REFERRAL_EXPIRED") == 1


async def test_the_sweep_expires_referrals_nobody_reads(api, tokens):
    rid = await new_recipient(api, tokens["owner"])
    clock = Clock(api)
    first = await send(api, tokens["owner"], rid, urgent=True, urgentReason="위기")
    second = await send(api, tokens["owner"], rid, urgent=True, urgentReason="위기")
    clock.advance(7 * DAY_MS)
    assert await api.runtime.sweep.sweep() == 2
    assert await api.runtime.sweep.sweep() == 0
    rows = await api.runtime.backends.graph.run(
        "MATCH (f:Referral) WHERE f.id IN $ids RETURN f.status AS status",
        {"ids": [first["id"], second["id"]]},
    )
    assert [r["status"] for r in rows] == ["EXPIRED", "EXPIRED"]


async def test_the_inbox_costs_a_bounded_number_of_round_trips(api, tokens, consented):
    from graph.engine import round_trips
    from tests.support.resources import register

    rid, consent = consented
    resource = await register(api, api.token("ins_partner01", "REGISTRANT"))
    for _ in range(12):
        await send(api, tokens["owner"], rid, consentId=consent, resourceId=resource["id"])
    query = """{ referralsInbox(first: 50) { totalCount edges { node {
      id status needs { code } message fromInstitution { name } toInstitution { name }
      resource { name capacity { available } } recipient { name }
      history { status institution { id } } } } } }"""
    counter = round_trips()
    inbox = (await api.ok(query, None, tokens["partner"]))["referralsInbox"]
    assert inbox["totalCount"] == 12
    assert all(e["node"]["recipient"] == {"name": "김순자"} for e in inbox["edges"])
    assert all(e["node"]["resource"]["capacity"]["available"] == 4 for e in inbox["edges"])
    # viewer, expiry, page, count, details (audited), institutions, resources, recipients
    assert counter.count <= 8


async def test_inbox_and_sent_pages_follow_their_cursors(api, tokens, consented):
    rid, consent = consented
    sent = [(await send(api, tokens["owner"], rid, consentId=consent))["id"] for _ in range(7)]
    query = """query($after: String) { BOX(first: 3, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }"""
    for box, token in (("referralsInbox", tokens["partner"]), ("referralsSent", tokens["owner"])):
        seen, after, pages = [], None, 0
        while pages < 5:
            page = (await api.ok(query.replace("BOX", box), {"after": after}, token))[box]
            pages += 1
            seen += [edge["node"]["id"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert page["totalCount"] == 7
        assert (pages, seen) == (3, sorted(sent, reverse=True)), box


async def test_a_referral_property_the_insert_does_not_write_is_refused(api):
    """New referrals are written with their properties in the CREATE (see
    graph.engine.inline_properties); a key missing from that list must fail loudly, not vanish."""
    from graph.access import GraphAccess
    from graph.referrals import insert_referral

    anyone = GraphAccess.of(api.runtime.viewers.anonymous("t"), now_ms=0).audit("REFERRAL_SENT")
    with pytest.raises(ValueError, match="bogus"):
        await insert_referral(
            api.runtime.backends.graph, {"recipientId": "rcp_x", "bogus": 1}, {}, anyone
        )
