"""Demo intakes and crisis reports of the 한림읍 주민센터 (the demo CASEWORKER's office), written
through the product's own statements (each with its audit event): an urgent phone intake still
waiting (it escalates to the 제주시청 half an hour after it was taken), one in progress with an
individual plan, one closed; crisis reports from its 마을복지플래너 and from residents in each
state. Ids are deterministic (`itk_demo0001`, `crr_demo0001` …); loading twice writes nothing
more."""

from __future__ import annotations

import json
from typing import Any

from demo.dataset import DemoDataset
from graph import crisis_reports, intakes
from graph.access import GraphAccess
from graph.engine import GraphEngine
from resolvers.stamps import iso_at, now_ms
from vocabulary.access import Viewer

__all__ = ["CRISIS_PLAN", "INTAKE_PLAN", "load_demo_intake"]

MINUTE_MS = 60_000
# (recipient number, channel, urgency, minutes ago, status it ends in, situation)
INTAKE_PLAN = (
    (1, "PHONE", "URGENT", 20, "OPEN", "딸의 전화: 어머니가 이틀째 식사를 못 하고 거동이 어려움."),
    (2, "VISIT", "ROUTINE", 180, "IN_PROGRESS", "공과금이 석 달째 밀려 난방을 못 하고 있다고 함."),
    (4, "OUTREACH", "ROUTINE", 2880, "CLOSED", "손자 돌봄 부담으로 방과후 돌봄을 문의함."),
)  # fmt: skip
_PLAN = {
    "goals": ["체납 공과금 해결", "겨울철 난방 유지"],
    "items": [
        {"description": "긴급복지지원(생계) 신청", "institutionId": None, "resourceId": None,
         "programId": None, "due": None},
        {"description": "에너지바우처 안내", "institutionId": None, "resourceId": None,
         "programId": None, "due": None},
    ],
}  # fmt: skip
# (reporter kind, minutes ago, status it ends in, what was seen)
CRISIS_PLAN = (
    ("VILLAGE_PLANNER", 90, "RECEIVED", "마을 순찰 중: 홀로 사시는 어르신 댁 우편물이 쌓여 있음."),
    ("VILLAGE_PLANNER", 1440, "VISITED", "경로당에 한 달째 안 나오시는 어르신이 있음."),
    ("RESIDENT", 4320, "CLOSED", "옆집에서 며칠째 아이 우는 소리만 들림."),
)  # fmt: skip


def _as(inst: dict[str, Any] | None, at: int, subject: str = "demo-loader") -> GraphAccess:
    """`subject` as staff of `inst` (None: a resident, signed in nowhere) at `at`."""
    if inst is None:
        return GraphAccess.of(Viewer(request_id="demo"), now_ms=at)
    viewer = Viewer(
        subject=subject, institution_id=inst["id"], institution_kind=inst["kind"],
        request_id="demo",
    )  # fmt: skip
    return GraphAccess.of(viewer, now_ms=at)


async def load_demo_intake(graph: GraphEngine, data: DemoDataset) -> int:
    """Idempotent: nothing is written when the demo intakes exist already."""
    if await graph.run("MATCH (k:Intake {id: 'itk_demo0001'}) RETURN k.id AS id"):
        return 0
    home = next(i for i in data.institutions if i["kind"] == "COMMUNITY_CENTER")
    now = now_ms()
    for number, plan in enumerate(INTAKE_PLAN, start=1):
        await _intake(graph, number, plan, home, now)
    for number, plan in enumerate(CRISIS_PLAN, start=1):
        await _report(graph, number, plan, home, now)
    return len(INTAKE_PLAN) + len(CRISIS_PLAN)


