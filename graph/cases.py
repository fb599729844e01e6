"""Integrated case management (사례관리): cases with a lead institution, participants, goals,
a care plan and notes. Each change is one statement guarded by the actor's role, the case's
state and its version; opening and closing also keep the recipient's `caseInstitutions` and
`caseLeads` (the access check's inputs) in step.

`Case` is a Cypher keyword for the Neo4j parser, so the label is back-quoted everywhere."""

from __future__ import annotations

from typing import Any

from graph.access import GraphAccess, audited, entitlement
from graph.engine import GraphEngine, Row, load_rows

__all__ = [
    "add_case_note",
    "add_case_participant",
    "case_state",
    "cases_by_ids",
    "cases_of",
    "close_case",
    "notes_of",
    "open_case",
    "update_care_plan",
    "upsert_case_notes",
    "upsert_cases",
]

OPEN_CASE = f"""MATCH (p:Recipient {{id: $recipientId}})
{entitlement()} AND 'IDENTITY' IN allowed
CREATE (k:`Case`)
SET k = $props
SET k.needCodes = coalesce($props.needCodes, p.currentNeeds, [])
CREATE (p)-[:HAS_CASE]->(k)
SET p.caseInstitutions = coalesce(p.caseInstitutions, []) + [$viewerInst],
    p.caseLeads = coalesce(p.caseLeads, []) + [$viewerInst]
{audited()}
RETURN properties(k) AS props"""


async def open_case(graph: GraphEngine, props: dict[str, Any], access: GraphAccess) -> Row | None:
    params = {"recipientId": props["recipientId"], "props": props}
    rows = await graph.run(OPEN_CASE, access.params(params, audited=True), write=True)
    return rows[0]["props"] if rows else None


# The lead changes its case: the guards every lead-only change shares, read after the case's
# and the recipient's write locks are taken (on Neo4j a guard read before the lock could let
# two concurrent changes both pass the version check; FalkorDB runs writes one at a time).
_LEAD_CHANGE = """MATCH (p:Recipient)-[:HAS_CASE]->(k:`Case` {id: $caseId})
SET k.lock = true, p.lock = true
REMOVE k.lock, p.lock
WITH p, k
WHERE k.leadInstitutionId = $viewerInst AND k.version = $expectedVersion
  AND k.status IN $fromStatuses"""

ADD_CASE_PARTICIPANT = f"""{_LEAD_CHANGE}
  AND NOT $institutionId IN k.participants AND k.leadInstitutionId <> $institutionId
MATCH (i:Institution {{id: $institutionId}})
SET k.participants = k.participants + [$institutionId], k.version = k.version + 1,
    k.updatedAt = $now, p.caseInstitutions = p.caseInstitutions + [$institutionId]
CREATE (i)-[:PARTICIPATES]->(k)
WITH p, k, $allCategories AS allowed
{audited()}
RETURN properties(k) AS props"""


async def _lead_change(
    graph: GraphEngine, statement: str, params: dict[str, Any], access: GraphAccess
) -> Row | None:
    """`params`: the case (`caseId`), `expectedVersion`, `fromStatuses` and the change's own."""
    rows = await graph.run(statement, access.params(params, audited=True), write=True)
    return rows[0]["props"] if rows else None


async def add_case_participant(
    graph: GraphEngine, params: dict[str, Any], access: GraphAccess
) -> Row | None:
    return await _lead_change(graph, ADD_CASE_PARTICIPANT, params, access)


UPDATE_CARE_PLAN = f"""{_LEAD_CHANGE}
SET k.carePlan = $carePlan, k.goals = coalesce($goals, k.goals), k.status = 'ACTIVE',
    k.version = k.version + 1, k.updatedAt = $now
WITH p, k, $allCategories AS allowed
{audited()}
RETURN properties(k) AS props"""


async def update_care_plan(
    graph: GraphEngine, params: dict[str, Any], access: GraphAccess
) -> Row | None:
    return await _lead_change(graph, UPDATE_CARE_PLAN, params, access)


# Closing recomputes who is on the recipient's open cases from the cases that stay open.
CLOSE_CASE = f"""{_LEAD_CHANGE}
SET k.status = 'CLOSED', k.closedAt = $now, k.closeReason = $reason,
    k.version = k.version + 1, k.updatedAt = $now
WITH p, k
OPTIONAL MATCH (p)-[:HAS_CASE]->(o:`Case`)
WHERE o.id <> k.id AND o.status <> 'CLOSED'
WITH p, k, collect(o.leadInstitutionId) AS leads
OPTIONAL MATCH (p)-[:HAS_CASE]->(o:`Case`)<-[:PARTICIPATES]-(i:Institution)
WHERE o.id <> k.id AND o.status <> 'CLOSED'
WITH p, k, leads, collect(i.id) AS participants
SET p.caseLeads = leads, p.caseInstitutions = leads + participants
WITH p, k, $allCategories AS allowed
{audited()}
RETURN properties(k) AS props"""


async def close_case(graph: GraphEngine, params: dict[str, Any], access: GraphAccess) -> Row | None:
    return await _lead_change(graph, CLOSE_CASE, params, access)


