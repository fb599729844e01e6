"""The search-sync loop: joins the graph's outbox to the index's bulk apply.

Pending resources are read oldest first, the current state of each is indexed (so applying a
resource twice, or after a newer write, changes nothing: versions are external) and only then
are their outbox markers cleared, unless written again meanwhile. While search is down the
markers stay pending in the graph; nothing is lost."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import AsyncElasticsearch

from graph.access import GraphAccess
from graph.engine import GraphEngine
from graph.outbox import (
    mark_applied,
    pending_changes,
    resources_for_index,
    resources_page_for_index,
)
from search.documents import Vocabulary, resource_document
from search.index import apply_documents, rebuild_index
from search.mapping import index_body
from server.leases import Lease
from server.periodic import PeriodicTask

__all__ = ["SearchSync", "SyncMetrics", "rebuild_from_graph"]

BATCH = 500


@dataclass
class SyncMetrics:
    applied_events: int = 0
    failed_batches: int = 0
    last_lag_ms: float = 0.0
    max_lag_ms: float = 0.0
    last_error: str | None = None
    lags: list[float] = field(default_factory=list)


class SearchSync:
    def __init__(
        self,
        graph: GraphEngine,
        search: AsyncElasticsearch,
        alias: str,
        vocabulary: Vocabulary,
        interval_ms: int,
        lease: Lease | None = None,
    ) -> None:
        """`lease`: with replicas, the one that holds it runs the loop (index writes once)."""
        self.graph = graph
        self.search = search
        self.alias = alias
        self.vocabulary = vocabulary
        self.interval = interval_ms / 1000
        self.metrics = SyncMetrics()
        # The sync reads every resource whole: the index applies visibility itself.
        self.access = GraphAccess.system(actor="search-sync", now_ms=time.time_ns() // 1_000_000)
        # Runs at once, then every interval or when a write wakes it; search down or graph
        # down: retried with doubling waits up to 5 s.
        self.runner = PeriodicTask(
            "search-sync",
            self.drain,
            self.interval,
            first_delay=0,
            max_backoff=5.0,
            on_error=self._failed,
            lease=lease,
        )
        # Held by a pass and by a rebuild, so a pass never writes into an index being rebuilt.
        self._applying = asyncio.Lock()
        # Set while an embedded engine that lost the index comes back: a pass would write
        # into the empty engine (creating an index by the alias's name) before the rebuild.
        self._suspended = False

    def documents(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [resource_document(r, self.vocabulary) for r in records]

    async def apply_pending(self) -> int:
        """One pass: apply up to BATCH pending resources. Returns how many were applied."""
        async with self._applying:
            return 0 if self._suspended else await self._apply_pending()

    async def suspend(self) -> None:
        """No passes until `rebuild` (a pass in flight is waited for)."""
        self._suspended = True
        async with self._applying:
            pass

    async def rebuild(self, *, nori: bool = False) -> int:
        """Rebuild the index from the graph (an embedded engine lost it) with no pass running
        meanwhile, then resume passes: writes made during the rebuild stay pending and are
        applied after it. Returns how many resources were indexed."""
        async with self._applying:
            _, count = await rebuild_from_graph(self, nori=nori)
            self._suspended = False
        self.poke()
        return count

    async def _apply_pending(self) -> int:
        changes = await pending_changes(self.graph, BATCH)
        if not changes:
            return 0
        ids = [c["entityId"] for c in changes if c["entity"] == "Resource"]
        records = await resources_for_index(self.graph, ids, self.access)
        present = {r["id"] for r in records}
        await apply_documents(
            self.search, self.alias, self.documents(records), [i for i in ids if i not in present]
        )
        await mark_applied(self.graph, changes)
        now = time.time() * 1000
        lag = max(0.0, now - min(c["pendingSince"] for c in changes))
        self.metrics.applied_events += len(changes)
        self.metrics.last_lag_ms = lag
        self.metrics.max_lag_ms = max(self.metrics.max_lag_ms, lag)
        self.metrics.lags = [*self.metrics.lags[-999:], lag]
        return len(changes)

    def poke(self) -> None:
        """Wake the loop now (after a write) instead of at the next interval."""
        self.runner.wake()

    async def drain(self) -> None:
        """Apply batches until the outbox is empty (the runner's job)."""
        while await self.apply_pending() == BATCH:
            pass
        self.metrics.last_error = None

    def _failed(self, exc: Exception) -> None:
        self.metrics.failed_batches += 1
        self.metrics.last_error = f"{type(exc).__name__}: {exc}"[:300]

    def start(self) -> None:
        self.runner.start()

    async def stop(self) -> None:
        await self.runner.stop()


async def rebuild_from_graph(sync: SearchSync, *, nori: bool = False) -> tuple[str, int]:
    """Build a fresh index from every resource in the graph and swap the alias to it."""

    async def batches() -> AsyncIterator[list[dict[str, Any]]]:
        after: str | None = ""
        while after is not None:
            records, after = await resources_page_for_index(
                sync.graph, sync.access, after=after, limit=BATCH
            )
            if records:
                yield sync.documents(records)

    body = index_body(sync.vocabulary.fingerprint, nori=nori)
    return await rebuild_index(sync.search, sync.alias, batches(), body)
