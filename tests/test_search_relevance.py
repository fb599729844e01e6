"""Ranking quality on the blind relevance set's test half (tests/relevance/vignettes.json):
written from caseworker vignettes by an assessor who saw only the vignettes and the resource
texts, split before any tuning; only the `tune` half was used to tune (bench/relevance.py).
The floors are what the ranking reaches today, less a margin for engine differences, so a
change that makes search worse fails here; the issue's targets (nDCG@10 0.90, recall@20
0.95) are not reached yet and are reported in docs/benchmarks.md, not asserted."""

from __future__ import annotations

import json
from typing import Any

from bench.relevance import (
    VIGNETTES,
    load_corpus,
    mrr,
    ndcg_at,
    recall_at,
    run_relevance,
    summarise,
)

# Measured on the test half (docs/benchmarks.md, "Search relevance"; 2026-12-03, the lower of
# the two engine sets: 0.777 / 0.808 / 0.859), less 0.03, rounded down.
FLOORS = {"ndcg@10": 0.74, "recall@20": 0.77, "mrr": 0.82}


def test_metrics_reward_the_ideal_order_and_penalise_others():
    judgments = {"a": 3, "b": 2, "c": 1}
    assert ndcg_at(10, ["a", "b", "c"], judgments) == 1.0
    assert ndcg_at(10, ["b", "a"], judgments) < 1.0
    assert ndcg_at(10, ["x", "a", "b"], judgments) < ndcg_at(10, ["a", "x", "b"], judgments)
    assert ndcg_at(10, [], judgments) == 0.0
    # Recall counts grade >= 2 out of as many as k holds; MRR the first of them.
    assert recall_at(20, ["a", "c"], judgments) == 0.5
    assert recall_at(1, ["b"], judgments) == 1.0
    assert mrr(["c", "x", "b"], judgments) == 1 / 3
    assert mrr(["x"], judgments) == 0.0


def test_the_split_is_recorded_and_balanced_per_type():
    data = json.loads(VIGNETTES.read_text(encoding="utf-8"))
    queries = data["queries"]
    assert len(queries) >= 80
    assert {q["id"] for q in queries if q["split"] == "test"} == set(data["split"]["test"])
    for kind in ("ko", "en", "need", "mixed"):
        halves = [q["split"] for q in queries if q["type"] == kind]
        assert abs(halves.count("tune") - halves.count("test")) <= 1, kind


async def test_the_blind_test_half_stays_above_its_floors(api):
    assert await load_corpus(api.runtime) == 518

    async def execute(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return await api.ok(query, variables)

    rows = await run_relevance(execute, paths=(VIGNETTES,))
    test = summarise([row for row in rows if row["set"] == "test"])["test"]
    print(test)
    assert test["queries"] >= 40
    for metric, floor in FLOORS.items():
        assert test[metric] >= floor, (metric, test, sorted(rows, key=lambda r: r[metric])[:5])
