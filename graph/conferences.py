"""Regional care conferences (지역케어회의): a conference of a 시군구 or 읍면동 with member
institutions, its sessions, the cases tabled at them and the decisions, as actions assigned to
institutions with due dates.

Only members read a conference (`$viewerInst IN c.members`). A tabled case is stored by id
only: members read it through the case access rules (`graph.cases.cases_by_ids`), never
through the conference. Tabling is the lead's act, needs a live consent of the person or a
recorded legal basis, and is audited on the recipient in the same statement. Versioned
changes take the node's write lock before they read their guards (Neo4j lost updates)."""

from __future__ import annotations

from typing import Any

from graph.access import GraphAccess, audited
from graph.engine import GraphEngine, Row, inline_properties

__all__ = [
    "action_state",
    "actions_of_sessions",
    "add_member",
    "complete_action",
    "conference_state",
    "conferences_by_ids",
    "count_actions",
    "count_conferences",
    "insert_conference",
    "list_actions",
    "list_conferences",
    "record_minutes",
    "schedule_session",
    "session_state",
    "sessions_of",
    "table_case",
]

CONFERENCE_PROPERTIES = (
    "id", "name", "regionCode", "organiser", "members", "version", "createdAt", "updatedAt",
)  # fmt: skip
SESSION_PROPERTIES = (
    "id", "conferenceId", "scheduledAt", "place", "status", "version", "caseIds", "tablings",
    "createdAt", "updatedAt",
)  # fmt: skip

INSERT_CONFERENCE = f"""CREATE (c:Conference {inline_properties("props", CONFERENCE_PROPERTIES)})
RETURN properties(c) AS props"""


async def insert_conference(graph: GraphEngine, props: dict[str, Any]) -> Row:
    rows = await graph.run(INSERT_CONFERENCE, {"props": props}, write=True)
    return rows[0]["props"]


ADD_MEMBER = """MATCH (c:Conference {id: $id})
SET c.lock = true
REMOVE c.lock
WITH c
WHERE c.organiser = $viewerInst AND c.version = $expectedVersion
  AND NOT $institutionId IN c.members
SET c.members = c.members + [$institutionId], c.version = c.version + 1, c.updatedAt = $now
RETURN properties(c) AS props"""


async def add_member(graph: GraphEngine, params: dict[str, Any], access: GraphAccess) -> Row | None:
    rows = await graph.run(ADD_MEMBER, access.params(params), write=True)
    return rows[0]["props"] if rows else None


SCHEDULE_SESSION = f"""MATCH (c:Conference {{id: $conferenceId}})
WHERE c.organiser = $viewerInst
CREATE (s:ConferenceSession {inline_properties("props", SESSION_PROPERTIES)})
CREATE (c)-[:HAS_SESSION]->(s)
RETURN properties(s) AS props"""


async def schedule_session(
    graph: GraphEngine, props: dict[str, Any], access: GraphAccess
) -> Row | None:
    params = access.params({"conferenceId": props["conferenceId"], "props": props})
    rows = await graph.run(SCHEDULE_SESSION, params, write=True)
    return rows[0]["props"] if rows else None


# The case's lead, a member, tables its open case at a scheduled session, with a live consent
# of the person (a grant of that consent id not yet expired) or a legal basis.
TABLE_CASE = f"""MATCH (c:Conference)-[:HAS_SESSION]->(s:ConferenceSession {{id: $sessionId}}),
      (p:Recipient)-[:HAS_CASE]->(k:`Case` {{id: $caseId}})
SET s.lock = true
REMOVE s.lock
WITH c, s, p, k
WHERE $viewerInst IN c.members AND k.leadInstitutionId = $viewerInst AND k.status <> 'CLOSED'
  AND s.status = 'SCHEDULED' AND NOT $caseId IN s.caseIds
  AND ($legalBasis IS NOT NULL OR any(g IN coalesce(p.consentGrants, [])
       WHERE g ENDS WITH $consentSuffix AND toInteger(split(g, '|')[2]) > $nowMs))
SET s.caseIds = s.caseIds + [$caseId], s.tablings = s.tablings + [$tabling],
    s.version = s.version + 1, s.updatedAt = $now
WITH p, s, $allCategories AS allowed
{audited("$auditPrefix + s.id", "sessionId: s.id, reason: $auditReason")}
RETURN properties(s) AS props"""


