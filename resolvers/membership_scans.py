"""The membership scan (복지멤버십 주기적 모의조사) inside the service: one scan at a time per
server, started by an admin through the API or by the server's schedule, with its progress
readable while it runs.

The scan itself is `resolvers.membership.scan` (resumable, idempotent); this module only
decides who may start it and keeps its status. The status is this process's: with several
server processes each reports its own scans (the saved position in the graph is shared)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from resolvers.context import RequestContext, Services
from resolvers.errors import ErrorCode, HanaroError
from resolvers.membership import scan
from resolvers.membership_scan_runner import ScanStatus
from resolvers.recipients import require_staff

__all__ = ["scan_status", "start_scan", "start_scheduled_scan"]

# Public welfare offices follow up the recommendations, so their admins may start a scan.
WELFARE_OFFICES = frozenset({"COMMUNITY_CENTER", "CITY_HALL"})


def _scan_scope(ctx: RequestContext, region: str | None) -> None:
    """PLATFORM_ADMINs scan any region or all; ADMINs of a public welfare office (주민센터,
    시청) their 시군구 or a region in it; everyone else is refused."""
    require_staff(ctx.viewer, "starting a membership scan")
    viewer = ctx.viewer
    regions = ctx.services.regions
    if region is not None:
        regions.check([region], field="region")
    if "PLATFORM_ADMIN" in viewer.roles:
        return
    if "ADMIN" not in viewer.roles or viewer.institution_kind not in WELFARE_OFFICES:
        raise HanaroError(
            ErrorCode.FORBIDDEN,
            "Membership scans are started by admins of a public welfare office (주민센터, 시청) "
            "for their area, or by platform admins.",
        )
    district = next(
        (c for c in viewer.region_codes if regions.by_code[c]["level"] == "SIGUNGU"), None
    )
    if region is None or district is None or region not in regions.descendants(district):
        raise HanaroError(
            ErrorCode.FORBIDDEN,
            "Name a region in your own 시군구: an office's admin scans only its area.",
        )


def scan_status(ctx: RequestContext) -> ScanStatus:
    """For those who may start a scan: platform admins and public welfare offices' admins."""
    viewer = ctx.viewer
    require_staff(viewer, "reading the membership scan status")
    if "PLATFORM_ADMIN" not in viewer.roles and (
        "ADMIN" not in viewer.roles or viewer.institution_kind not in WELFARE_OFFICES
    ):
        raise HanaroError(
            ErrorCode.FORBIDDEN,
            "The membership scan status is for admins of public welfare offices (주민센터, "
            "시청) and platform admins.",
        )
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
