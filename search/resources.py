"""The resource index: mapping and analysers, documents, bulk apply, and rebuild-and-swap.

Korean text is analysed with a 2-gram `ngram` tokenizer so that "도시락배달" matches
"도시락 배달" (on osmem the `cjk` analyser did not, see DESIGN.md); with
`HANARO_SEARCH_NORI` a `nori` subfield is added where the cluster has `analysis-nori`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError, AsyncElasticsearch

from search.engine import SearchUnavailable

__all__ = [
    "CONTROLLED_FIELDS",
    "Near",
    "Person",
    "ResourceSearch",
    "SearchHit",
    "SearchResult",
    "Searcher",
    "admitted",
    "index_body",
    "resource_document",
    "search_body",
    "search_resources",
    "with_ancestors",
]

_TEXT_FIELDS = ("name", "description", "eligibilityNotes")
# The fields whose audience the registrant sets; each has a keyword under `visFields` so that
# the search can apply the same audience rules as the graph.
CONTROLLED_FIELDS = (
    "description",
    "contact",
    "address",
    "capacity",
    "schedule",
    "eligibility",
    "internalNotes",
)


def index_body(*, nori: bool = False) -> dict[str, Any]:
    def text_field() -> dict[str, Any]:
        fields: dict[str, Any] = {"en": {"type": "text", "analyzer": "english"}}
        if nori:
            fields["nori"] = {"type": "text", "analyzer": "nori"}
        return {"type": "text", "analyzer": "hanaro_bigram", "fields": fields}

    properties: dict[str, Any] = {name: text_field() for name in _TEXT_FIELDS}
    properties.update(
        {
            "id": {"type": "keyword"},
            "nameSort": {"type": "keyword"},
            "kind": {"type": "keyword"},
            "status": {"type": "keyword"},
            "providerId": {"type": "keyword"},
            "providerSector": {"type": "keyword"},
            "providerKind": {"type": "keyword"},
            "needs": {"type": "keyword"},
            "needsWithAncestors": {"type": "keyword"},
            "regions": {"type": "keyword"},
            "regionsWithAncestors": {"type": "keyword"},
            "minAge": {"type": "integer"},
            "maxAge": {"type": "integer"},
            "maxIncomePercent": {"type": "integer"},
            "householdTypes": {"type": "keyword"},
            "disabilityRequired": {"type": "boolean"},
            "capacityAvailable": {"type": "integer"},
            "location": {"type": "geo_point"},
            "visListing": {"type": "keyword"},
            "visFields": {
                "type": "object",
                "properties": {name: {"type": "keyword"} for name in CONTROLLED_FIELDS},
            },
            "partners": {"type": "keyword"},
            "version": {"type": "long"},
            "updatedAt": {"type": "keyword"},
        }
    )
    return {
        "settings": {
            "analysis": {
                "tokenizer": {
                    "hanaro_bigram": {
                        "type": "ngram",
                        "min_gram": 2,
                        "max_gram": 2,
                        "token_chars": ["letter", "digit"],
                    }
                },
                "analyzer": {
                    "hanaro_bigram": {
                        "type": "custom",
                        "tokenizer": "hanaro_bigram",
                        "filter": ["lowercase"],
                    }
                },
            }
        },
        "mappings": {"properties": properties},
    }


def with_ancestors(codes: Iterable[str], parents: Mapping[str, str | None]) -> list[str]:
    """The codes and every code above them, each once, in a stable order."""
    seen: dict[str, None] = {}
    for code in codes:
        current: str | None = code
        while current is not None and current not in seen:
            seen[current] = None
            current = parents.get(current)
    return list(seen)


def resource_document(
    record: Mapping[str, Any],
    need_parents: Mapping[str, str | None],
    region_parents: Mapping[str, str | None],
) -> dict[str, Any]:
    """Everything the search needs, including the visibility settings it must apply."""
    eligibility = record.get("eligibility") or {}
    address = record.get("address") or {}
    capacity = record.get("capacity") or {}
    location = None
    if address.get("lat") is not None and address.get("lon") is not None:
        location = {"lat": address["lat"], "lon": address["lon"]}
    visibility = record["visibility"]
    return {
        "id": record["id"],
        "name": record["name"],
        "nameSort": record["name"],
        "description": record.get("description"),
        "eligibilityNotes": eligibility.get("notes"),
        "kind": record["kind"],
        "status": record["status"],
        "providerId": record["providerId"],
        "providerSector": record.get("providerSector"),
        "providerKind": record.get("providerKind"),
        "needs": record["needs"],
        "needsWithAncestors": with_ancestors(record["needs"], need_parents),
        "regions": record["regions"],
        "regionsWithAncestors": with_ancestors(record["regions"], region_parents),
        "minAge": eligibility.get("minAge"),
        "maxAge": eligibility.get("maxAge"),
        "maxIncomePercent": eligibility.get("maxIncomePercent"),
        "householdTypes": eligibility.get("householdTypes") or [],
        "disabilityRequired": bool(eligibility.get("disabilityRequired")),
        "capacityAvailable": capacity.get("available"),
        "location": location,
        "visListing": visibility["listing"],
        "visFields": visibility["fields"],
        "partners": visibility["partners"],
        "version": record["version"],
        "updatedAt": record.get("updatedAt"),
    }


# --- searching -------------------------------------------------------------------------------
#
# Ranking is lexicographic: requested needs covered, then eligibility fit, then distance, then
# text relevance. Elasticsearch sorts on one score, so each criterion adds a constant in its
# own band: a need is worth more than any eligibility, distance and text score together, and
# so on down. Text (BM25) stays far below DISTANCE_STEP for queries of MAX_TEXT_LENGTH.
NEED_STEP = 40_000.0
ELIGIBLE_STEP = 20_000.0
DISTANCE_STEP = 1_000.0
# Rings (km) for the distance band: a resource inside more rings ranks higher.
DISTANCE_RINGS = (0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50)
MAX_TEXT_LENGTH = 200
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
# Text fields and the controlled field whose audience governs them (None: the listing).
_TEXT_GOVERNED_BY = {"name": None, "description": "description", "eligibilityNotes": "eligibility"}


@dataclass(frozen=True)
class Searcher:
    """Who searches, in the terms the index's visibility fields need (mirrors the graph's
    viewer: staff of an institution in a chain of regions, or anonymous)."""

    staff: bool = False
    institution_id: str | None = None
    region_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """What is known about the person the caseworker searches for; None means unknown."""

    age: int | None = None
    income_percent: int | None = None
    household_type: str | None = None
    disability: bool | None = None


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    radius_km: float


@dataclass
class ResourceSearch:
    needs: list[str] = field(default_factory=list)
    text: str | None = None
    regions: list[str] | None = None  # served-region codes that match (already expanded)
    near: Near | None = None
    origin: tuple[float, float] | None = None  # where distance is measured from
    person: Person | None = None
    has_capacity: bool | None = None
    kinds: list[str] | None = None
    sectors: list[str] | None = None
    providers: list[str] | None = None
    statuses: list[str] = field(default_factory=lambda: ["ACTIVE"])
    size: int = 20
    offset: int = 0


@dataclass
class SearchHit:
    id: str
    score: float
    matched: frozenset[str]  # names of the query parts this hit matched ("text:name", ...)
    highlights: dict[str, list[str]]


@dataclass
class SearchResult:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[tuple[str, int]]]


def admitted(column: str, who: Searcher) -> dict[str, Any]:
    """Documents whose audience in `column` admits `who`: the index-side twin of the graph's
    listing condition (owner sees all; partners see REGION and PARTNERS; the region's staff
    see REGION; staff see AUTHENTICATED; everyone sees PUBLIC)."""
    if not who.staff:
        return {"term": {column: "PUBLIC"}}
    should: list[dict[str, Any]] = [{"terms": {column: ["PUBLIC", "AUTHENTICATED"]}}]
    if who.institution_id:
        should.append({"term": {"providerId": who.institution_id}})
        should.append(
            {
                "bool": {
                    "filter": [
                        {"term": {"partners": who.institution_id}},
                        {"terms": {column: ["REGION", "PARTNERS"]}},
                    ]
                }
            }
        )
    if who.region_codes:
        should.append(
            {
                "bool": {
                    "filter": [
                        {"terms": {"regions": list(who.region_codes)}},
                        {"term": {column: "REGION"}},
                    ]
                }
            }
        )
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _field_admitted(name: str, who: Searcher) -> dict[str, Any]:
    return admitted(f"visFields.{name}", who)


def _text_query(text: str, who: Searcher, nori: bool) -> tuple[dict[str, Any], list[str]]:
    """One clause per text field, each allowed to match only where the viewer may see that
    field; `match` treats the text as plain words (no query syntax)."""
    korean = bool(_HANGUL.search(text))
    clauses: list[dict[str, Any]] = []
    highlight: list[str] = []
    for name, governed_by in _TEXT_GOVERNED_BY.items():
        matches: list[dict[str, Any]] = [
            {"match": {f"{name}.en": {"query": text, "minimum_should_match": "2<75%"}}}
        ]
        highlight.append(f"{name}.en")
        if korean:
            matches.append({"match": {name: {"query": text, "minimum_should_match": "2<60%"}}})
            highlight.append(name)
            if nori:
                matches.append({"match": {f"{name}.nori": {"query": text}}})
        part: dict[str, Any] = {"should": matches, "minimum_should_match": 1}
        if governed_by is not None:
            part["filter"] = [_field_admitted(governed_by, who)]
        clauses.append({"bool": {**part, "_name": f"text:{name}"}})
    return {"bool": {"should": clauses, "minimum_should_match": 1}}, highlight


def _boost(query: dict[str, Any], boost: float, name: str | None = None) -> dict[str, Any]:
    clause: dict[str, Any] = {"filter": query, "boost": boost}
    if name:
        clause["_name"] = name
    return {"constant_score": clause}


def _geo_within(lat: float, lon: float, km: float) -> dict[str, Any]:
    return {"geo_distance": {"distance": f"{km}km", "location": {"lat": lat, "lon": lon}}}


def _person_clauses(person: Person, who: Searcher) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Exclusions for what the person's known attributes rule out, and the filter of resources
    they fit. Only eligibility the viewer may see is used: hidden rules exclude nothing and
    fit no one (they rank as unknown)."""
    visible = _field_admitted("eligibility", who)
    ruled_out: list[dict[str, Any]] = []
    unknown_rules: list[dict[str, Any]] = []
    if person.age is not None:
        ruled_out += [
            {"range": {"minAge": {"gt": person.age}}},
            {"range": {"maxAge": {"lt": person.age}}},
        ]
    else:
        unknown_rules += [{"exists": {"field": "minAge"}}, {"exists": {"field": "maxAge"}}]
    if person.income_percent is not None:
        ruled_out.append({"range": {"maxIncomePercent": {"lt": person.income_percent}}})
    else:
        unknown_rules.append({"exists": {"field": "maxIncomePercent"}})
    if person.household_type is not None:
        ruled_out.append(
            {
                "bool": {
                    "filter": [{"exists": {"field": "householdTypes"}}],
                    "must_not": [{"term": {"householdTypes": person.household_type}}],
                }
            }
        )
    else:
        unknown_rules.append({"exists": {"field": "householdTypes"}})
    if person.disability is False:
        ruled_out.append({"term": {"disabilityRequired": True}})
    elif person.disability is None:
        unknown_rules.append({"term": {"disabilityRequired": True}})
    exclusions = [{"bool": {"filter": [visible, rule]}} for rule in ruled_out]
    fits = {"bool": {"filter": [visible], "must_not": unknown_rules}}
    return exclusions, fits


