"""Recipients (대상자): the most sensitive records. Every statement that reads a recipient
decides in its own `WHERE` whether the viewer's institution is entitled, and writes the
`AuditEvent` of that read in the same statement, so no read escapes the log.

Entitlement is computed from properties on the recipient that every granting write keeps
current in the same statement (FalkorDB cannot match patterns inside `WHERE`):
`registeredBy`, `caseInstitutions` (lead and participants of open cases), `referralGrants`
("<institution>|<category>") and `consentGrants`
("inst:<institution>|<category>|<valid until, ms>|<consent id>" or "kind:<kind>|…")."""

from __future__ import annotations

from typing import Any

from graph.access import RECIPIENT_ALLOWED, GraphAccess, audited
from graph.engine import GraphEngine, Row

__all__ = [
    "access_log",
    "count_access_log",
    "count_recipients",
    "find_by_id_hash",
    "insert_recipient",
    "list_recipients",
    "read_recipients",
    "recipient_state",
    "upsert_recipients",
]

_AUDIT = audited()

_RETURN = """RETURN properties(p) AS props, allowed, member"""


def _record(row: Row) -> dict[str, Any]:
    props = dict(row["props"])
    for hidden in ("consentGrants", "referralGrants", "caseInstitutions", "idHash"):
        props.pop(hidden, None)
    props["flags"] = list(props.get("flags") or [])
    props["caseLeads"] = list(props.get("caseLeads") or [])
    # Several consents or referrals may grant one category: name each once.
    allowed = list(dict.fromkeys(row["allowed"]))
    return {**props, "allowed": allowed, "member": bool(row["member"])}


READ_RECIPIENTS = f"""UNWIND $ids AS wanted
MATCH (p:Recipient {{id: wanted}})
{RECIPIENT_ALLOWED}
{_AUDIT}
{_RETURN}"""


async def read_recipients(
    graph: GraphEngine, ids: list[str], access: GraphAccess
) -> dict[str, dict[str, Any]]:
    """The recipients among `ids` the viewer's institution is entitled to, each with the
    categories it may read; one audit event per recipient returned, in the same statement
    (`access.audit(...)`). Unknown and unentitled ids are absent alike."""
    params = access.params({"ids": ids}, audited=True)
    rows = await graph.run(READ_RECIPIENTS, params, write=True)
    return {record["id"]: record for record in map(_record, rows)}


LIST_RECIPIENTS = f"""MATCH (p:Recipient)
WHERE p.id > $after AND ($regionCodes IS NULL OR p.regionCode IN $regionCodes)
{RECIPIENT_ALLOWED}
WITH p, allowed, member ORDER BY p.id LIMIT $pageSize
{_AUDIT}
{_RETURN}"""


async def list_recipients(
    graph: GraphEngine,
    access: GraphAccess,
    *,
    region_codes: list[str] | None,
    after: str,
    limit: int,
) -> list[dict[str, Any]]:
    """A page of the recipients the viewer is entitled to, in id order, each read audited."""
    params = access.params(
        {"after": after, "pageSize": limit, "regionCodes": region_codes}, audited=True
    )
    return [_record(row) for row in await graph.run(LIST_RECIPIENTS, params, write=True)]


COUNT_RECIPIENTS = f"""MATCH (p:Recipient)
WHERE $regionCodes IS NULL OR p.regionCode IN $regionCodes
{RECIPIENT_ALLOWED}
RETURN count(p) AS total"""


async def count_recipients(
    graph: GraphEngine, access: GraphAccess, *, region_codes: list[str] | None
) -> int:
    """How many recipients the viewer is entitled to (a count reads no recipient data)."""
    rows = await graph.run(COUNT_RECIPIENTS, access.params({"regionCodes": region_codes}))
    return int(rows[0]["total"]) if rows else 0


FIND_BY_ID_HASH = """MATCH (p:Recipient {idHash: $idHash})
RETURN p.id AS id"""


async def find_by_id_hash(graph: GraphEngine, id_hash: str) -> str | None:
    rows = await graph.run(FIND_BY_ID_HASH, {"idHash": id_hash})
    return rows[0]["id"] if rows else None


