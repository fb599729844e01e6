"""The benchmark code runs at tiny scale in the suite so it cannot rot (timings are not
asserted here; `make bench` reports them)."""

from __future__ import annotations

import json
import math

from bench.search import QUERIES, engine_search, run_search, without_audiences
from bench.visibility import run_visibility
from search.resources import Searcher, search_body
from server.demo_data import build_demo_dataset


async def test_visibility_benchmark_runs(runtime):
    lines: list[str] = []
    results = await run_visibility(runtime, repeat=3, copies=1, progress=lines.append)
    assert results["resources"] == 2 * len(build_demo_dataset().resources)
    for key in ("cypher_with_listing", "cypher_without", "graphql_resources_50"):
        assert results[key]["n"] == 3 and results[key]["p50_ms"] > 0
    assert "enforcement_overhead_p50_percent" in results
    assert any("loaded" in line for line in lines)


def test_without_audiences_removes_every_audience_clause():
    who = Searcher(staff=True, institution_id="ins_bench", region_codes=("50110", "50"))
    for variants in QUERIES.values():
        for criteria in variants:
            body = search_body(engine_search(criteria, (33.39, 126.28)), who)
            assert "seeListing" in json.dumps(body)
            stripped = json.dumps(without_audiences(body, who))
            for column in ('"seeListing"', '"see.', "ins_bench"):
                assert column not in stripped


async def test_search_benchmark_runs(runtime):
    """More resources than the demo set, so that the varied copies are loaded too."""
    lines: list[str] = []
    count, rounds = 700, 2
    results = await run_search(runtime, count=count, repeat=rounds, progress=lines.append)
    assert results["resources"] == results["indexed"] == results["index_docs"] == count
    assert results["graph_load_per_s"] > 0 and results["index_per_s"] > 0
    assert results["engine_body_is_product_body"] and results["audience_clauses_removed"]
    assert all(total > 0 for total in results["total_counts"].values())
    assert results["graphql_unavailable"] == dict.fromkeys(QUERIES, 0)
    timed = [f"graphql_{kind}" for kind in QUERIES]
    timed += ["engine_with_visibility", "engine_without_visibility", "engine_floor"]
    for key in [*timed, "graphql_all"]:
        value = results[key]
        assert 0 < value["p50_ms"] <= value["p95_ms"] <= value["p99_ms"], key
    assert results["graphql_all"]["n"] == rounds * len(QUERIES)
    assert results["engine_with_visibility"]["n"] == rounds * len(QUERIES)
    for key in ("search_visibility_overhead_p50_percent", "graphql_engine_ratio_p50"):
        assert math.isfinite(results[key])
    assert results["graphql_engine_ratio_p50"] > 0
    assert any("loaded" in line for line in lines)
