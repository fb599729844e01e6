"""The transactional outbox: every resource write appends an `OutboxEvent` in its own
statement; the search-sync loop reads them in order, indexes the current state of each
resource and then deletes the events it applied."""

from __future__ import annotations

from typing import Any

from graph.engine import GraphEngine, Row
from graph.resources import from_properties

__all__ = [
    "all_resource_ids",
    "delete_events",
    "pending_events",
    "resources_for_index",
]

PENDING_EVENTS = """MATCH (o:OutboxEvent)
RETURN o.id AS id, o.entity AS entity, o.entityId AS entityId, o.version AS version,
       o.createdAt AS createdAt
ORDER BY o.createdAt, o.version
LIMIT $pageSize"""


async def pending_events(graph: GraphEngine, limit: int) -> list[Row]:
    return await graph.run(PENDING_EVENTS, {"pageSize": limit})


DELETE_EVENTS = """MATCH (o:OutboxEvent) WHERE o.id IN $ids
DELETE o
RETURN count(*) AS deleted"""


async def delete_events(graph: GraphEngine, ids: list[str]) -> None:
    await graph.run(DELETE_EVENTS, {"ids": ids}, write=True)


RESOURCES_FOR_INDEX = """UNWIND $ids AS wanted
MATCH (r:Resource {id: wanted})<-[:PROVIDES]-(p:Institution)
RETURN properties(r) AS props, p.sector AS providerSector, p.kind AS providerKind,
       p.name AS providerName"""


async def resources_for_index(graph: GraphEngine, ids: list[str]) -> list[dict[str, Any]]:
    """Whole records (every field: the index applies visibility itself) with provider facts.
    Ids with no resource are absent: the caller deletes them from the index."""
    rows = await graph.run(RESOURCES_FOR_INDEX, {"ids": ids})
    return [
        {
            **from_properties(row["props"]),
            "providerSector": row["providerSector"],
            "providerKind": row["providerKind"],
            "providerName": row["providerName"],
        }
        for row in rows
    ]


ALL_RESOURCE_IDS = """MATCH (r:Resource) WHERE r.id > $after
RETURN r.id AS id ORDER BY r.id LIMIT $pageSize"""


async def all_resource_ids(graph: GraphEngine, *, after: str, limit: int) -> list[str]:
    rows = await graph.run(ALL_RESOURCE_IDS, {"after": after, "pageSize": limit})
    return [row["id"] for row in rows]
