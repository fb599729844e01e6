"""Suggestions as you type: the institutions' names, and the re-check of the resource names the
index suggested.

Institutions are the public directory (graph/institutions.py): any viewer may read them, so
their statement takes no access. Resources are read under the listing condition like every
resource read (`RESOURCE_LISTED`), and only while active."""

from __future__ import annotations

from graph.access import RESOURCE_LISTED, GraphAccess
from graph.engine import GraphEngine, Row

__all__ = ["institution_names", "listed_active_names"]

# Every institution's names, for the directory held in memory (`resolvers.institution_names`).
INSTITUTION_NAMES = """MATCH (i:Institution)
RETURN i.id AS id, i.name AS name, i.nameEn AS nameEn"""


async def institution_names(graph: GraphEngine) -> list[Row]:
    """Id, name and English name of every institution, in one round trip."""
    return await graph.run(INSTITUTION_NAMES)


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
