"""The need taxonomy (욕구): seeded from `graph/seed/needs.json`, read whole (it is small)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graph.engine import GraphEngine, Row

__all__ = ["list_needs", "load_need_seed", "seed_needs"]

SEED_FILE = Path(__file__).resolve().parent / "seed" / "needs.json"


def load_need_seed(path: Path = SEED_FILE) -> list[dict[str, Any]]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    codes = {row["code"] for row in rows}
    for row in rows:
        if row.get("parent") and row["parent"] not in codes:
            raise ValueError(f"{path}: need {row['code']} names unknown parent {row['parent']}")
    return rows


UPSERT_NEEDS = """UNWIND $rows AS row
MERGE (n:Need {code: row.code})
SET n.labelKo = row.labelKo, n.labelEn = row.labelEn, n.parent = row.parent,
    n.keywords = row.keywords
RETURN count(n) AS upserted"""

LINK_BROADER = """UNWIND $rows AS row
MATCH (child:Need {code: row.code}), (parent:Need {code: row.parent})
MERGE (child)-[:BROADER]->(parent)
RETURN count(child) AS linked"""


async def seed_needs(graph: GraphEngine, rows: list[dict[str, Any]]) -> None:
    """Idempotent: MERGE on the code, so it runs at every start."""
    params = [
        {**row, "parent": row.get("parent"), "keywords": row.get("keywords") or []} for row in rows
    ]
    await graph.run(UPSERT_NEEDS, {"rows": params}, write=True)
    await graph.run(LINK_BROADER, {"rows": [r for r in params if r["parent"]]}, write=True)


LIST_NEEDS = """MATCH (n:Need)
RETURN n.code AS code, n.labelKo AS labelKo, n.labelEn AS labelEn, n.parent AS parent,
  n.keywords AS keywords
ORDER BY n.code"""


async def list_needs(graph: GraphEngine) -> list[Row]:
    return await graph.run(LIST_NEEDS)
