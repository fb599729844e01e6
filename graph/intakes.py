"""One-stop intake (상담 접수): a first contact recorded by any staff member, attached to an
existing recipient or registering a new one, with the basic needs survey (기초욕구 조사) written
as an assessment in the same statement.

An intake waits in the queues of the institutions named in `queue` (the holder, and after an
escalation or a hand-over the responsible public offices). Those offices read the recipient
through grants in `referralGrants` ("<institution>|<category>|intake|<intake id>"), which the
access check (`graph.access.entitlement`) already reads; closing the intake removes them.

Every transition takes the intake's write lock before it reads its guards (Neo4j lost
updates), checks that the viewer may read the intake (`graph.access.intake_reader`: so for a
queue institution that may no longer read the person it does not exist), actor, version and
state, and writes its audit event in the same statement."""

from __future__ import annotations

from typing import Any

from graph.access import GraphAccess, audited, entitlement, intake_reader
from graph.engine import GraphEngine, Row, inline_properties

__all__ = [
    "ASSESSMENT_PROPERTIES",
    "INTAKE_PROPERTIES",
    "count_queue",
    "due_intakes",
    "escalate",
    "intake_state",
    "intakes_by_ids",
    "intakes_of",
    "list_queue",
    "take_intake_existing",
    "take_intake_new",
    "transition_intake",
]

# What a new intake stores, written in its CREATE (see `graph.engine.inline_properties`).
INTAKE_PROPERTIES = (
    "id", "recipientId", "institutionId", "takenBy", "takenByActor", "channel", "situation",
    "urgency", "needCodes", "severities", "consentObtained", "status", "version", "queue",
    "escalateAtMs", "escalated", "createdAt", "createdAtMs", "updatedAt", "history",
    "pickedUpInst", "pickedUpBy", "pickedUpAt", "pickedUpAtMs", "assessmentId",
)  # fmt: skip
ASSESSMENT_PROPERTIES = (
    "id", "recipientId", "institutionId", "assessedBy", "assessedAt", "needCodes", "severities",
    "notes", "kind",
)  # fmt: skip

# The person's home region is copied on: escalation and hand-over go to its offices.
_INTAKE = (
    f"CREATE (k:Intake {inline_properties('intake', INTAKE_PROPERTIES)[:-1]}, "
    "regionCode: p.regionCode})"
)
_SURVEY = f"""CREATE (s:Assessment {inline_properties("survey", ASSESSMENT_PROPERTIES)})
CREATE (p)-[:ASSESSED]->(s)"""
_AUDIT = audited("$auditPrefix + k.id", "intakeId: k.id")


def take_new_statement(person_keys: list[str]) -> str:
    """Registers the person (no one with the same identifier hash may exist: the check and
    the CREATE are one statement), writes the survey and the intake, audits. The check counts
    duplicates: FalkorDB (1.4.1) keeps the row of `OPTIONAL MATCH (dup …) WITH dup WHERE dup
    IS NULL` even when it found one."""
    return f"""OPTIONAL MATCH (dup:Recipient {{idHash: $idHash}})
WITH count(dup) AS dups
WHERE dups = 0
MATCH (g:Region {{code: $regionCode}}), (i:Institution {{id: $viewerInst}})
CREATE (p:Recipient {inline_properties("person", person_keys)})
CREATE (p)-[:LIVES_IN]->(g)
CREATE (i)-[:REGISTERED]->(p)
{_SURVEY}
{_INTAKE}
CREATE (p)-[:HAS_INTAKE]->(k)
WITH p, k, $allCategories AS allowed
{_AUDIT}
RETURN properties(k) AS props"""


async def take_intake_new(
    graph: GraphEngine,
    person: dict[str, Any],
    survey: dict[str, Any],
    intake: dict[str, Any],
    access: GraphAccess,
) -> Row | None:
    """None (nothing written) when a recipient with the same identifier hash exists."""
    statement = take_new_statement(sorted(person))
    params = {
        "person": person,
        "survey": survey,
        "intake": intake,
        "idHash": person.get("idHash"),
        "regionCode": person["regionCode"],
    }
    rows = await graph.run(statement, access.params(params, audited=True), write=True)
    return rows[0]["props"] if rows else None


