"""Referrals over HTTP on the real engines: the workflow, every forbidden transition, actors,
consent, expiry, and what the target may read of the recipient when."""

from __future__ import annotations

import pytest

from tests.referral_helpers import (
    PATHS,
    act,
    consented_recipient,
    send,
)
from tests.test_recipients import audit_events, tokens

__all__ = ["tokens"]

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
