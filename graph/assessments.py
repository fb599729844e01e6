"""Needs assessments (욕구사정): dated, by one institution, history kept. The latest one's
need codes are copied onto the recipient (`currentNeeds`) for the unmet-needs checks."""

from __future__ import annotations

from typing import Any

from graph.engine import GraphEngine, Row, load_rows
from graph.recipients import RECIPIENT_ALLOWED, audited

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
    graph: GraphEngine, props: dict[str, Any], entitled: dict[str, Any], audit: dict[str, Any]
) -> Row | None:
    """None when the recipient is unknown or the viewer may not read its needs."""
    params = {"recipientId": props["recipientId"], "props": props}
    rows = await graph.run(INSERT_ASSESSMENT, {**params, **entitled, **audit}, write=True)
    return rows[0]["props"] if rows else None


ASSESSMENTS_OF = """MATCH (p:Recipient)-[:ASSESSED]->(s:Assessment)
WHERE p.id IN $ids
RETURN p.id AS recipientId, properties(s) AS props
ORDER BY s.assessedAt DESC, s.id DESC"""


async def assessments_of(graph: GraphEngine, recipient_ids: list[str]) -> list[Row]:
    """Newest first; for recipients already read under the access check."""
    return await graph.run(ASSESSMENTS_OF, {"ids": recipient_ids})


# Bulk load (imports, benchmarks): rows as the write above stores them, ids the caller's, so
# loading twice leaves one copy. The recipient's `currentNeeds` (its latest assessment's codes)
# comes with the recipient row (`graph.recipients.upsert_recipients`).
UPSERT_ASSESSMENTS = """UNWIND $rows AS row
MATCH (p:Recipient {id: row.recipientId})
MERGE (s:Assessment {id: row.id})
SET s += row
MERGE (p)-[:ASSESSED]->(s)
RETURN count(s) AS loaded"""


async def upsert_assessments(graph: GraphEngine, rows: list[Row]) -> int:
    return await load_rows(graph, UPSERT_ASSESSMENTS, rows)
