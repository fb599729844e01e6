"""The resource index: mapping and analysers, documents, bulk apply, and rebuild-and-swap.

Korean text is analysed with a 2-gram `ngram` tokenizer so that "도시락배달" matches
"도시락 배달" (on osmem the `cjk` analyser did not, see DESIGN.md); with
`HANARO_SEARCH_NORI` a `nori` subfield is added where the cluster has `analysis-nori`."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from elastic_transport import ConnectionTimeout, TransportError
from elasticsearch import ApiError, AsyncElasticsearch

from search.engine import SearchTimeout, SearchUnavailable
from vocabulary.access import Audience

__all__ = [
    "CONTROLLED_FIELDS",
    "DOCUMENT_FORMAT",
    "Near",
    "Person",
    "ResourceSearch",
    "SearchHit",
    "SearchResult",
    "Searcher",
    "Vocabulary",
    "audience_tokens",
    "index_body",
    "principals",
    "resource_document",
    "search_body",
    "search_resources",
    "with_ancestors",
    "withheld",
    "withheld_from",
]

_TEXT_FIELDS = ("name", "description", "eligibilityNotes")
# The fields whose audience the registrant sets; each has its principal tokens under `see` so
# that the search can apply the same audience rules as the graph.
CONTROLLED_FIELDS = (
    "description",
    "contact",
    "address",
    "capacity",
    "schedule",
    "eligibility",
    "internalNotes",
)
# The shape of the documents, kept in the mapping's `_meta` so that `search.index.ensure_index`
# can tell an index written by an older version: the audience checks exclude what
# `withheldFrom` names, so a document without it would be withheld from no one.
DOCUMENT_FORMAT = 2
# What has an audience: the listing and every controlled field.
_AUDIENCE_NAMES = ("listing", *CONTROLLED_FIELDS)
# Principals every viewer of a kind holds (anonymous, staff), narrowest kind last; the other
# principals (`inst:`, `region:`) name one institution or region.
_GENERIC = ("public", "staff")


@dataclass(frozen=True)
class Vocabulary:
    """What documents take from the taxonomies: parents (to index every ancestor code) and
    the words of each need (so "병원비" finds a resource for 의료비)."""

    need_parents: Mapping[str, str | None]
    region_parents: Mapping[str, str | None]
    need_terms: Mapping[str, list[str]] = field(default_factory=dict)


def index_body(*, nori: bool = False) -> dict[str, Any]:
    def text_field() -> dict[str, Any]:
        fields: dict[str, Any] = {
            "en": {"type": "text", "analyzer": "english"},
            # Whole words (어절) score exact-word matches above bigram overlaps.
            "word": {"type": "text", "analyzer": "standard"},
            # Syllables, queried only for one-syllable words (빚, 집, 약) that have no bigram.
            "uni": {"type": "text", "analyzer": "hanaro_unigram"},
        }
        if nori:
            fields["nori"] = {"type": "text", "analyzer": "nori"}
        return {"type": "text", "analyzer": "hanaro_bigram", "fields": fields}

    properties: dict[str, Any] = {name: text_field() for name in (*_TEXT_FIELDS, "needTerms")}
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
            # Who may see the listing and each controlled field, as principal tokens (see
            # `principals`), and which kinds of viewer that audience leaves out as such (see
            # `withheld_from`): the search excludes the few documents withheld from a viewer
            # instead of filtering for the many it may see.
            "seeListing": {"type": "keyword"},
            "see": {
                "type": "object",
                "properties": {name: {"type": "keyword"} for name in CONTROLLED_FIELDS},
            },
            "withheldFrom": {
                "type": "object",
                "properties": {name: {"type": "keyword"} for name in _AUDIENCE_NAMES},
            },
            "version": {"type": "long"},
            "updatedAt": {"type": "keyword"},
        }
    )
    return {
        "settings": {
            "analysis": {
                "tokenizer": {
                    name: {
                        "type": "ngram",
                        "min_gram": size,
                        "max_gram": size,
                        "token_chars": ["letter", "digit"],
                    }
                    for name, size in (("hanaro_bigram", 2), ("hanaro_unigram", 1))
                },
                "analyzer": {
                    name: {"type": "custom", "tokenizer": name, "filter": ["lowercase"]}
                    for name in ("hanaro_bigram", "hanaro_unigram")
                },
            }
        },
        "mappings": {"_meta": {"documentFormat": DOCUMENT_FORMAT}, "properties": properties},
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


def resource_document(record: Mapping[str, Any], vocabulary: Vocabulary) -> dict[str, Any]:
    """Everything the search needs, including the visibility settings it must apply."""
    eligibility = record.get("eligibility") or {}
    address = record.get("address") or {}
    capacity = record.get("capacity") or {}
    location = None
    if address.get("lat") is not None and address.get("lon") is not None:
        location = {"lat": address["lat"], "lon": address["lon"]}
    visibility = record["visibility"]
    see = {
        name: audience_tokens(
            audience, record["providerId"], record["regions"], visibility["partners"]
        )
        for name, audience in visibility["fields"].items()
    }
    see_listing = audience_tokens(
        visibility["listing"], record["providerId"], record["regions"], visibility["partners"]
    )
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
        "needsWithAncestors": with_ancestors(record["needs"], vocabulary.need_parents),
        "needTerms": " ".join(
            term for code in record["needs"] for term in vocabulary.need_terms.get(code, [])
        ),
        "regions": record["regions"],
        "regionsWithAncestors": with_ancestors(record["regions"], vocabulary.region_parents),
        "minAge": eligibility.get("minAge"),
        "maxAge": eligibility.get("maxAge"),
        "maxIncomePercent": eligibility.get("maxIncomePercent"),
        "householdTypes": eligibility.get("householdTypes") or [],
        "disabilityRequired": bool(eligibility.get("disabilityRequired")),
        "capacityAvailable": capacity.get("available"),
        "location": location,
        "seeListing": see_listing,
        "see": see,
        "withheldFrom": {
            name: withheld_from(see_listing if name == "listing" else see.get(name, []))
            for name in _AUDIENCE_NAMES
        },
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
# Runs of letters and digits: what the n-gram tokenizers (token_chars letter, digit) split on.
_RUN = re.compile(r"[^\W_]+")
# Elasticsearch's `_english_` stop words, which the `english` analyser drops.
_ENGLISH_STOP = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with".split()
)
# Text tuning, checked by the judged query set (tests/relevance, bench/relevance.py).
# Share of a query's terms a field must hold. Korean: any bigram; the ranking (BM25 over the
# bigrams, exact words on top) sorts weak matches last. Requiring more (50-60%) dropped nDCG@10
# from 0.87 to 0.80, because spaceless compounds make bigrams no document has.
KOREAN_SHARE = 0.0
ENGLISH_SHARE = 0.34
WORD_BOOST = 1.0
FIELD_BOOST = {"name": 1.0, "description": 1.0, "eligibilityNotes": 0.5, "needTerms": 1.5}
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
# Text fields and the controlled field whose audience governs them (None: the listing).
_TEXT_GOVERNED_BY = {
    "name": None,
    "description": "description",
    "eligibilityNotes": "eligibility",
    "needTerms": None,
}


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


def audience_tokens(
    audience: str, provider: str, served: list[str], partners: list[str]
) -> list[str]:
    """The principals an audience admits for one resource: everyone (`public`), any staff
    (`staff`), staff of a region it serves (`region:<code>`), partners and the owner
    (`inst:<id>`). Wider audiences admit every narrower relation, as in the graph."""
    owner = [f"inst:{provider}"]
    allowed = [f"inst:{p}" for p in partners]
    if audience == Audience.PUBLIC:
        return ["public"]
    if audience == Audience.AUTHENTICATED:
        return ["staff"]
    if audience == Audience.REGION:
        return [f"region:{code}" for code in served] + allowed + owner
    if audience == Audience.PARTNERS:
        return allowed + owner
    return owner


def principals(who: Searcher) -> list[str]:
    """The tokens a viewer holds: its institution and every region it lies in."""
    if not who.staff:
        return ["public"]
    held = ["public", "staff"]
    if who.institution_id:
        held.append(f"inst:{who.institution_id}")
    return held + [f"region:{code}" for code in who.region_codes]


def withheld_from(tokens: list[str]) -> list[str]:
    """The kinds of viewer an audience leaves out unless one of their own principals is in
    `tokens`: `public` (anonymous viewers) and `staff` (staff as such). Indexed beside the
    tokens, it lets a search exclude the documents a viewer may not see, which on every
    audience but PUBLIC and AUTHENTICATED are few, instead of filtering for the many it may."""
    held = set(tokens)
    return [kind for i, kind in enumerate(_GENERIC) if held.isdisjoint(_GENERIC[: i + 1])]


def withheld(name: str, who: Searcher) -> dict[str, Any]:
    """Documents whose audience for `name` (`listing` or a controlled field) does not admit
    `who`, for `must_not`: the index-side twin of the graph's audience conditions
    (`graph.access`). A document is admitted when its tokens hold one of `principals(who)`:
    a generic one (exactly when `withheldFrom` does not name the viewer's kind) or one of its
    own."""
    column = "seeListing" if name == "listing" else f"see.{name}"
    kind = "staff" if who.staff else "public"
    closed: dict[str, Any] = {"term": {f"withheldFrom.{name}": kind}}
    own = [p for p in principals(who) if p not in _GENERIC]
    if not own:
        return closed
    return {"bool": {"filter": [closed], "must_not": [{"terms": {column: own}}]}}


def query_terms(text: str) -> tuple[list[str], list[str], list[str]]:
    """The query as the index's analysers see it: Korean bigrams, one-syllable Korean words
    (no bigram), and English words without stop words.

    The bigram and syllable terms are queried one by one with a count of how many must match,
    computed here: `minimum_should_match` percentages on an n-gram `match` behave differently
    on Elasticsearch (counts grams) and on the embedded engine (counts words)."""
    bigrams: dict[str, None] = {}
    syllables: dict[str, None] = {}
    english: dict[str, None] = {}
    for run in _RUN.findall(text.lower()):
        if _HANGUL.search(run):
            if len(run) == 1:
                syllables[run] = None
            bigrams.update(dict.fromkeys(run[i : i + 2] for i in range(len(run) - 1)))
        elif run not in _ENGLISH_STOP:
            english[run] = None
    return list(bigrams), list(syllables), list(english)


def required_count(terms: int, share: float) -> int:
    """How many of a query's `terms` a field must hold."""
    return min(terms, max(1, math.ceil(terms * share)))


def _text_query(text: str, who: Searcher, nori: bool) -> tuple[dict[str, Any], list[str]]:
    """One clause per text field, each allowed to match only where the viewer may see that
    field; terms are matched as plain words (no query syntax).

    A field matches on enough of the query's Korean bigrams and one-syllable words (so
    spaces and particles do not matter) or of its English words (stemmed); exact whole words
    add to the score."""
    bigrams, syllables, english = query_terms(text)
    korean_needed = required_count(len(bigrams) + len(syllables), KOREAN_SHARE)
    english_needed = required_count(len(english), ENGLISH_SHARE)
    clauses: list[dict[str, Any]] = []
    highlight: list[str] = []
    for name, governed_by in _TEXT_GOVERNED_BY.items():
        # Need terms are keyword lists: any one of them is a match.
        keywords = name == "needTerms"
        required: list[dict[str, Any]] = []
        if bigrams or syllables:
            korean = [{"term": {name: gram}} for gram in bigrams]
            korean += [{"term": {f"{name}.uni": s}} for s in syllables]
            required.append({"bool": {"should": korean, "minimum_should_match": korean_needed}})
            if nori:
                required.append({"match": {f"{name}.nori": {"query": text}}})
        if english:
            required.append(
                {
                    "match": {
                        f"{name}.en": {
                            "query": " ".join(english),
                            "minimum_should_match": 1 if keywords else english_needed,
                        }
                    }
                }
            )
        if not required:
            continue
        part: dict[str, Any] = {
            "must": [{"bool": {"should": required, "minimum_should_match": 1}}],
            "should": [{"match": {f"{name}.word": {"query": text, "boost": WORD_BOOST}}}],
            "boost": FIELD_BOOST[name],
        }
        if governed_by is not None:
            part["must_not"] = [withheld(governed_by, who)]
        clauses.append({"bool": {**part, "_name": f"text:{name}"}})
        if name in _TEXT_FIELDS:
            highlight += [name, f"{name}.en", f"{name}.uni"]
    if not clauses:  # punctuation only: nothing can match
        return {"bool": {"must_not": [{"match_all": {}}]}}, []
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
    hidden = withheld("eligibility", who)
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
    exclusions = (
        [{"bool": {"should": ruled_out, "minimum_should_match": 1, "must_not": [hidden]}}]
        if ruled_out
        else []
    )
    # Only negative clauses: the query DSL makes that "every document but" (match_all).
    fits = {"bool": {"must_not": [*unknown_rules, hidden]}}
    return exclusions, fits


def search_body(search: ResourceSearch, who: Searcher, *, nori: bool = False) -> dict[str, Any]:
    """The whole search request: filters (all behind the viewer's audiences), the ranking
    bands, highlights and facets."""
    filters: list[dict[str, Any]] = [{"terms": {"status": search.statuses}}]
    for field_name, values in (
        ("kind", search.kinds),
        ("providerSector", search.sectors),
        ("providerId", search.providers),
        ("regions", search.regions),
    ):
        if values is not None:
            filters.append({"terms": {field_name: values}})
    must: list[dict[str, Any]] = []
    must_not: list[dict[str, Any]] = [withheld("listing", who)]
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
        must_not.append(withheld("address", who))
    if search.origin is not None:
        lat, lon = search.origin
        # The address audience is checked once around the rings, not once per ring.
        rings = [_boost(_geo_within(lat, lon, km), DISTANCE_STEP) for km in DISTANCE_RINGS]
        should.append(
            {
                "bool": {
                    "should": rings,
                    "minimum_should_match": 1,
                    "must_not": [withheld("address", who)],
                }
            }
        )
    if search.has_capacity is not None:
        available = {"gt": 0} if search.has_capacity else {"lte": 0}
        filters.append({"range": {"capacityAvailable": available}})
        must_not.append(withheld("capacity", who))
    if search.person is not None:
        exclusions, fits = _person_clauses(search.person, who)
        must_not += exclusions
        should.append(_boost(fits, ELIGIBLE_STEP, "eligible"))

    query: dict[str, Any] = {"bool": {"filter": filters, "must_not": must_not}}
    if must:
        query["bool"]["must"] = must
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
    except ConnectionTimeout as exc:
        raise SearchTimeout(str(exc)) from exc
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