def search_body(search: ResourceSearch, who: Searcher, *, nori: bool = False) -> dict[str, Any]:
    """The whole search request: filters (all behind the viewer's audiences), the ranking
    bands, highlights and facets."""
    filters: list[dict[str, Any]] = [
        admitted("visListing", who),
        {"terms": {"status": search.statuses}},
    ]
    for field_name, values in (
        ("kind", search.kinds),
        ("providerSector", search.sectors),
        ("providerId", search.providers),
        ("regions", search.regions),
    ):
        if values is not None:
            filters.append({"terms": {field_name: values}})
    must: list[dict[str, Any]] = []
    must_not: list[dict[str, Any]] = []
    should: list[dict[str, Any]] = []
    highlight_fields: list[str] = []

    if search.needs:
        filters.append({"terms": {"needsWithAncestors": search.needs}})
        should += [
            _boost({"term": {"needsWithAncestors": code}}, NEED_STEP, f"need:{code}")
            for code in search.needs
        ]
    if search.text:
        text_query, highlight_fields = _text_query(search.text, who, nori)
        must.append(text_query)
    if search.near is not None:
        near = search.near
        filters.append(_geo_within(near.lat, near.lon, near.radius_km))
        filters.append(_field_admitted("address", who))
    if search.origin is not None:
        lat, lon = search.origin
        address_visible = _field_admitted("address", who)
        should += [
            _boost(
                {"bool": {"filter": [_geo_within(lat, lon, km), address_visible]}}, DISTANCE_STEP
            )
            for km in DISTANCE_RINGS
        ]
    if search.has_capacity is not None:
        available = {"gt": 0} if search.has_capacity else {"lte": 0}
        filters.append({"range": {"capacityAvailable": available}})
        filters.append(_field_admitted("capacity", who))
    if search.person is not None:
        exclusions, fits = _person_clauses(search.person, who)
        must_not += exclusions
        should.append(_boost(fits, ELIGIBLE_STEP, "eligible"))

    query: dict[str, Any] = {"bool": {"filter": filters}}
    if must:
        query["bool"]["must"] = must
    if must_not:
        query["bool"]["must_not"] = must_not
    if should:
        query["bool"]["should"] = should
    body: dict[str, Any] = {
        "query": query,
        "size": search.size,
        "sort": [{"_score": "desc"}, {"id": "asc"}],
        "track_total_hits": True,
        "_source": False,
        "aggs": {
            "needs": {"terms": {"field": "needs", "size": 100}},
            "kinds": {"terms": {"field": "kind", "size": 20}},
            "sectors": {"terms": {"field": "providerSector", "size": 10}},
            "regions": {"terms": {"field": "regions", "size": 100}},
        },
    }
    if highlight_fields:
        body["highlight"] = {
            "fields": {
                name: {"number_of_fragments": 3, "fragment_size": 120} for name in highlight_fields
            }
        }
    if search.offset:
        body["from"] = search.offset
    return body


