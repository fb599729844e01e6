"""Closed-loop figures (의뢰 성과): counts per state, median hours to answer and to complete,
completion per need, over referrals created in [from, to).

Scope, decided by the viewer, never by the filters: staff see the referrals their institution
sent or received; ADMINs of a public institution also those of every institution located in
its jurisdiction (a 시청's admin sees its 시 wherever in it the 시청 sits, a 주민센터's its
읍면동); PLATFORM_ADMINs see the whole country. `region` and `institution` only narrow that
scope, so an outsider learns nothing about other institutions' referrals. The figures carry
no recipient data."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta
from typing import Any

from graph import referrals as repo
from resolvers.access import PLATFORM, STAFF, demand
from resolvers.context import RequestContext
from resolvers.errors import HanaroError
from resolvers.validation import check_id
from vocabulary.access import Role

__all__ = ["STATUSES", "referral_stats"]

STATUSES = ("SENT", "ACCEPTED", "DECLINED", "CANCELLED", "EXPIRED", "IN_PROGRESS", "COMPLETED")
MAX_WINDOW = timedelta(days=3660)
HOUR_MS = 3_600_000


def _ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


async def _scope(ctx: RequestContext, institution: str) -> dict[str, Any]:
    if PLATFORM.admits(ctx.viewer):
        return {"everything": True, "jurisdiction": [], "scope": "PLATFORM"}
    if Role.ADMIN in ctx.viewer.roles:
        own = await ctx.loaders.institutions_by_id.load(institution)
        authority = ctx.viewer.authority_region
        if own and own["sector"] == "PUBLIC" and authority:
            regions = ctx.services.regions.descendants(authority)
            return {"everything": False, "jurisdiction": regions, "scope": "REGION"}
    return {"everything": False, "jurisdiction": [], "scope": "INSTITUTION"}


def _median_hours(pairs: list[tuple[int, int | None]]) -> float | None:
    spans = [(end - start) / HOUR_MS for start, end in pairs if end is not None]
    return round(statistics.median(spans), 2) if spans else None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def referral_stats(
    ctx: RequestContext,
    *,
    start: datetime,
    end: datetime,
    region: str | None,
    institution: str | None,
) -> dict[str, Any]:
    viewer_institution = demand(STAFF, ctx.viewer, action="reading referral figures")
    if end <= start:
        raise HanaroError.bad_input("to must be after from.", field="to")
    if end - start > MAX_WINDOW:
        raise HanaroError.bad_input("Ask for at most ten years at a time.", field="from")
    regions = None
    if region is not None:
        ctx.services.regions.check([region], field="region")
        regions = ctx.services.regions.descendants(region)
    if institution is not None:
        check_id("Institution", institution, field="institution")
    scope = await _scope(ctx, viewer_institution)
    rows = await repo.referral_stats_rows(
        ctx.graph,
        {
            "fromMs": _ms(start),
            "toMs": _ms(end),
            "everything": scope["everything"],
            "jurisdiction": scope["jurisdiction"],
            "regions": regions,
            "institution": institution,
        },
        ctx.access,
    )
    now = ctx.services.clock()
    counts = dict.fromkeys(STATUSES, 0)
    needs: dict[str, dict[str, int]] = {}
    for row in rows:
        # Not yet swept: an unanswered referral past its time counts as EXPIRED.
        status = row["status"]
        if status == "SENT" and row["expiresAtMs"] <= now:
            status = "EXPIRED"
        counts[status] += 1
        for code in row["needCodes"] or []:
            tally = needs.setdefault(code, {"referrals": 0, "completed": 0, "served": 0})
            tally["referrals"] += 1
            tally["completed"] += status == "COMPLETED"
            tally["served"] += status == "COMPLETED" and row["outcome"] == "SERVED"
    return {
        "from": start,
        "to": end,
        "scope": scope["scope"],
        "total": len(rows),
        "byStatus": counts,
        "medianHoursToAnswer": _median_hours([(r["createdAtMs"], r["answeredAtMs"]) for r in rows]),
        "medianHoursToComplete": _median_hours(
            [(r["createdAtMs"], r["completedAtMs"]) for r in rows]
        ),
        "completionRate": _rate(counts["COMPLETED"], len(rows)),
        "byNeed": [
            {**tally, "code": code, "completionRate": _rate(tally["completed"], tally["referrals"])}
            for code, tally in sorted(needs.items())
        ],
    }