async def table_case(graph: GraphEngine, params: dict[str, Any], access: GraphAccess) -> Row | None:
    """`params`: the session, the case, the consent (`consentSuffix`) or `legalBasis`, and the
    `tabling` entry; the audit's reason is the basis (`access.audit(..., reason=…)`)."""
    rows = await graph.run(TABLE_CASE, access.params(params, audited=True), write=True)
    return rows[0]["props"] if rows else None


_MINUTES = """MATCH (c:Conference)-[:HAS_SESSION]->(s:ConferenceSession {id: $sessionId})
SET s.lock = true
REMOVE s.lock
WITH c, s
WHERE c.organiser = $viewerInst AND s.version = $expectedVersion AND s.status = 'SCHEDULED'
SET s.status = 'HELD', s.minutes = $minutes, s.heldAt = $now, s.version = s.version + 1,
    s.updatedAt = $now"""

RECORD_MINUTES = f"""{_MINUTES}
RETURN properties(s) AS props"""

# With decisions: each becomes an action node in the same statement.
RECORD_MINUTES_WITH_ACTIONS = f"""{_MINUTES}
WITH c, s
UNWIND $actions AS act
CREATE (x:ConferenceAction {{id: act.id, conferenceId: c.id, conferenceName: c.name,
  sessionId: s.id, caseId: act.caseId, description: act.description, assignee: act.assignee,
  due: act.due, dueMs: act.dueMs, status: 'OPEN', version: 1, createdAt: $now}})
CREATE (s)-[:DECIDED]->(x)
WITH s, count(x) AS created
RETURN properties(s) AS props"""


async def record_minutes(
    graph: GraphEngine, params: dict[str, Any], access: GraphAccess
) -> Row | None:
    statement = RECORD_MINUTES_WITH_ACTIONS if params["actions"] else RECORD_MINUTES
    rows = await graph.run(statement, access.params(params), write=True)
    return rows[0]["props"] if rows else None


COMPLETE_ACTION = """MATCH (x:ConferenceAction {id: $id})
SET x.lock = true
REMOVE x.lock
WITH x
WHERE x.assignee = $viewerInst AND x.version = $expectedVersion AND x.status = 'OPEN'
SET x.status = 'DONE', x.doneAt = $now, x.doneNote = $note, x.version = x.version + 1
RETURN properties(x) AS props"""


async def complete_action(
    graph: GraphEngine, params: dict[str, Any], access: GraphAccess
) -> Row | None:
    rows = await graph.run(COMPLETE_ACTION, access.params(params), write=True)
    return rows[0]["props"] if rows else None


ACTION_STATE = """MATCH (x:ConferenceAction {id: $id})
WHERE x.assignee = $viewerInst
RETURN x.status AS status, x.version AS version"""

CONFERENCE_STATE = """MATCH (c:Conference {id: $id})
WHERE $viewerInst IN c.members
RETURN properties(c) AS props"""

SESSION_STATE = """MATCH (c:Conference)-[:HAS_SESSION]->(s:ConferenceSession {id: $id})
WHERE $viewerInst IN c.members
RETURN properties(s) AS props, c.organiser AS organiser, c.members AS members"""


async def conference_state(graph: GraphEngine, ident: str, access: GraphAccess) -> Row | None:
    """Members only; for everyone else the conference does not exist."""
    rows = await graph.run(CONFERENCE_STATE, access.params({"id": ident}))
    return rows[0]["props"] if rows else None


