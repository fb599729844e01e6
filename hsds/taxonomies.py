"""Taxonomies on the HSDS feed: the Hanaro needs taxonomy (from the in-memory need catalogue)
followed by the taxonomies and terms imported from other directories (graph), paged as one
list. Taxonomies are vocabulary, public to every viewer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from graph import hsds as repo
from hsds import mapping
from hsds.feed import Page, envelope, need_codes_by_term, uuid_parameter
from hsds.ids import NEEDS_TAXONOMY_ID, canonical_uuid
from hsds.mapping import Vocabulary
from resolvers.context import RequestContext
from resolvers.errors import HanaroError

__all__ = ["get_taxonomy", "get_term", "list_taxonomies", "list_terms", "need_terms"]


def need_terms(ctx: RequestContext, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The Hanaro needs taxonomy's terms that pass the term filters, in code order."""
    vocabulary = Vocabulary(ctx.services.needs, ctx.services.regions)
    terms = [mapping.need_term(code, vocabulary) for code in sorted(ctx.services.needs.by_code)]
    text = filters.get("text")
    if filters.get("taxonomyId") not in (None, NEEDS_TAXONOMY_ID):
        return []
    return [
        term
        for term in terms
        if (filters.get("parentId") is None or term.get("parent_id") == filters["parentId"])
        and (not filters.get("topOnly") or "parent_id" not in term)
        and (
            text is None
            or any(text in (term.get(k) or "").lower() for k in ("name", "description", "code"))
        )
    ]


async def _union_page(
    local: list[dict[str, Any]],
    count: Callable[[], Awaitable[int]],
    fetch: Callable[[int, int], Awaitable[list[dict[str, Any]]]],
    page: Page,
) -> tuple[list[dict[str, Any]], int]:
    """A page over `local` items followed by graph rows (`count()`, `fetch(skip, limit)`)."""
    total = len(local) + await count()
    items = local[page.skip : page.skip + page.size]
    wanted = page.size - len(items)
    if wanted > 0 and page.skip + len(items) < total:
        items += await fetch(max(0, page.skip - len(local)), wanted)
    return items, total


async def list_terms(
    ctx: RequestContext,
    page: Page,
    *,
    search_text: str | None,
    taxonomy_id: str | None,
    parent_id: str | None,
    top_only: bool,
) -> dict[str, Any]:
    filters: dict[str, Any] = {
        "text": search_text.lower() if search_text else None,
        "topOnly": True if top_only else None,
    }
    if taxonomy_id is not None:
        filters["taxonomyId"] = uuid_parameter(taxonomy_id, "taxonomy_id")
        known = filters["taxonomyId"] == NEEDS_TAXONOMY_ID or await repo.taxonomies_by_ids(
            ctx.graph, [filters["taxonomyId"]]
        )
        if not known:
            raise HanaroError.bad_input("taxonomy_id: no such taxonomy.", field="taxonomy_id")
    if parent_id is not None:
        filters["parentId"] = uuid_parameter(parent_id, "parent_id")
        if await _term(ctx, filters["parentId"]) is None:
            raise HanaroError.bad_input("parent_id: no such taxonomy term.", field="parent_id")
    local = need_terms(ctx, filters)
    foreign = filters.get("taxonomyId") != NEEDS_TAXONOMY_ID
    vocabulary = Vocabulary(ctx.services.needs, ctx.services.regions)

    async def count() -> int:
        return await repo.count_terms(ctx.graph, filters) if foreign else 0

    async def fetch(skip: int, limit: int) -> list[dict[str, Any]]:
        rows = await repo.list_terms(ctx.graph, filters, skip=skip, limit=limit)
        ids = sorted({r["taxonomyId"] for r in rows if r["taxonomyId"]})
        vocabulary.taxonomies = await repo.taxonomies_by_ids(ctx.graph, ids) if ids else {}
        return [mapping.foreign_term(row, vocabulary) for row in rows]

    items, total = await _union_page(local, count, fetch, page)
    return envelope(items, total, page)


async def _term(ctx: RequestContext, term_id: str) -> dict[str, Any] | None:
    vocabulary = Vocabulary(ctx.services.needs, ctx.services.regions)
    code = need_codes_by_term(ctx).get(term_id)
    if code is not None:
        return mapping.need_term(code, vocabulary)
    row = (await repo.terms_by_ids(ctx.graph, [term_id])).get(term_id)
    if row is None:
        return None
    if row["taxonomyId"]:
        vocabulary.taxonomies = await repo.taxonomies_by_ids(ctx.graph, [row["taxonomyId"]])
    return mapping.foreign_term(row, vocabulary)


async def get_term(ctx: RequestContext, term_id: str) -> dict[str, Any] | None:
    canonical = canonical_uuid(term_id)
    return await _term(ctx, canonical) if canonical else None


async def list_taxonomies(
    ctx: RequestContext, page: Page, *, search_text: str | None
) -> dict[str, Any]:
    text = search_text.lower() if search_text else None
    local = [mapping.NEEDS_TAXONOMY]
    if text and not any(text in mapping.NEEDS_TAXONOMY[k].lower() for k in ("name", "description")):
        local = []

    async def count() -> int:
        return await repo.count_taxonomies(ctx.graph, text)

    async def fetch(skip: int, limit: int) -> list[dict[str, Any]]:
        rows = await repo.list_taxonomies(ctx.graph, text, skip=skip, limit=limit)
        return [mapping.foreign_taxonomy(row) for row in rows]

    items, total = await _union_page(local, count, fetch, page)
    return envelope(items, total, page)


async def get_taxonomy(ctx: RequestContext, taxonomy_id: str) -> dict[str, Any] | None:
    canonical = canonical_uuid(taxonomy_id)
    if canonical is None:
        return None
    if canonical == NEEDS_TAXONOMY_ID:
        return mapping.NEEDS_TAXONOMY
    row = (await repo.taxonomies_by_ids(ctx.graph, [canonical])).get(canonical)
    return mapping.foreign_taxonomy(row) if row else None
