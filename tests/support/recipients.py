"""Registering test recipients, reading them and their audit trail over GraphQL."""

from __future__ import annotations

from typing import Any

REGISTER = """mutation($input: RegisterRecipientInput!) {
  registerRecipient(input: $input) { id name readableCategories withheldCategories } }"""

VIEW = """query($id: ID!) { recipient(id: $id) {
  id name birthDate age sex contact { phone } address household { size type } incomePercent
  disability flags readableCategories withheldCategories homeRegion { code }
  registeredBy { id }
  needs { code severity }
  assessments { id needs { code } institution { id } }
  enrollments { id status start resource { id name } }
  cases { id programme status goals carePlan lead { id } participants { id }
          notes { text audience } }
  consents { id scope status }
} }"""

CONSENT = """mutation($input: RecordConsentInput!) {
  recordConsent(input: $input) { id scope status } }"""

REVOKE = """mutation($id: ID!) { revokeConsent(id: $id) { status } }"""

OPEN_CASE = """mutation($r: ID!, $p: Programme!) {
  openCase(recipientId: $r, programme: $p, goals: ["주거 안정"]) { id status version } }"""


def person(**overrides: Any) -> dict[str, Any]:
    base = {
        "name": "김순자",
        "birthDate": "1944-03-02",
        "sex": "FEMALE",
        "regionCode": "5011025000",
        "phone": "010-1234-5678",
        "address": "제주시 한림읍 한림로 1",
        "householdSize": 1,
        "householdType": "SINGLE_ELDERLY",
        "incomePercent": 35,
        "disability": "MILD",
        "flags": ["기초수급"],
    }
    return {**base, **overrides}


async def new_recipient(api: Any, token: str, **overrides: Any) -> str:
    data = await api.ok(REGISTER, {"input": person(**overrides)}, token)
    return data["registerRecipient"]["id"]


async def view(api: Any, rid: str, token: str | None) -> dict[str, Any] | None:
    return (await api.ok(VIEW, {"id": rid}, token))["recipient"]


async def audit_events(api: Any, rid: str) -> list[dict[str, Any]]:
    return await api.runtime.backends.graph.run(
        "MATCH (a:AuditEvent {entityId: $id}) RETURN a.operation AS op, "
        "a.institutionId AS inst, a.categories AS categories ORDER BY a.id",
        {"id": rid},
    )