async def session_state(graph: GraphEngine, ident: str, access: GraphAccess) -> Row | None:
    rows = await graph.run(SESSION_STATE, access.params({"id": ident}))
    return rows[0] if rows else None


async def action_state(graph: GraphEngine, ident: str, access: GraphAccess) -> Row | None:
    rows = await graph.run(ACTION_STATE, access.params({"id": ident}))
    return rows[0] if rows else None


CONFERENCES_BY_IDS = """UNWIND $ids AS wanted
MATCH (c:Conference {id: wanted})
WHERE $viewerInst IN c.members
RETURN properties(c) AS props"""


async def conferences_by_ids(graph: GraphEngine, ids: list[str], access: GraphAccess) -> list[Row]:
    rows = await graph.run(CONFERENCES_BY_IDS, access.params({"ids": ids}))
    return [row["props"] for row in rows]


LIST_CONFERENCES = """MATCH (c:Conference)
WHERE $viewerInst IN c.members AND c.id > $after
WITH c ORDER BY c.id LIMIT $pageSize
RETURN properties(c) AS props"""

COUNT_CONFERENCES = """MATCH (c:Conference)
WHERE $viewerInst IN c.members
RETURN count(c) AS total"""


async def list_conferences(
    graph: GraphEngine, access: GraphAccess, *, after: str, limit: int
) -> list[Row]:
    params = access.params({"after": after, "pageSize": limit})
    return [row["props"] for row in await graph.run(LIST_CONFERENCES, params)]


async def count_conferences(graph: GraphEngine, access: GraphAccess) -> int:
    rows = await graph.run(COUNT_CONFERENCES, access.params())
    return int(rows[0]["total"]) if rows else 0


# Sessions and their decisions are the members' only, like the conference: the check is the
# statement's own, not the caller's.
SESSIONS_OF = """MATCH (c:Conference)-[:HAS_SESSION]->(s:ConferenceSession)
WHERE c.id IN $ids AND $viewerInst IN c.members
RETURN c.id AS conferenceId, properties(s) AS props
ORDER BY s.scheduledAt, s.id"""


async def sessions_of(
    graph: GraphEngine, conference_ids: list[str], access: GraphAccess
) -> list[Row]:
    return await graph.run(SESSIONS_OF, access.params({"ids": conference_ids}))


ACTIONS_OF = """MATCH (c:Conference)-[:HAS_SESSION]->(s:ConferenceSession),
      (s)-[:DECIDED]->(x:ConferenceAction)
WHERE s.id IN $ids AND $viewerInst IN c.members
RETURN s.id AS sessionId, properties(x) AS props
ORDER BY x.id"""


async def actions_of_sessions(
    graph: GraphEngine, session_ids: list[str], access: GraphAccess
) -> list[Row]:
    return await graph.run(ACTIONS_OF, access.params({"ids": session_ids}))


# The worklist: actions assigned to the viewer's institution; overdue = still OPEN past due.
_ACTIONS = """MATCH (x:ConferenceAction)
WHERE x.assignee = $viewerInst AND ($statuses IS NULL OR x.status IN $statuses)
  AND ($overdue IS NULL OR (x.status = 'OPEN' AND x.dueMs < $nowMs) = $overdue)"""

LIST_ACTIONS = f"""{_ACTIONS} AND x.id > $after
WITH x ORDER BY x.id LIMIT $pageSize
RETURN properties(x) AS props"""

COUNT_ACTIONS = f"""{_ACTIONS}
RETURN count(x) AS total"""


async def list_actions(
    graph: GraphEngine, params: dict[str, Any], access: GraphAccess
) -> list[Row]:
    """`params`: `statuses`, `overdue` and the page (`after`, `pageSize`)."""
    rows = await graph.run(LIST_ACTIONS, access.params(params))
    return [row["props"] for row in rows]


async def count_actions(graph: GraphEngine, params: dict[str, Any], access: GraphAccess) -> int:
    rows = await graph.run(COUNT_ACTIONS, access.params(params))
    return int(rows[0]["total"]) if rows else 0
