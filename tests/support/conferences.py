"""Care conferences (지역케어회의): a conference of 한림읍 with a session and a case to table."""

from __future__ import annotations

from typing import Any

from tests.support.intakes import CENTRE
from tests.support.recipients import CONSENT, OPEN_CASE, new_recipient

CREATE = """mutation($input: CreateConferenceInput!) { createConference(input: $input) {
  id version name region { code } organiser { id } members { id } } }"""

SCHEDULE = """mutation($c: ID!) { scheduleConferenceSession(conferenceId: $c,
  scheduledAt: "2026-12-10T05:00:00Z", place: "한림읍사무소 2층 회의실") { id status version } }"""

SESSION_FIELDS = """id status version minutes
  tabledCases { basis legalBasis tabledBy { id } case { id programme } }
  actions { id description due status overdue version assignee { id } case { id } }"""

TABLE = f"""mutation($s: ID!, $k: ID!, $consent: ID, $legal: String) {{
  tableCase(sessionId: $s, caseId: $k, consentId: $consent, legalBasis: $legal) {{
  {SESSION_FIELDS} }} }}"""
MINUTES = f"""mutation($s: ID!, $v: Int!, $d: [DecisionInput!]) {{
  recordConferenceMinutes(sessionId: $s, expectedVersion: $v, minutes: "주 2회 안부 확인 합의",
                          decisions: $d) {{ {SESSION_FIELDS} }} }}"""


async def setting(api: Any, tokens: dict[str, str]) -> dict[str, str]:
    """A conference of 한림읍 with a scheduled session, and an open case of ins_owner01 whose
    person consented to it being discussed."""
    conference = (
        await api.ok(
            CREATE,
            {"input": {"name": "한림읍 지역케어회의", "regionCode": "5011025000",
                       "members": ["ins_owner01", "ins_partner01"]}},
            tokens["centre"],
        )
    )["createConference"]  # fmt: skip
    session = (await api.ok(SCHEDULE, {"c": conference["id"]}, tokens["centre"]))[
        "scheduleConferenceSession"
    ]
    rid = await new_recipient(api, tokens["owner"])
    case = (await api.ok(OPEN_CASE, {"r": rid, "p": "CRISIS_HOUSEHOLD"}, tokens["owner"]))[
        "openCase"
    ]
    consent = await api.ok(
        CONSENT,
        {"input": {"recipientId": rid, "scope": ["HISTORY"], "institutions": [CENTRE],
                   "validUntil": "2099-01-01T00:00:00Z"}},
        tokens["owner"],
    )  # fmt: skip
    return {"conference": conference["id"], "session": session["id"], "case": case["id"],
            "recipient": rid, "consent": consent["recordConsent"]["id"]}  # fmt: skip
