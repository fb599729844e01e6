"""FalkorDB adapter (embedded default and test target), through the native `falkordb` client.

FalkorDB's own Bolt port crashes on messages of a few KB, so the embedded engine is reached
over the Redis protocol on a unix socket or a loopback port."""

from __future__ import annotations

from typing import Any

from falkordb.asyncio import FalkorDB
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from graph.engine import (
    GraphConstraintError,
    GraphInputRefused,
    GraphTimeout,
    GraphUnavailable,
    Row,
    count_round_trip,
    statement_name,
    statement_timeout,
)
from telemetry.calls import NO_OBSERVER, CallObserver

__all__ = ["FalkorDBEngine"]


class FalkorDBEngine:
    """Runs each statement as one atomic FalkorDB query on graph `graph_name`."""

    dialect = "falkordb"
    observer: CallObserver = NO_OBSERVER

    def __init__(
        self,
        *,
        graph_name: str,
        unix_socket_path: str | None = None,
        host: str = "127.0.0.1",
        port: int = 6379,
        max_connections: int = 32,
    ) -> None:
        self.address = f"unix://{unix_socket_path}" if unix_socket_path else f"{host}:{port}"
        try:  # the client asks the server (synchronously) whether it is a cluster
            if unix_socket_path:
                self._db = FalkorDB(
                    unix_socket_path=unix_socket_path, max_connections=max_connections
                )
            else:
                self._db = FalkorDB(host=host, port=port, max_connections=max_connections)
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise GraphUnavailable(f"FalkorDB at {self.address} is unreachable: {exc}") from exc
        self._graph = self._db.select_graph(graph_name)
        self.graph_name = graph_name

    async def run(
        self, statement: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> list[Row]:
        count_round_trip()
        with self.observer.observe("graph", statement_name()):
            return await self._run(statement, params, write=write)

    async def _run(
        self, statement: str, params: dict[str, Any] | None, *, write: bool
    ) -> list[Row]:
        check_header_values(params or {})
        limit = None if write else statement_timeout()
        timeout = None if limit is None else max(1, int(limit * 1000))
        try:
            if write:
                result = await self._graph.query(statement, params or {})
            else:
                result = await self._graph.ro_query(statement, params or {}, timeout=timeout)
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise GraphUnavailable(f"FalkorDB at {self.address} is unreachable: {exc}") from exc
        except ResponseError as exc:
            if str(exc).startswith("LOADING"):  # restarted, replaying its append-only file
                raise GraphUnavailable(f"FalkorDB at {self.address} is loading") from exc
            if "empty key" in str(exc) and not write:
                return []  # the graph does not exist until its first write: nothing to read
            if timeout is not None and "timed out" in str(exc).lower():
                raise GraphTimeout(f"FalkorDB stopped a read at {timeout} ms") from exc
            if "constraint violation" in str(exc):
                raise GraphConstraintError(str(exc)) from exc
            raise
        names = [column[1] for column in result.header]
        return [dict(zip(names, row, strict=True)) for row in result.result_set]

    async def execute_command(self, *args: Any) -> Any:
        """A raw FalkorDB command (constraints have no Cypher syntax in FalkorDB)."""
        count_round_trip()
        return await self._db.connection.execute_command(*args)

    async def ping(self) -> None:
        try:
            await self._db.connection.ping()
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise GraphUnavailable(f"FalkorDB at {self.address} is unreachable: {exc}") from exc

    async def describe(self) -> str:
        """`falkordb 4.x.y` (the graph module's version), for `/readyz`."""
        try:
            modules = await self.execute_command("MODULE", "LIST")
        except (RedisConnectionError, RedisTimeoutError, OSError, ResponseError) as exc:
            # ResponseError: LOADING while a restarted server replays its append-only file.
            raise GraphUnavailable(f"FalkorDB at {self.address} is unreachable: {exc}") from exc
        for module in modules:
            fields = dict(zip(module[::2], module[1::2], strict=False))
            name = fields.get(b"name", fields.get("name", b""))
            if (name.decode() if isinstance(name, bytes) else name) == "graph":
                version = int(fields.get(b"ver", fields.get("ver", 0)))
                return f"falkordb {version // 10000}.{version // 100 % 100}.{version % 100}"
        return "falkordb"

    async def drop(self) -> None:
        """Delete the whole graph (tests and `demo --reset` only)."""
        try:
            await self._graph.delete()
        except ResponseError:
            pass  # an empty graph does not exist yet

    async def close(self) -> None:
        await self._db.connection.aclose()


def check_header_values(value: Any, path: str = "$") -> None:
    """Defence in depth: the client writes parameters as text into a `CYPHER name=value ...`
    header, where a NUL byte would end the header early and a lone surrogate cannot be
    encoded, and map keys are backquoted identifiers. Values like these are refused at the
    GraphQL boundary; this keeps them from the wire should any other path pass one on."""
    if isinstance(value, str):
        if "\x00" in value or (not value.isprintable() and _unencodable(value)):
            raise GraphInputRefused(f"parameter {path} holds a character FalkorDB cannot take")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key or "`" in key or "\x00" in key:
                raise GraphInputRefused(f"parameter {path} has a key FalkorDB cannot take")
            check_header_values(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_header_values(item, f"{path}[{index}]")


def _unencodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
