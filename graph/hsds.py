"""Open Referral HSDS exchange: external ids of resources and institutions, resources with a
location the viewer may see, imported (foreign) taxonomies and their terms, the import audit.

Reads of resources keep `RESOURCE_LISTED` in their `WHERE`; the one exception is the id
backfill, the system's (`GraphAccess.system`), which reads ids only to write their derived
HSDS ids and shows nothing to anyone."""

from __future__ import annotations

from typing import Any

from graph.access import RESOURCE_LISTED, GraphAccess, shown_to_viewer
from graph.engine import GraphEngine, Row
from graph.institutions import INSTITUTION_COLUMNS
from graph.resource_records import RESOURCE_FILTER, filter_params, from_properties

__all__ = [
    "count_located_resources",
    "count_taxonomies",
    "count_terms",
    "institutions_by_hsds_ids",
    "list_located_resources",
    "list_taxonomies",
    "list_terms",
    "missing_hsds_ids",
    "record_imports",
    "resources_by_hsds_ids",
    "set_hsds_ids",
    "taxonomies_by_ids",
    "terms_by_ids",
    "upsert_taxonomies",
    "upsert_terms",
]

MISSING_RESOURCE_HSDS_IDS = """MATCH (r:Resource) WHERE r.hsdsId IS NULL
RETURN r.id AS id LIMIT $batchSize"""

MISSING_INSTITUTION_HSDS_IDS = """MATCH (i:Institution) WHERE i.hsdsId IS NULL
RETURN i.id AS id LIMIT $batchSize"""

SET_RESOURCE_HSDS_IDS = """UNWIND $rows AS row
MATCH (r:Resource {id: row.id}) WHERE r.hsdsId IS NULL
SET r.hsdsId = row.hsdsId
RETURN count(r) AS updated"""

SET_INSTITUTION_HSDS_IDS = """UNWIND $rows AS row
MATCH (i:Institution {id: row.id}) WHERE i.hsdsId IS NULL
SET i.hsdsId = row.hsdsId
RETURN count(i) AS updated"""

_MISSING = {"Resource": MISSING_RESOURCE_HSDS_IDS, "Institution": MISSING_INSTITUTION_HSDS_IDS}
_SET = {"Resource": SET_RESOURCE_HSDS_IDS, "Institution": SET_INSTITUTION_HSDS_IDS}


async def missing_hsds_ids(
    graph: GraphEngine, label: str, limit: int, access: GraphAccess
) -> list[str]:
    """Ids of resources or institutions (`label`) that have no HSDS id yet."""
    access.require_system("the HSDS id backfill")
    rows = await graph.run(_MISSING[label], {"batchSize": limit})
    return [row["id"] for row in rows]


async def set_hsds_ids(
    graph: GraphEngine, label: str, rows: list[dict[str, str]], access: GraphAccess
) -> int:
    """Set `hsdsId` where none is set yet (rows of `id`, `hsdsId`). A derived id, not a change
    of content: no version bump, no outbox event."""
    access.require_system("the HSDS id backfill")
    result = await graph.run(_SET[label], {"rows": rows}, write=True)
    return result[0]["updated"] if result else 0


RESOURCES_BY_HSDS_IDS = f"""UNWIND $ids AS wanted
MATCH (r:Resource {{hsdsId: wanted}})
WHERE {RESOURCE_LISTED}
RETURN properties(r) AS props"""


async def resources_by_hsds_ids(
    graph: GraphEngine, access: GraphAccess, ids: list[str]
) -> dict[str, dict[str, Any]]:
    """The listed resources among the HSDS ids, by HSDS id; hidden and unknown alike absent."""
    rows = await graph.run(RESOURCES_BY_HSDS_IDS, access.params({"ids": ids}))
    records = [from_properties(row["props"]) for row in rows]
    return {record["hsdsId"]: record for record in records}


INSTITUTIONS_BY_HSDS_IDS = f"""UNWIND $ids AS wanted
MATCH (i:Institution {{hsdsId: wanted}})
RETURN {INSTITUTION_COLUMNS}"""


