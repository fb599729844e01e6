"""Programmes and proactive eligibility (복지멤버십) in GraphQL."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import membership as resolve
from resolvers import membership_scans as resolve_scans
from resolvers.context import RequestContext
from resolvers.pagination import encode_cursor
from schema.membership_scans import MembershipScanStatus
from schema.needs import Need
from schema.pagination import Connection, PageInfo, connection
from schema.permissions import RunsMembershipScans, SignedIn, gate
from schema.programs import Program
from schema.recipient_records import Enrollment

__all__ = ["MembershipMutation", "MembershipQuery"]


@strawberry.enum
class EligibilityStatus(Enum):
    LIKELY = "LIKELY"
    POSSIBLE = "POSSIBLE"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"


@strawberry.enum
class RuleResult(Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"


@strawberry.type
class RuleDecision:
    rule: str
    result: RuleResult
    detail: str = strawberry.field(description="The rule and how the person meets it, in English.")
    detail_ko: str = strawberry.field(description="The same sentence in Korean.")


@strawberry.type
class ProgramEligibility:
    program: Program
    status: EligibilityStatus
    decisions: list[RuleDecision] = strawberry.field(description="The rules that decided it.")
    missing_facts: list[str] = strawberry.field(description="Facts that would decide POSSIBLE.")
    enrolled: bool = strawberry.field(description="Already received (an active enrollment).")

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ProgramEligibility:
        return cls(
            program=Program.from_record(record["program"]),
            status=EligibilityStatus(record["status"]),
            decisions=[
                RuleDecision(
                    rule=d["rule"],
                    result=RuleResult(d["result"]),
                    detail=d["detail"],
                    detail_ko=d["detailKo"],
                )
                for d in record["decisions"]
            ],
            missing_facts=record["missingFacts"],
            enrolled=record["enrolled"],
        )


@strawberry.type(description="How many recipients have a need (in a region).")
class NeedCount:
    region_code: str | None
    recipients: int
    need_code: strawberry.Private[str]

    @strawberry.field
    def need(self, info: Info[RequestContext, None]) -> Need:
        return Need.by_code(info, self.need_code)


@strawberry.type
class UnmetNeedRow:
    recipient_id: strawberry.ID = strawberry.field(
        description="Open it with recipient(id) (audited like every read)."
    )
    region_code: str
    need_codes: strawberry.Private[list[str]]

    @strawberry.field
    def unmet_needs(self, info: Info[RequestContext, None]) -> list[Need]:
        return Need.by_codes(info, self.need_codes)


@strawberry.type(
    description="사각지대: current needs that no active enrollment or open case addresses."
)
class UnmetNeedsReport:
    counts: list[NeedCount] = strawberry.field(
        description="By home region and need, over every recipient (no names)."
    )
    rows: list[UnmetNeedRow] = strawberry.field(
        description="Recipients your institution is entitled to (NEEDS), in id order."
    )
    page_info: PageInfo


@strawberry.enum
class OverlapKind(Enum):
    SAME_NEED = "SAME_NEED"
    EXCLUSIVE_PROGRAMS = "EXCLUSIVE_PROGRAMS"


@strawberry.type(description="중첩: support that duplicates other support.")
class Overlap:
    kind: OverlapKind
    enrollments: list[Enrollment]
    need_code: strawberry.Private[str | None]
    program_ids: strawberry.Private[list[str]]

    @strawberry.field
    def need(self, info: Info[RequestContext, None]) -> Need | None:
        return Need.by_code(info, self.need_code) if self.need_code else None

    @strawberry.field
    def programs(self, info: Info[RequestContext, None]) -> list[Program]:
        return Program.by_ids(info, self.program_ids)


@strawberry.type
class ProgramPairCount:
    recipients: int
    program_ids: strawberry.Private[list[str]]

    @strawberry.field
    def programs(self, info: Info[RequestContext, None]) -> list[Program]:
        return Program.by_ids(info, self.program_ids)


@strawberry.type
class OverlapReport:
    by_need: list[NeedCount] = strawberry.field(
        description="Recipients receiving a need from more than one institution."
    )
    exclusive_programs: list[ProgramPairCount] = strawberry.field(
        description="Recipients receiving programmes that may not be combined."
    )


@strawberry.enum
class RecommendationStatus(Enum):
    NEW = "NEW"
    ACCEPTED = "ACCEPTED"
    DISMISSED = "DISMISSED"


@strawberry.type(
    description="A programme the membership scan found a recipient likely or possibly "
    "eligible for, for the public welfare office of their area to follow up."
)
class Recommendation:
    id: strawberry.ID
    recipient_id: strawberry.ID
    recipient_name: str | None
    region_code: str
    eligibility: EligibilityStatus
    missing_facts: list[str]
    status: RecommendationStatus
    reason: str | None
    created_at: datetime
    answered_at: datetime | None
    program_id: strawberry.Private[str]

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> Recommendation:
        return cls(
            id=strawberry.ID(r["id"]),
            recipient_id=strawberry.ID(r["recipientId"]),
            recipient_name=r.get("recipientName"),
            region_code=r["regionCode"],
            eligibility=EligibilityStatus(r["eligibility"]),
            missing_facts=list(r.get("missingFacts") or []),
            status=RecommendationStatus(r["status"]),
            reason=r.get("reason"),
            created_at=datetime.fromisoformat(r["createdAt"]),
            answered_at=datetime.fromisoformat(r["answeredAt"]) if r.get("answeredAt") else None,
            program_id=r["programId"],
        )

    @strawberry.field
    def program(self, info: Info[RequestContext, None]) -> Program | None:
        found = Program.by_ids(info, [self.program_id])
        return found[0] if found else None


_ANSWERING = "answering a recommendation"


@strawberry.type
class MembershipMutation:
    @strawberry.mutation(
        description="Start a membership scan (복지멤버십 모의조사) now, in the background: "
        "platform admins for any region or all, admins of a 주민센터 or 시청 for their 시군구. "
        "Follow it with `membershipScan`; CONFLICT while one runs.",
        extensions=[gate(RunsMembershipScans, "starting a membership scan")],
    )
    def start_membership_scan(
        self,
        info: Info[RequestContext, None],
        region: str | None = None,
        restart: bool = False,
    ) -> MembershipScanStatus:
        return MembershipScanStatus.from_status(
            resolve_scans.start_scan(info.context, region, restart)
        )

    @strawberry.mutation(
        description="Take up a NEW recommendation: your office will reach out.",
        extensions=[gate(SignedIn, _ANSWERING)],
    )
    async def accept_recommendation(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Recommendation:
        return Recommendation.from_record(
            await resolve.answer_recommendation(info.context, id, True, None)
        )

    @strawberry.mutation(
        description="Dismiss a NEW recommendation, saying why.",
        extensions=[gate(SignedIn, _ANSWERING)],
    )
    async def dismiss_recommendation(
        self, info: Info[RequestContext, None], id: strawberry.ID, reason: str
    ) -> Recommendation:
        return Recommendation.from_record(
            await resolve.answer_recommendation(info.context, id, False, reason)
        )


_REGIONAL = "reading regional figures"


@strawberry.type
class MembershipQuery:
    @strawberry.field(
        description="Progress of the running membership scan, or the result of the last one "
        "(for platform admins and admins of public welfare offices).",
        extensions=[gate(RunsMembershipScans, "reading the membership scan status")],
    )
    def membership_scan(self, info: Info[RequestContext, None]) -> MembershipScanStatus:
        return MembershipScanStatus.from_status(resolve_scans.scan_status(info.context))

    @strawberry.field(description="The programmes and their rules.")
    def programs(self, info: Info[RequestContext, None]) -> list[Program]:
        catalog = info.context.services.programs.by_id
        return [Program.from_record(p) for _, p in sorted(catalog.items())]

    @strawberry.field(
        description="Each programme with LIKELY / POSSIBLE / NOT_ELIGIBLE for a recipient your "
        "institution is entitled to (null otherwise); the read is audited.",
        extensions=[gate(SignedIn, "checking eligibility")],
    )
    async def eligible_programs(
        self, info: Info[RequestContext, None], recipient_id: strawberry.ID
    ) -> list[ProgramEligibility] | None:
        found = await resolve.eligible_programs(info.context, recipient_id)
        return None if found is None else [ProgramEligibility.from_record(r) for r in found]

    @strawberry.field(
        description="Unmet needs in a region (and below): counts for the region's staff, rows "
        "for the recipients your institution is entitled to.",
        extensions=[gate(SignedIn, _REGIONAL)],
    )
    async def unmet_needs(
        self,
        info: Info[RequestContext, None],
        region: str,
        first: int = 20,
        after: str | None = None,
    ) -> UnmetNeedsReport:
        found = await resolve.unmet_needs(info.context, region, first, after)
        page = found["page"]
        rows = [
            UnmetNeedRow(
                recipient_id=strawberry.ID(r["id"]),
                region_code=r["regionCode"],
                need_codes=r["unmet"],
            )
            for r in page.items
        ]
        return UnmetNeedsReport(
            counts=[
                NeedCount(
                    region_code=c["regionCode"], recipients=c["recipients"], need_code=c["need"]
                )
                for c in found["counts"]
            ],
            rows=rows,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=encode_cursor(page.items[0]["id"]) if page.items else None,
                end_cursor=encode_cursor(page.items[-1]["id"]) if page.items else None,
            ),
        )

    @strawberry.field(
        description="Duplicated support for one recipient (needs HISTORY access; null without).",
        extensions=[gate(SignedIn, "checking duplicated support")],
    )
    async def overlapping_support(
        self, info: Info[RequestContext, None], recipient_id: strawberry.ID
    ) -> list[Overlap] | None:
        found = await resolve.overlapping_support(info.context, recipient_id)
        if found is None:
            return None
        return [
            Overlap(
                kind=OverlapKind(o["kind"]),
                enrollments=[Enrollment.from_record(e) for e in o["enrollments"]],
                need_code=o["need"],
                program_ids=o["programs"],
            )
            for o in found
        ]

    @strawberry.field(
        description="Duplicated support in a region, counted (for its staff).",
        extensions=[gate(SignedIn, _REGIONAL)],
    )
    async def overlap_report(self, info: Info[RequestContext, None], region: str) -> OverlapReport:
        found = await resolve.overlap_report(info.context, region)
        return OverlapReport(
            by_need=[
                NeedCount(region_code=None, recipients=r["recipients"], need_code=r["need"])
                for r in found["byNeed"]
            ],
            exclusive_programs=[
                ProgramPairCount(recipients=p["recipients"], program_ids=p["programs"])
                for p in found["exclusivePrograms"]
            ],
        )

    @strawberry.field(
        description="Recommendations for the recipients of a region (and below), for the "
        "public welfare offices there; each row read is audited.",
        extensions=[gate(SignedIn, _REGIONAL)],
    )
    async def recommendations(
        self,
        info: Info[RequestContext, None],
        region: str,
        statuses: list[RecommendationStatus] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Recommendation]:
        page = await resolve.recommendations(
            info.context, region, [s.value for s in statuses] if statuses else None, first, after
        )
        return connection(page, Recommendation.from_record)
