"""Cleaning up after a test on the shared engine processes."""

from __future__ import annotations

from server.engines import Backends


async def discard(backends: Backends) -> None:
    """Drop what one test wrote: its graph, and its indexes (alias `search_index`)."""
    await backends.graph.drop()
    await backends.search.indices.delete(
        index=f"{backends.settings.search_index}*", ignore_unavailable=True
    )
