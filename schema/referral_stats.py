"""Closed-loop figures in GraphQL (`referralStats`); the scope rules are in
`resolvers.referral_stats`."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import referral_stats as resolve
from resolvers.context import RequestContext
from schema.needs import Need
from schema.permissions import SignedIn, gate
from schema.referrals import ReferralStatus

__all__ = ["ReferralStats", "ReferralStatsQuery"]


@strawberry.enum(description="Whose referrals the figures cover.")
class ReferralStatsScope(Enum):
    INSTITUTION = "INSTITUTION"
    REGION = "REGION"
    PLATFORM = "PLATFORM"


@strawberry.type
class ReferralStatusCount:
    status: ReferralStatus
    count: int


@strawberry.type
class ReferralNeedFigures:
    referrals: int
    completed: int
    served: int = strawberry.field(description="Completed with outcome SERVED.")
    completion_rate: float | None = strawberry.field(description="completed / referrals.")
    code: strawberry.Private[str]

    @strawberry.field
    def need(self, info: Info[RequestContext, None]) -> Need:
        return Need.by_code(info, self.code)


@strawberry.type(description="Closed-loop figures over referrals created in [from, to).")
class ReferralStats:
    from_: datetime = strawberry.field(name="from")
    to: datetime
    scope: ReferralStatsScope
    total: int
    by_status: list[ReferralStatusCount]
    median_hours_to_answer: float | None = strawberry.field(
        description="From sending to acceptance or decline, over the answered ones."
    )
    median_hours_to_complete: float | None = strawberry.field(
        description="From sending to completion, over the completed ones."
    )
    completion_rate: float | None = strawberry.field(description="COMPLETED / total.")
    by_need: list[ReferralNeedFigures]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ReferralStats:
        return cls(
            from_=record["from"],
            to=record["to"],
            scope=ReferralStatsScope(record["scope"]),
            total=record["total"],
            by_status=[
                ReferralStatusCount(status=ReferralStatus(s), count=n)
                for s, n in record["byStatus"].items()
            ],
            median_hours_to_answer=record["medianHoursToAnswer"],
            median_hours_to_complete=record["medianHoursToComplete"],
            completion_rate=record["completionRate"],
            by_need=[
                ReferralNeedFigures(
                    referrals=n["referrals"],
                    completed=n["completed"],
                    served=n["served"],
                    completion_rate=n["completionRate"],
                    code=n["code"],
                )
                for n in record["byNeed"]
            ],
        )


@strawberry.type
class ReferralStatsQuery:
    @strawberry.field(
        description="Closed-loop figures over your institution's referrals (admins of public "
        "institutions: their region's; platform admins: all), narrowed by region (sender or "
        "target located there) and institution (sender or target).",
        extensions=[gate(SignedIn, "reading referral figures")],
    )
    async def referral_stats(
        self,
        info: Info[RequestContext, None],
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        region: str | None = None,
        institution: strawberry.ID | None = None,
    ) -> ReferralStats:
        record = await resolve.referral_stats(
            info.context, start=from_, end=to, region=region, institution=institution
        )
        return ReferralStats.from_record(record)