async def institutions_by_hsds_ids(graph: GraphEngine, ids: list[str]) -> dict[str, Row]:
    """Institutions (a public directory) by HSDS id."""
    rows = await graph.run(INSTITUTIONS_BY_HSDS_IDS, {"ids": ids})
    return {row["hsdsId"]: row for row in rows}


# A resource has a location for the viewer when its address is set and shown to the viewer:
# the same rule as `present` applies to the `address` field.
_LOCATED = f"""(r.addressText IS NOT NULL OR r.lat IS NOT NULL)
  AND {shown_to_viewer("visAddress")}"""

LIST_LOCATED_RESOURCES = f"""MATCH (r:Resource)
WHERE {RESOURCE_FILTER} AND {RESOURCE_LISTED} AND {_LOCATED}
WITH r ORDER BY r.id SKIP $skip LIMIT $pageSize
RETURN properties(r) AS props"""

COUNT_LOCATED_RESOURCES = f"""MATCH (r:Resource)
WHERE {RESOURCE_FILTER} AND {RESOURCE_LISTED} AND {_LOCATED}
RETURN count(r) AS total"""


async def list_located_resources(
    graph: GraphEngine, access: GraphAccess, filters: dict[str, Any], *, skip: int, limit: int
) -> list[dict[str, Any]]:
    """A page (id order) of the listed resources whose address the viewer may see."""
    params = access.params({**filter_params(filters), "skip": skip, "pageSize": limit})
    rows = await graph.run(LIST_LOCATED_RESOURCES, params)
    return [from_properties(row["props"]) for row in rows]


async def count_located_resources(
    graph: GraphEngine, access: GraphAccess, filters: dict[str, Any]
) -> int:
    params = access.params(filter_params(filters))
    rows = await graph.run(COUNT_LOCATED_RESOURCES, params)
    return rows[0]["total"]


_TAXONOMY_COLUMNS = """x.hsdsId AS id, x.name AS name, x.description AS description,
       x.uri AS uri, x.version AS version"""

_TERM_COLUMNS = """t.hsdsId AS id, t.code AS code, t.name AS name, t.description AS description,
       t.parentId AS parentId, t.taxonomy AS taxonomy, t.taxonomyId AS taxonomyId,
       t.language AS language, t.termUri AS termUri"""

UPSERT_TAXONOMIES = """UNWIND $rows AS row
MERGE (x:Taxonomy {hsdsId: row.id})
SET x.name = row.name, x.description = row.description, x.uri = row.uri,
    x.version = row.version, x.updatedAt = $now
RETURN count(x) AS upserted"""

UPSERT_TERMS = """UNWIND $rows AS row
MERGE (t:TaxonomyTerm {hsdsId: row.id})
SET t.code = row.code, t.name = row.name, t.description = row.description,
    t.parentId = row.parentId, t.taxonomy = row.taxonomy, t.taxonomyId = row.taxonomyId,
    t.language = row.language, t.termUri = row.termUri, t.updatedAt = $now
RETURN count(t) AS upserted"""

_TAXONOMY_KEYS = ("id", "name", "description", "uri", "version")
_TERM_KEYS = ("id", "code", "name", "description", "parentId", "taxonomy", "taxonomyId",
              "language", "termUri")  # fmt: skip


async def upsert_taxonomies(graph: GraphEngine, rows: list[dict[str, Any]], now: str) -> int:
    """Imported taxonomies, idempotent on their HSDS id."""
    params = [{key: row.get(key) for key in _TAXONOMY_KEYS} for row in rows]
    result = await graph.run(UPSERT_TAXONOMIES, {"rows": params, "now": now}, write=True)
    return result[0]["upserted"] if result else 0


async def upsert_terms(graph: GraphEngine, rows: list[dict[str, Any]], now: str) -> int:
    """Imported taxonomy terms, idempotent on their HSDS id."""
    params = [{key: row.get(key) for key in _TERM_KEYS} for row in rows]
    result = await graph.run(UPSERT_TERMS, {"rows": params, "now": now}, write=True)
    return result[0]["upserted"] if result else 0


TAXONOMIES_BY_IDS = f"""UNWIND $ids AS wanted
MATCH (x:Taxonomy {{hsdsId: wanted}})
RETURN {_TAXONOMY_COLUMNS}"""

