"""Consents (정보제공 동의): what a recipient agreed to share, with whom, until when. Recording
and revoking also rewrite the recipient's `consentGrants` in the same statement, so the next
request's access check already sees the change."""

from __future__ import annotations

from typing import Any

from graph.engine import GraphEngine, Row, load_rows
from graph.recipients import RECIPIENT_ALLOWED, audited, entitlement

__all__ = ["consents_of", "record_consent", "revoke_consent", "upsert_consents"]

# Only members (registering institution, case lead) record or revoke consents.
RECORD_CONSENT = f"""MATCH (p:Recipient {{id: $recipientId}})
{RECIPIENT_ALLOWED} AND (p.registeredBy = $viewerInst OR $viewerInst IN p.caseLeads)
CREATE (c:Consent)
SET c = $props
CREATE (p)-[:GAVE]->(c)
SET p.consentGrants = coalesce(p.consentGrants, []) + $grants
{audited()}
RETURN properties(c) AS props"""


async def record_consent(
    graph: GraphEngine,
    props: dict[str, Any],
    grants: list[str],
    entitled: dict[str, Any],
    audit: dict[str, Any],
) -> Row | None:
    params = {"recipientId": props["recipientId"], "props": props, "grants": grants}
    rows = await graph.run(RECORD_CONSENT, {**params, **entitled, **audit}, write=True)
    return rows[0]["props"] if rows else None


REVOKE_CONSENT = f"""MATCH (p:Recipient)-[:GAVE]->(c:Consent {{id: $id}})
{entitlement("c")} AND (p.registeredBy = $viewerInst OR $viewerInst IN p.caseLeads)
WITH p, c, allowed
WHERE c.status = 'ACTIVE'
SET c.status = 'REVOKED', c.revokedAt = $now, c.revokedBy = $actor, c.version = c.version + 1,
    p.consentGrants = [g IN p.consentGrants WHERE NOT g ENDS WITH $grantSuffix],
    p.referralGrants = [g IN coalesce(p.referralGrants, []) WHERE NOT g CONTAINS $grantInfix]
{audited()}
RETURN properties(c) AS props"""


async def revoke_consent(
    graph: GraphEngine, consent_id: str, entitled: dict[str, Any], audit: dict[str, Any]
) -> Row | None:
    params = {"id": consent_id, "grantSuffix": f"|{consent_id}", "grantInfix": f"|{consent_id}|"}
    rows = await graph.run(REVOKE_CONSENT, {**params, **entitled, **audit}, write=True)
    return rows[0]["props"] if rows else None


CONSENTS_OF = """MATCH (p:Recipient)-[:GAVE]->(c:Consent)
WHERE p.id IN $ids
RETURN p.id AS recipientId, properties(c) AS props
ORDER BY c.createdAt, c.id"""


async def consents_of(graph: GraphEngine, recipient_ids: list[str]) -> list[Row]:
    """For recipients already read under the access check (the caller's duty)."""
    return await graph.run(CONSENTS_OF, {"ids": recipient_ids})


# Bulk load (imports, benchmarks): rows as RECORD_CONSENT stores them, ids the caller's, so
# loading twice leaves one copy. The grants (`consentGrants`) come with the recipient row.
UPSERT_CONSENTS = """UNWIND $rows AS row
MATCH (p:Recipient {id: row.recipientId})
MERGE (c:Consent {id: row.id})
SET c += row
MERGE (p)-[:GAVE]->(c)
RETURN count(c) AS loaded"""


async def upsert_consents(graph: GraphEngine, rows: list[Row]) -> int:
    return await load_rows(graph, UPSERT_CONSENTS, rows)
