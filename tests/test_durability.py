"""Acknowledged writes survive a SIGKILL of the graph engine and a restart on the same data dir:
the embedded FalkorDB (append-only file, fsync on every write) and the local Neo4j (transaction
log forced at commit)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from dataclasses import replace

import httpx
from elasticsearch import NotFoundError

from graph.institutions import upsert_institutions
from search.engine import make_search_client
from server.app import create_app
from server.engines import (
    EmbeddedFalkorDB,
    EngineChildren,
    connect,
    search_target,
    start_engines,
)
from server.local_engines import OPENSEARCH, JavaChild, free_port
from server.runtime import running
from tests.support.api import Api
from tests.support.institutions import institution
from tests.support.resources import REGISTER, resource_input
from tests.support.scheduling import LOCAL_ONLY


def hard_kill(engine: EmbeddedFalkorDB) -> None:
    os.kill(engine.process.pid, signal.SIGKILL)
    engine.process.wait()


@contextlib.asynccontextmanager
async def restarted_graph(data_dir, graph_name: str):
    """A fresh engine on the same files, stopped afterwards."""
    engine = EmbeddedFalkorDB.start(data_dir)
    graph = engine.engine(graph_name)
    try:
        yield graph
    finally:
        await graph.close()
        engine.stop()


async def test_writes_survive_sigkill_and_restart(tmp_path):
    engine = EmbeddedFalkorDB.start(tmp_path)
    graph = engine.engine("durable")
    for i in range(200):
        await graph.run("CREATE (:Probe {id: $id, n: $n})", {"id": f"p{i}", "n": i}, write=True)
    await graph.run("MATCH (p:Probe {id: 'p7'}) SET p.n = -7", write=True)
    hard_kill(engine)
    await graph.close()
    engine.stop()

    async with restarted_graph(tmp_path, "durable") as graph:
        rows = await graph.run("MATCH (p:Probe) RETURN count(p) AS n, sum(p.n) AS total")
        assert rows == [{"n": 200, "total": sum(range(200)) - 14}]


async def test_a_second_server_cannot_open_the_same_data_dir(tmp_path):
    engine = EmbeddedFalkorDB.start(tmp_path)
    try:
        try:
            EmbeddedFalkorDB.start(tmp_path)
        except Exception as exc:  # StartupError
            assert "in use by another hanaro process" in str(exc)
        else:
            raise AssertionError("a second engine started on the same data dir")
    finally:
        engine.stop()


async def test_acknowledged_writes_survive_engine_kill_under_load(
    tmp_path, engine_set, engines, settings
):
    """Every registerResource that returned is on disk: writers register resources until the
    graph engine is SIGKILLed in the middle of their stream, and after a restart every
    acknowledged resource is there with its outbox mark — for the engine set's own graph
    process (FalkorDB's append-only file, Neo4j's transaction log) on a data dir of its own."""
    search_url, _ = await search_target(settings, engines)
    own = replace(
        settings, data_dir=tmp_path, graph_name="durable-api", elasticsearch_url=search_url
    )
    children = await asyncio.to_thread(start_engines, own)
    # Not owned: the server's supervisor would start the killed engine again, and this test
    # restarts it itself.
    backends = await connect(own, children)
    acknowledged: list[dict] = []
    try:
        async with running(backends) as runtime:
            await upsert_institutions(
                backends.graph,
                [institution("ins_owner01", "5011025000")],
                "2026-01-01T00:00:00.000Z",
            )
            transport = httpx.ASGITransport(app=create_app(runtime))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                api = Api(client, runtime)
                token = api.token("ins_owner01", "REGISTRANT")

                async def writer(n: int) -> None:
                    for i in range(40):  # bounded: stops by itself if the kill came late
                        body = await api(
                            REGISTER, {"input": resource_input(name=f"r{n}-{i}")}, token
                        )
                        if body.get("errors"):
                            return
                        acknowledged.append(body["data"]["registerResource"])

                writers = [asyncio.create_task(writer(n)) for n in range(4)]
                while len(acknowledged) < 20 and not all(w.done() for w in writers):
                    await asyncio.sleep(0.01)
                os.kill(children.pids()["graph"], signal.SIGKILL)
                await asyncio.gather(*writers)
                await asyncio.to_thread(_reap, children)
    finally:
        await backends.close()
        await asyncio.to_thread(children.stop)
    assert len(acknowledged) >= 20

    again = await asyncio.to_thread(start_engines, own)
    restarted = await connect(own, again, owned=True)
    try:
        rows = await restarted.graph.run(
            "MATCH (r:Resource)<-[:PROVIDES]-(i:Institution {id: 'ins_owner01'}) "
            "MATCH (o:OutboxMarker {entityId: r.id}) "
            "RETURN r.id AS id, r.name AS name, o.seq AS seq"
        )
        found = {row["id"]: row for row in rows}
        for created in acknowledged:
            assert found[created["id"]]["name"] == created["name"]
            assert found[created["id"]]["seq"] == 1  # the outbox mark went with it
    finally:
        await restarted.close()


def _reap(children: EngineChildren) -> None:
    """Wait for the killed graph process (ours), so its data dir lock is free again."""
    process = children.falkordb.process if children.falkordb else children.neo4j.process
    process.wait(30)


@LOCAL_ONLY
async def test_opensearch_killed_mid_sync_loses_no_update(tmp_path, backends):
    """The local OpenSearch is SIGKILLed while resources are written and indexed: writes keep
    being acknowledged (the graph holds them, their outbox marks stay pending), and once the
    engine is back on its data dir the sync loop indexes every one of them. An OpenSearch of
    this test's own, so the session's engine is not touched."""
    port = free_port()

    def own_opensearch() -> JavaChild:  # on its data dir and port, started again below
        return JavaChild.spawn(
            OPENSEARCH, tmp_path / "os", port=port, heap_mb=512, args=(str(free_port()),)
        ).wait_ready()

    engine = await asyncio.to_thread(own_opensearch)
    live, backends.search = backends.search, make_search_client(f"http://127.0.0.1:{port}")
    written: list[dict] = []
    try:
        async with running(backends) as runtime:
            await upsert_institutions(
                backends.graph, [institution("ins_owner01", "5011025000")], "2026-01-01T00:00:00Z"
            )
            transport = httpx.ASGITransport(app=create_app(runtime))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                api = Api(client, runtime)
                token = api.token("ins_owner01", "REGISTRANT")

                async def write(n: int) -> None:
                    body = await api.ok(REGISTER, {"input": resource_input(name=f"r{n}")}, token)
                    written.append(body["registerResource"])

                for n in range(10):
                    await write(n)
                os.kill(engine.pid, signal.SIGKILL)
                await asyncio.to_thread(engine.process.wait, 30)
                await asyncio.to_thread(engine.stop, 1)  # frees its data dir lock
                for n in range(10, 25):  # acknowledged while search is down
                    await write(n)
                engine = await asyncio.to_thread(own_opensearch)
                ids = {w["id"] for w in written}
                deadline = time.monotonic() + 60
                indexed: set[str] = set()
                while True:
                    # Until the restarted node has recovered its cluster state from disk, the
                    # index is unknown to it (404): not yet, rather than lost.
                    with contextlib.suppress(NotFoundError):
                        await backends.search.indices.refresh(index=runtime.settings.search_index)
                        found = await backends.search.search(
                            index=runtime.settings.search_index,
                            query={"ids": {"values": sorted(ids)}},
                            size=100,
                        )
                        indexed = {hit["_id"] for hit in found["hits"]["hits"]}
                    if indexed == ids or time.monotonic() > deadline:
                        break
                    await asyncio.sleep(0.2)
                assert indexed == ids
                assert runtime.sync.metrics.failed_batches >= 1
    finally:
        await backends.search.close()
        backends.search = live
        await asyncio.to_thread(engine.stop)
