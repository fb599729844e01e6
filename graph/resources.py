"""Resources (자원): reads under the listing condition, and single-statement writes that
also mark the resource pending in the search outbox (graph/outbox.py).

Resources are stored flat (graph/resource_records.py). `providerId`, `needCodes`,
`servedRegionCodes` and `partners` repeat what the relationships say (every write sets both
in one statement) so that access and filter conditions are property tests on `r`: no pattern
match per row, which FalkorDB cannot do inside `WHERE` anyway."""

from __future__ import annotations

from typing import Any

from graph.access import RESOURCE_LISTED, GraphAccess
from graph.engine import GraphEngine, Row
from graph.institutions import institution_map
from graph.resource_records import (
    CONTROLLED_FIELDS,
    RESOURCE_FILTER,
    filter_params,
    from_properties,
    to_properties,
)

__all__ = [
    "count_resources",
    "first_window",
    "insert_resource",
    "list_resources",
    "resource_state",
    "resources_by_ids",
    "set_resource_status",
    "set_resource_visibility",
    "update_resource",
    "upsert_resources",
]

# Each resource comes with its provider (the public institution directory's row), read in the
# same trip: nearly every reader of a resource shows who provides it.
_PROVIDER = "OPTIONAL MATCH (p:Institution)-[:PROVIDES]->(r)"
_RESOURCE_RETURN = f"""{_PROVIDER}
RETURN properties(r) AS props, {institution_map("p")} AS provider"""


def _records(rows: list[Row]) -> list[dict[str, Any]]:
    """Records with their provider's row under `"provider"` (None when it has none), for the
    resolvers to take out and prime their institution loader with."""
    records = []
    for row in rows:
        record = from_properties(row["props"])
        provider = row.get("provider")
        record["provider"] = provider if provider and provider.get("id") else None
        records.append(record)
    return records


RESOURCES_BY_IDS = f"""UNWIND $ids AS wanted
MATCH (r:Resource {{id: wanted}})
WHERE {RESOURCE_LISTED}
{_RESOURCE_RETURN}"""


async def resources_by_ids(
    graph: GraphEngine, access: GraphAccess, ids: list[str]
) -> dict[str, dict[str, Any]]:
    """The listed resources among `ids`, in one round trip; hidden and unknown ids are absent
    alike."""
    rows = await graph.run(RESOURCES_BY_IDS, access.params({"ids": ids}))
    return {record["id"]: record for record in _records(rows)}


# Cursor pages: the next `$window` matching resources in id order, with the listing checked
# on those rows only (FalkorDB sorts by scanning every match, so a check before the sort runs
# on the whole label); `props` is null for rows the viewer may not see.
LIST_RESOURCES = f"""MATCH (r:Resource)
WHERE r.id > $after AND {RESOURCE_FILTER}
WITH r ORDER BY r.id LIMIT $window
WITH r, {RESOURCE_LISTED} AS listed
{_PROVIDER}
RETURN r.id AS id, CASE WHEN listed THEN properties(r) ELSE null END AS props,
    CASE WHEN listed THEN {institution_map("p")} ELSE null END AS provider
ORDER BY id"""

# Offset pages (HSDS page numbers): rows to skip are listed rows, so the check comes first.
LIST_RESOURCES_AT_OFFSET = f"""MATCH (r:Resource)
WHERE r.id > $after AND {RESOURCE_FILTER} AND {RESOURCE_LISTED}
WITH r ORDER BY r.id SKIP $skip LIMIT $pageSize
{_RESOURCE_RETURN}"""

COUNT_RESOURCES = f"""MATCH (r:Resource)
WHERE {RESOURCE_FILTER} AND {RESOURCE_LISTED}
RETURN count(r) AS total"""


