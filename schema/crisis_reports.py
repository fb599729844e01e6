"""Crisis reports (위기가구 발굴 신고) in GraphQL: a public mutation that answers only "received",
and the assigned office's queue and workflow (staff only, each read audited)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import crisis_reports as resolve
from resolvers import institutions as resolve_institutions
from resolvers.context import RequestContext
from resolvers.validation import check_id
from schema.inputs import input_to_dict
from schema.institutions import Institution
from schema.needs import Need
from schema.pagination import Connection, connection
from schema.regions import Region

__all__ = ["CrisisReport", "CrisisReportMutation", "CrisisReportQuery"]


@strawberry.enum
class CrisisReportStatus(Enum):
    RECEIVED = "RECEIVED"
    VISITED = "VISITED"
    ASSESSED = "ASSESSED"
    CLOSED = "CLOSED"


@strawberry.enum(description="What came of a report: an intake, a case, or nothing (why).")
class CrisisReportOutcome(Enum):
    INTAKE = "INTAKE"
    CASE = "CASE"
    NO_ACTION = "NO_ACTION"


@strawberry.enum(description="Who reported: a resident (no token), staff, or a 마을복지플래너.")
class ReporterKind(Enum):
    RESIDENT = "RESIDENT"
    STAFF = "STAFF"
    VILLAGE_PLANNER = "VILLAGE_PLANNER"


@strawberry.type(description="All a reporter learns: the report was received.")
class CrisisReportReceipt:
    received: bool
    message: str


@strawberry.type
class CrisisReportHistoryEntry:
    status: str
    at: datetime
    note: str | None
    actor: str


@strawberry.type(description="A crisis report (위기가구 발굴 신고), for the assigned office.")
class CrisisReport:
    id: strawberry.ID
    status: CrisisReportStatus
    version: int
    address: str | None
    observed: str = strawberry.field(description="What the reporter saw.")
    about_self: bool
    reporter_kind: ReporterKind
    contact_agreed: bool
    reporter_name: str | None
    reporter_phone: str | None
    visit_note: str | None
    assessment_note: str | None
    outcome: CrisisReportOutcome | None
    outcome_reason: str | None
    intake_id: strawberry.ID | None
    case_id: strawberry.ID | None
    created_at: datetime
    closed_at: datetime | None
    history: list[CrisisReportHistoryEntry]
    record: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> CrisisReport:
        return cls(
            id=strawberry.ID(r["id"]),
            status=CrisisReportStatus(r["status"]),
            version=r["version"],
            address=r.get("address"),
            observed=r["observed"],
            about_self=bool(r.get("aboutSelf")),
            reporter_kind=ReporterKind(r["reporterKind"]),
            contact_agreed=bool(r.get("contactAgreed")),
            reporter_name=r.get("reporterName"),
            reporter_phone=r.get("reporterPhone"),
            visit_note=r.get("visitNote"),
            assessment_note=r.get("assessmentNote"),
            outcome=CrisisReportOutcome(r["outcome"]) if r.get("outcome") else None,
            outcome_reason=r.get("outcomeReason"),
            intake_id=r.get("intakeId"),
            case_id=r.get("caseId"),
            created_at=datetime.fromisoformat(r["createdAt"]),
            closed_at=datetime.fromisoformat(r["closedAt"]) if r.get("closedAt") else None,
            history=[
                CrisisReportHistoryEntry(
                    status=h["status"], at=datetime.fromisoformat(h["at"]), note=h["note"],
                    actor=h["actor"],
                )
                for h in r["history"]
            ],
            record=r,
        )  # fmt: skip

    @strawberry.field(description="Where: the 읍면동 (or 시군구) reported.")
    def region(self, info: Info[RequestContext, None]) -> Region | None:
        row = info.context.services.regions.by_code.get(self.record["regionCode"])
        return Region.from_record(row) if row else None

    @strawberry.field(description="The office the report was assigned to.")
    async def assigned_to(self, info: Info[RequestContext, None]) -> Institution | None:
        row = await resolve_institutions.load_institution(info.context, self.record["assignedTo"])
        return Institution.from_record(row) if row else None

    @strawberry.field(description="Needs found at the assessment.")
    def needs(self, info: Info[RequestContext, None]) -> list[Need]:
        return Need.by_codes(info, self.record.get("needCodes") or [])


async def _load(info: Info[RequestContext, None], report_id: str) -> CrisisReport | None:
    check_id("CrisisReport", report_id)
    ctx = info.context

    async def batch(ids: list[str]) -> list[dict[str, Any] | None]:
        found = await resolve.get_reports(ctx, list(ids))
        return [found.get(i) for i in ids]

    record = await ctx.loader("crisis-reports-by-id", batch).load(report_id)
    return CrisisReport.from_record(record) if record else None


@strawberry.input
class ReporterContactInput:
    name: str | None = None
    phone: str | None = None


@strawberry.input
class CrisisReportInput:
    region_code: str = strawberry.field(description="The 읍면동 (or 시군구) where the person is.")
    observed: str = strawberry.field(description="What you saw or heard.")
    address: str | None = None
    about_self: bool = False
    contact_agreed: bool = strawberry.field(
        default=False, description="You agree that the 주민센터 may contact you."
    )
    reporter: ReporterContactInput | None = None


@strawberry.type
class CrisisReportQuery:
    @strawberry.field(description="Crisis reports assigned to your institution, oldest first.")
    async def crisis_reports(
        self,
        info: Info[RequestContext, None],
        status: list[CrisisReportStatus] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[CrisisReport]:
        statuses = [s.value for s in status] if status else None
        page = await resolve.list_reports(info.context, statuses, first, after)
        return connection(page, CrisisReport.from_record)

    @strawberry.field(description="A crisis report assigned to your institution.")
    async def crisis_report(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> CrisisReport | None:
        return await _load(info, str(id))


_STAFF = {"authenticated": True}


@strawberry.type
class CrisisReportMutation:
    @strawberry.mutation(
        description="Report a person who may be in crisis, or yourself (anyone, no token "
        "needed). The answer says only that the report was received."
    )
    async def report_crisis(
        self, info: Info[RequestContext, None], input: CrisisReportInput
    ) -> CrisisReportReceipt:
        receipt = await resolve.report_crisis(info.context, input_to_dict(input))
        return CrisisReportReceipt(**receipt)

    @strawberry.federation.mutation(**_STAFF, description="Record the home visit.")
    async def record_crisis_visit(
        self, info: Info[RequestContext, None], id: strawberry.ID, expected_version: int,
        note: str | None = None,
    ) -> CrisisReport:  # fmt: skip
        record = await resolve.change_report(info.context, "VISIT", id, expected_version, note=note)
        return CrisisReport.from_record(record)

    @strawberry.federation.mutation(**_STAFF, description="Record the assessment after the visit.")
    async def record_crisis_assessment(
        self, info: Info[RequestContext, None], id: strawberry.ID, expected_version: int,
        needs: list[str], note: str | None = None,
    ) -> CrisisReport:  # fmt: skip
        record = await resolve.change_report(
            info.context, "ASSESS", id, expected_version, note=note, needs=needs
        )
        return CrisisReport.from_record(record)

    @strawberry.federation.mutation(
        **_STAFF,
        description="Close with an outcome: INTAKE (intakeId) or CASE (caseId) after the "
        "assessment, or NO_ACTION with a reason at any time.",
    )
    async def close_crisis_report(
        self, info: Info[RequestContext, None], id: strawberry.ID, expected_version: int,
        outcome: CrisisReportOutcome, reason: str | None = None,
        intake_id: strawberry.ID | None = None, case_id: strawberry.ID | None = None,
    ) -> CrisisReport:  # fmt: skip
        record = await resolve.change_report(
            info.context, "CLOSE", id, expected_version, outcome=outcome.value, reason=reason,
            intakeId=intake_id, caseId=case_id,
        )  # fmt: skip
        return CrisisReport.from_record(record)
