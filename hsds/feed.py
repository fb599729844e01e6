"""What the read-only `/hsds` API returns: paged lists in HSDS's page envelope and single
records, for the request's viewer.

Resources are read through the listing condition (graph) and `present`, exactly as GraphQL
reads them; `search` and the proximity filter go through the needs-based search
(`resolvers.search.search`), which re-checks every hit in the graph. Bad parameters raise
`HanaroError.bad_input` with `field` set to the HSDS parameter's name."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from graph import hsds as repo
from graph import institutions as institutions_repo
from graph import resources as resources_repo
from graph.access import GraphAccess
from graph.engine import GraphEngine, Row
from hsds import mapping
from hsds.ids import (
    NEEDS_TAXONOMY_ID,
    canonical_uuid,
    derived_uuid,
    need_term_id,
)
from hsds.mapping import Vocabulary
from resolvers.context import RequestContext
from resolvers.errors import HanaroError
from resolvers.resources import present
from resolvers.search import MAX_OFFSET, encode_search_cursor, search
from resolvers.stamps import now_ms

__all__ = [
    "Page",
    "ServiceQuery",
    "ensure_hsds_ids",
    "get_organization",
    "get_service",
    "list_organizations",
    "list_service_at_locations",
    "list_services",
    "need_codes_by_term",
    "nested_organizations",
    "uuid_parameter",
    "vocabulary_for",
]

ALL_STATUSES = ["ACTIVE", "SUSPENDED", "CLOSED"]
_BACKFILL_BATCH = 1000


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    size: int  # per_page

    @property
    def skip(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    meters: float


@dataclass(frozen=True)
class ServiceQuery:
    page: Page
    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: str | None = None  # ISO-8601 UTC, as stored (…T…:…:….mmmZ)
    near: Near | None = None


def envelope(contents: list[dict[str, Any]], total: int, page: Page) -> dict[str, Any]:
    """HSDS's page envelope."""
    pages = math.ceil(total / page.size) if total else 0
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page.number,
        "size": len(contents),
        "first_page": page.number == 1,
        "last_page": page.number >= pages,
        "empty": not contents,
        "contents": contents,
    }


async def ensure_hsds_ids(graph: GraphEngine) -> int:
    """Give every resource and institution without an HSDS id its derived one (records made
    by bulk paths or before HSDS existed): the system's work, whoever's request needs it.
    Returns how many were set."""
    done = 0
    system = GraphAccess.system(actor="hsds-backfill", now_ms=now_ms())
    for label, kind in (("Resource", "resource"), ("Institution", "institution")):
        while ids := await repo.missing_hsds_ids(graph, label, _BACKFILL_BATCH, system):
            rows = [{"id": i, "hsdsId": derived_uuid(kind, i)} for i in ids]
            done += await repo.set_hsds_ids(graph, label, rows, system)
            if len(ids) < _BACKFILL_BATCH:
                break
    return done


async def vocabulary_for(
    ctx: RequestContext, records: list[dict[str, Any]], *, full: bool
) -> Vocabulary:
    """The catalogues, plus the imported terms and taxonomies these records use."""
    services = ctx.services
    vocabulary = Vocabulary(services.needs, services.regions)
    term_ids = sorted({t for r in records for t in r.get("hsdsTermIds") or []})
    if full and term_ids:
        vocabulary.terms = await repo.terms_by_ids(ctx.graph, term_ids)
        taxonomy_ids = sorted(
            {t["taxonomyId"] for t in vocabulary.terms.values() if t["taxonomyId"]}
        )
        if taxonomy_ids:
            vocabulary.taxonomies = await repo.taxonomies_by_ids(ctx.graph, taxonomy_ids)
    return vocabulary


async def _providers(ctx: RequestContext, records: list[dict[str, Any]]) -> dict[str, Row]:
    ids = sorted({r["providerId"] for r in records})
    rows = await ctx.loaders.institutions_by_id.load_many(ids)
    return {i: row for i, row in zip(ids, rows, strict=True) if row}


async def _services(
    ctx: RequestContext, records: list[dict[str, Any]], *, full: bool, minimal: bool = False
) -> list[dict[str, Any]]:
    if minimal:
        return [
            {k: v for k, v in mapping.service_basic(r, None).items() if k in _MINIMAL}
            for r in records
        ]
    providers = await _providers(ctx, records)
    if not full:
        return [mapping.service_basic(r, providers.get(r["providerId"])) for r in records]
    vocabulary = await vocabulary_for(ctx, records, full=True)
    return [mapping.service(r, providers.get(r["providerId"]), vocabulary) for r in records]


# `minimal=true`: what HSDS asks for (id, last modified) plus what its schema requires.
_MINIMAL = ("id", "name", "status", "last_modified")


def need_codes_by_term(ctx: RequestContext) -> dict[str, str]:
    return {need_term_id(code): code for code in ctx.services.needs.by_code}


