"""Crisis reports (위기가구 발굴 신고): someone reports a person who may be in crisis, at a place.
A report is assigned when it is written to the public office responsible for the place
(`assignedTo`), and only that office's staff read it; every read and change writes its
`AuditEvent` (entity `CrisisReport`) in the same statement. A report is not linked to any
recipient, so writing one reads nothing about whether the person is known."""

from __future__ import annotations

from typing import Any

from graph.engine import GraphEngine, Row, inline_properties

__all__ = [
    "REPORT_PROPERTIES",
    "count_reports",
    "insert_report",
    "list_reports",
    "report_state",
    "reports_by_ids",
    "transition_report",
]

REPORT_PROPERTIES = (
    "id", "regionCode", "address", "observed", "aboutSelf", "reporterKind",
    "reporterInstitutionId", "reporterActor", "reporterName", "reporterPhone", "contactAgreed",
    "assignedTo", "status", "version", "history", "createdAt", "createdAtMs", "updatedAt",
)  # fmt: skip


def _audit(operation: str, actor: str = "$actor", institution: str = "$viewerInst") -> str:
    return f"""CREATE (:AuditEvent {{id: $auditPrefix + c.id, entity: 'CrisisReport',
  entityId: c.id, operation: {operation}, actor: {actor}, institutionId: {institution},
  requestId: $requestId, categories: ['IDENTITY', 'CONTACT', 'NEEDS'], occurredAt: $now}})"""


INSERT_REPORT = f"""CREATE (c:CrisisReport {inline_properties("props", REPORT_PROPERTIES)})
{_audit("'CRISIS_REPORTED'", "$props.reporterActor", "$props.reporterInstitutionId")}
RETURN c.id AS id"""


async def insert_report(graph: GraphEngine, props: dict[str, Any], audit: dict[str, Any]) -> bool:
    unknown = set(props) - set(REPORT_PROPERTIES)
    if unknown:
        raise ValueError(f"not in REPORT_PROPERTIES, so not stored: {sorted(unknown)}")
    rows = await graph.run(INSERT_REPORT, {"props": props, **audit}, write=True)
    return bool(rows)


# The assigned office works a report; the lock comes before the guards (Neo4j lost updates).
TRANSITION_REPORT = f"""MATCH (c:CrisisReport {{id: $id}})
SET c.lock = true
REMOVE c.lock
WITH c
WHERE c.assignedTo = $viewerInst AND c.version = $expectedVersion
  AND c.status IN $fromStatuses
SET c += $changes, c.version = c.version + 1, c.updatedAt = $now,
    c.history = c.history + [$entry]
{_audit("$operation")}
RETURN properties(c) AS props"""


async def transition_report(
    graph: GraphEngine, params: dict[str, Any], audit: dict[str, Any]
) -> Row | None:
    rows = await graph.run(TRANSITION_REPORT, {**params, **audit}, write=True)
    return rows[0]["props"] if rows else None


REPORT_STATE = """MATCH (c:CrisisReport {id: $id})
WHERE c.assignedTo = $viewerInst
RETURN c.status AS status, c.version AS version"""


async def report_state(graph: GraphEngine, report_id: str, viewer_inst: str) -> Row | None:
    """For the assigned office only: anyone else learns what an unknown id gives."""
    rows = await graph.run(REPORT_STATE, {"id": report_id, "viewerInst": viewer_inst})
    return rows[0] if rows else None


_LISTED = """MATCH (c:CrisisReport)
WHERE c.assignedTo = $viewerInst AND ($statuses IS NULL OR c.status IN $statuses)"""

LIST_REPORTS = f"""{_LISTED} AND toString(c.id) > $after
WITH c ORDER BY c.id LIMIT $pageSize
{_audit("'READ'")}
RETURN properties(c) AS props"""

COUNT_REPORTS = f"""{_LISTED}
RETURN count(c) AS total"""


async def list_reports(
    graph: GraphEngine,
    viewer_inst: str,
    statuses: list[str] | None,
    *,
    after: str,
    limit: int,
    audit: dict[str, Any],
) -> list[Row]:
    """Oldest first (ids begin with the time), each read audited."""
    params = {
        "viewerInst": viewer_inst,
        "statuses": statuses,
        "after": after,
        "pageSize": limit,
        **audit,
    }
    return [row["props"] for row in await graph.run(LIST_REPORTS, params, write=True)]


async def count_reports(graph: GraphEngine, viewer_inst: str, statuses: list[str] | None) -> int:
    rows = await graph.run(COUNT_REPORTS, {"viewerInst": viewer_inst, "statuses": statuses})
    return int(rows[0]["total"]) if rows else 0


REPORTS_BY_IDS = f"""UNWIND $ids AS wanted
MATCH (c:CrisisReport {{id: wanted}})
WHERE c.assignedTo = $viewerInst
{_audit("'READ'")}
RETURN properties(c) AS props"""


async def reports_by_ids(
    graph: GraphEngine, ids: list[str], viewer_inst: str, audit: dict[str, Any]
) -> list[Row]:
    params = {"ids": ids, "viewerInst": viewer_inst, **audit}
    return [row["props"] for row in await graph.run(REPORTS_BY_IDS, params, write=True)]
