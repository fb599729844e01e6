"""Unmet needs (사각지대) and duplicated support (중첩), found in the graph.

A current need (the latest assessment's) is addressed by an active enrollment in a resource
for that need or by an open case whose goals address it. Rows about individual recipients go
through the access check and are audited; the counts for dashboards read no names."""

from __future__ import annotations

from typing import Any

from graph.engine import GraphEngine, Row
from graph.recipients import audited, entitlement

__all__ = [
    "overlap_counts",
    "program_sets",
    "unmet_need_counts",
    "unmet_need_rows",
]

# The current needs of `p` that nothing addresses, as `unmet`.
_UNMET = """OPTIONAL MATCH (p)-[:ENROLLED]->(e:Enrollment)
WHERE e.status = 'ACTIVE'
WITH p, collect(e.needCodes) AS enrolled
OPTIONAL MATCH (p)-[:HAS_CASE]->(k:`Case`)
WHERE k.status <> 'CLOSED'
WITH p, enrolled, collect(k.needCodes) AS planned
WITH p, [n IN p.currentNeeds WHERE none(l IN enrolled + planned WHERE n IN l)] AS unmet
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
    *,
    after: str,
    limit: int,
    entitled: dict[str, Any],
    audit: dict[str, Any],
) -> list[Row]:
    """Recipients with unmet needs that the viewer is entitled to (NEEDS), each audited."""
    params = {"regionCodes": region_codes, "after": after, "pageSize": limit}
    return await graph.run(UNMET_NEED_ROWS, {**params, **entitled, **audit}, write=True)


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
