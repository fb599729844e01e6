"""The membership scan (복지멤버십 주기적 모의조사) inside the service: one scan at a time per
server, started by an admin through the API or by the server's schedule, with its progress
readable while it runs.

The scan itself is `resolvers.membership.scan` (resumable, idempotent); this module only
decides who may start it and keeps its status. The status is this process's: with several
server processes each reports its own scans (the saved position in the graph is shared)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from resolvers.access import SCAN_ADMIN, SCAN_AREA, STAFF, demand
from resolvers.context import RequestContext, Services
from resolvers.errors import ErrorCode, HanaroError
from resolvers.membership import scan
from resolvers.membership_scan_runner import ScanStatus

__all__ = ["scan_status", "start_scan", "start_scheduled_scan"]

_STARTING = "starting a membership scan"


def _scan_scope(ctx: RequestContext, region: str | None) -> None:
    """PLATFORM_ADMINs scan any region or all; ADMINs of a public welfare office (주민센터,
    시청) their 시군구 or a region in it; everyone else is refused."""
    viewer = ctx.viewer
    demand(STAFF, viewer, action=_STARTING)
    regions = ctx.services.regions
    if region is not None:
        regions.check([region], field="region")
    demand(SCAN_ADMIN, viewer, action=_STARTING)
    district = next(
        (c for c in viewer.region_codes if regions.by_code[c]["level"] == "SIGUNGU"), None
    )
    demand(SCAN_AREA, viewer, region, regions.descendants(district) if district else [])


def scan_status(ctx: RequestContext) -> ScanStatus:
    """For those who may start a scan: platform admins and public welfare offices' admins."""
    demand(SCAN_ADMIN, ctx.viewer, action="reading the membership scan status")
    return ctx.services.membership_scans.status


def start_scan(ctx: RequestContext, region: str | None, restart: bool) -> ScanStatus:
    """Start a scan now; CONFLICT while one runs on this server."""
    _scan_scope(ctx, region)
    runner = ctx.services.membership_scans
    if runner.running:
        raise HanaroError(
            ErrorCode.CONFLICT,
            f"A membership scan is running already ({runner.status.scanned} recipients so far); "
            "follow it with the membershipScan query.",
            currentStatus="RUNNING",
        )
    viewer = ctx.viewer
    actor = f"{viewer.subject}@{viewer.institution_id}"
    services = ctx.services

    def job(progress: Callable[[int, str], None]) -> Awaitable[dict[str, int]]:
        return scan(
            services,
            region=region,
            restart=restart,
            progress=progress,
            actor=f"membership-scan:{actor}",
        )

    runner.launch(job, trigger="API", region=region, started_by=actor)
    return runner.status


async def start_scheduled_scan(services: Services) -> None:
    """The schedule's turn: scan every region, unless a scan is running; wait for it."""
    runner = services.membership_scans
    if runner.running:
        return

    def job(progress: Callable[[int, str], None]) -> Awaitable[dict[str, int]]:
        return scan(services, region=None, progress=progress)

    await runner.launch(job, trigger="SCHEDULE", region=None, started_by="schedule")
