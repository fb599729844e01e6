"""Institutions: the public directory of who takes part."""

from __future__ import annotations

from typing import Any

from graph import institutions as repo
from resolvers.context import RequestContext
from resolvers.pagination import Page, page_request
from resolvers.validation import check_id

__all__ = ["get_institution", "list_institutions", "load_institution"]


async def get_institution(ctx: RequestContext, institution_id: str) -> dict[str, Any] | None:
    check_id("Institution", institution_id)
    return await ctx.institutions_by_id.load(institution_id)


async def load_institution(ctx: RequestContext, institution_id: str) -> dict[str, Any] | None:
    """For nested fields (`Resource.provider`): batched, no input check needed."""
    return await ctx.institutions_by_id.load(institution_id)


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