def first_window(limit: int) -> int:
    """Rows a cursor page reads first: the page and a margin for rows the viewer may not see."""
    return limit + max(8, limit // 4)


async def list_resources(
    graph: GraphEngine,
    access: GraphAccess,
    filters: dict[str, Any],
    *,
    after: str,
    limit: int,
    skip: int = 0,
) -> list[dict[str, Any]]:
    """A page of listed resources in id order, after the id `after` and `skip` rows. `filters`
    hold already-expanded code lists (`needs` with narrower needs, `regions` with the regions
    above and below), HSDS taxonomy term ids (`hsdsTerms`) and an ISO time (`modifiedAfter`).

    Cursor pages read a window a little larger than the page and, when too few of its rows
    are listed to the viewer, the next (four times larger) window after it: one round trip
    unless most matches are hidden from the viewer."""
    params = access.params({**filter_params(filters), "after": after})
    if skip:
        params |= {"skip": skip, "pageSize": limit}
        return _records(await graph.run(LIST_RESOURCES_AT_OFFSET, params))
    shown: list[Row] = []
    window = first_window(limit)
    while True:
        rows = await graph.run(LIST_RESOURCES, {**params, "window": window})
        shown += [row for row in rows if row["props"] is not None]
        if len(shown) >= limit or len(rows) < window:
            return _records(shown[:limit])
        params["after"] = rows[-1]["id"]
        window *= 4


async def count_resources(graph: GraphEngine, access: GraphAccess, filters: dict[str, Any]) -> int:
    params = access.params(filter_params(filters))
    rows = await graph.run(COUNT_RESOURCES, params)
    return rows[0]["total"]


# Marks `r` pending for the search-sync loop; `pendingSince` keeps the oldest unapplied write.
# A fragment (shared with graph/referrals.py), so private: statements are checked whole.
_OUTBOX_MARK = """MERGE (o:OutboxMarker {entityId: r.id})
SET o.entity = 'Resource', o.seq = coalesce(o.seq, 0) + 1,
    o.pendingSince = coalesce(o.pendingSince, $nowMs)"""

INSERT_RESOURCE = f"""MATCH (p:Institution {{id: $providerId}})
OPTIONAL MATCH (n:Need) WHERE n.code IN $needCodes
WITH p, collect(DISTINCT n) AS needs
OPTIONAL MATCH (g:Region) WHERE g.code IN $regionCodes
WITH p, needs, collect(DISTINCT g) AS regions
WHERE size(needs) = size($needCodes) AND size(regions) = size($regionCodes)
CREATE (r:Resource)
SET r = $props
CREATE (p)-[:PROVIDES]->(r)
{_OUTBOX_MARK}
WITH r, needs, regions
UNWIND needs AS n
CREATE (r)-[:ADDRESSES]->(n)
WITH r, regions, count(*) AS linkedNeeds
UNWIND regions AS g
CREATE (r)-[:SERVES]->(g)
WITH r, count(*) AS linkedRegions
{_RESOURCE_RETURN}"""


async def insert_resource(
    graph: GraphEngine, record: dict[str, Any], access: GraphAccess
) -> dict[str, Any] | None:
    """Create the resource, its need and region links and its outbox mark in one atomic
    statement. Returns None (and writes nothing) when the provider or a code is unknown.
    Whether the viewer may register for the provider is the caller's question: no resource
    exists yet whose conditions could answer it."""
    params = access.params(
        {
            "providerId": record["providerId"],
            "needCodes": record["needs"],
            "regionCodes": record["regions"],
            "props": to_properties(record),
        }
    )
    rows = await graph.run(INSERT_RESOURCE, params, write=True)
    return _records(rows)[0] if rows else None


# Writes to one resource take its write lock before they read their guards (version, owner):
# on Neo4j a guard read before the lock lets two concurrent writes with one expectedVersion
# both pass; FalkorDB runs writes one at a time. The lock property is removed in the same
# statement, so nothing of it is stored.
_LOCKED = """MATCH (r:Resource {id: $id})
SET r.lock = true
REMOVE r.lock
WITH r"""


# Only the provider's staff change a resource (roles are the caller's to check).
UPDATE_RESOURCE = f"""{_LOCKED}
WHERE r.version = $expectedVersion AND r.providerId = $viewerInst
WITH r, coalesce($needCodes, r.needCodes) AS needCodes,
     coalesce($regionCodes, r.servedRegionCodes) AS regionCodes
OPTIONAL MATCH (n:Need) WHERE n.code IN needCodes
WITH r, needCodes, regionCodes, collect(DISTINCT n) AS needs
OPTIONAL MATCH (g:Region) WHERE g.code IN regionCodes
WITH r, needCodes, needs, regionCodes, collect(DISTINCT g) AS regions
WHERE size(needs) = size(needCodes) AND size(regions) = size(regionCodes)
OPTIONAL MATCH (r)-[old:ADDRESSES|SERVES]->()
DELETE old
WITH DISTINCT r, needs, regions
SET r += $props, r.version = r.version + 1, r.needCodes = [n IN needs | n.code],
    r.servedRegionCodes = [g IN regions | g.code]
{_OUTBOX_MARK}
WITH r, needs, regions
UNWIND needs AS n
CREATE (r)-[:ADDRESSES]->(n)
WITH r, regions, count(*) AS linkedNeeds
UNWIND regions AS g
CREATE (r)-[:SERVES]->(g)
WITH r, count(*) AS linkedRegions
{_RESOURCE_RETURN}"""


async def update_resource(
    graph: GraphEngine,
    resource_id: str,
    expected_version: int,
    changes: dict[str, Any],
    access: GraphAccess,
) -> dict[str, Any] | None:
    """Apply `changes` (a partial record) if the version still matches and the resource belongs
    to the viewer's institution, bumping the version and marking it in the outbox atomically.
    Need and region links are rewritten from `changes` or kept. None: nothing was written."""
    props = to_properties({k: v for k, v in changes.items() if k not in {"needs", "regions"}})
    params = access.params(
        {
            "id": resource_id,
            "expectedVersion": expected_version,
            "needCodes": changes.get("needs"),
            "regionCodes": changes.get("regions"),
            "props": props,
        }
    )
    rows = await graph.run(UPDATE_RESOURCE, params, write=True)
    return _records(rows)[0] if rows else None


SET_STATUS = f"""{_LOCKED}
WHERE r.providerId = $viewerInst AND ($expectedVersion IS NULL OR r.version = $expectedVersion)
SET r.status = $status, r.version = r.version + 1, r.updatedAt = $now
{_OUTBOX_MARK}
WITH r
{_RESOURCE_RETURN}"""


async def set_resource_status(
    graph: GraphEngine,
    resource_id: str,
    status: str,
    expected_version: int | None,
    access: GraphAccess,
) -> dict[str, Any] | None:
    params = access.params(
        {"id": resource_id, "status": status, "expectedVersion": expected_version}
    )
    rows = await graph.run(SET_STATUS, params, write=True)
    return _records(rows)[0] if rows else None


RESOURCE_STATE = f"""MATCH (r:Resource {{id: $id}})
WHERE {RESOURCE_LISTED}
RETURN r.version AS version, r.providerId AS providerId"""


async def resource_state(graph: GraphEngine, access: GraphAccess, resource_id: str) -> Row | None:
    """Version and owner of a resource the viewer may know about (to explain a failed write)."""
    rows = await graph.run(RESOURCE_STATE, access.params({"id": resource_id}))
    return rows[0] if rows else None


UPSERT_RESOURCES = f"""UNWIND $rows AS row
MATCH (p:Institution {{id: row.providerId}})
MERGE (r:Resource {{id: row.props.id}})
SET r += row.props
MERGE (p)-[:PROVIDES]->(r)
WITH r, row
OPTIONAL MATCH (r)-[old:ADDRESSES|SERVES]->()
DELETE old
WITH DISTINCT r, row
MATCH (n:Need) WHERE n.code IN row.needs
CREATE (r)-[:ADDRESSES]->(n)
WITH DISTINCT r, row
MATCH (g:Region) WHERE g.code IN row.regions
CREATE (r)-[:SERVES]->(g)
WITH DISTINCT r, row
{_OUTBOX_MARK}
RETURN count(r) AS upserted"""


async def upsert_resources(
    graph: GraphEngine, records: list[dict[str, Any]], access: GraphAccess
) -> int:
    """Bulk path (demo data, benchmarks), for the system only: idempotent on the resource id;
    each resource gets its outbox mark in the same statement."""
    access.require_system("a bulk load of resources")
    rows = [
        {
            "providerId": record["providerId"],
            "needs": record["needs"],
            "regions": record["regions"],
            "props": to_properties(record),
        }
        for record in records
    ]
    params = access.params({"rows": rows})
    result = await graph.run(UPSERT_RESOURCES, params, write=True)
    return result[0]["upserted"] if result else 0


# The settings as they were, as 'field=AUDIENCE' strings, listed from CONTROLLED_FIELDS.
_VISIBILITY_BEFORE = "['listing=' + r.visListing, {}]".format(
    ", ".join(f"'{name}=' + r.{column}" for name, column in CONTROLLED_FIELDS.items())
)

# The provider's staff change the settings; the audit event (not about a recipient, so not
# `graph.access.audited`) holds them before and after.
SET_VISIBILITY = f"""{_LOCKED}
WHERE r.version = $expectedVersion AND r.providerId = $viewerInst
CREATE (:AuditEvent {{id: $auditPrefix + r.id, occurredAt: $now, actor: $actor,
    institution: $viewerInst, entity: 'Resource', entityId: r.id, operation: $operation,
    before: {_VISIBILITY_BEFORE},
    beforePartners: r.partners, after: $after, afterPartners: $partners}})
SET r += $props, r.version = r.version + 1, r.updatedAt = $now
{_OUTBOX_MARK}
WITH r
{_RESOURCE_RETURN}"""


async def set_resource_visibility(
    graph: GraphEngine,
    resource_id: str,
    expected_version: int,
    visibility: dict[str, Any],
    access: GraphAccess,
) -> dict[str, Any] | None:
    """Replace the visibility settings, append an AuditEvent with the settings before and
    after (`access.audit("SET_VISIBILITY")`), and the outbox mark — one atomic statement.
    None: nothing was written."""
    props = to_properties({"visibility": visibility})
    after = [f"listing={visibility['listing']}"] + [
        f"{name}={audience}" for name, audience in visibility["fields"].items()
    ]
    params = access.params(
        {
            "id": resource_id,
            "expectedVersion": expected_version,
            "props": props,
            "after": after,
            "partners": props["partners"],
        },
        audited=True,
    )
    rows = await graph.run(SET_VISIBILITY, params, write=True)
    return _records(rows)[0] if rows else None
