"""Shared steps of the referral tests: a recipient of ins_owner01 with a consent for
ins_partner01, referrals sent and driven into any state, and a movable referral clock."""

from __future__ import annotations

from typing import Any

from tests.support.recipients import CONSENT, new_recipient

FIELDS = """id status version urgent sharedCategories outcome reason createdAt expiresAt
  answeredAt completedAt fromInstitution { id } toInstitution { id }
  history { status actor reason institution { id } }"""

CREATE = (
    f"""mutation($input: CreateReferralInput!) {{ createReferral(input: $input) {{ {FIELDS} }} }}"""
)
GET = f"""query($id: ID!) {{ referral(id: $id) {{ {FIELDS} }} }}"""
ACCEPT = f"""mutation($id: ID!, $v: Int!) {{ acceptReferral(id: $id, expectedVersion: $v) {{
  {FIELDS} }} }}"""
DECLINE = f"""mutation($id: ID!, $v: Int!, $reason: ReferralReason!) {{
  declineReferral(id: $id, expectedVersion: $v, reason: $reason) {{ {FIELDS} }} }}"""
CANCEL = f"""mutation($id: ID!, $v: Int!, $reason: ReferralReason) {{
  cancelReferral(id: $id, expectedVersion: $v, reason: $reason) {{ {FIELDS} }} }}"""
START = f"""mutation($id: ID!, $v: Int!) {{ startReferral(id: $id, expectedVersion: $v) {{
  {FIELDS} }} }}"""
COMPLETE = f"""mutation($id: ID!, $v: Int!, $outcome: ReferralOutcome!, $reason: ReferralReason) {{
  completeReferral(id: $id, expectedVersion: $v, outcome: $outcome, reason: $reason) {{
  {FIELDS} }} }}"""

# action -> (mutation, extra variables)
ACTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "ACCEPT": (ACCEPT, {}),
    "DECLINE": (DECLINE, {"reason": "NOT_ELIGIBLE"}),
    "CANCEL": (CANCEL, {"reason": "SENT_IN_ERROR"}),
    "START": (START, {}),
    "COMPLETE": (COMPLETE, {"outcome": "SERVED"}),
}
# The actions that lead into each state, in order, by the target (T) or sender (S).
PATHS: dict[str, list[tuple[str, str]]] = {
    "SENT": [],
    "ACCEPTED": [("ACCEPT", "target")],
    "DECLINED": [("DECLINE", "target")],
    "CANCELLED": [("CANCEL", "sender")],
    "IN_PROGRESS": [("ACCEPT", "target"), ("START", "target")],
    "COMPLETED": [("ACCEPT", "target"), ("START", "target"), ("COMPLETE", "target")],
}
DAY_MS = 86_400_000


class Clock:
    """The referral clock of the server under test, moved by hand."""

    def __init__(self, api: Any) -> None:
        self.services = api.runtime.services
        self.now = self.services.clock()
        self.services.clock = lambda: self.now

    def advance(self, ms: int) -> None:
        self.now += ms


async def consented_recipient(
    api: Any, tokens: dict[str, str], scope: list[str] | None = None, to: str = "ins_partner01"
) -> tuple[str, str]:
    """A recipient of ins_owner01 and a consent covering `to` for `scope`."""
    rid = await new_recipient(api, tokens["owner"])
    await api.ok(
        """mutation($r: ID!) { assessNeeds(recipientId: $r, needs: [
             {code: "DAILY_LIVING_MEALS", severity: 4}]) { id } }""",
        {"r": rid},
        tokens["owner"],
    )
    consent = await api.ok(
        CONSENT,
        {
            "input": {
                "recipientId": rid,
                "scope": scope or ["IDENTITY", "NEEDS"],
                "institutions": [to],
                "validUntil": "2099-01-01T00:00:00Z",
            }
        },
        tokens["owner"],
    )
    return rid, consent["recordConsent"]["id"]


def referral_input(rid: str, **overrides: Any) -> dict[str, Any]:
    base = {
        "recipientId": rid,
        "toInstitutionId": "ins_partner01",
        "needCodes": ["DAILY_LIVING_MEALS"],
        "message": "독거 어르신 도시락 배달 부탁드립니다.",
        "sharedCategories": ["IDENTITY", "NEEDS"],
    }
    return {**base, **overrides}


async def send(api: Any, token: str, rid: str, **overrides: Any) -> dict[str, Any]:
    return (await api.ok(CREATE, {"input": referral_input(rid, **overrides)}, token))[
        "createReferral"
    ]


async def act(
    api: Any, action: str, referral: dict[str, Any], token: str, **variables: Any
) -> dict[str, Any]:
    """The whole response body of one transition."""
    mutation, extra = ACTIONS[action]
    return await api(
        mutation, {"id": referral["id"], "v": referral["version"], **extra, **variables}, token
    )


async def in_state(
    api: Any, tokens: dict[str, str], rid: str, status: str, **overrides: Any
) -> dict[str, Any]:
    """A referral from ins_owner01 to ins_partner01 driven into `status` (not EXPIRED)."""
    referral = await send(api, tokens["owner"], rid, **overrides)
    sides = {"target": tokens["partner"], "sender": tokens["owner"]}
    for action, side in PATHS[status]:
        body = await act(api, action, referral, sides[side])
        assert "errors" not in body, body
        referral = next(iter(body["data"].values()))
    assert referral["status"] == status
    return referral
