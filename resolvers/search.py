"""Needs-based resource search (욕구 기반 자원 검색): validate the input, ask the index, then
re-read every hit from the graph.

The index ranks and counts; the graph decides what is shown. Each hit is loaded through the
same listing condition as any read and cut by `present`, and the hit is dropped when, on the
graph's current state, it no longer matches what was asked with the fields this viewer may see
(the index can lag a write by a few milliseconds). Reasons, distances and highlights are made
from the presented record, so they never speak of a withheld value."""

from __future__ import annotations

import base64
import binascii
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from resolvers.context import RequestContext
from resolvers.errors import ErrorCode, HanaroError
from resolvers.resources import present
from resolvers.search_hits import distance_km, eligibility_fit, reasons
from resolvers.validation import check_coordinates, check_id, check_unique_codes
from search.audiences import Searcher
from search.documents import with_ancestors
from search.engine import SearchTimeout, SearchUnavailable
from search.query import FACETS, MAX_TEXT_LENGTH, Near, Person, ResourceSearch
from search.resources import SearchHit, search_resources
from search.thesaurus import Expansion
from vocabulary.access import Viewer

__all__ = [
    "MAX_NEEDS",
    "MAX_RADIUS_KM",
    "SearchPage",
    "search",
    "search_errors",
    "searcher",
]

MAX_NEEDS = 10
FACET_NAMES = frozenset(FACETS)
MAX_RADIUS_KM = 500.0
_CURSOR_PREFIX = "search:"
# Deepest position a search pages to (Elasticsearch's default max_result_window is 10,000).
MAX_OFFSET = 9_000
# How many extra hits to fetch so that a page stays full when a few fail the graph re-check.
_SLACK = 5
# Text fields of the index -> (GraphQL name for highlights and reasons, record field that
# governs who may see it; None: seen with the listing).
_TEXT_FIELDS = {
    "name": ("name", None),
    "description": ("description", "description"),
    "eligibilityNotes": ("eligibility.notes", "eligibility"),
    "needTerms": ("needs", None),
}


@dataclass
class SearchPage:
    hits: list[dict[str, Any]]
    total: int
    facets: dict[str, list[dict[str, Any]]]
    has_next: bool
    has_previous: bool


@dataclass
class _Request:
    search: ResourceSearch
    first: int


def encode_search_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode()


def _decode_search_cursor(cursor: str) -> int:
    """Cursors are positions in the ranking, not score/id pairs: the embedded engine returns
    scores rounded to float32, and `search_after` on a rounded score skips hits."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        offset = int(text[len(_CURSOR_PREFIX) :]) if text.startswith(_CURSOR_PREFIX) else -1
    except (binascii.Error, UnicodeDecodeError, ValueError):
        offset = -1
    if not 0 <= offset <= MAX_OFFSET:
        raise HanaroError.bad_input(
            "after is not a cursor searchResources returned; pass a pageInfo.endCursor value "
            "from the same search.",
            field="after",
        )
    return offset


def _check_person(person: dict[str, Any] | None) -> Person | None:
    if not person:
        return None
    age, income = person.get("age"), person.get("incomePercent")
    if age is not None and not 0 <= age <= 150:
        raise HanaroError.bad_input(
            f"person.age {age} is out of range (0..150).", field="input.person.age"
        )
    if income is not None and not 0 <= income <= 1000:
        raise HanaroError.bad_input(
            f"person.incomePercent {income} is out of range (0..1000).",
            field="input.person.incomePercent",
        )
    return Person(
        age=age,
        income_percent=income,
        household_type=person.get("householdType"),
        disability=person.get("disability"),
    )


def _check_near(near: dict[str, Any] | None) -> Near | None:
    if near is None:
        return None
    check_coordinates(near["lat"], near["lon"], field="input.near")
    radius = near["radiusKm"]
    if not 0 < radius <= MAX_RADIUS_KM:
        raise HanaroError.bad_input(
            f"near.radiusKm must be above 0 and at most {MAX_RADIUS_KM:g} km; got {radius:g}.",
            field="input.near.radiusKm",
        )
    return Near(near["lat"], near["lon"], radius)


def _request(ctx: RequestContext, data: dict[str, Any], *, facets: frozenset[str]) -> _Request:
    services = ctx.services
    first = data.get("first", 20)
    limit = services.limits.max_page_size
    if not 0 <= first <= limit:
        raise HanaroError.bad_input(
            f"first must be between 0 and {limit}; got {first}.", field="input.first"
        )
    offset = _decode_search_cursor(data["after"]) if data.get("after") else 0
    needs = check_unique_codes(list(data.get("needs") or []), field="input.needs")
    if len(needs) > MAX_NEEDS:
        raise HanaroError.bad_input(
            f"input.needs: give at most {MAX_NEEDS} need codes.", field="input.needs"
        )
    services.needs.check(needs, field="input.needs")
    text = (data.get("text") or "").strip() or None
    if text is not None and len(text) > MAX_TEXT_LENGTH:
        raise HanaroError.bad_input(
            f"input.text is longer than {MAX_TEXT_LENGTH} characters.", field="input.text"
        )
    regions = None
    if data.get("regions") is not None:
        codes = services.regions.check(list(data["regions"]), field="input.regions")
        regions = services.regions.overlapping(codes)
    providers = None
    if data.get("institutions") is not None:
        providers = [
            check_id("Institution", i, field="input.institutions") for i in data["institutions"]
        ]
    near = _check_near(data.get("near"))
    person = _check_person(data.get("person"))
    origin = (near.lat, near.lon) if near else ctx.viewer.home
    search = ResourceSearch(
        needs=needs,
        text=text,
        regions=regions,
        near=near,
        origin=origin,
        person=person,
        has_capacity=data.get("hasCapacity"),
        kinds=_values(data.get("kinds")),
        sectors=_values(data.get("sectors")),
        providers=providers,
        statuses=_values(data.get("statuses")) or ["ACTIVE"],
        size=first + 1 + _SLACK if first else 0,
        offset=offset,
        facets=facets,
        expansions=services.thesaurus.expand(text) if text else [],
    )
    return _Request(search=search, first=first)


def searcher(viewer: Viewer) -> Searcher:
    """The viewer in the terms of the index's audience clauses."""
    return Searcher(
        staff=not viewer.anonymous,
        institution_id=viewer.institution_id,
        region_codes=viewer.regional_codes,
    )


