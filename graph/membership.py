"""Unmet needs (사각지대) and duplicated support (중첩), found in the graph.

A current need (the latest assessment's) is addressed by an active enrollment in a resource
for that need, an open case whose goals address it, or an open referral for it. Rows about
individual recipients go through the access check and are audited; the counts for
dashboards read no names."""

from __future__ import annotations

from typing import Any

from graph.access import GraphAccess, audited, entitlement
from graph.engine import GraphEngine, Row

__all__ = [
    "answer_recommendation",
    "clear_scan_state",
    "count_recommendations",
    "list_recommendations",
    "overlap_counts",
    "program_sets",
    "recommendation_state",
    "save_recommendations",
    "scan_batch",
    "scan_state",
    "unmet_need_counts",
    "unmet_need_rows",
]

# The current needs of `p` that nothing addresses, as `unmet`.
# `coalesce(l, [])`: Neo4j's type check takes `l` (an element of collected properties) for a
# Boolean in `n IN l` and refuses the statement; the coalesce gives it a list type.
_UNMET = """OPTIONAL MATCH (p)-[:ENROLLED]->(e:Enrollment)
WHERE e.status = 'ACTIVE'
WITH p, collect(e.needCodes) AS enrolled
OPTIONAL MATCH (p)-[:HAS_CASE]->(k:`Case`)
WHERE k.status <> 'CLOSED'
WITH p, enrolled, collect(k.needCodes) AS planned
OPTIONAL MATCH (p)-[:REFERRED]->(f:Referral)
WHERE f.status IN ['SENT', 'ACCEPTED', 'IN_PROGRESS']
WITH p, enrolled, planned, collect(f.needCodes) AS referred
WITH p, [n IN p.currentNeeds
          WHERE none(l IN enrolled + planned + referred WHERE n IN coalesce(l, []))] AS unmet
WHERE size(unmet) > 0"""

UNMET_NEED_ROWS = f"""MATCH (p:Recipient)
WHERE p.regionCode IN $regionCodes AND p.id > $after AND size(p.currentNeeds) > 0
{_UNMET}
{entitlement("unmet")} AND 'NEEDS' IN allowed
WITH p, unmet, allowed ORDER BY p.id LIMIT $pageSize
{audited()}
RETURN p.id AS id, p.regionCode AS regionCode, unmet"""


async def unmet_need_rows(
    graph: GraphEngine,
    region_codes: list[str],
    access: GraphAccess,
    *,
    after: str,
    limit: int,
) -> list[Row]:
    """Recipients with unmet needs that the viewer is entitled to (NEEDS), each audited."""
    params = {"regionCodes": region_codes, "after": after, "pageSize": limit}
    return await graph.run(UNMET_NEED_ROWS, access.params(params, audited=True), write=True)


UNMET_NEED_COUNTS = f"""MATCH (p:Recipient)
WHERE p.regionCode IN $regionCodes AND size(p.currentNeeds) > 0
{_UNMET}
UNWIND unmet AS need
RETURN p.regionCode AS regionCode, need, count(p) AS recipients
ORDER BY regionCode, need"""


async def unmet_need_counts(graph: GraphEngine, region_codes: list[str]) -> list[Row]:
    return await graph.run(UNMET_NEED_COUNTS, {"regionCodes": region_codes})


OVERLAP_COUNTS = """MATCH (p:Recipient)-[:ENROLLED]->(e:Enrollment)
WHERE p.regionCode IN $regionCodes AND e.status = 'ACTIVE'
UNWIND e.needCodes AS need
WITH p, need, collect(DISTINCT e.providerId) AS providers
WHERE size(providers) > 1
RETURN need, count(p) AS recipients
ORDER BY need"""


async def overlap_counts(graph: GraphEngine, region_codes: list[str]) -> list[Row]:
    """Per need, how many recipients get it from more than one institution."""
    return await graph.run(OVERLAP_COUNTS, {"regionCodes": region_codes})


PROGRAM_SETS = """MATCH (p:Recipient)-[:ENROLLED]->(e:Enrollment)
WHERE p.regionCode IN $regionCodes AND e.status = 'ACTIVE' AND e.programId IS NOT NULL
WITH p, collect(DISTINCT e.programId) AS programs
WHERE size(programs) > 1
RETURN programs"""


async def program_sets(graph: GraphEngine, region_codes: list[str]) -> list[list[str]]:
    """The programme sets of recipients receiving several, for the exclusion check."""
    rows = await graph.run(PROGRAM_SETS, {"regionCodes": region_codes})
    return [list(row["programs"]) for row in rows]


# --- the membership scan and its recommendations ---------------------------------------------

# The scan is the system's (`GraphAccess.system`): it reads every recipient, so its audit
# events name no institution and the categories it reads.
SCAN_BATCH = f"""MATCH (p:Recipient)
WHERE p.id > $after AND ($regionCodes IS NULL OR p.regionCode IN $regionCodes)
WITH p ORDER BY p.id LIMIT $pageSize
OPTIONAL MATCH (p)-[:ENROLLED]->(e:Enrollment)
WHERE e.status = 'ACTIVE' AND e.programId IS NOT NULL
WITH p, collect(DISTINCT e.programId) AS enrolledPrograms
{audited(categories="$requested")}
RETURN p.id AS id, p.birthDate AS birthDate, p.regionCode AS regionCode,
  p.incomePercent AS incomePercent, p.householdType AS householdType,
  p.disability AS disability, p.flags AS flags, enrolledPrograms
ORDER BY p.id"""


