"""Institutions (기관): public offices, welfare centres, health centres, NGOs.

The institution directory is public: every viewer may list institutions."""

from __future__ import annotations

import re
from typing import Any

from graph.engine import GraphEngine, Row, load_rows

__all__ = [
    "count_institutions",
    "institution_map",
    "institutions_by_ids",
    "list_institutions",
    "public_offices_for",
    "public_offices_without_jurisdiction",
    "set_jurisdictions",
    "upsert_institutions",
]

INSTITUTION_COLUMNS = """i.id AS id, i.name AS name, i.nameEn AS nameEn, i.sector AS sector,
       i.kind AS kind, i.regionCode AS regionCode, i.phone AS phone, i.address AS address,
       i.lat AS lat, i.lon AS lon, i.version AS version, i.createdAt AS createdAt,
       i.updatedAt AS updatedAt, i.description AS description, i.hsdsId AS hsdsId,
       i.hsdsLocation AS hsdsLocation, i.jurisdictionCode AS jurisdictionCode"""


def institution_map(var: str) -> str:
    """`INSTITUTION_COLUMNS` as one map of the institution `var`, for statements that return
    an institution beside other rows (a resource's provider, read in the resource's trip)."""
    pairs = re.findall(r"i\.(\w+) AS (\w+)", INSTITUTION_COLUMNS)
    return "{" + ", ".join(f"{name}: {var}.{prop}" for prop, name in pairs) + "}"


INSTITUTIONS_BY_IDS = f"""UNWIND $ids AS wanted
MATCH (i:Institution {{id: wanted}})
RETURN {INSTITUTION_COLUMNS}"""


async def institutions_by_ids(graph: GraphEngine, ids: list[str]) -> dict[str, Row]:
    """One round trip for any number of ids; unknown ids are absent from the result."""
    rows = await graph.run(INSTITUTIONS_BY_IDS, {"ids": ids})
    return {row["id"]: row for row in rows}


INSTITUTION_FILTER = """($regions IS NULL OR i.regionCode IN $regions)
  AND ($kinds IS NULL OR i.kind IN $kinds)
  AND ($sectors IS NULL OR i.sector IN $sectors)
  AND ($text IS NULL OR toLower(i.name) CONTAINS $text
       OR toLower(coalesce(i.nameEn, '')) CONTAINS $text)"""

LIST_INSTITUTIONS = f"""MATCH (i:Institution)
WHERE i.id > $after AND {INSTITUTION_FILTER}
WITH i ORDER BY i.id SKIP $skip LIMIT $pageSize
RETURN {INSTITUTION_COLUMNS}"""

COUNT_INSTITUTIONS = f"""MATCH (i:Institution)
WHERE {INSTITUTION_FILTER}
RETURN count(i) AS total"""


def _filter_params(filters: dict[str, Any]) -> dict[str, Any]:
    """`regions`, `kinds`, `sectors` and `text` (lower-case words in the name); None = any."""
    return {key: filters.get(key) for key in ("regions", "kinds", "sectors", "text")}


async def list_institutions(
    graph: GraphEngine, filters: dict[str, Any], *, after: str, limit: int, skip: int = 0
) -> list[Row]:
    """A page in id order, after the id `after` and `skip` rows."""
    params = {**_filter_params(filters), "after": after, "skip": skip, "pageSize": limit}
    return await graph.run(LIST_INSTITUTIONS, params)


async def count_institutions(graph: GraphEngine, filters: dict[str, Any]) -> int:
    rows = await graph.run(COUNT_INSTITUTIONS, _filter_params(filters))
    return rows[0]["total"]


UPSERT_INSTITUTIONS = """UNWIND $rows AS row
MATCH (g:Region {code: row.regionCode})
MERGE (i:Institution {id: row.id})
ON CREATE SET i.version = 1, i.createdAt = $now
SET i.name = row.name, i.nameEn = row.nameEn, i.sector = row.sector, i.kind = row.kind,
    i.regionCode = row.regionCode, i.phone = row.phone, i.address = row.address,
    i.lat = row.lat, i.lon = row.lon, i.updatedAt = $now, i.description = row.description,
    i.hsdsId = coalesce(row.hsdsId, i.hsdsId), i.hsdsLocation = row.hsdsLocation,
    i.jurisdictionCode = coalesce(row.jurisdictionCode, i.jurisdictionCode)
MERGE (i)-[:LOCATED_IN]->(g)
RETURN count(i) AS upserted"""


async def upsert_institutions(graph: GraphEngine, rows: list[dict[str, Any]], now: str) -> int:
    """Bulk path (demo data, imports): idempotent on the institution id. `hsdsId` (the Open
    Referral HSDS id) is kept when a row does not give one."""
    defaults = {"nameEn": None, "phone": None, "address": None, "description": None}
    params = [
        {**defaults, "hsdsId": None, "hsdsLocation": None, "jurisdictionCode": None, **row}
        for row in rows
    ]
    result = await graph.run(UPSERT_INSTITUTIONS, {"rows": params, "now": now}, write=True)
    return result[0]["upserted"] if result else 0


PUBLIC_WITHOUT_JURISDICTION = """MATCH (i:Institution)
WHERE i.sector = 'PUBLIC' AND i.jurisdictionCode IS NULL
RETURN i.id AS id, i.kind AS kind, i.sector AS sector, i.regionCode AS regionCode"""


async def public_offices_without_jurisdiction(graph: GraphEngine) -> list[Row]:
    return await graph.run(PUBLIC_WITHOUT_JURISDICTION)


# Idempotent: a jurisdiction already set (by an operator, or an earlier start) is kept.
SET_JURISDICTIONS = """UNWIND $rows AS row
MATCH (i:Institution {id: row.id})
WHERE i.jurisdictionCode IS NULL
SET i.jurisdictionCode = row.code
RETURN count(i) AS loaded"""


async def set_jurisdictions(graph: GraphEngine, rows: list[dict[str, str]]) -> int:
    """`rows`: `{id, code}`, the region each institution administers."""
    return await load_rows(graph, SET_JURISDICTIONS, rows)


PUBLIC_OFFICES_FOR = """MATCH (i:Institution)
WHERE i.sector = 'PUBLIC'
  AND (i.jurisdictionCode IN $administered
       OR (i.jurisdictionCode IS NULL AND i.regionCode IN $located))
  AND i.kind IN ['COMMUNITY_CENTER', 'CITY_HALL']
RETURN i.id AS id, i.kind AS kind, i.sector AS sector, i.regionCode AS regionCode,
       i.jurisdictionCode AS jurisdictionCode
ORDER BY i.id"""


async def public_offices_for(
    graph: GraphEngine, administered: list[str], located: list[str]
) -> list[Row]:
    """주민센터 and 시청 that administer one of `administered`, or that have no jurisdiction
    stored yet and are located in one of `located` (the caller applies the default)."""
    return await graph.run(PUBLIC_OFFICES_FOR, {"administered": administered, "located": located})