@contextlib.contextmanager
def search_errors() -> Iterator[None]:
    """An engine that cannot answer becomes the error clients get: TIMEOUT or UNAVAILABLE."""
    try:
        yield
    except SearchTimeout as exc:
        raise HanaroError(
            ErrorCode.TIMEOUT,
            "The search took longer than the server allows; narrow it (fewer words, filters, "
            "a smaller page) or try again.",
        ) from exc
    except SearchUnavailable as exc:
        raise HanaroError(
            ErrorCode.UNAVAILABLE,
            "Search is unavailable right now; try again shortly. Other queries keep working.",
        ) from exc


def _values(items: list[Any] | None) -> list[str] | None:
    return None if items is None else [getattr(i, "value", i) for i in items]


class _Check:
    """Judges one presented record against the request, on the graph's current state."""

    def __init__(self, ctx: RequestContext, request: _Request) -> None:
        self.ctx = ctx
        self.request = request
        self.search = request.search

    def matched_needs(self, record: dict[str, Any]) -> list[str]:
        covered = set(with_ancestors(record["needs"], self.ctx.services.needs.parents))
        return [code for code in self.search.needs if code in covered]

    def location(self, record: dict[str, Any]) -> tuple[float, float] | None:
        address = record["address"]
        if not address or address.get("lat") is None or address.get("lon") is None:
            return None
        return (address["lat"], address["lon"])

    def text_fields(self, hit: SearchHit, record: dict[str, Any]) -> list[str]:
        """The index's text fields the hit matched that the viewer may see now."""
        withheld = set(record["withheldFields"])
        return [
            name
            for name, (_, governed_by) in _TEXT_FIELDS.items()
            if f"text:{name}" in hit.matched and governed_by not in withheld
        ]

    def expansions(self, hit: SearchHit, fields: list[str]) -> list[Expansion]:
        """The thesaurus meanings the hit matched in `fields` (those the viewer may see)."""
        used: dict[int, None] = {}
        for name in sorted(hit.matched):
            kind, _, rest = name.partition(":")
            field_name, _, position = rest.rpartition(":")
            if kind == "via" and field_name in fields and position.isdigit():
                used[int(position)] = None
        found = self.search.expansions
        return [found[i] for i in sorted(used) if i < len(found)]

    def still_matches(self, hit: SearchHit, record: dict[str, Any]) -> bool:
        search = self.search
        if record["status"] not in search.statuses:
            return False
        if search.kinds is not None and record["kind"] not in search.kinds:
            return False
        if search.providers is not None and record["providerId"] not in search.providers:
            return False
        if search.regions is not None and not set(record["regions"]) & set(search.regions):
            return False
        if search.needs and not self.matched_needs(record):
            return False
        if search.text and not self.text_fields(hit, record):
            return False
        if search.near is not None:
            place = self.location(record)
            near = search.near
            if place is None or distance_km((near.lat, near.lon), place) > near.radius_km:
                return False
        if search.has_capacity is not None:
            available = (record["capacity"] or {}).get("available")
            if available is None or (available > 0) != search.has_capacity:
                return False
        if search.person is not None:
            fit, _ = eligibility_fit(record, search.person)
            if fit == "RULED_OUT":
                return False
        return True


