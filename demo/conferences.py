"""Demo regional care conference of 한림읍 (지역케어회의), organised by its 주민센터 with the
복지관s and the 보건소 as members: a session held two weeks ago with a case tabled on a legal
basis and its decisions (one of them overdue at the demo receiver's 복지관), and a session next
week with two cases tabled. Written through the product's own statements; ids are
deterministic (`cnf_demo0001` …) and loading twice writes nothing more."""

from __future__ import annotations

from datetime import UTC, datetime

from demo.dataset import DemoDataset
from graph import conferences
from graph.access import GraphAccess
from graph.engine import GraphEngine
from resolvers.stamps import iso_at, now_ms
from vocabulary.access import Viewer

__all__ = ["load_demo_conferences"]

DAY_MS = 86_400_000
LEGAL_BASIS = "사회보장급여법 제41조 (지역사회보장협의체)"


def _day(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).date().isoformat()


async def load_demo_conferences(graph: GraphEngine, data: DemoDataset, receiver: str) -> int:
    """Idempotent; `receiver` is the demo receiver's 복지관, a member with an overdue action."""
    if await graph.run("MATCH (c:Conference {id: 'cnf_demo0001'}) RETURN c.id AS id"):
        return 0
    home = next(i for i in data.institutions if i["kind"] == "COMMUNITY_CENTER")
    welfare = next(i for i in data.institutions if i["kind"] == "WELFARE_CENTER")
    health = next(i for i in data.institutions if i["kind"] == "HEALTH_CENTER")
    now = now_ms()
    members = [home["id"], receiver, welfare["id"], health["id"]]
    await conferences.insert_conference(
        graph,
        {"id": "cnf_demo0001", "name": "한림읍 지역케어회의", "regionCode": home["regionCode"],
         "organiser": home["id"], "members": members, "version": 1,
         "createdAt": iso_at(now - 60 * DAY_MS), "updatedAt": iso_at(now - 60 * DAY_MS)},
    )  # fmt: skip
    # The demo loader as staff of the organising 주민센터.
    organiser = GraphAccess.of(
        Viewer(subject="demo-loader", institution_id=home["id"], institution_kind=home["kind"],
               request_id="demo"),
        now_ms=now,
    )  # fmt: skip
    plan = ((1, -14, ["cas_demo0001"]), (2, 7, ["cas_demo0003", "cas_demo0005"]))
    for number, days, cases in plan:
        at = now + days * DAY_MS
        sid = f"ses_demo{number:04d}"
        await conferences.schedule_session(
            graph,
            {"id": sid, "conferenceId": "cnf_demo0001",
             "scheduledAt": iso_at(at - at % DAY_MS + 5 * 3_600_000)[:16] + "Z",
             "place": "한림읍 행정복지센터 2층 회의실", "status": "SCHEDULED", "version": 1,
             "caseIds": [], "tablings": [], "createdAt": iso_at(now - 30 * DAY_MS),
             "updatedAt": iso_at(now - 30 * DAY_MS)},
            organiser,
        )  # fmt: skip
        for case_id in cases:
            tabled = organiser.at(now - 20 * DAY_MS)
            when = iso_at(tabled.now_ms)
            await conferences.table_case(
                graph,
                {"sessionId": sid, "caseId": case_id, "legalBasis": LEGAL_BASIS,
                 "consentSuffix": "|-",
                 "tabling": f"{case_id}|LEGAL_BASIS|{LEGAL_BASIS}|{home['id']}|{when}"},
                tabled.audit("CASE_TABLED", ["HISTORY"], reason=LEGAL_BASIS),
            )  # fmt: skip
    held = now - 14 * DAY_MS
    await conferences.record_minutes(
        graph,
        {"sessionId": "ses_demo0001", "expectedVersion": 2,
         "minutes": "독거 어르신 사례: 주 2회 안부 확인과 도시락 배달 연계, 보건소 방문건강 의뢰.",
         "actions": [
             {"id": "act_demo0001", "caseId": "cas_demo0001", "assignee": receiver,
              "description": "도시락 배달 연계 결과 회신", "due": _day(held + 7 * DAY_MS),
              "dueMs": held + 8 * DAY_MS},
             {"id": "act_demo0002", "caseId": "cas_demo0001", "assignee": health["id"],
              "description": "방문건강관리 대상 등록", "due": _day(now + 14 * DAY_MS),
              "dueMs": now + 15 * DAY_MS},
             {"id": "act_demo0003", "caseId": None, "assignee": home["id"],
              "description": "다음 회의 안건 정리", "due": _day(now + 5 * DAY_MS),
              "dueMs": now + 6 * DAY_MS},
         ]},
        organiser.at(held),
    )  # fmt: skip
    return 1
