"""Search relevance: nDCG@10 of `searchResources` over the judged query set in
tests/relevance/queries.json, on the Jeju demo corpus.

The corpus is loaded with the stored default audiences and searched anonymously, so that the
figure measures ranking, not visibility (hidden text cannot match, by design), and no distance
band reorders the results."""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from demo.dataset import build_demo_dataset
from demo.load import demo_resource_record
from graph.access import GraphAccess
from graph.institutions import upsert_institutions
from graph.resources import upsert_resources
from resolvers.resources import DEFAULT_FIELD_AUDIENCES
from server.runtime import Runtime
from server.sync import rebuild_from_graph

__all__ = ["QUERIES", "load_corpus", "ndcg_at", "run_relevance"]

QUERIES = Path(__file__).resolve().parent.parent / "tests" / "relevance" / "queries.json"
SEARCH = """query($input: ResourceSearchInput!) {
  searchResources(input: $input) { hits { resource { id } } } }"""


def ndcg_at(k: int, ranked: list[str], judgments: dict[str, int]) -> float:
    """Normalised discounted cumulative gain with gains 2^grade - 1."""

    def dcg(grades: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(judgments.values(), reverse=True))
    return dcg([judgments.get(rid, 0) for rid in ranked]) / ideal if ideal else 0.0


async def load_corpus(runtime: Runtime) -> int:
    """The demo institutions and resources, every setting at its default, then a fresh index."""
    graph = runtime.backends.graph
    data = build_demo_dataset()
    await upsert_institutions(graph, data.institutions, "2026-01-01T00:00:00Z")
    records = []
    for i, row in enumerate(data.resources):
        record = demo_resource_record(row, i, "2026-01-01T00:00:00Z")
        record["visibility"] = {
            "listing": "PUBLIC",
            "fields": dict(DEFAULT_FIELD_AUDIENCES),
            "partners": [],
        }
        records.append(record)
    for start in range(0, len(records), 500):
        batch = records[start : start + 500]
        await upsert_resources(graph, batch, GraphAccess.system(actor="bench", now_ms=0))
    await graph.run("MATCH (o:OutboxMarker) SET o.pendingSince = null", write=True)
    await rebuild_from_graph(runtime.sync, nori=runtime.settings.search_nori)
    return len(records)


async def run_relevance(
    execute: Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]],
    *,
    k: int = 10,
    path: Path = QUERIES,
) -> dict[str, Any]:
    """`execute(query, variables)` runs one anonymous GraphQL request and returns `data`."""
    queries = json.loads(path.read_text())["queries"]
    per_query: dict[str, float] = {}
    for query in queries:
        criteria: dict[str, Any] = {"first": k}
        if query.get("text"):
            criteria["text"] = query["text"]
        if query.get("needs"):
            criteria["needs"] = query["needs"]
        data = await execute(SEARCH, {"input": criteria})
        ranked = [hit["resource"]["id"] for hit in data["searchResources"]["hits"]]
        per_query[query["id"]] = ndcg_at(k, ranked, query["judgments"])
    by_lang: dict[str, list[float]] = {}
    for query in queries:
        by_lang.setdefault(query["lang"], []).append(per_query[query["id"]])
    return {
        "queries": len(queries),
        f"ndcg@{k}": statistics.fmean(per_query.values()),
        **{f"ndcg@{k}_{lang}": statistics.fmean(v) for lang, v in sorted(by_lang.items())},
        "worst": sorted(per_query.items(), key=lambda item: item[1])[:5],
        "per_query": per_query,
    }