TERMS_BY_IDS = f"""UNWIND $ids AS wanted
MATCH (t:TaxonomyTerm {{hsdsId: wanted}})
RETURN {_TERM_COLUMNS}"""


async def taxonomies_by_ids(graph: GraphEngine, ids: list[str]) -> dict[str, Row]:
    rows = await graph.run(TAXONOMIES_BY_IDS, {"ids": ids})
    return {row["id"]: row for row in rows}


async def terms_by_ids(graph: GraphEngine, ids: list[str]) -> dict[str, Row]:
    rows = await graph.run(TERMS_BY_IDS, {"ids": ids})
    return {row["id"]: row for row in rows}


_TEXT = """($text IS NULL OR toLower(x.name) CONTAINS $text
  OR toLower(coalesce(x.description, '')) CONTAINS $text)"""

LIST_TAXONOMIES = f"""MATCH (x:Taxonomy)
WHERE {_TEXT}
WITH x ORDER BY x.hsdsId SKIP $skip LIMIT $pageSize
RETURN {_TAXONOMY_COLUMNS}"""

COUNT_TAXONOMIES = f"""MATCH (x:Taxonomy)
WHERE {_TEXT}
RETURN count(x) AS total"""

_TERM_FILTER = """($text IS NULL OR toLower(t.name) CONTAINS $text
  OR toLower(coalesce(t.description, '')) CONTAINS $text
  OR toLower(coalesce(t.code, '')) CONTAINS $text)
  AND ($taxonomyId IS NULL OR t.taxonomyId = $taxonomyId)
  AND ($parentId IS NULL OR t.parentId = $parentId)
  AND ($topOnly IS NULL OR t.parentId IS NULL)"""

LIST_TERMS = f"""MATCH (t:TaxonomyTerm)
WHERE {_TERM_FILTER}
WITH t ORDER BY t.hsdsId SKIP $skip LIMIT $pageSize
RETURN {_TERM_COLUMNS}"""

COUNT_TERMS = f"""MATCH (t:TaxonomyTerm)
WHERE {_TERM_FILTER}
RETURN count(t) AS total"""


def _term_params(filters: dict[str, Any]) -> dict[str, Any]:
    """`text` (lower case), `taxonomyId`, `parentId`, `topOnly` (True or None)."""
    return {key: filters.get(key) for key in ("text", "taxonomyId", "parentId", "topOnly")}


async def list_taxonomies(
    graph: GraphEngine, text: str | None, *, skip: int, limit: int
) -> list[Row]:
    return await graph.run(LIST_TAXONOMIES, {"text": text, "skip": skip, "pageSize": limit})


async def count_taxonomies(graph: GraphEngine, text: str | None) -> int:
    return (await graph.run(COUNT_TAXONOMIES, {"text": text}))[0]["total"]


async def list_terms(
    graph: GraphEngine, filters: dict[str, Any], *, skip: int, limit: int
) -> list[Row]:
    params = {**_term_params(filters), "skip": skip, "pageSize": limit}
    return await graph.run(LIST_TERMS, params)


async def count_terms(graph: GraphEngine, filters: dict[str, Any]) -> int:
    return (await graph.run(COUNT_TERMS, _term_params(filters)))[0]["total"]


RECORD_IMPORTS = """UNWIND $rows AS row
CREATE (a:AuditEvent {id: row.id, occurredAt: $now, actor: $actor,
    institution: row.institution, entity: row.entity, entityId: row.entityId,
    operation: 'HSDS_IMPORT', outcome: row.outcome, hsdsId: row.hsdsId, source: $source})
RETURN count(a) AS recorded"""


async def record_imports(
    graph: GraphEngine, rows: list[dict[str, Any]], *, actor: str, source: str, now: str
) -> int:
    """Append one AuditEvent per imported record (`id`, `institution`, `entity`, `entityId`,
    `outcome`: CREATED / UPDATED / UNCHANGED, `hsdsId`)."""
    if not rows:
        return 0
    params = {"rows": rows, "actor": actor, "source": source, "now": now}
    result = await graph.run(RECORD_IMPORTS, params, write=True)
    return result[0]["recorded"] if result else 0
