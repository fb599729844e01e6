"""Demo applications taken at a 종합사회복지관 (신청 대행·접수): a person of 한림읍 who walked
into 제주종합사회복지관 is registered there, and the centre took three applications for her —
one still missing a document, one forwarded to the 한림읍 주민센터 (the demo CASEWORKER's office
decides it), one granted with its enrollment. Written through the product's own statements;
ids are deterministic (`apl_demo0001` …) and loading twice writes nothing more."""

from __future__ import annotations

from typing import Any

from demo.dataset import DemoDataset
from graph import applications, assessments, recipients
from graph.access import GraphAccess
from graph.engine import GraphEngine
from resolvers.stamps import iso_at, now_ms
from vocabulary.access import CATEGORIES, Viewer

__all__ = ["APPLICANT", "load_demo_applications"]

DAY_MS = 86_400_000
APPLICANT = "rcp_demo0041"
# (programme, documents handed in, status it ends in, days ago)
PLAN = (
    ("prg_basic_pension", ["APPLICATION_FORM", "CONSENT_FINANCIAL_INFO"], "RECEIVED", 1),
    ("prg_emergency", ["APPLICATION_FORM", "CRISIS_EVIDENCE"], "FORWARDED", 3),
    ("prg_energy_voucher", ["APPLICATION_FORM"], "DECIDED", 20),
)
_GRANTS = ("IDENTITY", "NEEDS")


def _as(
    inst: dict[str, Any], at: int, operation: str, requested: tuple[str, ...] = ("IDENTITY",)
) -> GraphAccess:
    """The demo loader as staff of `inst` at `at`, for one audited statement."""
    viewer = Viewer(
        subject="demo-loader", institution_id=inst["id"], institution_kind=inst["kind"],
        request_id="demo",
    )  # fmt: skip
    return GraphAccess.of(viewer, now_ms=at).audit(operation, requested)


async def load_demo_applications(graph: GraphEngine, data: DemoDataset) -> int:
    if await graph.run("MATCH (a:Application {id: 'apl_demo0001'}) RETURN a.id AS id"):
        return 0
    home = next(i for i in data.institutions if i["kind"] == "COMMUNITY_CENTER")
    centre = next(i for i in data.institutions if i["kind"] == "WELFARE_CENTER")
    now = now_ms()
    registered = now - 30 * DAY_MS
    await recipients.insert_recipient(
        graph,
        {"id": APPLICANT, "name": "양춘자", "birthDate": "1950-04-18", "sex": "FEMALE",
         "phone": "010-4821-7734", "address": "제주시 한림읍 한림상로 54",
         "regionCode": home["regionCode"], "householdSize": 1,
         "householdType": "SINGLE_ELDERLY", "incomePercent": 28, "disability": "NONE",
         "flags": ["독거"], "registeredBy": centre["id"], "caseInstitutions": [],
         "caseLeads": [], "consentGrants": [], "referralGrants": [],
         "currentNeeds": [], "version": 1,
         "createdAt": iso_at(registered), "updatedAt": iso_at(registered)},
        _as(centre, registered, "REGISTER", CATEGORIES),
    )  # fmt: skip
    await assessments.insert_assessment(
        graph,
        {"id": "asm_demoapl0001", "recipientId": APPLICANT, "institutionId": centre["id"],
         "assessedBy": "caseworker-3", "assessedAt": iso_at(registered),
         "needCodes": ["ECONOMY_LIVING_COSTS", "LIVING_ENVIRONMENT_HOUSING"],
         "severities": [4, 3], "notes": ["", ""]},
        _as(centre, registered, "NEEDS_ASSESSED"),
    )  # fmt: skip
    for number, (program, documents, status, days) in enumerate(PLAN, start=1):
        at = now - days * DAY_MS
        aid = f"apl_demo{number:04d}"
        await applications.insert_application(
            graph,
            {"id": aid, "recipientId": APPLICANT, "programId": program,
             "takenBy": centre["id"], "takenByActor": "caseworker-3", "documents": documents,
             "note": "복지관 상담 중 신청 대행", "status": "RECEIVED", "version": 1,
             "history": [f"RECEIVED|{iso_at(at)}|{centre['id']}||caseworker-3"],
             "createdAt": iso_at(at), "createdAtMs": at, "updatedAt": iso_at(at)},
            _as(centre, at, "APPLICATION_TAKEN"),
        )  # fmt: skip
        steps = {"RECEIVED": [], "FORWARDED": ["FORWARDED"],
                 "DECIDED": ["FORWARDED", "IN_REVIEW", "DECIDED"]}[status]  # fmt: skip
        for version, step in enumerate(steps, start=1):
            when = at + version * DAY_MS
            side = "taker" if step == "FORWARDED" else "office"
            changes: dict[str, Any] = {"status": step}
            grants: list[str] = []
            drop = f"|application|{aid}#none"
            enrollment = None
            if step == "FORWARDED":
                changes.update(forwardedTo=home["id"], forwardedAt=iso_at(when))
                grants = [f"{home['id']}|{c}|application|{aid}" for c in _GRANTS]
            if step == "DECIDED":
                enrollment = {"id": f"enr_demoapl{number:04d}", "start": iso_at(when)[:10]}
                changes.update(decision="GRANTED", decidedAt=iso_at(when),
                               enrollmentId=enrollment["id"])  # fmt: skip
                drop = f"|application|{aid}"
            acting = centre if side == "taker" else home
            actor = "caseworker-3" if side == "taker" else "caseworker-1"
            await applications.transition_application(
                graph, side,
                {"id": aid, "expectedVersion": version,
                 "fromStatuses": ["RECEIVED", "FORWARDED", "IN_REVIEW"], "changes": changes,
                 "entry": f"{step}|{iso_at(when)}|{acting['id']}||{actor}",
                 "grants": grants, "dropSuffix": drop, "enrollment": enrollment},
                _as(acting, when, f"APPLICATION_{step}"),
            )  # fmt: skip
    return len(PLAN)