async def _intake(
    graph: GraphEngine,
    number: int,
    plan: tuple[int, str, str, int, str, str],
    home: dict[str, Any],
    now: int,
) -> None:
    person, channel, urgency, minutes, status, situation = plan
    at = now - minutes * MINUTE_MS
    iid = f"itk_demo{number:04d}"
    codes = ["DAILY_LIVING_MEALS"] if number == 1 else ["ECONOMY_LIVING_COSTS"]
    survey = {
        "id": f"asm_demointake{number:04d}", "recipientId": f"rcp_demo{person:04d}",
        "institutionId": home["id"], "assessedBy": "caseworker-1", "assessedAt": iso_at(at),
        "needCodes": codes, "severities": [4], "notes": [""], "kind": "BASIC_SURVEY",
    }  # fmt: skip
    intake = {
        "id": iid, "recipientId": survey["recipientId"], "institutionId": home["id"],
        "takenBy": home["id"], "takenByActor": "caseworker-1", "channel": channel,
        "situation": situation, "urgency": urgency, "needCodes": codes, "severities": [4],
        "consentObtained": ["IDENTITY", "NEEDS"], "status": "OPEN", "version": 1,
        "queue": [home["id"]],
        "escalateAtMs": at + 30 * MINUTE_MS if urgency == "URGENT" else None,
        "escalated": False, "createdAt": iso_at(at),
        "createdAtMs": at, "updatedAt": iso_at(at),
        "history": [f"OPEN|{iso_at(at)}|{home['id']}||caseworker-1"],
        "assessmentId": survey["id"],
    }  # fmt: skip
    taker = _as(home, at)
    await intakes.take_intake_existing(
        graph, survey, intake, taker.audit("INTAKE_TAKEN", ["NEEDS"])
    )
    steps: list[tuple[str, dict[str, Any]]] = []
    if status in {"IN_PROGRESS", "CLOSED"}:
        steps.append(("IN_PROGRESS", {"status": "IN_PROGRESS", "pickedUpInst": home["id"],
                      "pickedUpBy": "caseworker-1", "pickedUpAt": iso_at(at + 5 * MINUTE_MS),
                      "pickedUpAtMs": at + 5 * MINUTE_MS}))  # fmt: skip
    if status == "IN_PROGRESS":
        steps.append(("PLANNED", {"planJson": json.dumps(_PLAN, ensure_ascii=False)}))
    if status == "CLOSED":
        steps.append(("CLOSED", {"status": "CLOSED", "action": "ANSWERED",
                                 "actionNote": "지역아동센터 방과후 돌봄 안내",
                                 "closedAt": iso_at(at + 30 * MINUTE_MS)}))  # fmt: skip
    for version, (entry_status, changes) in enumerate(steps, start=1):
        when = iso_at(at + (5 + 10 * version) * MINUTE_MS)
        params = {
            "id": iid, "expectedVersion": version,
            "fromStatuses": ["OPEN", "IN_PROGRESS"], "changes": changes,
            "entry": f"{entry_status}|{when}|{home['id']}||caseworker-1", "grants": [],
            "dropSuffix": f"|intake|{iid}",
        }  # fmt: skip
        actor = "holder" if entry_status == "CLOSED" else "queue"
        await intakes.transition_intake(
            graph, actor, params, taker.audit(f"INTAKE_{entry_status}", ["NEEDS"])
        )


async def _report(
    graph: GraphEngine,
    number: int,
    plan: tuple[str, int, str, str],
    home: dict[str, Any],
    now: int,
) -> None:
    kind, minutes, status, observed = plan
    at = now - minutes * MINUTE_MS
    planner = kind == "VILLAGE_PLANNER"
    props = {
        "id": f"crr_demo{number:04d}", "regionCode": home["regionCode"],
        "address": f"{home['address'].rsplit(' ', 2)[0]} {100 + number}", "observed": observed,
        "aboutSelf": False, "reporterKind": kind,
        "reporterInstitutionId": home["id"] if planner else "",
        "reporterActor": "planner-1" if planner else "anonymous",
        "reporterName": None if planner else "이웃 주민",
        "reporterPhone": None if planner else "010-5555-0101",
        "contactAgreed": not planner, "assignedTo": home["id"], "status": "RECEIVED",
        "version": 1, "history": [f"RECEIVED|{iso_at(at)}|||{kind.lower()}"],
        "createdAt": iso_at(at), "createdAtMs": at, "updatedAt": iso_at(at),
    }  # fmt: skip
    reporter = _as(home, at, "planner-1") if planner else _as(None, at)
    await crisis_reports.insert_report(graph, props, reporter.audit("CRISIS_REPORTED"))
    steps = {"RECEIVED": [], "VISITED": ["VISITED"], "CLOSED": ["VISITED", "CLOSED"]}[status]
    for version, to_status in enumerate(steps, start=1):
        office = _as(home, at + version * 120 * MINUTE_MS)
        when = iso_at(office.now_ms)
        changes: dict[str, Any] = {"status": to_status}
        if to_status == "VISITED":
            changes["visitNote"] = "방문 확인: 부재중, 이웃 통해 연락처 확보"
        else:
            changes.update(outcome="NO_ACTION", outcomeReason="가족이 돌보고 있어 개입 불필요",
                           closedAt=when)  # fmt: skip
        params = {
            "id": props["id"], "expectedVersion": version,
            "fromStatuses": ["RECEIVED", "VISITED"], "changes": changes,
            "entry": f"{to_status}|{when}|{home['id']}||caseworker-1",
        }  # fmt: skip
        await crisis_reports.transition_report(
            graph, params, office.audit(f"CRISIS_REPORT_{to_status}")
        )
