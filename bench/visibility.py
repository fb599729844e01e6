"""What visibility enforcement costs: the same `resources(first: 50)` page read with and
without the listing condition, and field presentation with and without withholding, timed
side by side in one run on the embedded engines."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from graph.access import RESOURCE_LISTED, Viewer, listing_params
from graph.resources import LIST_RESOURCES, filter_params, list_resources, upsert_resources
from resolvers.resources import present
from server.app import create_app
from server.auth import issue_token
from server.demo import demo_resource_record, load_demo
from server.demo_data import build_demo_dataset
from server.runtime import Runtime

__all__ = ["run_visibility"]

UNRESTRICTED = LIST_RESOURCES.replace(RESOURCE_LISTED, "true")


async def _timed(fn: Callable[[], Awaitable[Any]], repeat: int) -> dict[str, float]:
    for _ in range(min(5, repeat)):
        await fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50_ms": statistics.median(samples),
        "p95_ms": samples[int(len(samples) * 0.95) - 1],
        "n": len(samples),
    }


async def load_scaled(runtime: Runtime, copies: int, progress: Callable[[str], None]) -> int:
    """The demo set, plus `copies` more copies of its resources under new ids."""
    graph = runtime.backends.graph
    await load_demo(graph)
    data = build_demo_dataset()
    total = len(data.resources)
    for copy in range(copies):
        records = [
            demo_resource_record(
                {**row, "id": f"res_b{copy:03d}{i:05d}"}, i, "2026-01-01T00:00:00Z"
            )
            for i, row in enumerate(data.resources)
        ]
        for start in range(0, len(records), 500):
            batch = records[start : start + 500]
            ids = [f"evt_b{copy:03d}{start + i:05d}" for i in range(len(batch))]
            await upsert_resources(graph, batch, event_ids=ids, now_ms=0)
        total += len(records)
        progress(f"  loaded {total} resources")
    await graph.run("MATCH (o:OutboxEvent) DELETE o", write=True)
    return total


async def run_visibility(
    runtime: Runtime, *, repeat: int, copies: int, progress: Callable[[str], None]
) -> dict[str, Any]:
    total = await load_scaled(runtime, copies, progress)
    graph = runtime.backends.graph
    data = build_demo_dataset()
    staff_inst = next(i for i in data.institutions if i["kind"] == "COMMUNITY_CENTER")
    viewer = Viewer(
        subject="bench",
        institution_id=staff_inst["id"],
        roles=frozenset({"CASEWORKER"}),
        region_codes=tuple(runtime.services.regions.ancestors(staff_inst["regionCode"])),
    )
    params = {
        **filter_params({}), "after": "", "skip": 0, "pageSize": 51, **listing_params(viewer),
    }  # fmt: skip
    rows = await list_resources(graph, viewer, {}, after="", limit=50)
    results: dict[str, Any] = {"resources": total}
    progress("  timing the page query with and without the listing condition")
    results["cypher_with_listing"] = await _timed(lambda: graph.run(LIST_RESOURCES, params), repeat)
    results["cypher_without"] = await _timed(lambda: graph.run(UNRESTRICTED, params), repeat)

    async def with_present() -> None:
        [present(r, viewer) for r in rows]

    async def without_present() -> None:
        [dict(r) for r in rows]

    results["present_50"] = await _timed(with_present, repeat)
    results["copy_50"] = await _timed(without_present, repeat)

    token = issue_token(
        runtime.secret,
        subject="bench",
        institution_id=staff_inst["id"],
        roles=["CASEWORKER"],
        ttl_seconds=3600,
    )
    query = """{ resources(first: 50) { edges { node {
        id name description contact { phone } capacity { available } withheldFields
        provider { name } needs { code labelKo } } } } }"""
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        headers = {"Authorization": f"Bearer {token}"}

        async def graphql() -> None:
            response = await client.post("/graphql", json={"query": query}, headers=headers)
            assert "errors" not in response.json()

        progress("  timing resources(first: 50) through GraphQL")
        results["graphql_resources_50"] = await _timed(graphql, repeat)
    with_cost = results["cypher_with_listing"]["p50_ms"] + results["present_50"]["p50_ms"]
    without_cost = results["cypher_without"]["p50_ms"] + results["copy_50"]["p50_ms"]
    results["enforcement_overhead_p50_percent"] = 100 * (with_cost - without_cost) / without_cost
    return results