async def _institution_by_hsds_id(ctx: RequestContext, hsds_id: str) -> Row | None:
    found = await repo.institutions_by_hsds_ids(ctx.graph, [hsds_id])
    if hsds_id not in found and await ensure_hsds_ids(ctx.graph):
        found = await repo.institutions_by_hsds_ids(ctx.graph, [hsds_id])
    return found.get(hsds_id)


def uuid_parameter(value: str, parameter: str) -> str:
    canonical = canonical_uuid(value)
    if canonical is None:
        raise HanaroError.bad_input(f"{parameter} must be a UUID.", field=parameter)
    return canonical


async def _filters(ctx: RequestContext, query: ServiceQuery) -> dict[str, Any]:
    """HSDS filters -> the resource filter (`needs`, `providers`, `hsdsTerms`,
    `modifiedAfter`). Unknown ids are bad parameters."""
    filters: dict[str, Any] = {"statuses": None, "modifiedAfter": query.modified_after}
    if query.organization_id is not None:
        oid = uuid_parameter(query.organization_id, "organization_id")
        row = await _institution_by_hsds_id(ctx, oid)
        if row is None:
            raise HanaroError.bad_input(
                "organization_id: no such organization.", field="organization_id"
            )
        filters["providers"] = [row["id"]]
    if query.taxonomy_term_id is not None:
        tid = uuid_parameter(query.taxonomy_term_id, "taxonomy_term_id")
        code = need_codes_by_term(ctx).get(tid)
        if code is not None:
            filters["needs"] = ctx.services.needs.with_narrower([code])
            filters["needCode"] = code
        elif await repo.terms_by_ids(ctx.graph, [tid]):
            filters["hsdsTerms"] = [tid]
        else:
            raise HanaroError.bad_input(
                "taxonomy_term_id: no such taxonomy term.", field="taxonomy_term_id"
            )
    if query.taxonomy_id is not None:
        xid = uuid_parameter(query.taxonomy_id, "taxonomy_id")
        if xid != NEEDS_TAXONOMY_ID:  # every resource has Hanaro needs: no filter
            if not await repo.taxonomies_by_ids(ctx.graph, [xid]):
                raise HanaroError.bad_input("taxonomy_id: no such taxonomy.", field="taxonomy_id")
            terms = await repo.list_terms(ctx.graph, {"taxonomyId": xid}, skip=0, limit=10_000)
            wanted = [t["id"] for t in terms]
            if "hsdsTerms" in filters:
                wanted = [t for t in wanted if t in filters["hsdsTerms"]]
            filters["hsdsTerms"] = wanted
    return filters


async def _searched(
    ctx: RequestContext, query: ServiceQuery, filters: dict[str, Any]
) -> tuple[list[dict[str, Any]], int]:
    """A page through the needs-based search (text, proximity)."""
    for key, parameter in (("hsdsTerms", "taxonomy_term_id"), ("modifiedAfter", "modified_after")):
        if filters.get(key) is not None:
            raise HanaroError.bad_input(
                f"{parameter} of an imported taxonomy and modified_after cannot be combined with "
                "search or proximity.",
                field=parameter,
            )
    if query.page.skip > MAX_OFFSET:
        raise HanaroError.bad_input(
            f"search results go {MAX_OFFSET} items deep; ask for an earlier page.", field="page"
        )
    data: dict[str, Any] = {
        "text": query.search,
        "statuses": ALL_STATUSES,
        "first": query.page.size,
        "after": encode_search_cursor(query.page.skip) if query.page.skip else None,
    }
    if filters.get("needCode") is not None:
        data["needs"] = [filters["needCode"]]  # narrower needs match too
    if filters.get("providers") is not None:
        data["institutions"] = filters["providers"]
    if query.near is not None:
        near = query.near
        data["near"] = {"lat": near.lat, "lon": near.lon, "radiusKm": near.meters / 1000}
    try:
        found = await search(ctx, data)
    except HanaroError as exc:
        raise _search_error(exc) from exc
    return [hit["resource"] for hit in found.hits], found.total


_SEARCH_FIELDS = {
    "input.text": "search",
    "input.near.radiusKm": "proximity",
    "input.near": "lat",
    "input.near.lat": "lat",
    "input.near.lon": "lon",
    "after": "page",
    "input.first": "per_page",
}


def _search_error(exc: HanaroError) -> HanaroError:
    field = exc.extensions.get("field")
    if field is None:
        return exc
    return HanaroError(exc.code, exc.message, field=_SEARCH_FIELDS.get(field, field))


async def _listed(
    ctx: RequestContext, filters: dict[str, Any], page: Page
) -> tuple[list[dict[str, Any]], int]:
    graph, viewer = ctx.graph, ctx.viewer
    rows = await resources_repo.list_resources(
        graph, ctx.access, filters, after="", limit=page.size, skip=page.skip
    )
    total = await resources_repo.count_resources(graph, ctx.access, filters)
    return [present(r, viewer) for r in rows], total


