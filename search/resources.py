"""Running a resource search on the engine: the request body (`search.query`) sent to the
alias, and the hits, total and facets it answers, or `SearchUnavailable`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from elasticsearch import AsyncElasticsearch

from search.audiences import Searcher
from search.engine import run_search
from search.query import DEFAULT_ANALYSIS, FACETS, ResourceSearch, TextAnalysis, search_body

__all__ = ["SearchHit", "SearchResult", "search_resources"]


@dataclass
class SearchHit:
    id: str
    score: float
    matched: frozenset[str]  # names of the query parts this hit matched ("text:name", ...)
    highlights: dict[str, list[str]]
    facet_values: dict[str, tuple[str, ...]]  # facet name -> the values this hit counts in


@dataclass
class SearchResult:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[tuple[str, int]]]


async def search_resources(
    client: AsyncElasticsearch,
    alias: str,
    search: ResourceSearch,
    who: Searcher,
    analysis: TextAnalysis = DEFAULT_ANALYSIS,
) -> SearchResult:
    """Raises `SearchUnavailable` when the engine cannot answer (`search.engine.run_search`)."""
    response = await run_search(client, alias, search_body(search, who, analysis))
    hits = [
        SearchHit(
            id=hit["_id"],
            score=float(hit.get("_score") or 0.0),
            matched=frozenset(hit.get("matched_queries") or ()),
            highlights=_merge_highlights(hit.get("highlight") or {}),
            facet_values=_facet_values(hit.get("_source") or {}),
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
    """Subfields (`name.en`, `name.uni`) report under their field, without repeats."""
    merged: dict[str, list[str]] = {}
    for key, fragments in raw.items():
        bucket = merged.setdefault(key.split(".", 1)[0], [])
        bucket += [f for f in fragments if f not in bucket]
    return merged


def _facet_values(source: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    """The facet buckets a hit's document counts in (a field is a value or a list)."""
    values: dict[str, tuple[str, ...]] = {}
    for name, field_name in FACETS.items():
        value = source.get(field_name)
        if isinstance(value, list):
            values[name] = tuple(str(v) for v in value)
        elif value is not None:
            values[name] = (str(value),)
    return values