async def scan_batch(
    graph: GraphEngine,
    access: GraphAccess,
    *,
    after: str,
    limit: int,
    region_codes: list[str] | None,
) -> list[Row]:
    """A batch of recipients (the facts the rules read) with their enrolled programmes; the
    scan's reads are audited like any other (actor: the scan, `access.audit(
    "MEMBERSHIP_SCAN", ["IDENTITY", "HISTORY"])`). Only the facts are returned: parsing whole
    nodes was most of the scan's time."""
    access.require_system("the membership scan")
    params = access.params(
        {"after": after, "pageSize": limit, "regionCodes": region_codes}, audited=True
    )
    return await graph.run(SCAN_BATCH, params, write=True)


# New recommendations start NEW; a recommendation seen again keeps the caseworker's answer.
SAVE_RECOMMENDATIONS = """UNWIND $rows AS row
MERGE (r:Recommendation {id: row.id})
ON CREATE SET r.recipientId = row.recipientId, r.programId = row.programId,
  r.regionCode = row.regionCode, r.status = 'NEW', r.version = 1, r.createdAt = $now
SET r.eligibility = row.eligibility, r.missingFacts = row.missingFacts, r.seenAt = $now
WITH count(r) AS saved
MERGE (s:ScanState {id: $scanId})
SET s.after = $last, s.updatedAt = $now
RETURN saved"""


async def save_recommendations(
    graph: GraphEngine,
    rows: list[dict[str, Any]],
    access: GraphAccess,
    *,
    scan_id: str,
    last: str,
) -> None:
    """The batch's recommendations and the scan's progress, in one statement: a scan that
    stops resumes after the last batch saved."""
    access.require_system("saving the scan's recommendations")
    params = access.params({"rows": rows, "scanId": scan_id, "last": last})
    await graph.run(SAVE_RECOMMENDATIONS, params, write=True)


SCAN_STATE = """MATCH (s:ScanState {id: $scanId})
RETURN s.after AS after"""


async def scan_state(graph: GraphEngine, scan_id: str) -> str | None:
    rows = await graph.run(SCAN_STATE, {"scanId": scan_id})
    return rows[0]["after"] if rows else None


# Cleared, not deleted: see graph/outbox.py on node deletes under FalkorDB.
CLEAR_SCAN_STATE = """MATCH (s:ScanState {id: $scanId})
SET s.after = null
RETURN count(s) AS cleared"""


async def clear_scan_state(graph: GraphEngine, scan_id: str) -> None:
    await graph.run(CLEAR_SCAN_STATE, {"scanId": scan_id}, write=True)


# Reading recommendations shows who the recipient is: each row's read is audited. Their
# reader is the outreach office of the region (`$regionCodes`, the caller's scope), which
# may not be entitled to the person otherwise: the event records what was asked for.
LIST_RECOMMENDATIONS = f"""MATCH (r:Recommendation)
WHERE r.regionCode IN $regionCodes AND r.status IN $statuses AND r.id > $after
WITH r ORDER BY r.id LIMIT $pageSize
MATCH (p:Recipient {{id: r.recipientId}})
{audited("$auditPrefix + r.id", categories="$requested")}
RETURN properties(r) AS props, p.name AS recipientName
ORDER BY r.id"""


async def list_recommendations(
    graph: GraphEngine,
    region_codes: list[str],
    statuses: list[str],
    *,
    after: str,
    limit: int,
    access: GraphAccess,
) -> list[Row]:
    params = access.params(
        {"regionCodes": region_codes, "statuses": statuses, "after": after, "pageSize": limit},
        audited=True,
    )
    return await graph.run(LIST_RECOMMENDATIONS, params, write=True)


ANSWER_RECOMMENDATION = f"""MATCH (r:Recommendation {{id: $id}})
WHERE r.status = 'NEW' AND r.regionCode IN $regionCodes
SET r.status = $status, r.answeredBy = $actor, r.answeredAt = $now,
  r.answeredByInstitution = $viewerInst, r.reason = $reason, r.version = r.version + 1
WITH r
MATCH (p:Recipient {{id: r.recipientId}})
{audited("$auditPrefix + r.id", categories="$requested")}
RETURN properties(r) AS props, p.name AS recipientName"""


async def answer_recommendation(
    graph: GraphEngine, params: dict[str, Any], access: GraphAccess
) -> Row | None:
    """`params`: the recommendation (`id`), the caller's scope (`regionCodes`), the answer
    (`status`, `reason`)."""
    params = access.params(params, audited=True)
    rows = await graph.run(ANSWER_RECOMMENDATION, params, write=True)
    return rows[0] if rows else None


RECOMMENDATION_STATE = """MATCH (r:Recommendation {id: $id})
WHERE r.regionCode IN $regionCodes
RETURN r.status AS status"""


async def recommendation_state(
    graph: GraphEngine, recommendation_id: str, region_codes: list[str]
) -> str | None:
    rows = await graph.run(
        RECOMMENDATION_STATE, {"id": recommendation_id, "regionCodes": region_codes}
    )
    return rows[0]["status"] if rows else None


COUNT_RECOMMENDATIONS = """MATCH (r:Recommendation)
WHERE r.regionCode IN $regionCodes AND r.status IN $statuses
RETURN count(r) AS total"""


async def count_recommendations(
    graph: GraphEngine, region_codes: list[str], statuses: list[str]
) -> int:
    rows = await graph.run(
        COUNT_RECOMMENDATIONS, {"regionCodes": region_codes, "statuses": statuses}
    )
    return int(rows[0]["total"]) if rows else 0
