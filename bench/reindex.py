"""Building the search index from the graph (`hanaro reindex`, `rebuild_from_graph`) at scale:
every resource read from the graph, made a document and bulk-indexed into a new index, then the
alias moved (target: at least 3,000 documents/s at 100,000 resources on the local engines).
Timed apart from the bulk load, during which the sync loop indexes as the graph is written and
shares the two cores with it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench.generate import Synthetic
from bench.measure import cpu_ms_per, cpu_seconds
from server.runtime import Runtime
from server.sync import rebuild_from_graph

__all__ = ["run_reindex"]


async def run_reindex(
    runtime: Runtime, synthetic: Synthetic, *, progress: Callable[[str], None]
) -> dict[str, Any]:
    """One rebuild of the whole index, with each process's CPU per document."""
    progress(f"  rebuilding the index of {synthetic.scale.resources:,} resources")
    before = cpu_seconds(runtime)
    started = time.perf_counter()
    _, count = await rebuild_from_graph(runtime.sync, nori=runtime.settings.search_nori)
    seconds = time.perf_counter() - started
    return {
        "documents": count,
        "seconds": seconds,
        "documents_per_s": count / seconds if seconds else 0.0,
        "cpu_ms_per_document": cpu_ms_per(before, cpu_seconds(runtime), count) if count else {},
    }
