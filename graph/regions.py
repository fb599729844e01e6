"""Regions (시도 / 시군구 / 읍면동) with their `WITHIN` hierarchy, seeded from
`graph/seed/regions.json` and read whole (a few thousand rows nationwide)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graph.engine import GraphEngine, Row

__all__ = ["list_regions", "load_region_seed", "seed_regions"]

SEED_FILE = Path(__file__).resolve().parent / "seed" / "regions.json"
LEVELS = ("SIDO", "SIGUNGU", "EUPMYEONDONG")


def load_region_seed(path: Path = SEED_FILE) -> list[dict[str, Any]]:
    rows = json.loads(path.read_text(encoding="utf-8"))["regions"]
    codes = {row["code"] for row in rows}
    for row in rows:
        if row["level"] not in LEVELS:
            raise ValueError(f"{path}: region {row['code']} has unknown level {row['level']}")
        if row.get("parent") and row["parent"] not in codes:
            raise ValueError(f"{path}: region {row['code']} names unknown parent {row['parent']}")
    return rows


UPSERT_REGIONS = """UNWIND $rows AS row
MERGE (g:Region {code: row.code})
SET g.name = row.name, g.nameEn = row.nameEn, g.level = row.level, g.parent = row.parent,
    g.lat = row.lat, g.lon = row.lon
RETURN count(g) AS upserted"""

LINK_WITHIN = """UNWIND $rows AS row
MATCH (child:Region {code: row.code}), (parent:Region {code: row.parent})
MERGE (child)-[:WITHIN]->(parent)
RETURN count(child) AS linked"""


async def seed_regions(graph: GraphEngine, rows: list[dict[str, Any]]) -> None:
    """Idempotent: MERGE on the code, so it runs at every start."""
    params = [{**row, "parent": row.get("parent")} for row in rows]
    await graph.run(UPSERT_REGIONS, {"rows": params}, write=True)
    await graph.run(LINK_WITHIN, {"rows": [r for r in params if r["parent"]]}, write=True)


LIST_REGIONS = """MATCH (g:Region)
RETURN g.code AS code, g.name AS name, g.nameEn AS nameEn, g.level AS level,
       g.parent AS parent, g.lat AS lat, g.lon AS lon
ORDER BY g.code"""


async def list_regions(graph: GraphEngine) -> list[Row]:
    return await graph.run(LIST_REGIONS)
