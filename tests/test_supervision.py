"""Supervision of the engines Hanaro starts, on each engine set: SIGKILL of the graph child
(FalkorDB, or the local Neo4j) or of the search child (osmem, or the local OpenSearch) — the
pid the runtime reports, nothing else — under a bounded write load. The child is reaped
and started again, /readyz recovers by itself, and every write acknowledged before, during or
after the crash is readable and searchable, without restarting Hanaro.

These tests start their own engines (the session's are shared by every other test)."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest

from graph.institutions import upsert_institutions
from server.app import create_app
from server.auth import issue_token
from server.engines import open_backends
from server.runtime import running
from tests.support.institutions import institution
from tests.support.resources import resource_input
from tests.support.scheduling import own_engines

REGISTER = """mutation($input: RegisterResourceInput!) { registerResource(input: $input) { id } }"""
WRITERS = 3
MAX_WRITES = 150  # before and while the engine is down; the test allows more once it is back


@dataclass
class Budget:
    """Writes the writers may still make: bounded, and topped up by the test after the
    recovery (a JVM takes tens of seconds to come back, long enough to spend any budget)."""

    left: int


async def write_load(
    client: httpx.AsyncClient,
    token: str,
    marker: str,
    stop: asyncio.Event,
    budget: Budget,
    acknowledged: list[str],
    refused: list[str],
) -> None:
    """Register resources until `stop`, while the budget lasts; keep the ids acknowledged and
    the codes refused."""
    while not stop.is_set():
        if budget.left <= 0:
            await asyncio.sleep(0.05)
            continue
        budget.left -= 1
        name = f"{marker} 감시 {uuid.uuid4().hex[:8]}"
        response = await client.post(
            "/graphql",
            json={"query": REGISTER, "variables": {"input": resource_input(name=name)}},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code < 500 or response.status_code == 503, response.text
        body = response.json()
        if body.get("errors"):
            refused.extend(e["extensions"]["code"] for e in body["errors"])
        else:
            acknowledged.append(body["data"]["registerResource"]["id"])
        await asyncio.sleep(0.02)


async def eventually(check: Any, what: str, seconds: float = 60) -> None:
    async with asyncio.timeout(seconds):
        while not await check():
            await asyncio.sleep(0.1)


CHILDREN = {
    "embedded": {"graph": "falkordb", "search": "osmem"},
    "local": {"graph": "neo4j", "search": "opensearch"},
}


@own_engines()
@pytest.mark.parametrize("role", ["graph", "search"])
async def test_a_killed_engine_comes_back_with_everything_acknowledged(
    settings, engine_set, tmp_path, role
):
    engine = CHILDREN[engine_set][role]
    # A JVM takes longer to start again than FalkorDB or osmem.
    recovery = 60 if engine_set == "embedded" else 240
    own = replace(settings, data_dir=tmp_path / "data", neo4j_uri=None, elasticsearch_url=None)
    backends = await open_backends(own)
    try:
        async with running(backends) as runtime:
            await upsert_institutions(
                backends.graph, [institution("ins_owner01", "5011025000")], "2026-01-01T00:00Z"
            )
            token = issue_token(runtime.secret, subject="kim", institution_id="ins_owner01",
                                roles=["REGISTRANT"], ttl_seconds=600)  # fmt: skip
            transport = httpx.ASGITransport(app=create_app(runtime))
            marker = f"m{uuid.uuid4().hex[:6]}"
            acknowledged: list[str] = []
            refused: list[str] = []
            stop = asyncio.Event()
            budget = Budget(MAX_WRITES)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:

                async def ready() -> bool:
                    return (await client.get("/readyz")).status_code == 200

                writers = [
                    asyncio.create_task(
                        write_load(client, token, marker, stop, budget, acknowledged, refused)
                    )
                    for _ in range(WRITERS)
                ]
                await eventually(lambda: _at_least(acknowledged, 10), "writes before the crash")
                victim = runtime.supervisor.pid(engine)
                assert victim is not None
                os.kill(victim, signal.SIGKILL)
                # /readyz notices, then recovers by itself; the child is a new process.
                await eventually(_not(ready), "readyz to notice", 10)
                await eventually(ready, "readyz to recover", recovery)
                assert runtime.supervisor.pid(engine) != victim
                assert runtime.supervisor.children[engine].state.restarts == 1
                with pytest.raises(ChildProcessError):  # reaped: no zombie left
                    os.waitpid(victim, os.WNOHANG)
                before = len(acknowledged)
                budget.left += 30
                await eventually(lambda: _at_least(acknowledged, before + 10), "writes after")
                stop.set()
                await asyncio.gather(*writers)

                # Only UNAVAILABLE while an engine was down; never an internal error.
                assert set(refused) <= {"UNAVAILABLE"}, refused
                if role == "search":
                    assert not refused  # the graph took every write meanwhile
                await _all_readable(client, token, acknowledged)

                async def all_found() -> bool:
                    # A write may also be stored whose answer was lost in the crash: more
                    # than was acknowledged may be found, never less.
                    return await _found(client, token, marker) >= set(acknowledged)

                await eventually(all_found, "every acknowledged write searchable", recovery)
    finally:
        await backends.close()


async def _at_least(items: list[str], count: int) -> bool:
    return len(items) >= count


def _not(check: Any) -> Any:
    async def negated() -> bool:
        return not await check()

    return negated


async def _all_readable(client: httpx.AsyncClient, token: str, ids: list[str]) -> None:
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Resource { id } } }"
    representations = [{"__typename": "Resource", "id": i} for i in ids]
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": {"r": representations}},
        headers={"Authorization": f"Bearer {token}"},
    )
    found = [e["id"] for e in response.json()["data"]["_entities"] if e]
    assert found == ids


async def _found(client: httpx.AsyncClient, token: str, marker: str) -> set[str]:
    ids: set[str] = set()
    after = None
    while True:
        page = {"text": marker, "first": 100, **({"after": after} if after else {})}
        response = await client.post(
            "/graphql",
            json={
                "query": """query($i: ResourceSearchInput!) { searchResources(input: $i) {
                  hits { resource { id } } pageInfo { hasNextPage endCursor } } }""",
                "variables": {"i": page},
            },
            headers={"Authorization": f"Bearer {token}"},
        )
        body = response.json()
        if body.get("errors"):
            return set()  # search still unavailable
        result = body["data"]["searchResources"]
        ids |= {h["resource"]["id"] for h in result["hits"]}
        if not result["pageInfo"]["hasNextPage"]:
            return ids
        after = result["pageInfo"]["endCursor"]
