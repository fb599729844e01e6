"""Every Cypher statement in graph/ must also parse as Neo4j 5 Cypher: Neo4j cannot run here,
so this keeps the production path honest (graphglot's neo4j dialect)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from graphglot.dialect import Dialect

import graph
from graph.migrations import neo4j_ddl

NEO4J = Dialect.get_or_raise("neo4j")
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


STATEMENTS = graph_statements()


def test_the_collector_finds_the_statements():
    names = {name for name, _ in STATEMENTS}
    assert "graph.resources.INSERT_RESOURCE" in names
    assert "graph.resources.LIST_RESOURCES" in names
    assert "graph.outbox.PENDING_CHANGES" in names
    assert "graph.outbox.MARK_APPLIED" in names
    assert len(STATEMENTS) >= 20


@pytest.mark.parametrize(("name", "statement"), STATEMENTS, ids=[n for n, _ in STATEMENTS])
def test_statement_parses_as_neo4j(name, statement):
    result = NEO4J.validate(statement)
    assert result.success, (
        f"{name} does not parse as Neo4j Cypher: {result.error or result.diagnostics}"
    )


@pytest.mark.parametrize("statement", neo4j_ddl())
def test_neo4j_ddl_parses(statement):
    assert NEO4J.validate(statement).success, statement


@pytest.mark.parametrize(
    "broken",
    [
        "MATCH (r:Resource RETURN r",
        "MATCH (r:Resource) RETURN r ORDER",
        "MATCH (r:Resource) WHERE RETURN r",
    ],
)
def test_the_check_rejects_broken_statements(broken):
    assert not NEO4J.validate(broken).success
