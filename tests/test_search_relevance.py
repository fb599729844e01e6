"""Ranking quality on the judged relevance set (tests/relevance/queries.json): nDCG@10 over
Korean and English queries on the demo corpus must stay at or above the target."""

from __future__ import annotations

from typing import Any

from bench.relevance import load_corpus, ndcg_at, run_relevance

TARGET = 0.85


def test_ndcg_rewards_the_ideal_order_and_penalises_others():
    judgments = {"a": 3, "b": 1}
    assert ndcg_at(10, ["a", "b"], judgments) == 1.0
    assert ndcg_at(10, ["b", "a"], judgments) < 1.0
    assert ndcg_at(10, ["x", "a", "b"], judgments) < ndcg_at(10, ["a", "x", "b"], judgments)
    assert ndcg_at(10, [], judgments) == 0.0


async def test_judged_queries_rank_relevant_resources_first(api):
    assert await load_corpus(api.runtime) == 518

    async def execute(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return await api.ok(query, variables)

    report = await run_relevance(execute)
    print({key: value for key, value in report.items() if key != "per_query"})
    assert report["queries"] >= 40
    assert report["ndcg@10"] >= TARGET, report["worst"]
