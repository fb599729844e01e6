"""Enrollments (급여·서비스 이력): which resource a recipient received, from when to when.
The resource's provider and needs are copied onto the enrollment so that the unmet-needs and
overlap checks read one node."""

from __future__ import annotations

from typing import Any

from graph.access import RESOURCE_LISTED
from graph.engine import GraphEngine, Row, load_rows
from graph.recipients import audited, entitlement

__all__ = ["enrollments_of", "insert_enrollment", "upsert_enrollments"]

# The viewer must be entitled to the recipient's history and see the resource's listing.
INSERT_ENROLLMENT = f"""MATCH (p:Recipient {{id: $recipientId}}), (r:Resource {{id: $resourceId}})
WHERE {RESOURCE_LISTED}
{entitlement("r")} AND 'HISTORY' IN allowed
CREATE (e:Enrollment)
SET e = $props, e.providerId = r.providerId, e.needCodes = r.needCodes,
    e.programId = r.programId
CREATE (p)-[:ENROLLED]->(e)
CREATE (e)-[:OF_RESOURCE]->(r)
{audited()}
RETURN properties(e) AS props"""


async def insert_enrollment(
    graph: GraphEngine,
    props: dict[str, Any],
    listing: dict[str, Any],
    entitled: dict[str, Any],
    audit: dict[str, Any],
) -> Row | None:
    """None when the recipient or the resource is unknown or not the viewer's to see."""
    params = {"recipientId": props["recipientId"], "resourceId": props["resourceId"]}
    rows = await graph.run(
        INSERT_ENROLLMENT, {**params, "props": props, **listing, **entitled, **audit}, write=True
    )
    return rows[0]["props"] if rows else None


ENROLLMENTS_OF = """MATCH (p:Recipient)-[:ENROLLED]->(e:Enrollment)
WHERE p.id IN $ids
RETURN p.id AS recipientId, properties(e) AS props
ORDER BY e.start DESC, e.id"""


async def enrollments_of(graph: GraphEngine, recipient_ids: list[str]) -> list[Row]:
    """Newest first; for recipients already read under the access check."""
    return await graph.run(ENROLLMENTS_OF, {"ids": recipient_ids})


# Bulk load (imports, benchmarks): rows as the write above stores them, ids the caller's, so
# loading twice leaves one copy. The resource's provider, needs and programme are
# copied as the single write copies them.
UPSERT_ENROLLMENTS = """UNWIND $rows AS row
MATCH (p:Recipient {id: row.recipientId}), (r:Resource {id: row.resourceId})
MERGE (e:Enrollment {id: row.id})
SET e += row, e.providerId = r.providerId, e.needCodes = r.needCodes, e.programId = r.programId
MERGE (p)-[:ENROLLED]->(e)
MERGE (e)-[:OF_RESOURCE]->(r)
RETURN count(e) AS loaded"""


async def upsert_enrollments(graph: GraphEngine, rows: list[Row]) -> int:
    return await load_rows(graph, UPSERT_ENROLLMENTS, rows)
