"""Search at scale: load N resources through the graph's bulk path, rebuild the index the way
the product does, then time `searchResources` through GraphQL over a realistic mix of queries,
with the engine request alone timed beside it with and without the visibility clauses.

Timing loops interleave the three measurements (GraphQL, engine with audiences, engine without)
so that drift on the machine (GC, the other engine's background work) hits all three alike."""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import statistics
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
from elasticsearch import AsyncElasticsearch

from graph.institutions import upsert_institutions
from graph.resources import upsert_resources
from search.resources import (
    CONTROLLED_FIELDS,
    Near,
    Person,
    ResourceSearch,
    Searcher,
    search_body,
    withheld,
)
from server.app import create_app
from server.auth import issue_token
from server.demo import demo_resource_record
from server.demo_data import build_demo_dataset
from server.runtime import Runtime
from server.sync import rebuild_from_graph

__all__ = [
    "QUERIES",
    "engine_search",
    "load_resources",
    "percentiles",
    "run_search",
    "without_audiences",
]

NOW = "2026-01-01T00:00:00Z"
BATCH = 500
FIRST = 20
# What the resolver asks the engine for: the page, one look-ahead hit, and resolvers.search's
# slack for hits the graph re-check drops. The body check in run_search catches drift.
FETCH = FIRST + 1 + 5
JEJU_CITY = {"lat": 33.4996, "lon": 126.5312, "radiusKm": 10.0}  # 제주시청, 10 km
PERSON = {"age": 78, "incomePercent": 50}
# Jeju's bounding box (server.demo_data): jittered copies stay on the island.
LAT_RANGE, LON_RANGE = (33.11, 33.99), (126.11, 126.99)

# Query kinds and their variants, as `ResourceSearchInput` (without `first`).
QUERIES: dict[str, list[dict[str, Any]]] = {
    "needs": [
        {"needs": ["DAILY_LIVING_MEALS"]},
        {"needs": ["ECONOMY_LIVING_COSTS", "SOCIAL_ISOLATION"]},
        {"needs": ["EDUCATION"]},
    ],
    "text_ko": [{"text": "도시락배달"}, {"text": "어르신 반찬"}],
    "text_en": [{"text": "meal delivery"}],
    "combined": [
        {
            "needs": ["DAILY_LIVING_MEALS"],
            "text": "도시락배달",
            "near": JEJU_CITY,
            "person": PERSON,
        },
        {
            "needs": ["DAILY_LIVING_MEALS", "SOCIAL_ISOLATION"],
            "text": "어르신 반찬",
            "near": JEJU_CITY,
            "person": PERSON,
        },
    ],
    "has_capacity": [{"hasCapacity": True}],
}

SEARCH = """query($input: ResourceSearchInput!) { searchResources(input: $input) {
  hits { resource { id name provider { name } } score distanceKm reasons { code }
         highlights { field fragments } }
  totalCount facets { needs { code count } } } }"""


def percentiles(samples: list[float]) -> dict[str, float]:
    """Median and nearest-rank p95/p99, so that p50 <= p95 <= p99 holds for any sample."""
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)]

    return {
        "p50_ms": statistics.median(ordered),
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
        "n": len(ordered),
    }


def _variant(
    rows: list[dict[str, Any]], n: int, rng: random.Random, institutions: list[str]
) -> dict[str, Any]:
    """Resource n: the demo rows first, then copies under new ids, each a little different
    (moved up to ~2 km, another row's regions or an extra need, its own capacity and a spread
    of audiences) so that the index does not hold thousands of identical documents."""
    copy, i = divmod(n, len(rows))
    row = rows[i]
    if copy == 0:
        return demo_resource_record(row, i, NOW)
    other = rows[(i + 37 * copy) % len(rows)]
    changed = dict(row, id=f"res_s{copy:03d}{i:05d}")
    address = row.get("address")
    if address and address.get("lat") is not None:
        lat = min(max(address["lat"] + rng.uniform(-0.018, 0.018), LAT_RANGE[0]), LAT_RANGE[1])
        lon = min(max(address["lon"] + rng.uniform(-0.022, 0.022), LON_RANGE[0]), LON_RANGE[1])
        changed["address"] = {**address, "lat": round(lat, 6), "lon": round(lon, 6)}
    if rng.random() < 0.5:
        changed["regions"] = list(other["regions"])
    if rng.random() < 0.3:
        changed["needs"] = list(dict.fromkeys([*row["needs"], *other["needs"][:1]]))
    capacity = row.get("capacity") or {}
    if capacity.get("total"):
        changed["capacity"] = {**capacity, "available": rng.randint(0, capacity["total"])}
    record = demo_resource_record(changed, i + copy, NOW)
    visibility = record["visibility"]
    roll = rng.random()
    if roll < 0.05:
        visibility["listing"] = "REGION"
    elif roll < 0.08:
        visibility["listing"] = "PARTNERS"
    if rng.random() < 0.15:
        visibility["partners"] = rng.sample(institutions, 2)
    fields = visibility["fields"]
    fields["capacity"] = rng.choices(
        ("PARTNERS", "REGION", "AUTHENTICATED", "PUBLIC"), (5, 2, 2, 1)
    )[0]
    if rng.random() < 0.1:
        fields["eligibility"] = "REGION"
    return record


