"""Crisis reports (위기가구 발굴 신고): reporting one and the operations on it."""

from __future__ import annotations

from typing import Any

REPORT = """mutation($input: CrisisReportInput!) { reportCrisis(input: $input) {
  received message } }"""

FIELDS = """id status version address observed aboutSelf reporterKind contactAgreed reporterName
  reporterPhone visitNote outcome outcomeReason intakeId region { code }
  assignedTo { id } needs { code } history { status actor }"""

LIST = f"""{{ crisisReports {{ totalCount edges {{ node {{ {FIELDS} }} }} }} }}"""

VISIT = f"""mutation($id: ID!, $v: Int!) {{ recordCrisisVisit(id: $id, expectedVersion: $v,
  note: "방문: 냉장고 비어 있음") {{ {FIELDS} }} }}"""

ASSESS = f"""mutation($id: ID!, $v: Int!) {{ recordCrisisAssessment(id: $id, expectedVersion: $v,
  needs: ["DAILY_LIVING_MEALS"], note: "결식 위험") {{ {FIELDS} }} }}"""
CLOSE = f"""mutation($id: ID!, $v: Int!, $o: CrisisReportOutcome!, $reason: String, $i: ID) {{
  closeCrisisReport(id: $id, expectedVersion: $v, outcome: $o, reason: $reason,
                    intakeId: $i) {{ {FIELDS} }} }}"""


def report(**overrides: Any) -> dict[str, Any]:
    base = {
        "regionCode": "5011025000",
        "address": "한림읍 한림로 1",
        "observed": "옆집 어르신 우편물이 쌓여 있고 며칠째 인기척이 없습니다.",
    }
    return {**base, **overrides}


async def reported(api: Any, token: str | None, **overrides: Any) -> dict[str, Any]:
    return await api.ok(REPORT, {"input": report(**overrides)}, token)
