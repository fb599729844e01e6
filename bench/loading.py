"""Loading a synthetic data set through the product's bulk paths (`load`), in batches, while the
search index is kept in sync by the outbox loop, and how fast it went (`Loaded`)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bench.draws import stamp
from bench.generate import Synthetic
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

__all__ = ["BATCH", "Loaded", "load"]

BATCH = 500


@dataclass
class Loaded:
    """What `load` wrote and how fast."""

    nodes: dict[str, int] = field(default_factory=dict)
    graph_seconds: float = 0.0
    wall_seconds: float = 0.0
    index_wait_seconds: float = 0.0

    def report(self) -> dict[str, Any]:
        total = sum(self.nodes.values())
        return {
            "nodes": dict(self.nodes),
            "nodes_total": total,
            "graph_nodes_per_s": total / self.graph_seconds if self.graph_seconds else 0.0,
            "load_seconds": self.wall_seconds,
            "index_wait_after_load_s": self.index_wait_seconds,
            "nodes_per_s_with_index": total / self.wall_seconds if self.wall_seconds else 0.0,
        }


def _batches(total: int, size: int = BATCH) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(total, start + size)


@contextlib.contextmanager
def _timed(loaded: Loaded) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        loaded.graph_seconds += time.perf_counter() - started


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
) -> Loaded:
    """Institutions, resources, then recipients with their history, in batches through the
    bulk paths while the sync loop indexes the resources; then a wait until it is done."""
    graph, scale, loaded = runtime.backends.graph, synthetic.scale, Loaded()
    started = last = time.perf_counter()
    now, now_ms = stamp(synthetic.now)

    def count(label: str, n: int) -> None:
        loaded.nodes[label] = loaded.nodes.get(label, 0) + n

    def report(what: str, done: int, total: int) -> None:
        nonlocal last
        if time.perf_counter() - last >= every or done == total:
            last = time.perf_counter()
            rate = sum(loaded.nodes.values()) / max(loaded.graph_seconds, 1e-9)
            progress(f"  {what}: {done:,}/{total:,} ({rate:,.0f} nodes/s into the graph)")

    with _timed(loaded):
        count("Institution", await upsert_institutions(graph, synthetic.institutions, now))
    for start, stop in _batches(scale.resources):
        records = synthetic.resources(start, stop)
        with _timed(loaded):
            count("Resource", await upsert_resources(graph, records, now_ms=now_ms))
        runtime.sync.poke()
        report("resources", stop, scale.resources)
    for start, stop in _batches(scale.recipients):
        batch = synthetic.people(start, stop)
        with _timed(loaded):
            audit = f"aud_g{start:07d}"
            count(
                "Recipient",
                await upsert_recipients(
                    graph, batch.recipients, actor="generator", now=now, audit_id=audit
                ),
            )
            count("Consent", await upsert_consents(graph, batch.consents))
            count("Assessment", await upsert_assessments(graph, batch.assessments))
            count("Enrollment", await upsert_enrollments(graph, batch.enrollments))
            count("Case", await upsert_cases(graph, batch.cases))
            count("CaseNote", await upsert_case_notes(graph, batch.notes))
            count("Referral", await upsert_referrals(graph, batch.referrals))
        report("recipients", stop, scale.recipients)  # fmt: skip
    graph_done = time.perf_counter()
    await _index_caught_up(runtime, progress, every)
    loaded.index_wait_seconds = time.perf_counter() - graph_done
    loaded.wall_seconds = time.perf_counter() - started
    return loaded
