"""Every Cypher statement in graph/ parses and plans on the real Neo4j 5 of the local engine
set (`EXPLAIN`: planned, never run, no parameters needed), so a statement no test happens to
run still cannot reach production broken. The tests that run the statements do so on both
engine sets; this catches the ones they miss. (Until Neo4j ran here this was a third-party
parser's opinion of Neo4j's dialect, and cost four times as long.)"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from neo4j.exceptions import ClientError

import graph
from graph.engine import GraphEngine
from tests.support.scheduling import LOCAL_ONLY

_KEYWORDS = ("MATCH", "MERGE", "CREATE", "UNWIND", "RETURN", "CALL")


def graph_statements() -> list[tuple[str, str]]:
    found = []
    for info in pkgutil.iter_modules(graph.__path__):
        module = importlib.import_module(f"graph.{info.name}")
        for name, value in vars(module).items():
            public = name.isupper() and not name.startswith("_")  # _FRAGMENTS are partial
            if public and isinstance(value, str) and value.lstrip().startswith(_KEYWORDS):
                if "\n" in value or " " in value.strip():
                    found.append((f"graph.{info.name}.{name}", value))
    return found


def test_the_collector_finds_the_statements():
    names = {name for name, _ in graph_statements()}
    assert "graph.resources.INSERT_RESOURCE" in names
    assert "graph.resources.LIST_RESOURCES" in names
    assert "graph.outbox.PENDING_CHANGES" in names
    assert "graph.outbox.MARK_APPLIED" in names
    assert len(names) >= 100


async def refused(graph: GraphEngine, statement: str) -> str | None:
    """Neo4j's complaint about the statement, or None when it plans."""
    try:
        await graph.run(f"EXPLAIN {statement}")
    except ClientError as exc:  # CypherSyntaxError, and a statement Neo4j cannot plan
        return str(exc)
    return None


@LOCAL_ONLY
async def test_every_statement_plans_on_neo4j(backends):
    failures = {}
    for name, statement in graph_statements():
        complaint = await refused(backends.graph, statement)
        if complaint:
            failures[name] = complaint[:300]
    assert not failures, failures


@LOCAL_ONLY
@pytest.mark.parametrize(
    "broken",
    [
        "MATCH (r:Resource RETURN r",
        "MATCH (r:Resource) RETURN r ORDER",
        "MATCH (r:Resource) WHERE RETURN r",
        "MATCH (r:Resource) RETURN r.id AS id UNION MATCH (i:Institution) RETURN i",
    ],
)
async def test_the_check_refuses_broken_statements(backends, broken):
    assert await refused(backends.graph, broken)
