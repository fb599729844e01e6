"""Index lifecycle behind an alias: create on first use, bulk apply with external versions,
and rebuild-into-a-new-index-then-swap, so searches never meet a missing or half index."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from elasticsearch import AsyncElasticsearch, NotFoundError
from elasticsearch.helpers import async_bulk

__all__ = ["apply_documents", "ensure_index", "rebuild_index"]

log = logging.getLogger("hanaro.search")

# Bulk requests of a rebuild the engine works on at once, while the next batch is made.
IN_FLIGHT = 2


async def ensure_index(client: AsyncElasticsearch, alias: str, body: dict[str, Any]) -> str | None:
    """The index `alias` points at when its mapping's `_meta` is `body`'s (the document format
    and the taxonomy vocabulary its documents were written with); a new empty one when there
    is none. None when the index was written another way: its documents may lack what
    searches check (the audience markers) or carry a need's old words, so the caller rebuilds
    it from the graph (`rebuild_index`), which swaps the alias only when the new one is full."""
    try:
        old = list((await client.indices.get_alias(name=alias)).body)
    except NotFoundError:
        old = []
    if old:
        mappings = (await client.indices.get_mapping(index=old)).body
        wanted = body["mappings"].get("_meta")
        found = [m["mappings"].get("_meta") for m in mappings.values()]
        if all(meta == wanted for meta in found):
            return old[0]
        log.warning(
            "search index %s was written as %s, not %s: to be rebuilt from the graph",
            ", ".join(old),
            found,
            wanted,
        )
        return None
    name = f"{alias}-{time.time_ns()}"
    await client.indices.create(index=name, body=body)
    await _move_alias(client, alias, old, name)
    await _drop(client, old)
    return name


async def apply_documents(
    client: AsyncElasticsearch,
    index: str,
    documents: list[dict[str, Any]],
    deleted_ids: list[str],
    *,
    refresh: bool = True,
) -> None:
    """Index the current state of records and delete the ones that are gone. Idempotent:
    documents carry the whole state, and an older version never overwrites a newer one
    (external versioning)."""
    actions: list[dict[str, Any]] = [
        {
            "_op_type": "index",
            "_index": index,
            "_id": doc["id"],
            "version": doc["version"],
            "version_type": "external_gte",
            "_source": doc,
        }
        for doc in documents
    ]
    actions += [{"_op_type": "delete", "_index": index, "_id": rid} for rid in deleted_ids]
    if not actions:
        return
    _, errors = await async_bulk(
        client, actions, refresh=refresh, raise_on_error=False, raise_on_exception=True
    )
    real = [
        e
        for e in errors  # type: ignore[union-attr]
        if next(iter(e.values())).get("status") not in (404, 409)
    ]
    if real:
        raise RuntimeError(f"bulk indexing failed for {len(real)} documents: {real[:3]}")


async def rebuild_index(
    client: AsyncElasticsearch,
    alias: str,
    batches: AsyncIterator[list[dict[str, Any]]],
    body: dict[str, Any],
) -> tuple[str, int]:
    """Build a new index from `batches`, then move the alias to it in one `update_aliases`
    call and drop the old index. The engine indexes up to IN_FLIGHT batches while the next is
    read and made (`batches`: the graph and this process) — 1,678 against 1,290 documents/s
    with one batch at a time at 100,000 resources (docs/benchmarks.md) — and refreshes only
    once, at the end: no one searches the new index before the alias moves."""
    name = f"{alias}-{time.time_ns()}"
    settings = {**body.get("settings", {}), "refresh_interval": "-1"}
    await client.indices.create(index=name, body={**body, "settings": settings})
    try:
        total = await _fill(client, name, batches)
        old = await _aliased(client, alias)
        await _move_alias(client, alias, old, name)
    except BaseException:
        # Nothing points at the new index yet: a failed build leaves no half-built index
        # behind (each would hold up to the whole directory's documents).
        with contextlib.suppress(Exception):
            await client.indices.delete(index=name)
        raise
    await _drop(client, old)
    return name, total


async def _fill(
    client: AsyncElasticsearch, name: str, batches: AsyncIterator[list[dict[str, Any]]]
) -> int:
    """Index every batch into `name`, then refresh it once; the number of documents."""
    total = 0
    indexing: list[asyncio.Task[None]] = []
    try:
        async for documents in batches:
            if len(indexing) == IN_FLIGHT:
                await indexing.pop(0)
            indexing.append(
                asyncio.create_task(apply_documents(client, name, documents, [], refresh=False))
            )
            total += len(documents)
        for task in indexing:
            await task
    finally:
        for task in indexing:
            task.cancel()
    await client.indices.put_settings(index=name, settings={"refresh_interval": None})
    await client.indices.refresh(index=name)
    return total


async def _aliased(client: AsyncElasticsearch, alias: str) -> list[str]:
    """The indexes `alias` points at now, clearing the way when an index holds its name."""
    try:
        return list((await client.indices.get_alias(name=alias)).body)
    except NotFoundError:
        if (await client.indices.exists(index=alias)).body:
            # An index by the alias's name: made by a write to the alias while the engine
            # had none (an embedded engine that just restarted). Its documents are in ours.
            log.warning("dropping the index %s that stands where the alias goes", alias)
            await client.indices.delete(index=alias)
        return []


async def _move_alias(client: AsyncElasticsearch, alias: str, old: list[str], name: str) -> None:
    """Point `alias` from the `old` indexes to `name` in one call: no search misses."""
    actions: list[dict[str, Any]] = [{"remove": {"index": i, "alias": alias}} for i in old]
    actions.append({"add": {"index": name, "alias": alias}})
    await client.indices.update_aliases(actions=actions)


async def _drop(client: AsyncElasticsearch, indexes: list[str]) -> None:
    for index in indexes:
        await client.indices.delete(index=index)