@contextlib.asynccontextmanager
async def _sync_paused(runtime: Runtime) -> AsyncIterator[None]:
    """The sync loop would index the outbox while we load; the scenario rebuilds instead."""
    await runtime.sync.stop()
    try:
        yield
    finally:
        runtime.sync.start()


@contextlib.asynccontextmanager
async def _reporting_index_size(
    runtime: Runtime, count: int, progress: Callable[[str], None], every: float = 15.0
) -> AsyncIterator[None]:
    """Progress lines while the rebuild runs (minutes at 100,000 resources)."""
    client, alias = runtime.backends.search, runtime.services.search_alias
    started = time.perf_counter()

    async def report() -> None:
        while True:
            await asyncio.sleep(every)
            with contextlib.suppress(Exception):
                done = (await client.count(index=f"{alias}-*"))["count"]
                seconds = time.perf_counter() - started
                progress(f"  indexed {done:,}/{count:,} resources ({done / seconds:,.0f}/s)")

    task = asyncio.create_task(report())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def load_resources(
    runtime: Runtime, count: int, progress: Callable[[str], None]
) -> tuple[int, float]:
    """The demo institutions and `count` resources; returns (loaded, seconds in the bulk
    upserts). Generating the records is not timed."""
    graph = runtime.backends.graph
    data = build_demo_dataset()
    await upsert_institutions(graph, data.institutions, NOW)
    rng = random.Random(20191)
    institutions = [inst["id"] for inst in data.institutions]
    every = max(BATCH, count // 10 // BATCH * BATCH)
    loaded, seconds = 0, 0.0
    for start in range(0, count, BATCH):
        numbers = range(start, min(count, start + BATCH))
        records = [_variant(data.resources, n, rng, institutions) for n in numbers]
        started = time.perf_counter()
        loaded += await upsert_resources(
            graph, records, event_ids=[f"evt_s{n:07d}" for n in numbers], now_ms=0
        )
        seconds += time.perf_counter() - started
        if loaded % every == 0 or loaded == count:
            progress(f"  loaded {loaded:,}/{count:,} resources ({loaded / seconds:,.0f}/s)")
    await graph.run("MATCH (o:OutboxEvent) DELETE o", write=True)
    return loaded, seconds


def engine_search(criteria: dict[str, Any], home: tuple[float, float]) -> ResourceSearch:
    """The `ResourceSearch` the resolver builds for these GraphQL criteria."""
    near = criteria.get("near")
    person = criteria.get("person")
    return ResourceSearch(
        needs=list(criteria.get("needs") or []),
        text=criteria.get("text"),
        near=Near(near["lat"], near["lon"], near["radiusKm"]) if near else None,
        origin=(near["lat"], near["lon"]) if near else home,
        person=Person(age=person.get("age"), income_percent=person.get("incomePercent"))
        if person
        else None,
        has_capacity=criteria.get("hasCapacity"),
        size=FETCH,
    )


def without_audiences(body: dict[str, Any], who: Searcher) -> dict[str, Any]:
    """Benchmark only: `body` with every audience clause `withheld(...)` built for `who`
    removed, i.e. the request of a viewer who may see everything. Never a product path."""
    clauses = [withheld(name, who) for name in ("listing", *CONTROLLED_FIELDS)]

    def strip(node: Any) -> Any:
        if isinstance(node, list):
            return [strip(item) for item in node if item not in clauses]
        if isinstance(node, dict):
            return {key: strip(value) for key, value in node.items()}
        return node

    return strip(body)


@contextlib.contextmanager
def _recorded(client: AsyncElasticsearch) -> Iterator[list[dict[str, Any]]]:
    """Collects the bodies the product sends to the engine, to check ours are the same."""
    bodies: list[dict[str, Any]] = []
    original = client.search

    async def search(**kwargs: Any) -> Any:
        bodies.append(kwargs["body"])
        return await original(**kwargs)

    client.search = search  # type: ignore[method-assign]
    try:
        yield bodies
    finally:
        del client.search


async def run_search(
    runtime: Runtime, *, count: int, repeat: int, progress: Callable[[str], None], warmup: int = 1
) -> dict[str, Any]:
    """Load, index, then `repeat` timed rounds; a round runs one variant of every query kind
    (GraphQL, engine with and without audiences) and the engine floor, after `warmup` untimed
    runs of every variant."""
    results: dict[str, Any] = {}
    async with _sync_paused(runtime):
        loaded, seconds = await load_resources(runtime, count, progress)
        results["resources"] = loaded
        results["graph_load_per_s"] = loaded / seconds
        progress("  rebuilding the index from the graph")
        started = time.perf_counter()
        async with _reporting_index_size(runtime, count, progress):
            _, indexed = await rebuild_from_graph(runtime.sync, nori=runtime.settings.search_nori)
        seconds = time.perf_counter() - started
    client = runtime.backends.search
    alias = runtime.services.search_alias
    results["indexed"] = indexed
    results["index_docs"] = (await client.count(index=alias))["count"]
    results["index_per_s"] = indexed / seconds

    data = build_demo_dataset()
    centre = next(i for i in data.institutions if i["kind"] == "COMMUNITY_CENTER")
    who = Searcher(
        staff=True,
        institution_id=centre["id"],
        region_codes=tuple(runtime.services.regions.ancestors(centre["regionCode"])),
    )
    home = (centre["lat"], centre["lon"])
    nori = runtime.services.search_nori
    bodies = {
        kind: [search_body(engine_search(c, home), who, nori=nori) for c in variants]
        for kind, variants in QUERIES.items()
    }
    open_bodies = {kind: [without_audiences(b, who) for b in bs] for kind, bs in bodies.items()}
    # What any search costs on this engine and corpus: no clause, the same page and count.
    floor = {"query": {"match_all": {}}, "size": FETCH, "track_total_hits": True, "_source": False}
    token = issue_token(
        runtime.secret,
        subject="bench",
        institution_id=centre["id"],
        roles=["CASEWORKER"],
        ttl_seconds=3600,
    )
    samples: dict[str, list[float]] = {f"graphql_{kind}": [] for kind in QUERIES}
    samples |= {"engine_with_visibility": [], "engine_without_visibility": [], "engine_floor": []}
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        headers = {"Authorization": f"Bearer {token}"}

        async def graphql(criteria: dict[str, Any]) -> dict[str, Any] | None:
            """The page, or None when the product answered UNAVAILABLE (the engine took
            longer than the client's request timeout): counted, and timed like any answer."""
            variables = {"input": {**criteria, "first": FIRST}}
            response = await http.post(
                "/graphql", json={"query": SEARCH, "variables": variables}, headers=headers
            )
            payload = response.json()
            errors = payload.get("errors") or []
            if any(e.get("extensions", {}).get("code") != "UNAVAILABLE" for e in errors):
                raise RuntimeError(f"searchResources failed: {errors}")
            return None if errors else payload["data"]["searchResources"]

        # The engine alone is given all the time it needs, to measure it even past the timeout.
        patient = client.options(request_timeout=600)

        async def engine(body: dict[str, Any]) -> None:
            await patient.search(index=alias, body=body)

        progress("  warming up")
        sent: list[dict[str, Any]] = []
        totals: dict[str, int | None] = {}
        for kind, variants in QUERIES.items():
            for position, criteria in enumerate(variants):
                with _recorded(client) as recorded:
                    page = await graphql(criteria)
                totals[f"{kind}[{position}]"] = page["totalCount"] if page else None
                sent += recorded
                for _ in range(warmup):
                    await graphql(criteria)
                    await engine(bodies[kind][position])
                    await engine(open_bodies[kind][position])
        results["total_counts"] = totals
        results["engine_body_is_product_body"] = sent == [b for bs in bodies.values() for b in bs]
        results["audience_clauses_removed"] = all(
            body != open_bodies[kind][i] for kind, bs in bodies.items() for i, body in enumerate(bs)
        )

        progress(f"  timing {repeat} rounds of {len(QUERIES)} query kinds")
        unavailable = dict.fromkeys(QUERIES, 0)
        for round_ in range(repeat):
            started = time.perf_counter()
            await engine(floor)
            samples["engine_floor"].append((time.perf_counter() - started) * 1000)
            for kind, variants in QUERIES.items():
                position = round_ % len(variants)
                steps: list[tuple[str, bool, dict[str, Any]]] = [
                    (f"graphql_{kind}", True, variants[position]),
                    ("engine_with_visibility", False, bodies[kind][position]),
                    ("engine_without_visibility", False, open_bodies[kind][position]),
                ]
                shift = round_ % len(steps)
                for name, through_graphql, argument in steps[shift:] + steps[:shift]:
                    started = time.perf_counter()
                    if through_graphql:
                        unavailable[kind] += await graphql(argument) is None
                    else:
                        await engine(argument)
                    samples[name].append((time.perf_counter() - started) * 1000)
            if (round_ + 1) % max(1, repeat // 5) == 0:
                progress(f"  {round_ + 1}/{repeat} rounds")

    results["graphql_unavailable"] = unavailable
    graphql_all = [v for kind in QUERIES for v in samples[f"graphql_{kind}"]]
    results |= {name: percentiles(values) for name, values in samples.items()}
    results["graphql_all"] = percentiles(graphql_all)
    engine_with = results["engine_with_visibility"]["p50_ms"]
    engine_without = results["engine_without_visibility"]["p50_ms"]
    results["search_visibility_overhead_p50_percent"] = (
        100 * (engine_with - engine_without) / engine_without
    )
    results["graphql_engine_ratio_p50"] = results["graphql_all"]["p50_ms"] / engine_with
    results["resolver_p50_ms"] = results["graphql_all"]["p50_ms"] - engine_with
    return results
