"""Loading a synthetic data set through the product's bulk paths (`load`), in batches, while the
search index is kept in sync by the outbox loop, and how fast it went (`Loaded`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bench.draws import stamp
from bench.generate import Synthetic
from bench.people import People
from graph.access import GraphAccess
from graph.assessments import upsert_assessments
from graph.cases import upsert_case_notes, upsert_cases
from graph.consents import upsert_consents
from graph.enrollments import upsert_enrollments
from graph.institutions import upsert_institutions
from graph.outbox import pending_count
from graph.recipients import upsert_recipients
from graph.referrals import upsert_referrals
from graph.resources import upsert_resources
from server.runtime import Runtime
from vocabulary.access import CATEGORIES

__all__ = ["BATCH", "WRITERS", "Loaded", "load"]

BATCH = 500
# Batches written at once. One, while Python draws the next batch: two writers on Neo4j
# deadlock (and retry) on the shared Need, Region and Institution nodes their relationships lock
# in different orders, and were no faster (docs/benchmarks.md).
WRITERS = 1


@dataclass
class Loaded:
    """What `load` wrote and how fast. `graph_seconds` is the wall time from the first write to
    the last one finishing: with several batches in flight, time summed per statement would
    count overlapping writes twice."""

    nodes: dict[str, int] = field(default_factory=dict)
    graph_seconds: float = 0.0
    wall_seconds: float = 0.0
    index_wait_seconds: float = 0.0
    writers: int = 1

    def count(self, label: str, n: int) -> None:
        self.nodes[label] = self.nodes.get(label, 0) + n

    def report(self) -> dict[str, Any]:
        total = sum(self.nodes.values())
        return {
            "nodes": dict(self.nodes),
            "nodes_total": total,
            "writers": self.writers,
            "graph_nodes_per_s": total / self.graph_seconds if self.graph_seconds else 0.0,
            "load_seconds": self.wall_seconds,
            "index_wait_after_load_s": self.index_wait_seconds,
            "nodes_per_s_with_index": total / self.wall_seconds if self.wall_seconds else 0.0,
        }


def _batches(total: int, size: int = BATCH) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(total, start + size)


class _InFlight:
    """At most `writers` batches written at once, the next one generated meanwhile: the graph
    engine works on its own cores while Python draws the next batch."""

    def __init__(self, writers: int) -> None:
        self._slots = asyncio.Semaphore(writers)
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, write: Callable[[], Awaitable[None]]) -> None:
        await self._slots.acquire()
        task = asyncio.create_task(self._run(write))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, write: Callable[[], Awaitable[None]]) -> None:
        try:
            await write()
        finally:
            self._slots.release()

    async def drain(self) -> None:
        """Wait for every batch; the first failure is raised (the rest are cancelled)."""
        try:
            await asyncio.gather(*self._tasks)
        except BaseException:
            for task in self._tasks:
                task.cancel()
            raise


async def _index_caught_up(
    runtime: Runtime, progress: Callable[[str], None], every: float, stall: float = 120.0
) -> None:
    """Until no resource is pending in the outbox; raises when that count has not shrunk for
    `stall` seconds."""
    best, since, last = (
        await pending_count(runtime.backends.graph),
        time.perf_counter(),
        time.perf_counter(),
    )
    while (pending := await pending_count(runtime.backends.graph)) > 0:
        now = time.perf_counter()
        if pending < best:
            best, since = pending, now
        elif now - since > stall:
            error = runtime.sync.metrics.last_error
            raise RuntimeError(f"search sync stalled at {pending:,} pending events: {error}")
        if now - last >= every:
            last = now
            progress(f"  search index catching up: {pending:,} resources to go")
        runtime.sync.poke()
        await asyncio.sleep(0.2)


async def load(
    runtime: Runtime,
    synthetic: Synthetic,
    progress: Callable[[str], None],
    *,
    every: float = 15.0,
    writers: int = WRITERS,
) -> Loaded:
    """Institutions, resources, then recipients with their history, in batches through the
    bulk paths (up to `writers` batches at once; a recipient's history is written after the
    recipient, in its own batch) while the sync loop indexes the resources; then a wait until
    the index has caught up."""
    graph, scale, loaded = runtime.backends.graph, synthetic.scale, Loaded(writers=writers)
    started = last = time.perf_counter()
    now, now_ms = stamp(synthetic.now)
    in_flight = _InFlight(writers)

    def report(what: str, done: int, total: int) -> None:
        nonlocal last
        if time.perf_counter() - last >= every or done == total:
            last = time.perf_counter()
            rate = sum(loaded.nodes.values()) / max(last - started, 1e-9)
            progress(f"  {what}: {done:,}/{total:,} ({rate:,.0f} nodes/s into the graph)")

    written = {"resources": 0, "recipients": 0}

    def wrote(what: str, n: int, total: int) -> None:
        written[what] += n
        report(what, written[what], total)

    async def resources(records: list[dict[str, Any]]) -> None:
        loader = GraphAccess.system(actor="generator", now_ms=now_ms)
        loaded.count("Resource", await upsert_resources(graph, records, loader))
        runtime.sync.poke()
        wrote("resources", len(records), scale.resources)

    async def people(start: int, batch: People) -> None:
        # Fixed audit ids: loading a batch twice leaves one audit event per recipient.
        loader = GraphAccess.system(
            actor="generator", now_ms=now_ms, audit_prefix=f"aud_g{start:07d}"
        )
        audited = loader.audit("BULK_LOAD", CATEGORIES)
        loaded.count("Recipient", await upsert_recipients(graph, batch.recipients, audited))
        loaded.count("Consent", await upsert_consents(graph, batch.consents, loader))
        loaded.count("Assessment", await upsert_assessments(graph, batch.assessments, loader))
        loaded.count("Enrollment", await upsert_enrollments(graph, batch.enrollments, loader))
        loaded.count("Case", await upsert_cases(graph, batch.cases, loader))
        loaded.count("CaseNote", await upsert_case_notes(graph, batch.notes, loader))
        loaded.count("Referral", await upsert_referrals(graph, batch.referrals, loader))
        wrote("recipients", len(batch.recipients), scale.recipients)

    loaded.count("Institution", await upsert_institutions(graph, synthetic.institutions, now))
    # Resources before recipients: enrollments and referrals point at them.
    for start, stop in _batches(scale.resources):
        records = synthetic.resources(start, stop)
        await in_flight.submit(lambda r=records: resources(r))
    await in_flight.drain()
    for start, stop in _batches(scale.recipients):
        batch = synthetic.people(start, stop)
        await in_flight.submit(lambda a=start, p=batch: people(a, p))
    await in_flight.drain()
    graph_done = time.perf_counter()
    loaded.graph_seconds = graph_done - started
    await _index_caught_up(runtime, progress, every)
    loaded.index_wait_seconds = time.perf_counter() - graph_done
    loaded.wall_seconds = time.perf_counter() - started
    return loaded
