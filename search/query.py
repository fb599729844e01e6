"""The search request: what is asked (`ResourceSearch`, `Person`, `Near`) and the query body
that filters behind the viewer's audiences, ranks in bands, highlights and counts facets."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from search.analysis import analyse
from search.audiences import Searcher, withheld
from search.mapping import TEXT_FIELDS
from search.thesaurus import Expansion

# Facet name -> the indexed field it counts, and how many buckets it returns.
FACETS = {"needs": "needs", "kinds": "kind", "sectors": "providerSector", "regions": "regions"}
FACET_SIZES = {"needs": 100, "kinds": 20, "sectors": 10, "regions": 100}

__all__ = [
    "DEFAULT_ANALYSIS",
    "DISTANCE_RINGS",
    "DISTANCE_STEP",
    "ELIGIBLE_STEP",
    "FACETS",
    "MAX_TEXT_LENGTH",
    "NEED_STEP",
    "Near",
    "Person",
    "ResourceSearch",
    "TextAnalysis",
    "query_terms",
    "required_count",
    "search_body",
]

# Ranking is lexicographic: requested needs covered, then eligibility fit, then distance, then
# text relevance (with words, fit and distance are bonuses inside the text band, below).
# Elasticsearch sorts on one score, so each criterion adds a constant in its own band: a need
# is worth more than any eligibility, distance and text score together, and so on down.
# Text (BM25) stays far below DISTANCE_STEP for queries of MAX_TEXT_LENGTH.
NEED_STEP = 40_000.0
ELIGIBLE_STEP = 20_000.0
DISTANCE_STEP = 1_000.0
# With words to match, closeness is a bonus inside the text band instead of a band above it:
# a resource that is what the words ask for ranks above a nearer one that only shares a word.
DISTANCE_TEXT_STEP = 1.0
# Likewise the person's known fit to the rules, worth one ring: on the tuning half, mixed
# queries 0.787 -> 0.848 nDCG@10 (docs/benchmarks.md); 1 to 10 measured alike.
ELIGIBLE_TEXT_STEP = 1.0
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
# Share of a query's analysed Korean terms (`search.analysis`) a field must hold.
MORPH_SHARE = 0.3
ENGLISH_SHARE = 0.0
WORD_BOOST = 1.0
FIELD_BOOST = {"name": 1.0, "description": 1.0, "eligibilityNotes": 0.5, "needTerms": 3.0}
# Inside the need band (text-sized bonuses): the asked need is the resource's first (main)
# need; the resource lists at most one or two needs.
PRIMARY_NEED_BONUS = 1.0
FOCUS_BONUS = 0.5
# A thesaurus meaning counts for less than the query's own words.
EXPANSION_BOOST = 0.35
# Typo tolerance: Korean terms of at least this many syllables may differ by one syllable,
# English words follow `ENGLISH_FUZZINESS` (none below 5 letters, one edit from 5); the first
# letter must match. Shorter words match exactly, so a two-syllable query counts only what
# holds that word ("우울" does not also count 우유, 우산). Typo tolerance was a third of an
# English query's engine time at 100,000 resources (42 against 29 ms p50 without it;
# docs/benchmarks.md, issue 22); one edit, not two for long words ("AUTO:5,8"), keeps the
# typos the tests name and expands each word to fewer terms (the cap's own share was not
# measured apart).
FUZZY_MIN_SYLLABLES = 3
ENGLISH_FUZZINESS = "AUTO:5,100"
FUZZY_BOOST = 0.3
# One-syllable Korean terms are often parts of other words; they count for less.
SHORT_TERM_BOOST = 0.3
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
# Text fields and the controlled field whose audience governs them (None: the listing).
_TEXT_GOVERNED_BY = {
    "name": None,
    "description": "description",
    "eligibilityNotes": "eligibility",
    "needTerms": None,
}


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


@dataclass(frozen=True)
class TextAnalysis:
    """How query text meets the index: `korean` one of `search.analysis.KOREAN_MODES`;
    `nori` adds the `.nori` subfields where the cluster has `analysis-nori`."""

    korean: str = "both"
    nori: bool = False


DEFAULT_ANALYSIS = TextAnalysis()


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
    facets: frozenset[str] = frozenset(FACETS)  # the facets to count (names of FACETS)
    # What the thesaurus adds to `text`; hits report each one that matched as
    # "via:<field>:<position>".
    expansions: list[Expansion] = field(default_factory=list)


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


def _fuzzy_term(field_name: str, term: str) -> dict[str, Any]:
    """The term, or (long Korean terms) the term with one syllable wrong, scored lower."""
    exact: dict[str, Any] = {"term": {field_name: term}}
    if len(term) == 1:  # one syllable: 비 (rain) is also the 비 of 교육비
        exact = {"term": {field_name: {"value": term, "boost": SHORT_TERM_BOOST}}}
    if len(term) < FUZZY_MIN_SYLLABLES or not _HANGUL.search(term):
        return exact
    fuzzy = {
        "fuzzy": {
            field_name: {"value": term, "fuzziness": 1, "prefix_length": 1, "boost": FUZZY_BOOST}
        }
    }
    return {"bool": {"should": [exact, fuzzy], "minimum_should_match": 1}}


def _korean(name: str, text: str, analysis: TextAnalysis) -> list[dict[str, Any]]:
    """Ways the field may match the Korean of `text`: enough of its bigrams and one-syllable
    words, and/or enough of its analysed terms (`analysis.korean`)."""
    bigrams, syllables, _ = query_terms(text)
    ways: list[dict[str, Any]] = []
    if analysis.korean in ("bigram", "both") and (bigrams or syllables):
        grams = [{"term": {name: gram}} for gram in bigrams]
        grams += [
            {"term": {f"{name}.uni": {"value": s, "boost": SHORT_TERM_BOOST}}} for s in syllables
        ]
        needed = required_count(len(grams), KOREAN_SHARE)
        ways.append({"bool": {"should": grams, "minimum_should_match": needed}})
    terms = analyse(text)
    if analysis.korean in ("morph", "both") and terms:
        morph = [_fuzzy_term(f"morph.{name}", term) for term in terms]
        needed = required_count(len(morph), MORPH_SHARE)
        ways.append({"bool": {"should": morph, "minimum_should_match": needed}})
    if analysis.nori and (bigrams or syllables):
        ways.append({"match": {f"{name}.nori": {"query": text}}})
    return ways


def _meaning(name: str, meaning: str, analysis: TextAnalysis) -> dict[str, Any] | None:
    """A thesaurus meaning in the field: all of its words (it names one thing)."""
    bigrams, syllables, english = query_terms(meaning)
    terms = analyse(meaning)
    if terms and analysis.korean != "bigram":
        return {"bool": {"must": [{"term": {f"morph.{name}": t}} for t in terms]}}
    if bigrams or syllables:
        grams = [{"term": {name: g}} for g in bigrams]
        grams += [{"term": {f"{name}.uni": s}} for s in syllables]
        return {"bool": {"must": grams}}
    if english:
        return {"match": {f"{name}.en": {"query": " ".join(english), "operator": "and"}}}
    return None


def _highlights(text: str, expansions: list[Expansion]) -> dict[str, dict[str, Any]]:
    """Highlight requests for the shown text fields: the query's and the meanings' bigrams,
    syllables and English words, whichever way the field matched (a field matched through
    `morph.*` is highlighted on its own text)."""
    words = " ".join([text, *(e.means for e in expansions)])
    bigrams, syllables, english = query_terms(words)
    options = {"number_of_fragments": 3, "fragment_size": 120}
    fields: dict[str, dict[str, Any]] = {}
    for name in TEXT_FIELDS:
        parts = {
            name: [{"term": {name: g}} for g in bigrams],
            f"{name}.uni": [{"term": {f"{name}.uni": s}} for s in syllables],
            f"{name}.en": (
                [{"match": {f"{name}.en": {"query": " ".join(english)}}}] if english else []
            ),
        }
        for field_name, should in parts.items():
            if should:
                fields[field_name] = {**options, "highlight_query": {"bool": {"should": should}}}
    return fields


def _text_query(
    search: ResourceSearch, who: Searcher, analysis: TextAnalysis
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """One clause per text field, each allowed to match only where the viewer may see that
    field; terms are matched as plain words (no query syntax).

    A field matches on its Korean (`_korean`), on enough of the query's English words
    (stemmed, with typo tolerance), or on a thesaurus meaning (named "via:<field>:<i>" so
    the hit can say which); exact whole words add to the score."""
    text = search.text or ""
    _, _, english = query_terms(text)
    english_needed = required_count(len(english), ENGLISH_SHARE)
    clauses: list[dict[str, Any]] = []
    for name, governed_by in _TEXT_GOVERNED_BY.items():
        # Need terms are keyword lists: any one of them is a match.
        keywords = name == "needTerms"
        required = _korean(name, text, analysis)
        if english:
            required.append(
                {
                    "match": {
                        f"{name}.en": {
                            "query": " ".join(english),
                            "minimum_should_match": 1 if keywords else english_needed,
                            "fuzziness": ENGLISH_FUZZINESS,
                            "prefix_length": 1,
                        }
                    }
                }
            )
        for position, expansion in enumerate(search.expansions):
            meaning = _meaning(name, expansion.means, analysis)
            if meaning is not None:
                named = {"_name": f"via:{name}:{position}", "boost": EXPANSION_BOOST}
                required.append({"bool": {"must": [meaning], **named}})
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
    if not clauses:  # punctuation only: nothing can match
        return {"bool": {"must_not": [{"match_all": {}}]}}, {}
    return {"bool": {"should": clauses, "minimum_should_match": 1}}, _highlights(
        text, search.expansions
    )


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


def search_body(
    search: ResourceSearch, who: Searcher, analysis: TextAnalysis = DEFAULT_ANALYSIS
) -> dict[str, Any]:
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
    highlight_fields: dict[str, dict[str, Any]] = {}

    if search.needs:
        filters.append({"terms": {"needsWithAncestors": search.needs}})
        should += [
            _boost({"term": {"needsWithAncestors": code}}, NEED_STEP, f"need:{code}")
            for code in search.needs
        ]
        # Within the band: a resource mainly for an asked need, and a focused one (few
        # needs), before one that lists it among many.
        if PRIMARY_NEED_BONUS:
            should.append(_boost({"terms": {"primaryNeeds": search.needs}}, PRIMARY_NEED_BONUS))
        should += [
            _boost({"range": {"needCount": {"lte": count}}}, FOCUS_BONUS)
            for count in (1, 2)
            if FOCUS_BONUS
        ]
    if search.text:
        text_query, highlight_fields = _text_query(search, who, analysis)
        must.append(text_query)
    if search.near is not None:
        near = search.near
        filters.append(_geo_within(near.lat, near.lon, near.radius_km))
        must_not.append(withheld("address", who))
    if search.origin is not None:
        lat, lon = search.origin
        # The address audience is checked once around the rings, not once per ring.
        step = DISTANCE_TEXT_STEP if search.text else DISTANCE_STEP
        rings = [_boost(_geo_within(lat, lon, km), step) for km in DISTANCE_RINGS]
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
        step = ELIGIBLE_TEXT_STEP if search.text else ELIGIBLE_STEP
        should.append(_boost(fits, step, "eligible"))

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
    }
    counted = {name: field_name for name, field_name in FACETS.items() if name in search.facets}
    if counted:
        # The facet fields come back with each hit: one the graph re-check drops is taken
        # out of the counts.
        body["_source"] = sorted(counted.values())
        body["aggs"] = {
            name: {"terms": {"field": field_name, "size": FACET_SIZES[name]}}
            for name, field_name in counted.items()
        }
    if highlight_fields:
        body["highlight"] = {"fields": highlight_fields}
    if search.offset:
        body["from"] = search.offset
    return body
