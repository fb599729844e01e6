"""Resource names for suggestions as you type: the ids of active resources whose name matches
a prefix (`vocabulary.suggestions`), best first, among those the viewer's listing admits.

The documents carry the name as plain keywords made in Python (`search.documents.name_keys`):
the whole name lower-cased, and the rest of it from each word start on. A word-start match is
then a keyword prefix (or, for a trailing initial consonant, a keyword range) query, which
osmem and OpenSearch answer alike, with no analyser of either engine involved; a whole-name
match scores 1, any other 0, and ties go to the shorter name."""

from __future__ import annotations

from typing import Any

from elasticsearch import AsyncElasticsearch

from search.audiences import Searcher, withheld
from search.engine import run_search
from vocabulary.suggestions import Prefix

__all__ = ["suggest_body", "suggested_resources"]


def _matching(field: str, prefix: Prefix) -> dict[str, Any]:
    """Keywords of `field` that begin with the prefix."""
    if prefix.literal:
        return {"prefix": {field: {"value": prefix.text}}}
    return {"range": {field: {"gte": prefix.head + prefix.low, "lt": prefix.head + prefix.high}}}


def suggest_body(prefix: Prefix, who: Searcher, size: int) -> dict[str, Any]:
    """Active resources listed to `who` with a word of the name matching, whole-name matches
    first, then shorter names; no count (`track_total_hits`), no source: ids only."""
    return {
        "query": {
            "bool": {
                "filter": [{"term": {"status": "ACTIVE"}}, _matching("nameStarts", prefix)],
                "must_not": [withheld("listing", who)],
                "should": [{"constant_score": {"filter": _matching("nameKey", prefix)}}],
            }
        },
        "sort": [{"_score": "desc"}, {"nameLength": "asc"}, {"nameKey": "asc"}, {"id": "asc"}],
        "size": size,
        "track_total_hits": False,
        "_source": False,
    }


async def suggested_resources(
    client: AsyncElasticsearch, alias: str, prefix: Prefix, who: Searcher, size: int
) -> list[str]:
    """The ids of up to `size` matching resources, best first. Raises `SearchUnavailable`
    when the engine cannot answer."""
    response = await run_search(client, alias, suggest_body(prefix, who, size))
    return [hit["_id"] for hit in response["hits"]["hits"]]
