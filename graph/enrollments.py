"""Enrollments (급여·서비스 이력): which resource a recipient received, from when to when.
The resource's provider and needs are copied onto the enrollment so that the unmet-needs and
overlap checks read one node."""

from __future__ import annotations

from typing import Any

from graph.access import RECIPIENT_ALLOWED, RESOURCE_LISTED, GraphAccess, audited, entitlement
from graph.engine import GraphEngine, Row, load_rows

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
    graph: GraphEngine, props: dict[str, Any], access: GraphAccess
) -> Row | None:
    """None when the recipient or the resource is unknown or not the viewer's to see."""
    params = {"recipientId": props["recipientId"], "resourceId": props["resourceId"]}
    rows = await graph.run(
        INSERT_ENROLLMENT, access.params({**params, "props": props}, audited=True), write=True
    )
    return rows[0]["props"] if rows else None


# Enrollments are the recipient's HISTORY: the check is the statement's own.
ENROLLMENTS_OF = f"""MATCH (p:Recipient)
WHERE p.id IN $ids
{RECIPIENT_ALLOWED} AND 'HISTORY' IN allowed
MATCH (p)-[:ENROLLED]->(e:Enrollment)
RETURN p.id AS recipientId, properties(e) AS props
ORDER BY e.start DESC, e.id"""


async def enrollments_of(
    graph: GraphEngine, recipient_ids: list[str], access: GraphAccess
) -> list[Row]:
    """Newest first; only of recipients whose HISTORY the viewer may read."""
    return await graph.run(ENROLLMENTS_OF, access.params({"ids": recipient_ids}))


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


async def upsert_enrollments(graph: GraphEngine, rows: list[Row], access: GraphAccess) -> int:
    access.require_system("a bulk load of enrollments")
    return await load_rows(graph, UPSERT_ENROLLMENTS, rows)
