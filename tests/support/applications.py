"""Applications taken at a welfare centre (신청 대행·접수): taking, forwarding, reviewing."""

from __future__ import annotations

from typing import Any

FIELDS = """id status version decision reason enrollmentId program { id }
  documents { code } missingDocuments { code labelKo } takenBy { id } forwardedTo { id }
  history { status actor }"""

TAKE = f"""mutation($input: TakeApplicationInput!) {{ takeApplication(input: $input) {{
  {FIELDS} }} }}"""

FORWARD = f"""mutation($id: ID!, $v: Int!) {{ forwardApplication(id: $id, expectedVersion: $v,
  note: "서류 확인 완료") {{ {FIELDS} }} }}"""

REVIEW = f"""mutation($id: ID!, $v: Int!) {{ startApplicationReview(id: $id, expectedVersion: $v) {{
  {FIELDS} }} }}"""

DECIDE = f"""mutation($id: ID!, $v: Int!, $d: ApplicationDecision!, $reason: String) {{
  decideApplication(id: $id, expectedVersion: $v, decision: $d, reason: $reason,
                    start: "2026-12-01") {{ {FIELDS} }} }}"""


async def taken(api: Any, token: str, rid: str, documents: list[str]) -> dict[str, Any]:
    variables = {"input": {"recipientId": rid, "programId": "prg_emergency",
                           "documents": documents}}  # fmt: skip
    return (await api.ok(TAKE, variables, token))["takeApplication"]
