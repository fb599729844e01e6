"""Institution names held in memory for suggestions as you type: the directory is public and
small beside the resources (one institution for a hundred resources in the benchmarks), and
matching a prefix against it in the graph cost a statement per keystroke that scanned every
name (4–7 ms of a suggestion's 20 at 100,000 resources, docs/benchmarks.md).

The names are read from the graph at the first suggestion and again once they are older than
`MAX_AGE_MS` by the service's clock: a new or renamed institution is suggested by its new name
within that time on every replica. One request reloads while the others go on with the copy
they have; only the first load is waited for."""

from __future__ import annotations

import asyncio

from graph.engine import GraphEngine, Row
from graph.suggestions import institution_names
from vocabulary.suggestions import LabelIndex

__all__ = ["MAX_AGE_MS", "InstitutionNames"]

MAX_AGE_MS = 30_000


class InstitutionNames:
    """The names of every institution and a `LabelIndex` over them, reloaded when stale."""

    def __init__(self, max_age_ms: int = MAX_AGE_MS) -> None:
        self.max_age_ms = max_age_ms
        self.rows: dict[str, Row] = {}
        self.index: LabelIndex | None = None
        self._loaded_at = 0
        self._lock = asyncio.Lock()

    async def current(self, graph: GraphEngine, now_ms: int) -> InstitutionNames:
        """Self, loaded, and reloaded first when older than `max_age_ms` at `now_ms` unless
        another request is already reloading it."""
        stale = self.index is None or now_ms - self._loaded_at >= self.max_age_ms
        if stale and (self.index is None or not self._lock.locked()):
            async with self._lock:
                if self.index is None or now_ms - self._loaded_at >= self.max_age_ms:
                    rows = await institution_names(graph)
                    self.rows = {row["id"]: row for row in rows}
                    self.index = LabelIndex(
                        (row["id"], (row["name"], row["nameEn"])) for row in rows
                    )
                    self._loaded_at = now_ms
        return self
