"""Proactive eligibility (복지멤버십): which programmes a recipient is likely eligible for.

The recipient is read through the ordinary access check (and audited); facts the viewer may
not read are unknown, so they make a programme POSSIBLE, never LIKELY or NOT_ELIGIBLE."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from graph import membership as repo
from graph.access import GraphAccess
from resolvers.access import OUTREACH, READS, REGIONAL, STAFF, demand
from resolvers.context import RequestContext, Services
from resolvers.enrollments import enrollments_of_recipients
from resolvers.errors import ErrorCode, HanaroError
from resolvers.pagination import Page, page_request
from resolvers.programs import Facts
from resolvers.recipients import get_recipients
from resolvers.stamps import now_ms
from resolvers.validation import check_id

__all__ = [
    "answer_recommendation",
    "eligible_programs",
    "enrolled_programs",
    "overlap_report",
    "overlapping_support",
    "recommendation_id",
    "recommendations",
    "region_scope",
    "scan",
    "unmet_needs",
]


async def enrolled_programs(ctx: RequestContext, record: dict[str, Any]) -> frozenset[str]:
    """Programmes of the recipient's active enrollments (HISTORY; empty without it)."""
    if not READS["HISTORY"].admits(ctx.viewer, record["allowed"]):
        return frozenset()
    found = await enrollments_of_recipients(ctx, [record["id"]])
    return frozenset(
        e["programId"]
        for e in found[record["id"]]
        if e.get("programId") and e["status"] == "ACTIVE"
    )


async def eligible_programs(ctx: RequestContext, recipient_id: str) -> list[dict[str, Any]] | None:
    """None when the viewer is not entitled to the recipient (as `recipient(id)`)."""
    demand(STAFF, ctx.viewer, action="checking eligibility")
    check_id("Recipient", recipient_id, field="recipientId")
    found = await get_recipients(ctx, [recipient_id], ["IDENTITY", "HISTORY"])
    record = found.get(recipient_id)
    if record is None:
        return None
    facts = Facts.of(record, ctx.services.regions.ancestors, await enrolled_programs(ctx, record))
    return ctx.services.programs.evaluate_all(facts)


def region_scope(ctx: RequestContext, region: str) -> list[str]:
    """The region and those below it, when it lies within the viewer's authority region (a
    public office's jurisdiction, another institution's location): dashboards are for the
    staff of the region. PLATFORM_ADMINs' scope is the whole country."""
    demand(STAFF, ctx.viewer, action="reading regional figures")
    regions = ctx.services.regions
    regions.check([region], field="region")
    demand(REGIONAL, ctx.viewer, regions.ancestors(region))
    return regions.descendants(region)


async def unmet_needs(
    ctx: RequestContext, region: str, first: int, after: str | None
) -> dict[str, Any]:
    """Counts by region and need for the region's staff; the rows only for recipients the
    viewer is entitled to (each row read audited)."""
    codes = region_scope(ctx, region)
    request = page_request(first, after, ctx.services.limits.max_page_size)
    counts = await repo.unmet_need_counts(ctx.graph, codes)
    rows = await repo.unmet_need_rows(
        ctx.graph,
        codes,
        ctx.access.audit("UNMET_NEEDS_READ", ["NEEDS"]),
        after=request.after,
        limit=request.limit,
    )
    records = [
        {"id": r["id"], "regionCode": r["regionCode"], "unmet": list(r["unmet"])} for r in rows
    ]

    async def total() -> int:
        raise HanaroError.bad_input(
            "unmetNeeds rows are not counted (counting would read every entitled record); "
            "use the counts, or page with hasNextPage.",
            field="totalCount",
        )

    return {
        "counts": [dict(c) for c in counts],
        "page": Page.from_rows(records, request, total),
    }


def _exclusive_pairs(ctx: RequestContext, programs: list[str]) -> list[tuple[str, str]]:
    catalog = ctx.services.programs.by_id
    pairs = set()
    for a in programs:
        for b in catalog.get(a, {}).get("excludes") or []:
            if b in programs:
                pairs.add(tuple(sorted((a, b))))
    return sorted(pairs)  # type: ignore[arg-type]


async def overlapping_support(
    ctx: RequestContext, recipient_id: str
) -> list[dict[str, Any]] | None:
    """Active enrollments from different institutions for the same need, and programmes
    that may not be combined. None when the viewer may not read the recipient's history."""
    demand(STAFF, ctx.viewer, action="checking duplicated support")
    check_id("Recipient", recipient_id, field="recipientId")
    found = await get_recipients(ctx, [recipient_id], ["HISTORY"])
    record = found.get(recipient_id)
    if record is None or not READS["HISTORY"].admits(ctx.viewer, record["allowed"]):
        return None
    enrollments = [
        e
        for e in (await enrollments_of_recipients(ctx, [recipient_id]))[recipient_id]
        if e["status"] == "ACTIVE"
    ]
    overlaps: list[dict[str, Any]] = []
    by_need: dict[str, list[dict[str, Any]]] = {}
    for enrollment in enrollments:
        for need in enrollment.get("needCodes") or []:
            by_need.setdefault(need, []).append(enrollment)
    for need, items in sorted(by_need.items()):
        if len({e["providerId"] for e in items}) > 1:
            overlaps.append(
                {"kind": "SAME_NEED", "need": need, "programs": [], "enrollments": items}
            )
    programs = sorted({e["programId"] for e in enrollments if e.get("programId")})
    for a, b in _exclusive_pairs(ctx, programs):
        items = [e for e in enrollments if e.get("programId") in (a, b)]
        overlaps.append(
            {"kind": "EXCLUSIVE_PROGRAMS", "need": None, "programs": [a, b], "enrollments": items}
        )
    return overlaps


