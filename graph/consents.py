"""Consents (정보제공 동의): what a recipient agreed to share, with whom, until when. Recording
and revoking also rewrite the recipient's `consentGrants` in the same statement, so the next
request's access check already sees the change."""

from __future__ import annotations

from typing import Any

from graph.access import RECIPIENT_ALLOWED, GraphAccess, audited, entitlement
from graph.engine import GraphEngine, Row, load_rows

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
    graph: GraphEngine, props: dict[str, Any], grants: list[str], access: GraphAccess
) -> Row | None:
    params = {"recipientId": props["recipientId"], "props": props, "grants": grants}
    rows = await graph.run(RECORD_CONSENT, access.params(params, audited=True), write=True)
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


async def revoke_consent(graph: GraphEngine, consent_id: str, access: GraphAccess) -> Row | None:
    params = {"id": consent_id, "grantSuffix": f"|{consent_id}", "grantInfix": f"|{consent_id}|"}
    rows = await graph.run(REVOKE_CONSENT, access.params(params, audited=True), write=True)
    return rows[0]["props"] if rows else None


# For viewers entitled to the recipient at all: a sender checks the consent it names (the
# 360° view shows the consents to the holding institutions only, `member`).
CONSENTS_OF = f"""MATCH (p:Recipient)
WHERE p.id IN $ids
{RECIPIENT_ALLOWED}
MATCH (p)-[:GAVE]->(c:Consent)
RETURN p.id AS recipientId, properties(c) AS props
ORDER BY c.createdAt, c.id"""


async def consents_of(
    graph: GraphEngine, recipient_ids: list[str], access: GraphAccess
) -> list[Row]:
    """Only of recipients the viewer is entitled to."""
    return await graph.run(CONSENTS_OF, access.params({"ids": recipient_ids}))


# Bulk load (imports, benchmarks): rows as RECORD_CONSENT stores them, ids the caller's, so
# loading twice leaves one copy. The grants (`consentGrants`) come with the recipient row.
UPSERT_CONSENTS = """UNWIND $rows AS row
MATCH (p:Recipient {id: row.recipientId})
MERGE (c:Consent {id: row.id})
SET c += row
MERGE (p)-[:GAVE]->(c)
RETURN count(c) AS loaded"""


async def upsert_consents(graph: GraphEngine, rows: list[Row], access: GraphAccess) -> int:
    access.require_system("a bulk load of consents")
    return await load_rows(graph, UPSERT_CONSENTS, rows)
