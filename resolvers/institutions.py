"""Institutions: the public directory of who takes part."""

from __future__ import annotations

from typing import Any

from graph import institutions as repo
from graph.engine import GraphEngine
from resolvers.context import RequestContext
from resolvers.pagination import Page, page_request
from resolvers.regions import RegionCatalog
from resolvers.validation import check_id

__all__ = [
    "JURISDICTION_LEVEL",
    "assign_default_jurisdictions",
    "get_institution",
    "jurisdiction_of",
    "list_institutions",
    "load_institution",
]

# The level of the region a public office administers, by kind: a 주민센터 its 읍면동, a 시청
# (and a 보건소, set up per 시군구) its 시군구, a 도청 its 시도. Where an office sits is
# another matter: a 시청 is located in one 동 of the 시 it administers.
JURISDICTION_LEVEL = {
    "COMMUNITY_CENTER": "EUPMYEONDONG",
    "CITY_HALL": "SIGUNGU",
    "HEALTH_CENTER": "SIGUNGU",
    "PROVINCIAL_OFFICE": "SIDO",
}


def jurisdiction_of(row: dict[str, Any], regions: RegionCatalog) -> str | None:
    """The region an institution administers: the one stored on it, else the default for a
    public office of its kind (the region of that level it is located in); None for the
    others, whose authority is where they are."""
    if row.get("jurisdictionCode"):
        return str(row["jurisdictionCode"])
    level = JURISDICTION_LEVEL.get(row["kind"]) if row["sector"] == "PUBLIC" else None
    for code in regions.ancestors(row["regionCode"]) if level else ():
        if regions.by_code[code].get("level") == level:
            return code
    return None


async def assign_default_jurisdictions(graph: GraphEngine, regions: RegionCatalog) -> int:
    """At start: store the default jurisdiction on public offices that have none yet (data
    from before jurisdictions, or loaded without one), so the data says what the rules use."""
    rows = await repo.public_offices_without_jurisdiction(graph)
    found = [{"id": row["id"], "code": jurisdiction_of(row, regions)} for row in rows]
    return await repo.set_jurisdictions(graph, [r for r in found if r["code"] is not None])


async def get_institution(ctx: RequestContext, institution_id: str) -> dict[str, Any] | None:
    check_id("Institution", institution_id)
    return await ctx.loaders.institutions_by_id.load(institution_id)


async def load_institution(ctx: RequestContext, institution_id: str) -> dict[str, Any] | None:
    """For nested fields (`Resource.provider`): batched, no input check needed."""
    return await ctx.loaders.institutions_by_id.load(institution_id)


async def list_institutions(
    ctx: RequestContext, filters: dict[str, Any] | None, first: int, after: str | None
) -> Page[dict[str, Any]]:
    request = page_request(first, after, ctx.services.limits.max_page_size)
    filters = filters or {}
    expanded: dict[str, Any] = {"regions": None, "kinds": None, "sectors": None}
    if filters.get("regions") is not None:
        regions = ctx.services.regions
        codes = regions.check(filters["regions"], field="filter.regions")
        expanded["regions"] = [d for code in codes for d in regions.descendants(code)]
    for key in ("kinds", "sectors"):
        if filters.get(key) is not None:
            expanded[key] = list(filters[key])
    rows = await repo.list_institutions(
        ctx.graph, expanded, after=request.after, limit=request.limit
    )

    async def total() -> int:
        return await repo.count_institutions(ctx.graph, expanded)

    return Page.from_rows(rows, request, total)