# Notes are appended by the lead or a participant of a case that is not closed.
ADD_CASE_NOTE = f"""MATCH (p:Recipient)-[:HAS_CASE]->(k:`Case` {{id: $caseId}})
WHERE k.status <> 'CLOSED'
  AND (k.leadInstitutionId = $viewerInst OR $viewerInst IN k.participants)
CREATE (n:CaseNote)
SET n = $props
CREATE (k)-[:HAS_NOTE]->(n)
SET k.updatedAt = $now
WITH p, k, n, $allCategories AS allowed
{audited()}
RETURN properties(n) AS props"""


async def add_case_note(
    graph: GraphEngine, params: dict[str, Any], access: GraphAccess
) -> Row | None:
    """`params`: the case (`caseId`) and the note (`props`)."""
    rows = await graph.run(ADD_CASE_NOTE, access.params(params, audited=True), write=True)
    return rows[0]["props"] if rows else None


CASE_STATE = f"""MATCH (p:Recipient)-[:HAS_CASE]->(k:`Case` {{id: $caseId}})
{entitlement("k")}
RETURN properties(k) AS props, allowed"""


async def case_state(graph: GraphEngine, case_id: str, access: GraphAccess) -> Row | None:
    """The case, for a viewer entitled to its recipient (to explain a refused change)."""
    rows = await graph.run(CASE_STATE, access.params({"caseId": case_id}))
    return rows[0] if rows else None


# Reading a case by id is reading the recipient's HISTORY: entitled viewers only, audited.
CASES_BY_IDS = f"""UNWIND $ids AS wanted
MATCH (p:Recipient)-[:HAS_CASE]->(k:`Case` {{id: wanted}})
{entitlement("k")} AND 'HISTORY' IN allowed
{audited("$auditPrefix + k.id")}
RETURN properties(k) AS props, allowed"""


async def cases_by_ids(graph: GraphEngine, ids: list[str], access: GraphAccess) -> list[Row]:
    """Unknown cases and cases of recipients the viewer may not read are absent alike."""
    params = access.params({"ids": ids}, audited=True)
    return await graph.run(CASES_BY_IDS, params, write=True)


# A recipient's cases are its HISTORY: the check is the statement's own.
CASES_OF = f"""MATCH (p:Recipient)
WHERE p.id IN $ids
{entitlement()} AND 'HISTORY' IN allowed
MATCH (p)-[:HAS_CASE]->(k:`Case`)
RETURN p.id AS recipientId, properties(k) AS props
ORDER BY k.openedAt DESC, k.id"""


async def cases_of(graph: GraphEngine, recipient_ids: list[str], access: GraphAccess) -> list[Row]:
    """Only of recipients whose HISTORY the viewer may read."""
    return await graph.run(CASES_OF, access.params({"ids": recipient_ids}))


# For viewers entitled to the case's recipient: the lead reads every note; others read notes
# meant for participants when their access to the recipient includes CASE_NOTES, checked
# here; `noteRecipients` narrows that to the recipients whose notes the caller shows.
NOTES_OF = f"""MATCH (p:Recipient)-[:HAS_CASE]->(k:`Case`)
WHERE k.id IN $ids
{entitlement("k")}
MATCH (k)-[:HAS_NOTE]->(n:CaseNote)
WHERE k.leadInstitutionId = $viewerInst
  OR (n.audience = 'PARTICIPANTS' AND 'CASE_NOTES' IN allowed AND k.recipientId IN $noteRecipients)
RETURN k.id AS caseId, properties(n) AS props
ORDER BY n.createdAt, n.id"""


async def notes_of(
    graph: GraphEngine, case_ids: list[str], note_recipients: list[str], access: GraphAccess
) -> list[Row]:
    params = access.params({"ids": case_ids, "noteRecipients": note_recipients})
    return await graph.run(NOTES_OF, params)


# Bulk load (imports, benchmarks): rows as the write above stores them, ids the caller's, so
# loading twice leaves one copy. The recipient's `caseInstitutions` and `caseLeads`
# (leads and participants of its cases that are not closed) come with the recipient row.
UPSERT_CASES = """UNWIND $rows AS row
MATCH (p:Recipient {id: row.recipientId})
MERGE (k:`Case` {id: row.id})
SET k += row
MERGE (p)-[:HAS_CASE]->(k)
RETURN count(k) AS loaded"""

LINK_CASE_PARTICIPANTS = """UNWIND $rows AS row
MATCH (k:`Case` {id: row.caseId}), (i:Institution {id: row.institutionId})
MERGE (i)-[:PARTICIPATES]->(k)
RETURN count(k) AS loaded"""

UPSERT_CASE_NOTES = """UNWIND $rows AS row
MATCH (k:`Case` {id: row.caseId})
MERGE (n:CaseNote {id: row.id})
SET n += row
MERGE (k)-[:HAS_NOTE]->(n)
RETURN count(n) AS loaded"""


async def upsert_cases(graph: GraphEngine, rows: list[Row], access: GraphAccess) -> int:
    """The cases, then a `PARTICIPATES` edge from each of their participants."""
    access.require_system("a bulk load of cases")
    loaded = await load_rows(graph, UPSERT_CASES, rows)
    links = [{"caseId": r["id"], "institutionId": i} for r in rows for i in r["participants"]]
    await load_rows(graph, LINK_CASE_PARTICIPANTS, links)
    return loaded


async def upsert_case_notes(graph: GraphEngine, rows: list[Row], access: GraphAccess) -> int:
    access.require_system("a bulk load of case notes")
    return await load_rows(graph, UPSERT_CASE_NOTES, rows)
