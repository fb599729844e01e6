"""Needs assessments (욕구사정): dated, by one institution, history kept. The latest one's
need codes are copied onto the recipient (`currentNeeds`) for the unmet-needs checks."""

from __future__ import annotations

from typing import Any

from graph.access import RECIPIENT_ALLOWED, GraphAccess, audited
from graph.engine import GraphEngine, Row, load_rows

__all__ = ["assessments_of", "insert_assessment", "upsert_assessments"]

INSERT_ASSESSMENT = f"""MATCH (p:Recipient {{id: $recipientId}})
{RECIPIENT_ALLOWED} AND 'NEEDS' IN allowed
CREATE (s:Assessment)
SET s = $props
CREATE (p)-[:ASSESSED]->(s)
SET p.currentNeeds = $props.needCodes, p.lastAssessedAt = $props.assessedAt,
    p.version = p.version + 1
{audited()}
RETURN properties(s) AS props"""


async def insert_assessment(
    graph: GraphEngine, props: dict[str, Any], access: GraphAccess
) -> Row | None:
    """None when the recipient is unknown or the viewer may not read its needs."""
    params = {"recipientId": props["recipientId"], "props": props}
    rows = await graph.run(INSERT_ASSESSMENT, access.params(params, audited=True), write=True)
    return rows[0]["props"] if rows else None


# Assessments are the recipient's NEEDS: the check is the statement's own, not the caller's.
ASSESSMENTS_OF = f"""MATCH (p:Recipient)
WHERE p.id IN $ids
{RECIPIENT_ALLOWED} AND 'NEEDS' IN allowed
MATCH (p)-[:ASSESSED]->(s:Assessment)
RETURN p.id AS recipientId, properties(s) AS props
ORDER BY s.assessedAt DESC, s.id DESC"""


async def assessments_of(
    graph: GraphEngine, recipient_ids: list[str], access: GraphAccess
) -> list[Row]:
    """Newest first; only of recipients whose NEEDS the viewer may read."""
    return await graph.run(ASSESSMENTS_OF, access.params({"ids": recipient_ids}))


# Bulk load (imports, benchmarks): rows as the write above stores them, ids the caller's, so
# loading twice leaves one copy. The recipient's `currentNeeds` (its latest assessment's codes)
# comes with the recipient row (`graph.recipients.upsert_recipients`).
UPSERT_ASSESSMENTS = """UNWIND $rows AS row
MATCH (p:Recipient {id: row.recipientId})
MERGE (s:Assessment {id: row.id})
SET s += row
MERGE (p)-[:ASSESSED]->(s)
RETURN count(s) AS loaded"""


async def upsert_assessments(graph: GraphEngine, rows: list[Row], access: GraphAccess) -> int:
    access.require_system("a bulk load of assessments")
    return await load_rows(graph, UPSERT_ASSESSMENTS, rows)
