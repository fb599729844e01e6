"""Enrollments (급여·서비스 이력): which resource a recipient received, from when to when.
The resource's provider and needs are copied onto the enrollment so that the unmet-needs and
overlap checks read one node."""

from __future__ import annotations

from typing import Any

from graph.access import RESOURCE_LISTED
from graph.engine import GraphEngine, Row
from graph.recipients import audited, entitlement

__all__ = ["enrollments_of", "insert_enrollment"]

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
