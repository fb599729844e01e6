"""Neo4j adapter (production), through the official async driver."""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j import AsyncGraphDatabase, RoutingControl
from neo4j.exceptions import ClientError, ConstraintError, ServiceUnavailable

from graph.engine import (
    GraphConstraintError,
    GraphTimeout,
    GraphUnavailable,
    Row,
    count_round_trip,
    statement_timeout,
)

__all__ = ["Neo4jEngine"]


class Neo4jEngine:
    """Runs each statement as one auto-commit transaction via `execute_query`, routed to
    readers unless it writes."""

    dialect = "neo4j"

    def __init__(self, *, uri: str, user: str, password: str, database: str) -> None:
        self.address = uri
        self._database = database
        self._driver = AsyncGraphDatabase.driver(uri, auth=(user, password))

    async def run(
        self, statement: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> list[Row]:
        count_round_trip()
        limit = None if write else statement_timeout()
        try:
            records, _, _ = await self._driver.execute_query(
                neo4j.Query(statement, timeout=limit),
                params or {},
                database_=self._database,
                routing_=RoutingControl.WRITE if write else RoutingControl.READ,
            )
        except ServiceUnavailable as exc:
            raise GraphUnavailable(f"Neo4j at {self.address} is unreachable: {exc}") from exc
        except ConstraintError as exc:
            raise GraphConstraintError(str(exc)) from exc
        except ClientError as exc:
            if limit is not None and "TransactionTimedOut" in (exc.code or ""):
                raise GraphTimeout(f"Neo4j stopped a read at {limit:.3f} s") from exc
            raise
        return [record.data() for record in records]

    async def ping(self) -> None:
        try:
            await self._driver.verify_connectivity()
        except (ServiceUnavailable, OSError, ValueError) as exc:
            raise GraphUnavailable(f"Neo4j at {self.address} is unreachable: {exc}") from exc

    async def close(self) -> None:
        await self._driver.close()
