"""Reading resources: `resource(id)` and `resources(first: 50)` with provider and needs
through GraphQL, with the graph time inside the same requests (for the overhead ratio) and
the graph round trips per operation (a page of 10 and a page of 50 must take as many); and
what visibility enforcement costs: the page statement with and without the listing condition
(the same window, so without it every row of the window is returned), and field presentation
with and without withholding, timed side by side in one run."""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench.generate import Synthetic
from bench.measure import (
    api_client,
    busy_seconds,
    centre_caseworker,
    engine_time,
    graphql_ok,
    percentiles,
)
from graph.access import RESOURCE_LISTED, GraphAccess
from graph.engine import round_trips
from graph.resource_records import filter_params
from graph.resources import LIST_RESOURCES, first_window, list_resources
from resolvers.resources import present
from server.runtime import Runtime

__all__ = ["run_reads"]

UNRESTRICTED = LIST_RESOURCES.replace(RESOURCE_LISTED, "true")
_FIELDS = """id name description contact { phone } capacity { available } withheldFields
  provider { name } needs { code labelKo }"""
RESOURCE = f"query($id: ID!) {{ resource(id: $id) {{ {_FIELDS} }} }}"
PAGE = f"query($first: Int!) {{ resources(first: $first) {{ edges {{ node {{ {_FIELDS} }} }} }} }}"


async def _timed(fn: Callable[[], Awaitable[Any]], repeat: int) -> dict[str, float]:
    for _ in range(min(5, repeat)):
        await fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


async def run_reads(
    runtime: Runtime, synthetic: Synthetic, *, repeat: int, progress: Callable[[str], None]
) -> dict[str, Any]:
    graph = runtime.backends.graph
    viewer, token = centre_caseworker(runtime, synthetic)
    rng = random.Random(5)
    count = synthetic.scale.resources
    ids = [synthetic.resource_id(rng.randrange(count)) for _ in range(repeat)]
    results: dict[str, Any] = {"resources": count}

    async with api_client(runtime) as client:
        await graphql_ok(client, token, PAGE, {"first": 1})  # the viewer's row is then cached
        for first in (10, 50):
            counter = round_trips()
            await graphql_ok(client, token, PAGE, {"first": first})
            results[f"resources_{first}_round_trips"] = counter.count
        counter = round_trips()
        await graphql_ok(client, token, RESOURCE, {"id": ids[0]})
        results["resource_round_trips"] = counter.count

        for name, query, variables in (
            ("resource", RESOURCE, [{"id": i} for i in ids]),
            ("resources_50", PAGE, [{"first": 50}] * repeat),
        ):
            progress(f"  timing {name} through GraphQL ({repeat} requests)")
            for warm in variables[:5]:
                await graphql_ok(client, token, query, warm)
            samples, engine = [], []
            for each in variables:
                with engine_time(runtime) as spent:
                    started = time.perf_counter()
                    await graphql_ok(client, token, query, each)
                    samples.append((time.perf_counter() - started) * 1000)
                engine.append(busy_seconds(spent) * 1000)
            results[f"{name}_graphql"] = percentiles(samples)
            results[f"{name}_engine"] = percentiles(engine)
            results[f"{name}_overhead_ratio_p50"] = (
                results[f"{name}_graphql"]["p50_ms"] / results[f"{name}_engine"]["p50_ms"]
            )

    progress("  timing the page statement with and without the listing condition")
    # The first window of a 50-row page (51 with the look-ahead row), as `list_resources` reads it.
    access = GraphAccess.of(viewer, now_ms=runtime.services.clock())
    params = access.params({**filter_params({}), "after": "", "window": first_window(51)})
    rows = await list_resources(graph, access, {}, after="", limit=50)
    results["cypher_with_listing"] = await _timed(lambda: graph.run(LIST_RESOURCES, params), repeat)
    results["cypher_without"] = await _timed(lambda: graph.run(UNRESTRICTED, params), repeat)

    async def with_present() -> None:
        [present(r, viewer) for r in rows]

    async def without_present() -> None:
        [dict(r) for r in rows]

    results["present_50"] = await _timed(with_present, repeat)
    results["copy_50"] = await _timed(without_present, repeat)
    with_cost = results["cypher_with_listing"]["p50_ms"] + results["present_50"]["p50_ms"]
    without_cost = results["cypher_without"]["p50_ms"] + results["copy_50"]["p50_ms"]
    results["enforcement_overhead_p50_percent"] = 100 * (with_cost - without_cost) / without_cost
    return results
