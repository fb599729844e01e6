"""Search at scale, on the generated data (`bench.generate`, indexed by the product's sync
loop): time `searchResources` through GraphQL over a realistic mix of queries, with the engine
request alone timed beside it with and without the visibility clauses.

Timing loops interleave the three measurements (GraphQL, engine with audiences, engine without)
so that drift on the machine (GC, the other engine's background work) hits all three alike."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

from elasticsearch import AsyncElasticsearch

from bench.generate import Synthetic
from bench.measure import api_client, centre_caseworker, community_centre, percentiles
from graph.engine import round_trips
from resolvers.search import searcher
from search.audiences import CONTROLLED_FIELDS, Searcher, withheld
from search.query import Near, Person, ResourceSearch, search_body
from search.thesaurus import Thesaurus
from server.runtime import Runtime

__all__ = [
    "QUERIES",
    "engine_search",
    "run_search",
    "without_audiences",
]

FIRST = 20
# What the resolver asks the engine for: the page, one look-ahead hit, and resolvers.search's
# slack for hits the graph re-check drops. The body check in run_search catches drift.
FETCH = FIRST + 1 + 5
JEJU_CITY = {"lat": 33.4996, "lon": 126.5312, "radiusKm": 10.0}  # 제주시청, 10 km
PERSON = {"age": 78, "incomePercent": 50}

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


def engine_search(
    criteria: dict[str, Any], home: tuple[float, float], thesaurus: Thesaurus
) -> ResourceSearch:
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
        facets=frozenset({"needs"}),  # the facets the benchmark's query selects
        expansions=thesaurus.expand(criteria["text"]) if criteria.get("text") else [],
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
    runtime: Runtime,
    synthetic: Synthetic,
    *,
    repeat: int,
    progress: Callable[[str], None],
    warmup: int = 1,
) -> dict[str, Any]:
    """`repeat` timed rounds; a round runs one variant of every query kind (GraphQL, engine
    with and without audiences) and the engine floor, after `warmup` untimed runs of every
    variant."""
    client = runtime.backends.search
    alias = runtime.services.search_alias
    results: dict[str, Any] = {"resources": synthetic.scale.resources}
    results["index_docs"] = (await client.count(index=alias))["count"]
    centre = community_centre(synthetic)
    viewer, token = centre_caseworker(runtime, synthetic)
    who = searcher(viewer)
    home = (centre["lat"], centre["lon"])
    services = runtime.services
    bodies = {
        kind: [
            search_body(engine_search(c, home, services.thesaurus), who, services.search_text)
            for c in variants
        ]
        for kind, variants in QUERIES.items()
    }
    open_bodies = {kind: [without_audiences(b, who) for b in bs] for kind, bs in bodies.items()}
    # What any search costs on this engine and corpus: no clause, the same page and count.
    floor = {"query": {"match_all": {}}, "size": FETCH, "track_total_hits": True, "_source": False}
    samples: dict[str, list[float]] = {f"graphql_{kind}": [] for kind in QUERIES}
    samples |= {"engine_with_visibility": [], "engine_without_visibility": [], "engine_floor": []}
    async with api_client(runtime) as http:
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
        # Statements per request once the viewer's row is cached (the warm-up cached it).
        trips: dict[str, int] = {}
        for kind, variants in QUERIES.items():
            counter = round_trips()
            await graphql(variants[0])
            trips[kind] = counter.count
        results["graph_round_trips"] = trips
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