# Registration writes the node, its home-region link and the audit event at once. The
# existence test on the identifier hash and the CREATE are one statement (and `idHash` is
# indexed), so two registrations of one person cannot both succeed on a single-writer graph;
# on Neo4j the statement runs in one transaction. The test counts duplicates: FalkorDB (1.4.1)
# keeps the row of `OPTIONAL MATCH (dup …) WITH dup WHERE dup IS NULL` even when it found one.
INSERT_RECIPIENT = f"""OPTIONAL MATCH (dup:Recipient {{idHash: $idHash}})
WITH count(dup) AS dups
WHERE dups = 0
MATCH (g:Region {{code: $regionCode}}), (i:Institution {{id: $institutionId}})
CREATE (p:Recipient)
SET p = $props
CREATE (p)-[:LIVES_IN]->(g)
CREATE (i)-[:REGISTERED]->(p)
WITH p, $allCategories AS allowed
{audited("$auditPrefix + 'register'")}
RETURN properties(p) AS props, allowed, true AS member"""


async def insert_recipient(
    graph: GraphEngine, props: dict[str, Any], access: GraphAccess
) -> dict[str, Any] | None:
    """None when a recipient with the same identifier hash exists (nothing written). The
    registering institution is `props["registeredBy"]`, the viewer's own."""
    params = access.params(
        {
            "props": props,
            "idHash": props.get("idHash"),
            "regionCode": props["regionCode"],
            "institutionId": props["registeredBy"],
        },
        audited=True,
    )
    rows = await graph.run(INSERT_RECIPIENT, params, write=True)
    return _record(rows[0]) if rows else None


# Bulk load (imports, benchmarks): ids are the caller's, so loading twice leaves one copy.
# Registration audits each record; a bulk load writes one audit event per row as well.
UPSERT_RECIPIENTS = """UNWIND $rows AS row
MATCH (g:Region {code: row.regionCode}), (i:Institution {id: row.registeredBy})
MERGE (p:Recipient {id: row.id})
SET p += row
MERGE (p)-[:LIVES_IN]->(g)
MERGE (i)-[:REGISTERED]->(p)
MERGE (a:AuditEvent {id: $auditPrefix + row.id})
SET a.entity = 'Recipient', a.entityId = row.id, a.operation = $operation, a.actor = $actor,
  a.institutionId = row.registeredBy, a.requestId = $requestId,
  a.categories = $allCategories, a.occurredAt = $now
RETURN count(p) AS loaded"""


async def upsert_recipients(
    graph: GraphEngine, rows: list[dict[str, Any]], access: GraphAccess
) -> int:
    """Rows in the shape registration stores (see resolvers.recipients.register_recipient);
    for the system only (`access.audit("BULK_LOAD")`): a bulk load checks no access."""
    access.require_system("a bulk load of recipients")
    params = access.params({"rows": rows}, audited=True)
    found = await graph.run(UPSERT_RECIPIENTS, params, write=True)
    return int(found[0]["loaded"]) if found else 0


RECIPIENT_STATE = f"""MATCH (p:Recipient {{id: $id}})
{RECIPIENT_ALLOWED}
RETURN p.id AS id, p.registeredBy AS registeredBy, p.caseLeads AS caseLeads, allowed, member"""


async def recipient_state(graph: GraphEngine, recipient_id: str, access: GraphAccess) -> Row | None:
    """Who registered and leads the recipient's cases, for an entitled viewer only (for
    deciding who may change what; not a read of recipient data)."""
    rows = await graph.run(RECIPIENT_STATE, access.params({"id": recipient_id}))
    return rows[0] if rows else None


ACCESS_LOG = """MATCH (a:AuditEvent)
WHERE a.entity = 'Recipient' AND a.entityId = $id AND a.id > $after
RETURN a.id AS id, a.operation AS operation, a.actor AS actor,
       a.institutionId AS institutionId, a.requestId AS requestId,
       a.categories AS categories, a.occurredAt AS occurredAt,
       a.referralId AS referralId, a.reason AS reason
ORDER BY a.id
LIMIT $pageSize"""


COUNT_ACCESS_LOG = """MATCH (a:AuditEvent)
WHERE a.entity = 'Recipient' AND a.entityId = $id
RETURN count(a) AS total"""


async def count_access_log(graph: GraphEngine, recipient_id: str) -> int:
    rows = await graph.run(COUNT_ACCESS_LOG, {"id": recipient_id})
    return int(rows[0]["total"]) if rows else 0


async def access_log(graph: GraphEngine, recipient_id: str, *, after: str, limit: int) -> list[Row]:
    return await graph.run(ACCESS_LOG, {"id": recipient_id, "after": after, "pageSize": limit})
