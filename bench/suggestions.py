"""Suggestions as you type (`suggest`) at scale, on the generated data: prefixes drawn from
what a caseworker would type — the start of a word of a resource name, an institution's name
or a need's label, Korean or English, one to four characters long — timed through GraphQL
(target: p95 at most 30 ms at 100,000 resources on the local engines), with the parts of a
request timed alone beside it: the index request, the re-check of the suggested names, the
institutions' lookup in memory, and the read of every institution's names that refreshes it."""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from bench.generate import Synthetic
from bench.measure import api_client, centre_caseworker, graphql_ok, percentiles
from graph.access import GraphAccess
from graph.engine import round_trips
from graph.suggestions import institution_names, listed_active_names
from resolvers.search import searcher
from search.suggestions import suggest_body
from server.runtime import Runtime
from vocabulary.suggestions import Prefix, parse_prefix, word_starts

__all__ = ["draw_prefixes", "run_suggest"]

FIRST = 10
SUGGEST = """query($prefix: String!, $first: Int!) {
  suggest(prefix: $prefix, first: $first) { kind id label labelEn } }"""
# What is typed, by source: resource names most, institutions and needs as often as each other.
SOURCES = (("resource", 2), ("institution", 1), ("need", 1))
# Labels drawn per source; resource names are read from the graph (benchmark only: every
# name, whoever may see it).
LABELS = 400
RESOURCE_NAMES = "UNWIND $ids AS wanted MATCH (r:Resource {id: wanted}) RETURN r.name AS name"


async def _labels(runtime: Runtime, synthetic: Synthetic, rng: random.Random) -> dict[str, list]:
    count = synthetic.scale.resources
    ids = [synthetic.resource_id(rng.randrange(count)) for _ in range(LABELS)]
    rows = await runtime.backends.graph.run(RESOURCE_NAMES, {"ids": ids})
    institutions = [i["name"] for i in synthetic.institutions]
    institutions += [i["nameEn"] for i in synthetic.institutions if i.get("nameEn")]
    needs = [label for n in runtime.services.needs.by_code.values()
             for label in (n["labelKo"], n["labelEn"])]  # fmt: skip
    return {"resource": [row["name"] for row in rows], "institution": institutions, "need": needs}


def draw_prefixes(labels: dict[str, list[str]], count: int, rng: random.Random) -> list[str]:
    """`count` prefixes: a source by weight, a label, a word start in it, then 1-4 characters
    (2-5 of an English word, typed in lower case)."""
    kinds, weights = zip(*SOURCES, strict=True)
    drawn: list[str] = []
    while len(drawn) < count:
        label = rng.choice(labels[rng.choices(kinds, weights)[0]])
        start = rng.choice(word_starts(label.lower()))
        english = label[start].isascii()
        length = rng.randint(2, 5) if english else rng.randint(1, 4)
        prefix = label[start : start + length].strip()
        if prefix:
            drawn.append(prefix.lower() if english else prefix)
    return drawn


async def _timed(calls: list[Callable[[], Awaitable[Any]]]) -> list[float]:
    samples = []
    for call in calls:
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def run_suggest(
    runtime: Runtime, synthetic: Synthetic, *, repeat: int, progress: Callable[[str], None]
) -> dict[str, Any]:
    """`repeat` drawn prefixes, each asked once through GraphQL after a warm-up pass, then
    the same prefixes for each part alone."""
    rng = random.Random(f"{synthetic.seed}:suggest")
    prefixes = draw_prefixes(await _labels(runtime, synthetic, rng), repeat, rng)
    viewer, token = centre_caseworker(runtime, synthetic)
    client, alias = runtime.backends.search, runtime.services.search_alias
    graph = runtime.backends.graph
    results: dict[str, Any] = {"resources": synthetic.scale.resources, "prefixes": len(prefixes)}
    found: list[list[dict[str, Any]]] = []
    trips: list[int] = []
    async with api_client(runtime) as http:

        async def ask(prefix: str) -> None:
            counter = round_trips()
            data = await graphql_ok(http, token, SUGGEST, {"prefix": prefix, "first": FIRST})
            trips.append(counter.count)
            found.append(data["suggest"])

        progress(f"  warming up, then {len(prefixes)} prefixes")
        for prefix in prefixes[: min(20, len(prefixes))]:
            await ask(prefix)
        found.clear()
        trips.clear()
        samples = await _timed([partial(ask, p) for p in prefixes])
    results["graph_round_trips_max"] = max(trips)

    lengths: dict[str, list[float]] = {"1": [], "2": [], "3_4": []}
    for prefix, ms in zip(prefixes, samples, strict=True):
        lengths["1" if len(prefix) == 1 else "2" if len(prefix) == 2 else "3_4"].append(ms)
    results["graphql_all"] = percentiles(samples)
    results |= {f"graphql_{n}_chars": percentiles(v) for n, v in lengths.items() if v}
    results["suggestions_mean"] = sum(len(f) for f in found) / len(found)
    results["prefixes_with_none"] = sum(not f for f in found)

    progress("  the parts alone")
    parsed = [parse_prefix(p) for p in prefixes]
    who = searcher(viewer)
    ids: list[list[str]] = []

    async def index(prefix: Prefix) -> None:
        body = suggest_body(prefix, who, FIRST + 5)
        response = await client.search(index=alias, body=body)
        ids.append([hit["_id"] for hit in response["hits"]["hits"]])

    results["engine_index"] = percentiles(await _timed([partial(index, p) for p in parsed]))
    results["graph_institution_names"] = percentiles(
        await _timed([partial(institution_names, graph) for _ in range(20)])
    )
    # The names the requests above loaded, as the server holds them.
    names = await runtime.services.institution_names.current(graph, runtime.services.clock())
    index = names.index
    assert index is not None  # `current` has loaded them

    async def in_memory(prefix: Prefix) -> None:
        index.best(prefix, FIRST)

    results["memory_institutions"] = percentiles(
        await _timed([partial(in_memory, p) for p in parsed])
    )
    access = GraphAccess.of(viewer, now_ms=int(time.time() * 1000))
    results["graph_recheck"] = percentiles(
        await _timed([partial(listed_active_names, graph, access, i) for i in ids])
    )
    return results
