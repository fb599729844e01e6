"""Acknowledged writes survive a SIGKILL of the embedded graph engine (append-only file,
fsync on every write) and a restart on the same data dir."""

from __future__ import annotations

import contextlib
import os
import signal

import httpx

from graph.institutions import upsert_institutions
from graph.resources import from_properties
from search.engine import make_search_client
from server.app import create_app
from server.engines import Backends, EmbeddedFalkorDB
from server.runtime import running
from tests.conftest import Api, institution
from tests.test_resources_api import REGISTER, resource_input


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


async def test_acknowledged_mutation_survives_engine_kill(tmp_path, osmem, settings):
    """A registerResource that returned is on disk: SIGKILL the engine right after the
    response and find the resource after a restart."""
    engine = EmbeddedFalkorDB.start(tmp_path)
    graph = engine.engine("durable-api")
    backends = Backends(settings, graph, make_search_client(osmem.url, embedded=True))
    async with running(backends) as runtime:
        await upsert_institutions(
            graph, [institution("ins_owner01", "5011025000")], "2026-01-01T00:00:00.000Z"
        )
        transport = httpx.ASGITransport(app=create_app(runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            api = Api(client, runtime)
            token = api.token("ins_owner01", "REGISTRANT")
            created = (await api.ok(REGISTER, {"input": resource_input()}, token))[
                "registerResource"
            ]
            hard_kill(engine)
    await backends.close()
    engine.stop()

    async with restarted_graph(tmp_path, "durable-api") as graph:
        rows = await graph.run(
            "MATCH (r:Resource {id: $id})<-[:PROVIDES]-(i:Institution) "
            "RETURN properties(r) AS props, i.id AS provider",
            {"id": created["id"]},
        )
        assert len(rows) == 1 and rows[0]["provider"] == "ins_owner01"
        assert from_properties(rows[0]["props"])["name"] == created["name"]
        markers = await graph.run(
            "MATCH (o:OutboxMarker {entityId: $id}) RETURN o.seq AS seq", {"id": created["id"]}
        )
        assert [m["seq"] for m in markers] == [1]  # the outbox mark went with it
