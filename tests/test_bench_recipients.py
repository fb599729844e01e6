"""The recipient benchmark scenario runs end to end at a tiny size and reports sane figures
(speed targets are for `make bench`, not tests)."""

from __future__ import annotations

from bench.recipients import run_recipients


async def test_recipient_benchmark_runs(runtime):
    lines: list[str] = []
    results = await run_recipients(
        runtime, people=300, repeat=5, referrals=8, progress=lines.append
    )
    assert results["recipients"] == 300
    assert results["recipient_load_per_s"] > 0 and results["scan_per_s"] > 0
    assert results["scan_recommendations"] > 0
    view = results["view_360_graphql"]
    assert view["n"] == 5 and view["p50_ms"] <= view["p95_ms"] <= view["p99_ms"]
    assert 0 < results["view_360_engine"]["p50_ms"] <= view["p50_ms"]
    assert results["view_360_round_trips"] <= 12
    for clients in (1, 8):
        for step in ("create", "accept"):
            figures = results[f"{step}_referral_{clients}"]
            assert figures["n"] == 8 and figures["per_s"] > 0
    assert any("membership scan" in line for line in lines)


def test_busy_seconds_counts_overlapping_statements_once():
    from bench.recipients import busy_seconds

    assert busy_seconds([(0.0, 1.0), (0.5, 1.5), (3.0, 4.0)]) == 2.5
    assert busy_seconds([(0.0, 2.0), (0.5, 1.0)]) == 2.0
    assert busy_seconds([]) == 0.0