async def list_services(
    ctx: RequestContext, query: ServiceQuery, *, full: bool, minimal: bool
) -> dict[str, Any]:
    filters = await _filters(ctx, query)
    if query.search is not None:
        records, total = await _searched(ctx, query, filters)
    else:
        records, total = await _listed(ctx, filters, query.page)
    contents = await _services(ctx, records, full=full, minimal=minimal)
    return envelope(contents, total, query.page)


async def _resource_by_hsds_id(ctx: RequestContext, hsds_id: str) -> dict[str, Any] | None:
    canonical = canonical_uuid(hsds_id)
    if canonical is None:
        return None
    found = await repo.resources_by_hsds_ids(ctx.graph, ctx.access, [canonical])
    if canonical not in found and await ensure_hsds_ids(ctx.graph):
        found = await repo.resources_by_hsds_ids(ctx.graph, ctx.access, [canonical])
    record = found.get(canonical)
    return present(record, ctx.viewer) if record else None


async def get_service(ctx: RequestContext, hsds_id: str) -> dict[str, Any] | None:
    """The fully nested service, or None for unknown, malformed and hidden ids alike."""
    record = await _resource_by_hsds_id(ctx, hsds_id)
    if record is None:
        return None
    return (await _services(ctx, [record], full=True))[0]


async def list_service_at_locations(
    ctx: RequestContext, query: ServiceQuery, *, full: bool
) -> dict[str, Any]:
    """One item per listed resource whose location the viewer may see."""
    filters = await _filters(ctx, query)
    if query.search is not None and query.near is None:
        raise HanaroError.bad_input(
            "search on service_at_locations needs lat, lon and proximity as well.", field="search"
        )
    if query.near is not None:
        records, total = await _searched(ctx, query, filters)
    else:
        viewer, page = ctx.viewer, query.page
        rows = await repo.list_located_resources(
            ctx.graph, ctx.access, filters, skip=page.skip, limit=page.size
        )
        records = [present(r, viewer) for r in rows]
        total = await repo.count_located_resources(ctx.graph, ctx.access, filters)
    providers = await _providers(ctx, records)
    vocabulary = await vocabulary_for(ctx, records, full=full)
    contents = []
    for record in records:
        provider = providers.get(record["providerId"])
        item = mapping.service_at_location(record, provider, full=full)
        if item is None:  # the index lagged a change of the address
            continue
        if full:
            item["service"] = mapping.service(record, provider, vocabulary)
        contents.append(item)
    return envelope(contents, total, query.page)


async def _services_of(
    ctx: RequestContext, provider_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Every resource of these institutions that the viewer may see, walked in pages."""
    found: dict[str, list[dict[str, Any]]] = {i: [] for i in provider_ids}
    if not provider_ids:
        return found
    after, size = "", 100
    while True:
        rows = await resources_repo.list_resources(
            ctx.graph, ctx.access, {"providers": provider_ids}, after=after, limit=size
        )
        for row in rows:
            found[row["providerId"]].append(present(row, ctx.viewer))
        if len(rows) < size:
            return found
        after = rows[-1]["id"]


async def nested_organizations(
    ctx: RequestContext, rows: list[Row], *, full: bool, full_services: bool
) -> list[dict[str, Any]]:
    """Organizations for these institution rows; `full`: nested, with the services the viewer
    may see (`full_services`: fully nested too)."""
    vocabulary = Vocabulary(ctx.services.needs, ctx.services.regions)
    if not full:
        return [mapping.organization_basic(row, vocabulary) for row in rows]
    services = await _services_of(ctx, [row["id"] for row in rows])
    if full_services:
        records = [r for rs in services.values() for r in rs]
        vocabulary = await vocabulary_for(ctx, records, full=True)
    return [
        mapping.organization(row, services[row["id"]], vocabulary, full_services=full_services)
        for row in rows
    ]


async def list_organizations(
    ctx: RequestContext, search_text: str | None, page: Page, *, full: bool, full_services: bool
) -> dict[str, Any]:
    filters = {"text": search_text.lower() if search_text else None}
    rows = await institutions_repo.list_institutions(
        ctx.graph, filters, after="", limit=page.size, skip=page.skip
    )
    total = await institutions_repo.count_institutions(ctx.graph, filters)
    contents = await nested_organizations(ctx, rows, full=full, full_services=full_services)
    return envelope(contents, total, page)


async def get_organization(
    ctx: RequestContext, hsds_id: str, *, full_services: bool
) -> dict[str, Any] | None:
    canonical = canonical_uuid(hsds_id)
    row = await _institution_by_hsds_id(ctx, canonical) if canonical else None
    if row is None:
        return None
    return (await nested_organizations(ctx, [row], full=True, full_services=full_services))[0]
