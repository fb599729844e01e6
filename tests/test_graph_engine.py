"""The graph port on each engine set's adapter, and the migrations."""

from __future__ import annotations

import pytest

from graph.engine import GraphConstraintError, GraphUnavailable, round_trips
from graph.falkordb import FalkorDBEngine
from graph.migrations import UNIQUE_KEYS, migrate, unique_keys
from graph.needs import load_need_seed


async def test_rows_are_plain_dicts_and_round_trips_are_counted(backends):
    graph = backends.graph
    assert await graph.run("MATCH (n) RETURN n.id AS id") == []  # graph not created yet
    counter = round_trips()
    await graph.run("CREATE (:Thing {id: 'a', tags: ['x', 'y'], n: 1})", write=True)
    rows = await graph.run(
        "MATCH (t:Thing) RETURN t.id AS id, t.tags AS tags, {n: t.n} AS m, properties(t) AS p"
    )
    assert rows == [
        {"id": "a", "tags": ["x", "y"], "m": {"n": 1}, "p": {"id": "a", "tags": ["x", "y"], "n": 1}}
    ]
    assert counter.count == 2


async def test_migrations_are_idempotent_and_enforce_uniqueness(backends):
    graph = backends.graph
    await migrate(graph)
    await migrate(graph)
    assert set(UNIQUE_KEYS) <= await unique_keys(graph)
    counts = await graph.run(
        "MATCH (n:Need) WITH count(n) AS needs MATCH (g:Region) RETURN needs, count(g) AS regions"
    )
    needs = load_need_seed()
    assert counts == [{"needs": len(needs), "regions": 46}]
    links = await graph.run("MATCH (:Need)-[b:BROADER]->(:Need) RETURN count(b) AS n")
    # One per sub-need, not doubled by the second run.
    assert links[0]["n"] == sum(1 for n in needs if n["parent"])
    await graph.run("CREATE (:Institution {id: 'ins_dup00001'})", write=True)
    with pytest.raises(GraphConstraintError):
        await graph.run("CREATE (:Institution {id: 'ins_dup00001'})", write=True)
    rows = await graph.run("MATCH (i:Institution {id: 'ins_dup00001'}) RETURN count(i) AS n")
    assert rows[0]["n"] == 1


async def test_unreachable_engine_raises_graph_unavailable(tmp_path):
    with pytest.raises(GraphUnavailable, match=r"absent\.sock"):
        FalkorDBEngine(graph_name="g", unix_socket_path=str(tmp_path / "absent.sock"))
