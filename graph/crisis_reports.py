"""Crisis reports (위기가구 발굴 신고): someone reports a person who may be in crisis, at a place.
A report is assigned when it is written to the public office responsible for the place
(`assignedTo`), and only that office's staff read it; every read and change writes its
`AuditEvent` (entity `CrisisReport`) in the same statement. A report is not linked to any
recipient, so writing one reads nothing about whether the person is known."""

from __future__ import annotations

from typing import Any

from graph.access import GraphAccess, audited
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


def _audit(actor: str = "$actor", institution: str = "$viewerInst") -> str:
    """A report is about whoever it describes: every event names what a report may hold."""
    return audited(
        "$auditPrefix + c.id",
        entity="CrisisReport",
        entity_id="c.id",
        categories="['IDENTITY', 'CONTACT', 'NEEDS']",
        actor=actor,
        institution=institution,
    )


# Written by the reporter (anyone, `access.audit("CRISIS_REPORTED")`), named as the report
# names them.
INSERT_REPORT = f"""CREATE (c:CrisisReport {inline_properties("props", REPORT_PROPERTIES)})
{_audit("$props.reporterActor", "$props.reporterInstitutionId")}
RETURN c.id AS id"""


async def insert_report(graph: GraphEngine, props: dict[str, Any], access: GraphAccess) -> bool:
    unknown = set(props) - set(REPORT_PROPERTIES)
    if unknown:
        raise ValueError(f"not in REPORT_PROPERTIES, so not stored: {sorted(unknown)}")
    rows = await graph.run(INSERT_REPORT, access.params({"props": props}, audited=True), write=True)
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
{_audit()}
RETURN properties(c) AS props"""


async def transition_report(
    graph: GraphEngine, params: dict[str, Any], access: GraphAccess
) -> Row | None:
    """The operation is the audit's (`access.audit("CRISIS_REPORT_VISITED")`)."""
    rows = await graph.run(TRANSITION_REPORT, access.params(params, audited=True), write=True)
    return rows[0]["props"] if rows else None


REPORT_STATE = """MATCH (c:CrisisReport {id: $id})
WHERE c.assignedTo = $viewerInst
RETURN c.status AS status, c.version AS version"""


async def report_state(graph: GraphEngine, report_id: str, access: GraphAccess) -> Row | None:
    """For the assigned office only: anyone else learns what an unknown id gives."""
    rows = await graph.run(REPORT_STATE, access.params({"id": report_id}))
    return rows[0] if rows else None


_LISTED = """MATCH (c:CrisisReport)
WHERE c.assignedTo = $viewerInst AND ($statuses IS NULL OR c.status IN $statuses)"""

LIST_REPORTS = f"""{_LISTED} AND toString(c.id) > $after
WITH c ORDER BY c.id LIMIT $pageSize
{_audit()}
RETURN properties(c) AS props"""

COUNT_REPORTS = f"""{_LISTED}
RETURN count(c) AS total"""


async def list_reports(
    graph: GraphEngine,
    access: GraphAccess,
    statuses: list[str] | None,
    *,
    after: str,
    limit: int,
) -> list[Row]:
    """Oldest first (ids begin with the time), each read audited (`access.audit("READ")`)."""
    params = access.params({"statuses": statuses, "after": after, "pageSize": limit}, audited=True)
    return [row["props"] for row in await graph.run(LIST_REPORTS, params, write=True)]


async def count_reports(graph: GraphEngine, access: GraphAccess, statuses: list[str] | None) -> int:
    rows = await graph.run(COUNT_REPORTS, access.params({"statuses": statuses}))
    return int(rows[0]["total"]) if rows else 0


REPORTS_BY_IDS = f"""UNWIND $ids AS wanted
MATCH (c:CrisisReport {{id: wanted}})
WHERE c.assignedTo = $viewerInst
{_audit()}
RETURN properties(c) AS props"""


async def reports_by_ids(graph: GraphEngine, ids: list[str], access: GraphAccess) -> list[Row]:
    params = access.params({"ids": ids}, audited=True)
    return [row["props"] for row in await graph.run(REPORTS_BY_IDS, params, write=True)]