TAKE_EXISTING = f"""MATCH (p:Recipient {{id: $recipientId}})
{entitlement()} AND 'IDENTITY' IN allowed AND 'NEEDS' IN allowed
{_SURVEY}
SET p.currentNeeds = $survey.needCodes, p.lastAssessedAt = $survey.assessedAt,
    p.version = p.version + 1
{_INTAKE}
CREATE (p)-[:HAS_INTAKE]->(k)
WITH p, k, allowed
{_AUDIT}
RETURN properties(k) AS props"""


async def take_intake_existing(
    graph: GraphEngine,
    survey: dict[str, Any],
    intake: dict[str, Any],
    access: GraphAccess,
) -> Row | None:
    """None when the recipient is unknown or the viewer may not read their identity and
    needs (the two look alike)."""
    params = {"recipientId": intake["recipientId"], "survey": survey, "intake": intake}
    rows = await graph.run(TAKE_EXISTING, access.params(params, audited=True), write=True)
    return rows[0]["props"] if rows else None


# Who may act, per transition: a queue institution, or the one that picked the intake up.
ACTORS = {
    "queue": "$viewerInst IN k.queue",
    "holder": "k.pickedUpInst = $viewerInst",
}


def transition_statement(actor: str) -> str:
    """Lock, guards (the viewer may read the intake, and acts), the change (`$changes`,
    history entry, grants added and removed), audit."""
    return f"""MATCH (p:Recipient)-[:HAS_INTAKE]->(k:Intake {{id: $id}})
SET k.lock = true, p.lock = true
REMOVE k.lock, p.lock
{intake_reader()}
  AND {ACTORS[actor]} AND k.version = $expectedVersion AND k.status IN $fromStatuses
SET k += $changes, k.version = k.version + 1, k.updatedAt = $now,
    k.history = k.history + [$entry],
    p.referralGrants = [g IN coalesce(p.referralGrants, []) WHERE NOT g ENDS WITH $dropSuffix]
      + $grants
WITH p, k, $allCategories AS allowed
{_AUDIT}
RETURN properties(k) AS props"""


TRANSITIONS = {actor: transition_statement(actor) for actor in ACTORS}


async def transition_intake(
    graph: GraphEngine, actor: str, params: dict[str, Any], access: GraphAccess
) -> Row | None:
    """None means nothing was written (see `intake_state` for why)."""
    statement = TRANSITIONS[actor]
    rows = await graph.run(statement, access.params(params, audited=True), write=True)
    return rows[0]["props"] if rows else None


INTAKE_STATE = f"""MATCH (p:Recipient)-[:HAS_INTAKE]->(k:Intake {{id: $id}})
{intake_reader()}
RETURN k.status AS status, k.version AS version, k.queue AS queue,
       k.pickedUpInst AS pickedUpInst"""


async def intake_state(graph: GraphEngine, intake_id: str, access: GraphAccess) -> Row | None:
    """The intake's state for the viewers who may read it (to explain a refused change)."""
    rows = await graph.run(INTAKE_STATE, access.params({"id": intake_id}))
    return rows[0] if rows else None


# Urgent intakes nobody picked up by `escalateAtMs`: found first (the offices responsible for
# each are decided in Python, `resolvers.responsible_offices`), then escalated in one statement
# that checks again, under the write lock, that each is still waiting.
DUE_INTAKES = """MATCH (k:Intake)
WHERE k.status = 'OPEN' AND k.escalated = false AND k.escalateAtMs <= $nowMs
RETURN k.id AS id, k.regionCode AS regionCode, k.institutionId AS institutionId
ORDER BY k.escalateAtMs, k.id
LIMIT $batch"""


async def due_intakes(graph: GraphEngine, access: GraphAccess, *, batch: int) -> list[Row]:
    """For the system's escalation (`GraphAccess.system`)."""
    access.require_system("finding intakes to escalate")
    return await graph.run(DUE_INTAKES, access.params({"batch": batch}))


