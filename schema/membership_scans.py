"""The membership scan (복지멤버십 모의조사) in GraphQL: its status, the running scan's or the
last one's (started and read through `startMembershipScan` and `membershipScan`)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from resolvers.membership_scan_runner import ScanStatus

__all__ = ["MembershipScanStatus"]


@strawberry.enum
class MembershipScanState(Enum):
    IDLE = "IDLE"
    RUNNING = "RUNNING"
    FINISHED = "FINISHED"
    FAILED = "FAILED"


@strawberry.enum
class MembershipScanTrigger(Enum):
    API = "API"
    SCHEDULE = "SCHEDULE"


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@strawberry.type(
    description="The membership scan of this server: the running one, or the last one."
)
class MembershipScanStatus:
    state: MembershipScanState
    trigger: MembershipScanTrigger | None
    region: str | None = strawberry.field(description="null: every region.")
    started_by: str | None
    started_at: datetime | None
    finished_at: datetime | None
    scanned: int = strawberry.field(description="Recipients evaluated so far.")
    recommendations: int = strawberry.field(description="Recorded or refreshed (when done).")
    error: str | None
    schedule_minutes: int | None = strawberry.field(
        description="Minutes between scheduled scans (HANARO_MEMBERSHIP_SCAN_INTERVAL_MINUTES); "
        "null: no schedule."
    )

    @classmethod
    def from_status(cls, s: ScanStatus) -> MembershipScanStatus:
        return cls(
            state=MembershipScanState(s.state),
            trigger=MembershipScanTrigger(s.trigger) if s.trigger else None,
            region=s.region,
            started_by=s.started_by,
            started_at=_moment(s.started_at),
            finished_at=_moment(s.finished_at),
            scanned=s.scanned,
            recommendations=s.recommendations,
            error=s.error,
            schedule_minutes=s.schedule_minutes,
        )