async def overlap_report(ctx: RequestContext, region: str) -> dict[str, Any]:
    codes = region_scope(ctx, region)
    by_need = [dict(r) for r in await repo.overlap_counts(ctx.graph, codes)]
    exclusive: dict[tuple[str, str], int] = {}
    for programs in await repo.program_sets(ctx.graph, codes):
        for pair in _exclusive_pairs(ctx, programs):
            exclusive[pair] = exclusive.get(pair, 0) + 1
    return {
        "byNeed": by_need,
        "exclusivePrograms": [
            {"programs": list(pair), "recipients": n} for pair, n in sorted(exclusive.items())
        ],
    }


# --- the membership scan and recommendations --------------------------------------------------

SCAN_BATCH = 1000


def recommendation_id(recipient_id: str, program_id: str) -> str:
    digest = hashlib.sha1(f"{recipient_id}|{program_id}".encode()).hexdigest()
    return f"rcm_{digest[:24]}"


async def scan(
    services: Services,
    *,
    region: str | None,
    restart: bool = False,
    batch: int = SCAN_BATCH,
    progress: Callable[[int, str], None] = lambda done, last: None,
    actor: str = "membership-scan",
) -> dict[str, int]:
    """Evaluate every recipient (of `region` and below) and record a Recommendation for each
    LIKELY or POSSIBLE programme they do not receive yet. Resumable: progress is saved with
    every batch, and a stopped scan continues after the last batch saved (`restart` starts
    over). Idempotent: recommendations are keyed by recipient and programme."""
    codes = None
    if region:
        services.regions.check([region], field="region")
        codes = services.regions.descendants(region)
    scan_id = f"membership:{region or 'all'}"
    after = "" if restart else (await repo.scan_state(services.graph, scan_id) or "")
    scanned = recommended = 0
    while True:
        # The system reads every recipient; the scan (and who started it) is the actor.
        system = GraphAccess.system(actor=actor, now_ms=now_ms(), request_id=scan_id)
        rows = await repo.scan_batch(
            services.graph,
            system.audit("MEMBERSHIP_SCAN", ["IDENTITY", "HISTORY"]),
            after=after,
            limit=batch,
            region_codes=codes,
        )
        if not rows:
            break
        found = []
        for props in rows:
            facts = Facts.of(
                props, services.regions.ancestors, frozenset(props["enrolledPrograms"])
            )
            for result in services.programs.evaluate_all(facts):
                if result["status"] == "NOT_ELIGIBLE" or result["enrolled"]:
                    continue
                found.append(
                    {
                        "id": recommendation_id(props["id"], result["program"]["id"]),
                        "recipientId": props["id"],
                        "programId": result["program"]["id"],
                        "regionCode": props["regionCode"],
                        "eligibility": result["status"],
                        "missingFacts": result["missingFacts"],
                    }
                )
        after = rows[-1]["id"]
        await repo.save_recommendations(services.graph, found, system, scan_id=scan_id, last=after)
        scanned += len(rows)
        recommended += len(found)
        progress(scanned, after)
    await repo.clear_scan_state(services.graph, scan_id)
    return {"scanned": scanned, "recommendations": recommended}


def _outreach_scope(ctx: RequestContext, region: str) -> list[str]:
    codes = region_scope(ctx, region)
    demand(OUTREACH, ctx.viewer)
    return codes


def _recommendation(row: Any) -> dict[str, Any]:
    props = dict(row["props"])
    return {**props, "recipientName": row["recipientName"]}


async def recommendations(
    ctx: RequestContext,
    region: str,
    statuses: list[str] | None,
    first: int,
    after: str | None,
) -> Page[dict[str, Any]]:
    codes = _outreach_scope(ctx, region)
    request = page_request(first, after, ctx.services.limits.max_page_size)
    rows = await repo.list_recommendations(
        ctx.graph,
        codes,
        statuses or ["NEW"],
        after=request.after,
        limit=request.limit,
        access=ctx.access.audit("RECOMMENDATION_READ", ["IDENTITY"]),
    )

    async def total() -> int:
        return await repo.count_recommendations(ctx.graph, codes, statuses or ["NEW"])

    return Page.from_rows([_recommendation(r) for r in rows], request, total)


async def answer_recommendation(
    ctx: RequestContext, recommendation_id_: str, accept: bool, reason: str | None
) -> dict[str, Any]:
    """Accept (the office will reach out) or dismiss (with a reason) a NEW recommendation."""
    check_id("Recommendation", recommendation_id_)
    demand(STAFF, ctx.viewer, action="answering a recommendation")
    home = ctx.viewer.authority_region
    codes = _outreach_scope(ctx, home) if home else []
    status = "ACCEPTED" if accept else "DISMISSED"
    row = await repo.answer_recommendation(
        ctx.graph,
        {
            "id": recommendation_id_,
            "regionCodes": codes,
            "status": status,
            "reason": reason,
        },
        ctx.access.audit(f"RECOMMENDATION_{status}", ["IDENTITY"]),
    )
    if row is not None:
        return _recommendation(row)
    current = await repo.recommendation_state(ctx.graph, recommendation_id_, codes)
    if current is None:
        raise HanaroError.not_found("recommendation", recommendation_id_)
    raise HanaroError(
        ErrorCode.CONFLICT,
        f"recommendation {recommendation_id_} is {current} already.",
        currentStatus=current,
    )