async def search_resources(
    client: AsyncElasticsearch,
    alias: str,
    search: ResourceSearch,
    who: Searcher,
    *,
    nori: bool = False,
) -> SearchResult:
    """Raises `SearchUnavailable` when the engine cannot answer (down, timed out, index
    missing); a request the engine rejects as malformed is a bug and propagates."""
    try:
        response = await client.search(index=alias, body=search_body(search, who, nori=nori))
    except (TransportError, OSError) as exc:
        raise SearchUnavailable(str(exc)) from exc
    except ApiError as exc:
        if exc.meta.status == 404 or exc.meta.status >= 500:
            raise SearchUnavailable(str(exc)) from exc
        raise
    hits = [
        SearchHit(
            id=hit["_id"],
            score=float(hit.get("_score") or 0.0),
            matched=frozenset(hit.get("matched_queries") or ()),
            highlights=_merge_highlights(hit.get("highlight") or {}),
        )
        for hit in response["hits"]["hits"]
    ]
    aggregations = response.body.get("aggregations") or {}
    facets = {
        name: [(str(b["key"]), int(b["doc_count"])) for b in agg.get("buckets", [])]
        for name, agg in aggregations.items()
    }
    return SearchResult(hits=hits, total=int(response["hits"]["total"]["value"]), facets=facets)


def _merge_highlights(raw: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Subfields (`name.en`, `name.nori`) report under their field, without repeats."""
    merged: dict[str, list[str]] = {}
    for key, fragments in raw.items():
        bucket = merged.setdefault(key.split(".", 1)[0], [])
        bucket += [f for f in fragments if f not in bucket]
    return merged