# Each row: the intake id, the offices it escalates to and their grants; those offices join
# its queue and from then on read the person. The system acts: its audit events name no
# institution.
ESCALATE = f"""UNWIND $rows AS row
MATCH (p:Recipient)-[:HAS_INTAKE]->(k:Intake {{id: row.id}})
SET k.lock = true, p.lock = true
REMOVE k.lock, p.lock
WITH p, k, row
WHERE k.status = 'OPEN' AND k.escalated = false AND k.escalateAtMs <= $nowMs
SET k.escalated = true, k.escalatedAt = $now, k.escalateTo = row.offices,
    k.queue = k.queue + [x IN row.offices WHERE NOT x IN k.queue],
    k.version = k.version + 1, k.updatedAt = $now,
    k.history = k.history + ['ESCALATED|' + $now + '|||system'],
    p.referralGrants = coalesce(p.referralGrants, []) + row.grants
{audited("$auditPrefix + k.id", "intakeId: k.id", categories="[]")}
RETURN k.id AS id"""


async def escalate(graph: GraphEngine, rows: list[Row], access: GraphAccess) -> list[Row]:
    """For the system (`access.audit("INTAKE_ESCALATED")`)."""
    access.require_system("escalating intakes")
    return await graph.run(ESCALATE, access.params({"rows": rows}, audited=True), write=True)


# A queue: intakes waiting at (or escalated to) the viewer's institution, oldest first, each
# read under the recipient access check and audited. `toString` keeps the cursor off the id
# index (graph/referrals.py `_listing`).
_QUEUE_MATCH = """MATCH (p:Recipient)-[:HAS_INTAKE]->(k:Intake)
WHERE $viewerInst IN k.queue AND ($statuses IS NULL OR k.status IN $statuses)"""

LIST_QUEUE = f"""{_QUEUE_MATCH} AND toString(k.id) > $after
{entitlement("k")} AND 'NEEDS' IN allowed
WITH p, k, allowed ORDER BY k.id LIMIT $pageSize
{_AUDIT}
RETURN properties(k) AS props"""

COUNT_QUEUE = f"""{_QUEUE_MATCH}
{entitlement("k")} AND 'NEEDS' IN allowed
RETURN count(k) AS total"""


async def list_queue(
    graph: GraphEngine,
    statuses: list[str] | None,
    access: GraphAccess,
    *,
    after: str,
    limit: int,
) -> list[Row]:
    params = {"statuses": statuses, "after": after, "pageSize": limit}
    rows = await graph.run(LIST_QUEUE, access.params(params, audited=True), write=True)
    return [row["props"] for row in rows]


async def count_queue(graph: GraphEngine, statuses: list[str] | None, access: GraphAccess) -> int:
    rows = await graph.run(COUNT_QUEUE, access.params({"statuses": statuses}))
    return int(rows[0]["total"]) if rows else 0


# By id: for queue institutions and anyone reading the recipient's history, with NEEDS.
INTAKES_BY_IDS = f"""UNWIND $ids AS wanted
MATCH (p:Recipient)-[:HAS_INTAKE]->(k:Intake {{id: wanted}})
{intake_reader()}
{_AUDIT}
RETURN properties(k) AS props"""


async def intakes_by_ids(graph: GraphEngine, ids: list[str], access: GraphAccess) -> list[Row]:
    """Unknown intakes and those the viewer may not read are absent alike."""
    params = access.params({"ids": ids}, audited=True)
    rows = await graph.run(INTAKES_BY_IDS, params, write=True)
    return [row["props"] for row in rows]


# A recipient's intakes are its HISTORY (the 360° view), read under NEEDS like every intake:
# the check is the statement's own.
INTAKES_OF = f"""MATCH (p:Recipient)
WHERE p.id IN $ids
{entitlement()} AND 'HISTORY' IN allowed AND 'NEEDS' IN allowed
MATCH (p)-[:HAS_INTAKE]->(k:Intake)
RETURN p.id AS recipientId, properties(k) AS props
ORDER BY k.id DESC"""


async def intakes_of(
    graph: GraphEngine, recipient_ids: list[str], access: GraphAccess
) -> list[Row]:
    """Only of recipients whose HISTORY and NEEDS the viewer may read."""
    return await graph.run(INTAKES_OF, access.params({"ids": recipient_ids}))
