"""Applications taken anywhere (신청 대행·접수): a welfare centre, health centre or hospital
takes an application for a public programme on a recipient's behalf and forwards it to the
responsible office, which reviews and decides it; a grant records the enrollment in the same
statement.

The forwarded-to office reads the recipient through grants in `referralGrants`
("<office>|<category>|application|<application id>", read by `graph.access.entitlement`)
from forwarding until the decision. Parties (taker, office) read the application; each read
and change writes its audit event in the same statement. Every transition takes the
application's write lock before it reads its guards (Neo4j lost updates)."""

from __future__ import annotations

from typing import Any

from graph.access import GraphAccess, audited, entitlement, party
from graph.engine import GraphEngine, Row, inline_properties

__all__ = [
    "APPLICATION_PROPERTIES",
    "application_state",
    "applications_by_ids",
    "count_applications",
    "insert_application",
    "list_applications",
    "transition_application",
]

APPLICATION_PROPERTIES = (
    "id", "recipientId", "programId", "takenBy", "takenByActor", "documents", "note",
    "status", "version", "history", "createdAt", "createdAtMs", "updatedAt",
)  # fmt: skip

_PARTY = party("ap.takenBy", "ap.forwardedTo")
_AUDIT = audited("$auditPrefix + ap.id", "applicationId: ap.id")
# The recipient's home region is copied on: forwarding goes to the office responsible for it.
_CREATE = inline_properties("props", APPLICATION_PROPERTIES)[:-1] + ", regionCode: p.regionCode}"

# Taking needs the taker to read the recipient's identity.
INSERT_APPLICATION = f"""MATCH (p:Recipient {{id: $recipientId}})
{entitlement()} AND 'IDENTITY' IN allowed
CREATE (ap:Application {_CREATE})
CREATE (p)-[:APPLIED]->(ap)
WITH p, ap, allowed
{_AUDIT}
RETURN properties(ap) AS props"""


async def insert_application(
    graph: GraphEngine, props: dict[str, Any], access: GraphAccess
) -> Row | None:
    """None (nothing written) when the recipient is unknown or not readable by the taker."""
    params = {"recipientId": props["recipientId"], "props": props}
    rows = await graph.run(INSERT_APPLICATION, access.params(params, audited=True), write=True)
    return rows[0]["props"] if rows else None


# The side that acts: the taker (documents, forwarding) or the office (review, decision).
SIDES = {"taker": party("ap.takenBy"), "office": party("ap.forwardedTo")}


def transition_statement(side: str, enroll: bool) -> str:
    """Lock, guards, change, grants added or removed, audit; with `enroll`, the granted
    programme's enrollment is created too."""
    enrollment = (
        """CREATE (e:Enrollment {id: $enrollment.id, recipientId: p.id, resourceId: '',
  programId: ap.programId, providerId: $viewerInst, status: 'ACTIVE', start: $enrollment.start,
  needCodes: [], createdAt: $now, applicationId: ap.id})
CREATE (p)-[:ENROLLED]->(e)
"""
        if enroll
        else ""
    )
    return f"""MATCH (p:Recipient)-[:APPLIED]->(ap:Application {{id: $id}})
SET ap.lock = true, p.lock = true
REMOVE ap.lock, p.lock
WITH p, ap
WHERE {SIDES[side]} AND ap.version = $expectedVersion AND ap.status IN $fromStatuses
SET ap += $changes, ap.version = ap.version + 1, ap.updatedAt = $now,
    ap.history = ap.history + [$entry],
    p.referralGrants = [g IN coalesce(p.referralGrants, []) WHERE NOT g ENDS WITH $dropSuffix]
      + $grants
{enrollment}WITH p, ap, ['IDENTITY'] AS allowed
{_AUDIT}
RETURN properties(ap) AS props"""


_STATEMENTS = {
    (side, enroll): transition_statement(side, enroll) for side in SIDES for enroll in (False, True)
}


async def transition_application(
    graph: GraphEngine, side: str, params: dict[str, Any], access: GraphAccess
) -> Row | None:
    """None means nothing was written (see `application_state` for why)."""
    statement = _STATEMENTS[(side, params.get("enrollment") is not None)]
    rows = await graph.run(statement, access.params(params, audited=True), write=True)
    return rows[0]["props"] if rows else None


APPLICATION_STATE = f"""MATCH (ap:Application {{id: $id}})
WHERE {_PARTY}
RETURN ap.status AS status, ap.version AS version, ap.takenBy AS takenBy,
       ap.forwardedTo AS forwardedTo, ap.programId AS programId, ap.documents AS documents,
       ap.regionCode AS regionCode"""


async def application_state(graph: GraphEngine, ident: str, access: GraphAccess) -> Row | None:
    """For the two parties only: anyone else learns what an unknown id gives."""
    rows = await graph.run(APPLICATION_STATE, access.params({"id": ident}))
    return rows[0] if rows else None


# Reads by the parties: what was applied for is personal data, so each read is audited.
APPLICATIONS_BY_IDS = f"""UNWIND $ids AS wanted
MATCH (p:Recipient)-[:APPLIED]->(ap:Application {{id: wanted}})
WHERE {_PARTY}
WITH p, ap, ['IDENTITY'] AS allowed
{_AUDIT}
RETURN properties(ap) AS props"""


async def applications_by_ids(graph: GraphEngine, ids: list[str], access: GraphAccess) -> list[Row]:
    params = access.params({"ids": ids}, audited=True)
    return [row["props"] for row in await graph.run(APPLICATIONS_BY_IDS, params, write=True)]


def _listing(side: str) -> tuple[str, str]:
    """Newest first; `toString` keeps the cursor off the id index (graph/referrals.py)."""
    where = f"""MATCH (p:Recipient)-[:APPLIED]->(ap:Application)
WHERE {SIDES[side]} AND ($statuses IS NULL OR ap.status IN $statuses)"""
    page = f"""{where} AND ($after = '' OR toString(ap.id) < $after)
WITH p, ap ORDER BY ap.id DESC LIMIT $pageSize
WITH p, ap, ['IDENTITY'] AS allowed
{_AUDIT}
RETURN properties(ap) AS props"""
    count = f"""{where}
RETURN count(ap) AS total"""
    return page, count


LISTINGS = {side: _listing(side) for side in SIDES}


async def list_applications(
    graph: GraphEngine,
    side: str,
    statuses: list[str] | None,
    *,
    after: str,
    limit: int,
    access: GraphAccess,
) -> list[Row]:
    params = access.params({"statuses": statuses, "after": after, "pageSize": limit}, audited=True)
    rows = await graph.run(LISTINGS[side][0], params, write=True)
    return [row["props"] for row in rows]


async def count_applications(
    graph: GraphEngine, side: str, statuses: list[str] | None, access: GraphAccess
) -> int:
    params = access.params({"statuses": statuses})
    rows = await graph.run(LISTINGS[side][1], params)
    return int(rows[0]["total"]) if rows else 0
