"""Supervision of the engine processes Hanaro starts itself: a child that dies is reaped,
started again with backoff, and its state rebuilt, while the server keeps answering (writes to
the graph fail with UNAVAILABLE while the graph is down; search answers UNAVAILABLE while the
index is rebuilt; nothing acknowledged is lost).

A child is four callables, so any engine can be plugged in: `pid`, `healthy` (cheap, called
every `interval`; must reap a dead process, e.g. `Popen.poll`), `start` (start it again on
the same data and address) and `after_start` (wait until it answers, rebuild what it lost).
`engine_children` defines them for FalkorDB (state: its append-only file), osmem (state: an
in-memory index, rebuilt from the graph), and the local JVMs: Neo4j (state: its store and
transaction log) and OpenSearch (state: its data folder; writes made while it was down are
still pending in the outbox)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from graph.engine import GraphUnavailable
from graph.falkordb import FalkorDBEngine
from search.engine import SearchUnavailable, ping_search
from server.engines import Backends, EngineChildren, start_osmem
from server.local_engines import JavaChild
from server.periodic import PeriodicTask
from server.sync import SearchSync

__all__ = ["Child", "ChildState", "Supervisor", "engine_children"]

log = logging.getLogger("hanaro.supervision")


@dataclass
class ChildState:
    restarts: int = 0
    status: str = "running"  # running | restarting
    last_error: str | None = None
    down_since: float | None = None


@dataclass
class Child:
    name: str
    pid: Callable[[], int | None]
    healthy: Callable[[], bool]
    start: Callable[[], Awaitable[None]]
    after_start: Callable[[], Awaitable[None]]
    state: ChildState = field(default_factory=ChildState)


class Supervisor:
    """Checks every child each `interval` seconds; restarts a dead one, waiting `backoff`
    seconds after a failed attempt (doubling up to `max_backoff`) until it is back."""

    def __init__(
        self,
        children: list[Child],
        *,
        interval: float = 0.5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
    ) -> None:
        self.children = {child.name: child for child in children}
        self.interval = interval
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._runner = PeriodicTask("supervisor", self._check, interval, first_delay=interval)

    def pid(self, name: str) -> int | None:
        return self.children[name].pid()

    def start(self) -> None:
        if self.children:
            self._runner.start()

    async def stop(self) -> None:
        await self._runner.stop()

    async def _check(self) -> None:
        for child in self.children.values():
            if not child.healthy():
                await self._recover(child)

    async def _recover(self, child: Child) -> None:
        """Start `child` again and rebuild its state; retried with backoff until both work.
        Children are recovered one at a time: osmem's rebuild reads the graph."""
        state = child.state
        state.status, state.down_since = "restarting", time.monotonic()
        log.error("%s (pid %s) has stopped; starting it again", child.name, child.pid())
        delay = self.backoff
        while True:
            try:
                if not child.healthy():
                    await child.start()
                await child.after_start()
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # start or rebuild failed: try again, later each time
                state.last_error = f"{type(exc).__name__}: {exc}"[:300]
                log.warning("%s did not come back (%s); retry in %.1f s", child.name, exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_backoff)
        state.restarts += 1
        state.status, state.last_error = "running", None
        log.warning(
            "%s is back (pid %s) after %.1f s",
            child.name,
            child.pid(),
            time.monotonic() - (state.down_since or time.monotonic()),
        )


async def _graph_loaded(graph: FalkorDBEngine, timeout: float = 60.0) -> None:
    """Until the restarted FalkorDB has replayed its append-only file."""
    async with asyncio.timeout(timeout):
        while True:
            try:
                info = await graph.execute_command("INFO", "persistence")
                if not int(info.get("loading", 1)):
                    return
            except Exception as exc:  # refused, reset, LOADING: redis-py's errors while it starts
                log.debug("FalkorDB not ready yet: %s", exc)
            await asyncio.sleep(0.05)


def engine_children(backends: Backends, sync: SearchSync, *, nori: bool) -> list[Child]:
    """The children `open_backends` started (none with Neo4j and Elasticsearch configured, or
    for backends that do not own their engines, as in tests on shared engines)."""
    owned = backends.children
    if owned is None:
        return []
    children: list[Child] = []
    falkordb = owned.falkordb
    if falkordb is not None and isinstance(backends.graph, FalkorDBEngine):
        graph = backends.graph

        async def start_falkordb() -> None:
            falkordb.restart()  # in the loop's thread (see EmbeddedFalkorDB.restart)

        async def falkordb_back() -> None:
            await _graph_loaded(graph)
            sync.poke()  # writes made before the crash may wait to be indexed

        children.append(
            Child(
                "falkordb",
                pid=lambda: falkordb.process.pid,
                healthy=lambda: falkordb.process.poll() is None,
                start=start_falkordb,
                after_start=falkordb_back,
            )
        )
    if owned.osmem is not None:
        address = urlsplit(owned.osmem.url).netloc

        async def start_search() -> None:
            await sync.suspend()  # until the index is rebuilt
            owned.osmem = await asyncio.to_thread(start_osmem, address)

        async def index_rebuilt() -> None:
            count = await sync.rebuild(nori=nori)
            log.warning("search index rebuilt from the graph: %d resources", count)

        def osmem_alive() -> bool:
            return owned.osmem is not None and owned.osmem.process.poll() is None

        children.append(
            Child(
                "osmem",
                pid=lambda: owned.osmem.process.pid if owned.osmem else None,
                healthy=osmem_alive,
                start=start_search,
                after_start=index_rebuilt,
            )
        )
    if owned.neo4j is not None:
        children.append(_java_child(owned, "neo4j", backends.graph.ping, sync))
    if owned.opensearch is not None:
        children.append(
            _java_child(owned, "opensearch", lambda: ping_search(backends.search), sync)
        )
    return children


def _java_child(
    owned: EngineChildren, role: str, answers: Callable[[], Awaitable[None]], sync: SearchSync
) -> Child:
    """A local JVM engine: started again on its data folder and port (its clients reconnect
    to the same address), back once it answers; the sync loop is woken, since writes made
    while it was down wait in the outbox."""

    def current() -> JavaChild | None:
        return getattr(owned, role)

    async def start() -> None:
        engine = current()
        assert engine is not None
        setattr(owned, role, await asyncio.to_thread(engine.restarted))

    async def back() -> None:
        async with asyncio.timeout(120):
            while True:
                try:
                    await answers()
                    break
                except (GraphUnavailable, SearchUnavailable) as exc:
                    log.debug("%s not answering yet: %s", role, exc)
                    await asyncio.sleep(0.2)
        sync.poke()

    def alive() -> bool:
        engine = current()
        return engine is not None and engine.alive()

    return Child(
        role,
        pid=lambda: engine.pid if (engine := current()) else None,
        healthy=alive,
        start=start,
        after_start=back,
    )
