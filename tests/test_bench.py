"""The benchmark code runs at tiny scale in the suite so it cannot rot (timings are not
asserted here; `make bench` reports them)."""

from __future__ import annotations

from bench.visibility import run_visibility
from server.demo_data import build_demo_dataset


async def test_visibility_benchmark_runs(runtime):
    lines: list[str] = []
    results = await run_visibility(runtime, repeat=3, copies=1, progress=lines.append)
    assert results["resources"] == 2 * len(build_demo_dataset().resources)
    for key in ("cypher_with_listing", "cypher_without", "graphql_resources_50"):
        assert results[key]["n"] == 3 and results[key]["p50_ms"] > 0
    assert "enforcement_overhead_p50_percent" in results
    assert any("loaded" in line for line in lines)