async def search(
    ctx: RequestContext, data: dict[str, Any], *, facets: frozenset[str] = FACET_NAMES
) -> SearchPage:
    """`facets`: the facets the query selects; the engine counts only those (each is an
    aggregation over every match)."""
    request = _request(ctx, data, facets=facets)
    viewer = ctx.viewer
    with search_errors():
        result = await search_resources(
            ctx.services.search,
            ctx.services.search_alias,
            request.search,
            searcher(viewer),
            ctx.services.search_text,
        )
    loaded = await ctx.loaders.resources_by_id.load_many([hit.id for hit in result.hits])
    check = _Check(ctx, request)
    kept: list[dict[str, Any]] = []
    dropped: list[SearchHit] = []
    for position, (hit, record) in enumerate(zip(result.hits, loaded, strict=True)):
        shown = present(record, viewer) if record else None
        if shown is None or not check.still_matches(hit, shown):
            dropped.append(hit)
            continue
        kept.append(_hit(check, hit, shown, request.search.offset + position + 1))
    page = kept[: request.first]
    # A hit past the page that survived the re-check, or hits the index did not send yet.
    more_in_index = len(result.hits) == request.search.size and request.first > 0
    return SearchPage(
        hits=page,
        total=max(0, result.total - len(dropped)),
        facets=_facets(ctx, _without(result.facets, dropped)),
        has_next=len(kept) > request.first or (more_in_index and len(kept) == len(page)),
        has_previous=request.search.offset > 0,
    )


def _hit(check: _Check, hit: SearchHit, record: dict[str, Any], next_offset: int) -> dict[str, Any]:
    search = check.search
    matched_needs = check.matched_needs(record)
    place = check.location(record)
    distance = distance_km(search.origin, place) if search.origin and place else None
    text_fields = check.text_fields(hit, record) if search.text else []
    highlights = [
        {"field": _TEXT_FIELDS[name][0], "fragments": hit.highlights[name]}
        for name in text_fields
        if hit.highlights.get(name)
    ]
    fit, missing = eligibility_fit(record, search.person) if search.person else ("", [])
    return {
        "resource": record,
        "score": hit.score,
        "cursor": encode_search_cursor(next_offset),
        "matchedNeeds": matched_needs,
        "distanceKm": round(distance, 3) if distance is not None else None,
        "highlights": highlights,
        "eligibility": fit or "NOT_CHECKED",
        "missingFacts": missing,
        "reasons": reasons(
            search,
            check.ctx.services.needs.by_code,
            record,
            matched_needs,
            distance,
            [_TEXT_FIELDS[name][0] for name in text_fields],
            fit,
            missing,
            check.expansions(hit, text_fields),
        ),
    }


def _without(
    facets: dict[str, list[tuple[str, int]]], dropped: list[SearchHit]
) -> dict[str, list[tuple[str, int]]]:
    """The index's counts less the hits the graph re-check dropped (as `total` is), so that
    a lagging index never counts a resource the viewer may no longer find."""
    if not dropped:
        return facets
    less: dict[tuple[str, str], int] = {}
    for hit in dropped:
        for name, values in hit.facet_values.items():
            for value in set(values):
                less[name, value] = less.get((name, value), 0) + 1
    return {
        name: [
            (value, count - less.get((name, value), 0))
            for value, count in buckets
            if count - less.get((name, value), 0) > 0
        ]
        for name, buckets in facets.items()
    }


def _facets(ctx: RequestContext, raw: dict[str, list[tuple[str, int]]]) -> dict[str, Any]:
    needs = ctx.services.needs.by_code
    regions = ctx.services.regions.by_code
    return {
        "needs": [
            {"code": code, "label": needs[code]["labelKo"], "count": count}
            for code, count in raw.get("needs", [])
            if code in needs
        ],
        "kinds": [{"value": value, "count": count} for value, count in raw.get("kinds", [])],
        "sectors": [{"value": value, "count": count} for value, count in raw.get("sectors", [])],
        "regions": [
            {"code": code, "name": regions[code]["name"], "count": count}
            for code, count in raw.get("regions", [])
            if code in regions
        ],
    }
