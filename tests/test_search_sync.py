"""The outbox-to-index sync on the real embedded search engine: the index is rebuilt from the
graph at start, writes reach it quickly, and nothing is lost while search is down."""

from __future__ import annotations

import asyncio
import time

from graph.resources import upsert_resources
from search.engine import make_search_client
from search.index import ensure_index
from search.resources import index_body, with_ancestors
from server.runtime import running
from tests.test_resources_api import REGISTER, UPDATE, resource_input


async def indexed(runtime, resource_id: str) -> dict | None:
    client = runtime.backends.search
    result = await client.search(
        index=runtime.settings.search_index, query={"ids": {"values": [resource_id]}}
    )
    hits = result["hits"]["hits"]
    return hits[0]["_source"] if hits else None


async def wait_indexed(runtime, resource_id: str, version: int, timeout: float = 3.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        doc = await indexed(runtime, resource_id)
        if doc and doc["version"] == version:
            return time.monotonic() - start
        await asyncio.sleep(0.02)
    raise AssertionError(f"{resource_id} v{version} not indexed within {timeout}s")


async def test_writes_reach_the_index_within_a_second(api):
    token = api.token("ins_owner01", "REGISTRANT")
    created = (await api.ok(REGISTER, {"input": resource_input()}, token))["registerResource"]
    assert await wait_indexed(api.runtime, created["id"], 1) < 1.0
    doc = await indexed(api.runtime, created["id"])
    assert doc["needsWithAncestors"] == ["DAILY_LIVING_MEALS", "DAILY_LIVING"]
    assert doc["regionsWithAncestors"] == ["5011025000", "50110", "50"]
    assert doc["providerSector"] == "PRIVATE"
    assert doc["location"] == {"lat": 33.41, "lon": 126.26}

    await api.ok(UPDATE, {"id": created["id"], "v": 1, "input": {"name": "새 이름"}}, token)
    assert await wait_indexed(api.runtime, created["id"], 2) < 1.0
    assert (await indexed(api.runtime, created["id"]))["name"] == "새 이름"
    assert api.runtime.sync.metrics.last_lag_ms < 1000


async def test_index_is_rebuilt_from_the_graph_at_start(backends, api):
    records = [
        {
            **resource_input(name=f"bulk {i}"),
            "id": f"res_bulk{i:04d}",
            "providerId": "ins_owner01",
            "status": "ACTIVE",
            "version": 1,
            "createdAt": "2026-01-01T00:00:00.000Z",
            "updatedAt": "2026-01-01T00:00:00.000Z",
            "capacity": {"total": 1, "available": 1, "updatedAt": None},
            "visibility": {"listing": "PUBLIC", "fields": {}, "partners": []},
        }
        for i in range(30)
    ]
    for record in records:
        record["visibility"]["fields"] = {
            f: "PUBLIC"
            for f in (
                "description",
                "contact",
                "address",
                "capacity",
                "schedule",
                "eligibility",
                "internalNotes",
            )
        }
    await upsert_resources(
        backends.graph, records, event_ids=[f"evt_b{i}" for i in range(30)], now_ms=0
    )
    await backends.graph.run("MATCH (o:OutboxEvent) DELETE o", write=True)
    # A second server start on the same graph rebuilds the (in-memory) index from the graph.
    async with running(backends) as second:
        count = await second.backends.search.count(index=second.settings.search_index)
        assert count["count"] == 30


async def test_search_down_then_up_loses_no_update(api):
    runtime = api.runtime
    sync = runtime.sync
    token = api.token("ins_owner01", "REGISTRANT")
    live = sync.search
    dead = make_search_client("http://127.0.0.1:9", embedded=True)
    sync.search = dead
    try:
        created = (await api.ok(REGISTER, {"input": resource_input()}, token))["registerResource"]
        await api.ok(UPDATE, {"id": created["id"], "v": 1, "input": {"name": "v2"}}, token)
        await asyncio.sleep(0.3)
        assert sync.metrics.failed_batches >= 1
        pending = await runtime.backends.graph.run("MATCH (o:OutboxEvent) RETURN count(o) AS n")
        assert pending[0]["n"] == 2
        assert await indexed(runtime, created["id"]) is None
    finally:
        sync.search = live
        await dead.close()
    sync.poke()
    await wait_indexed(runtime, created["id"], 2, timeout=10)
    assert (await indexed(runtime, created["id"]))["name"] == "v2"
    pending = await runtime.backends.graph.run("MATCH (o:OutboxEvent) RETURN count(o) AS n")
    assert pending[0]["n"] == 0


async def test_replayed_and_out_of_order_events_change_nothing(api):
    runtime = api.runtime
    token = api.token("ins_owner01", "REGISTRANT")
    created = (await api.ok(REGISTER, {"input": resource_input()}, token))["registerResource"]
    await api.ok(UPDATE, {"id": created["id"], "v": 1, "input": {"name": "v2"}}, token)
    await wait_indexed(runtime, created["id"], 2)
    # Replay an old event (version 1) after the newer one: the index keeps version 2.
    await runtime.backends.graph.run(
        "CREATE (:OutboxEvent {id: 'evt_replay1', entity: 'Resource', entityId: $id, "
        "version: 1, createdAt: 0})",
        {"id": created["id"]},
        write=True,
    )
    await runtime.sync.apply_pending()
    await runtime.sync.apply_pending()
    doc = await indexed(runtime, created["id"])
    assert doc["version"] == 2 and doc["name"] == "v2"


def test_with_ancestors():
    parents = {"a": None, "b": "a", "c": "b", "d": "a"}
    assert with_ancestors(["c", "d"], parents) == ["c", "b", "a", "d"]


async def test_an_index_of_an_older_document_format_is_replaced_by_an_empty_one(backends):
    """Documents written before `withheldFrom` existed would be withheld from no one: an index
    without the current format in its `_meta` is replaced (finding less, never more) until
    `hanaro reindex`; an index of the current format is kept."""
    client, alias = backends.search, f"{backends.settings.search_index}-format"
    body = index_body()
    old = f"{alias}-1"
    await client.indices.create(
        index=old, body={**body, "mappings": {"properties": body["mappings"]["properties"]}}
    )
    await client.index(index=old, id="r", document={"id": "r", "seeListing": ["x"]}, refresh=True)
    await client.indices.put_alias(index=old, name=alias)
    name = await ensure_index(client, alias, body)
    assert name != old and not await client.indices.exists(index=old)
    assert (await client.count(index=alias))["count"] == 0
    assert await ensure_index(client, alias, body) == name
    await client.indices.delete(index=name)
