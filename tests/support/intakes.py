"""Shared steps of the intake and crisis-report tests: the public offices responsible for
한림읍 (its 주민센터 and the 제주시청), an intake taken and driven through its states, and the
service clock moved by hand (tests.support.referrals.Clock)."""

from __future__ import annotations

from typing import Any

from graph.institutions import upsert_institutions
from tests.support.institutions import institution
from tests.support.recipients import person

# Responsible for 한림읍 (5011025000), where test recipients live: a 주민센터 there, and the
# 제주시청, located in another 읍면동 of 제주시.
CENTRE = "ins_hallimctr1"
CITY_HALL = "ins_jejucity01"

FIELDS = """id status version urgency channel situation escalated waitingMinutes
  matchedExisting consentObtained action referralId caseId
  needs { code severity } holder { id } takenBy { id } escalatedTo { id }
  plan { goals items { description institution { id } programId due } }
  history { status actor note institution { id } }"""

TAKE = f"""mutation($input: TakeIntakeInput!) {{ takeIntake(input: $input) {{ {FIELDS}
  recipient {{ id name }} }} }}"""
GET = f"""query($id: ID!) {{ intake(id: $id) {{ {FIELDS} }} }}"""
QUEUE = f"""query($status: [IntakeStatus!]) {{ intakeQueue(status: $status) {{ totalCount
  edges {{ node {{ {FIELDS} }} }} }} }}"""
PICK_UP = f"""mutation($id: ID!, $v: Int!) {{ pickUpIntake(id: $id, expectedVersion: $v) {{
  {FIELDS} }} }}"""
HAND_OVER = f"""mutation($id: ID!, $v: Int!) {{ handOverIntake(id: $id, expectedVersion: $v,
  note: "관할 주민센터 확인 필요") {{ {FIELDS} }} }}"""
PLAN = f"""mutation($id: ID!, $v: Int!, $plan: IndividualPlanInput!) {{
  setIntakePlan(id: $id, expectedVersion: $v, plan: $plan) {{ {FIELDS} }} }}"""
CLOSE = f"""mutation($id: ID!, $v: Int!, $action: IntakeAction!, $ref: ID, $case: ID) {{
  closeIntake(id: $id, expectedVersion: $v, action: $action, note: "연계 완료",
              referralId: $ref, caseId: $case) {{ {FIELDS} }} }}"""


async def add_offices(api: Any) -> None:
    await upsert_institutions(
        api.runtime.backends.graph,
        [
            institution(
                CENTRE,
                "5011025000",
                sector="PUBLIC",
                kind="COMMUNITY_CENTER",
                name="한림읍 행정복지센터",
            ),
            institution(
                CITY_HALL,
                "5011054000",
                sector="PUBLIC",
                kind="CITY_HALL",
                name="제주시청 주민복지과",
            ),
        ],
        "2026-01-01T00:00:00.000Z",
    )


def intake_input(**overrides: Any) -> dict[str, Any]:
    base = {
        "channel": "PHONE",
        "urgency": "ROUTINE",
        "situation": "혼자 사시는데 며칠째 식사를 못 하셨다고 합니다.",
        "needs": [{"code": "DAILY_LIVING_MEALS", "severity": 4}],
        "consentObtained": ["IDENTITY", "NEEDS"],
    }
    return {**base, **overrides}


def new_person(**overrides: Any) -> dict[str, Any]:
    return person(nationalId="440302-2345678", **overrides)


async def take(api: Any, token: str, **overrides: Any) -> dict[str, Any]:
    return (await api.ok(TAKE, {"input": intake_input(**overrides)}, token))["takeIntake"]
