"""How the scenarios measure: percentiles, graph time inside a request, requests through the
app, rates with concurrent clients (after a warm-up, with each process's CPU per operation),
and each process's peak memory."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import math
import os
import resource
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from bench.generate import Synthetic
from server.app import create_app
from server.auth import issue_token
from server.runtime import Runtime
from vocabulary.access import Viewer

__all__ = [
    "api_client",
    "busy_seconds",
    "centre_caseworker",
    "community_centre",
    "cpu_ms_per",
    "cpu_seconds",
    "engine_time",
    "graphql_ok",
    "peak_memory_mb",
    "percentiles",
    "staff_token",
    "throughput",
]


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


_measured: contextvars.ContextVar[list[tuple[float, float]] | None] = contextvars.ContextVar(
    "measured", default=None
)


@contextlib.contextmanager
def engine_time(runtime: Runtime) -> Iterator[list[tuple[float, float]]]:
    """(start, end) of each graph statement of this task (and the tasks it starts) while the
    block runs; the server's background loops (search sync, referral sweep) do not count."""
    graph = runtime.services.graph
    original = graph.run
    spent: list[tuple[float, float]] = []

    async def timed(*args: Any, **kwargs: Any) -> Any:
        bucket = _measured.get()
        started = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            if bucket is not None:
                bucket.append((started, time.perf_counter()))

    graph.run = timed  # type: ignore[method-assign]
    token = _measured.set(spent)
    try:
        yield spent
    finally:
        _measured.reset(token)
        graph.run = original  # type: ignore[method-assign]


def busy_seconds(intervals: list[tuple[float, float]]) -> float:
    """Wall time during which at least one statement was in flight: a request's loaders run
    statements concurrently, so summing them would count the overlap twice."""
    total, end = 0.0, float("-inf")
    for start, stop in sorted(intervals):
        if stop > end:
            total += stop - max(start, end)
            end = stop
    return total


@contextlib.asynccontextmanager
async def api_client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """The server's ASGI app in this process, so that graph time can be taken per request."""
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        yield client


def community_centre(synthetic: Synthetic) -> dict[str, Any]:
    """The first 주민센터 of the generated data: the institution the scenarios read as."""
    return next(i for i in synthetic.institutions if i["kind"] == "COMMUNITY_CENTER")


def centre_caseworker(runtime: Runtime, synthetic: Synthetic) -> tuple[Viewer, str]:
    """The caseworker of `community_centre`: the viewer (for the engine-only measures) and
    its token (for GraphQL)."""
    centre = community_centre(synthetic)
    viewer = Viewer(
        subject="bench",
        institution_id=centre["id"],
        roles=frozenset({"CASEWORKER"}),
        region_codes=tuple(runtime.services.regions.ancestors(centre["regionCode"])),
    )
    return viewer, staff_token(runtime, centre["id"])


def staff_token(runtime: Runtime, institution_id: str, role: str = "CASEWORKER") -> str:
    return issue_token(
        runtime.secret, subject=f"bench-{institution_id}", institution_id=institution_id,
        roles=[role], ttl_seconds=3 * 3600,
    )  # fmt: skip


async def graphql_ok(client: httpx.AsyncClient, token: str, query: str, variables: Any) -> Any:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL error in the benchmark: {body['errors'][0]}")
    return body["data"]


def _high_water_mb(pid: int) -> float | None:
    """Peak resident set (VmHWM) of a live process, from /proc (Linux)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def _process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a live process, from /proc (Linux; in clock ticks, 10 ms)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


def _engine_pids(runtime: Runtime) -> dict[str, int]:
    """Figure name -> process id of the engine children this process started."""
    children = runtime.backends.children
    pids = children.pids() if children else {}
    return {f"{role}_engine": pid for role, pid in pids.items()}


def cpu_seconds(runtime: Runtime) -> dict[str, float]:
    """CPU used so far by the server (this process: the app and the benchmark's clients run
    in it) and by the engine children this process started (Linux: not elsewhere)."""
    found = {"server_and_clients": time.process_time()}
    for key, pid in _engine_pids(runtime).items():
        spent = _process_cpu_seconds(pid)
        if spent is not None:
            found[key] = spent
    return found


def cpu_ms_per(before: dict[str, float], after: dict[str, float], count: int) -> dict[str, float]:
    """Each process's CPU milliseconds per item between two `cpu_seconds` readings."""
    return {
        key: (after[key] - spent) * 1000 / count for key, spent in before.items() if key in after
    }


async def throughput(
    clients: int,
    items: list[Any],
    one: Callable[[Any], Awaitable[Any]],
    *,
    runtime: Runtime | None = None,
) -> dict[str, Any]:
    """Run `one(item)` for every item with `clients` concurrent workers: the rate, latency
    percentiles and, given the runtime, each process's CPU milliseconds per item — what says
    whether the two cores or the waiting bound the rate. Scenarios run untimed items first
    (their warm-up): a fresh JVM spends its first thousands of statements compiling (Neo4j's
    CPU per intake fell from 30 to 6–8 ms over the first 5,000 on this machine, its C2
    compiler thread still busy after them), which a running server has done."""
    before = cpu_seconds(runtime) if runtime is not None else {}
    samples: list[float] = []
    started = time.perf_counter()
    await _run_all(clients, items, one, samples)
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {**percentiles(samples), "per_s": len(items) / seconds}
    if runtime is not None and items:
        result["cpu_ms_per_item"] = cpu_ms_per(before, cpu_seconds(runtime), len(items))
    return result


async def _run_all(
    clients: int, items: list[Any], one: Callable[[Any], Awaitable[Any]], samples: list[float]
) -> None:
    queue: asyncio.Queue[Any] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)

    async def worker() -> None:
        while not queue.empty():
            item = queue.get_nowait()
            started = time.perf_counter()
            await one(item)
            samples.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(worker() for _ in range(clients)))


def peak_memory_mb(runtime: Runtime) -> dict[str, float | None]:
    """Peak resident memory of the server (this process: the app runs in it), the graph
    engine and the search engine, when they are children this process started."""
    own = _high_water_mb(os.getpid())
    if own is None:  # not Linux: ru_maxrss is in KiB there too, except on macOS (bytes)
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pids = _engine_pids(runtime)
    return {
        "server": own,
        **{key: _high_water_mb(pids[key]) if key in pids else None
           for key in ("graph_engine", "search_engine")},
    }  # fmt: skip
