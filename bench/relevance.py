"""Search relevance on the Jeju demo corpus: nDCG@10, recall@20 and MRR of `searchResources`
over the judged sets in tests/relevance/ — `dev` (queries.json, written beside the ranking
code) and the blind vignette set (vignettes.json), reported by its `tune` and `test` halves.
Only `tune` is for tuning; `test` is never looked at while tuning.

`python -m bench.relevance --engines embedded,local --korean morph,bigram,both` prints one
table per engine set with a row per set, language and query type for each Korean analysis
mode (HANARO_SEARCH_KOREAN), on the same corpus.

The corpus is loaded with the stored default audiences and searched anonymously, so that the
figures measure ranking, not visibility (hidden text cannot match, by design), and no
distance band reorders the results unless the query gives a place."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from demo.dataset import build_demo_dataset
from demo.load import demo_resource_record
from graph.access import GraphAccess
from graph.institutions import upsert_institutions
from graph.resources import upsert_resources
from resolvers.resources import DEFAULT_FIELD_AUDIENCES
from search.analysis import KOREAN_MODES
from search.query import TextAnalysis
from server.runtime import Runtime
from server.sync import rebuild_from_graph

__all__ = [
    "QUERIES",
    "VIGNETTES",
    "load_corpus",
    "mrr",
    "ndcg_at",
    "recall_at",
    "run_relevance",
    "summarise",
]

RELEVANCE = Path(__file__).resolve().parent.parent / "tests" / "relevance"
QUERIES = RELEVANCE / "queries.json"
VIGNETTES = RELEVANCE / "vignettes.json"
SEARCH = """query($input: ResourceSearchInput!) {
  searchResources(input: $input) { hits { resource { id } } } }"""
# Grade from which a resource counts as relevant for recall and MRR ("clearly useful").
RELEVANT = 2
Execute = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]


def ndcg_at(k: int, ranked: list[str], judgments: dict[str, int]) -> float:
    """Normalised discounted cumulative gain with gains 2^grade - 1."""

    def dcg(grades: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(judgments.values(), reverse=True))
    return dcg([judgments.get(rid, 0) for rid in ranked]) / ideal if ideal else 0.0


def recall_at(k: int, ranked: list[str], judgments: dict[str, int]) -> float:
    """Share of the relevant resources (grade >= RELEVANT) in the first k, out of as many as
    k can hold (a query with 40 relevant resources can still reach 1.0 at k = 20)."""
    relevant = {rid for rid, grade in judgments.items() if grade >= RELEVANT}
    if not relevant:
        relevant = set(judgments)
    found = len(relevant & set(ranked[:k]))
    return found / min(k, len(relevant))


def mrr(ranked: list[str], judgments: dict[str, int]) -> float:
    """1 / the rank of the first relevant resource (0 when none is returned)."""
    best = max(judgments.values())
    wanted = min(RELEVANT, best)
    for position, rid in enumerate(ranked, start=1):
        if judgments.get(rid, 0) >= wanted:
            return 1.0 / position
    return 0.0


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


def load_queries(path: Path) -> list[dict[str, Any]]:
    """The judged queries of a file, each with its `set`: `dev` for queries.json, else the
    half the file assigns it (`tune` or `test`), and its `type` (need-only queries, text
    with a person or a place, or plain text by language)."""
    queries = json.loads(path.read_text(encoding="utf-8"))["queries"]
    for query in queries:
        query.setdefault("split", "dev")
        query.setdefault("type", "need" if not query.get("text") else query["lang"])
    return queries


def _criteria(query: dict[str, Any], k: int) -> dict[str, Any]:
    criteria: dict[str, Any] = {"first": k}
    for key in ("text", "needs", "person", "near"):
        if query.get(key):
            criteria[key] = query[key]
    return criteria


async def run_relevance(
    execute: Execute, *, paths: tuple[Path, ...] = (QUERIES, VIGNETTES), depth: int = 20
) -> list[dict[str, Any]]:
    """Every judged query run once through `execute(query, variables)` (one anonymous
    GraphQL request returning `data`); each row: the query's set, language, type and
    nDCG@10, recall@20, MRR."""
    rows = []
    for path in paths:
        for query in load_queries(path):
            data = await execute(SEARCH, {"input": _criteria(query, depth)})
            ranked = [hit["resource"]["id"] for hit in data["searchResources"]["hits"]]
            judgments = query["judgments"]
            rows.append(
                {
                    "id": query["id"],
                    "set": query["split"],
                    "lang": query["lang"],
                    "type": query["type"],
                    "ndcg@10": ndcg_at(10, ranked, judgments),
                    "recall@20": recall_at(20, ranked, judgments),
                    "mrr": mrr(ranked, judgments),
                }
            )
    return rows


def summarise(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Means by group: each set, each set by language ("test lang:ko") and by query type
    ("test ko", "test mixed", ...), with the count of queries."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        for key in (row["set"], f"{row['set']} lang:{row['lang']}", f"{row['set']} {row['type']}"):
            groups.setdefault(key, []).append(row)
    return {
        key: {
            "queries": len(members),
            **{
                metric: statistics.fmean(r[metric] for r in members)
                for metric in ("ndcg@10", "recall@20", "mrr")
            },
        }
        for key, members in sorted(groups.items())
    }


async def _measure(engines: str, modes: list[str]) -> dict[str, Any]:
    """A fresh runtime on `engines` in a temporary data dir, the corpus, then every set
    under each Korean analysis mode (the index holds both bigrams and analysed terms)."""
    import httpx

    from server.app import create_app
    from server.engines import open_backends
    from server.runtime import running
    from server.settings import Settings

    with tempfile.TemporaryDirectory(prefix="hanaro-relevance-") as data_dir:
        settings = replace(
            Settings.from_env(dict(os.environ)),
            data_dir=Path(data_dir),
            engines=engines,
            neo4j_uri=None,
            elasticsearch_url=None,
            rate_limit_anonymous_per_minute=0,  # every query of the sets is anonymous
        )
        backends = await open_backends(settings)
        try:
            async with running(backends) as runtime:
                print(f"{engines}: loading the demo corpus", flush=True)
                await load_corpus(runtime)
                transport = httpx.ASGITransport(app=create_app(runtime))
                async with httpx.AsyncClient(transport=transport, base_url="http://r") as client:

                    async def execute(query: str, variables: dict[str, Any]) -> dict[str, Any]:
                        body = (
                            await client.post(
                                "/graphql", json={"query": query, "variables": variables}
                            )
                        ).json()
                        if body.get("errors"):
                            raise RuntimeError(f"relevance query failed: {body['errors'][0]}")
                        return body["data"]

                    results = {}
                    base = runtime.services.search_text
                    for mode in modes:
                        print(f"{engines}: Korean analysis {mode}", flush=True)
                        runtime.services.search_text = TextAnalysis(mode, base.nori)
                        results[mode] = summarise(await run_relevance(execute))
                    runtime.services.search_text = base
                    return results
        finally:
            await backends.close()


def _print_table(engines: str, results: dict[str, dict[str, dict[str, float]]]) -> None:
    modes = list(results)
    print(f"\n== {engines}: nDCG@10 / recall@20 / MRR by Korean analysis mode")
    print(f"{'group':<16}{'n':>4}  " + "  ".join(f"{m:<20}" for m in modes))
    for group, first in next(iter(results.values())).items():
        cells = "  ".join(
            "{ndcg@10:.3f} / {recall@20:.3f} / {mrr:.3f}".format(**results[m][group]).ljust(20)
            for m in modes
        )
        print(f"{group:<16}{first['queries']:>4}  {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.relevance", description=__doc__)
    parser.add_argument("--engines", default="embedded", help="embedded, local or both")
    parser.add_argument("--korean", default=",".join(KOREAN_MODES), help="modes to compare")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    modes = [m for m in args.korean.split(",") if m]
    if not set(modes) <= set(KOREAN_MODES):
        parser.error(f"--korean takes {', '.join(KOREAN_MODES)}")
    report = {}
    for engines in args.engines.split(","):
        report[engines] = asyncio.run(_measure(engines, modes))
        _print_table(engines, report[engines])
    if args.out:
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
