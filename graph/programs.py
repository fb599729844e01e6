"""Public programmes (복지멤버십): eligibility rules as data in `graph/seed/programs.json`,
checked when loaded (a bad rule stops the start with a message naming it) and stored as
`Program` nodes, the rule fields flat on the node."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

from graph.engine import GraphEngine, Row

__all__ = ["RULE_KEYS", "RuleFileError", "list_programs", "load_program_seed", "seed_programs"]

SEED_FILE = Path(__file__).resolve().parent / "seed" / "programs.json"

# Rule key -> (type of value, description for error messages).
RULE_KEYS: dict[str, tuple[type, str]] = {
    "minAge": (int, "an age in years (0..150)"),
    "maxAge": (int, "an age in years (0..150)"),
    "maxIncomePercent": (int, "a % of the standard median income (0..1000)"),
    "householdTypes": (list, "a list of household types"),
    "disability": (list, "a list of disability grades (NONE, MILD, SEVERE)"),
    "regions": (list, "a list of region codes"),
    "requiredFlags": (list, "a list of recipient flags"),
}
HOUSEHOLD_TYPES = frozenset(
    {"SINGLE_ELDERLY", "SINGLE_PARENT", "GRANDPARENT_HEADED", "MULTICULTURAL",
     "DISABLED_MEMBER", "CHILD_HEADED", "GENERAL"}
)  # fmt: skip
DISABILITY = frozenset({"NONE", "MILD", "SEVERE"})


class RuleFileError(ValueError):
    """The programme file cannot be used; the message names the rule and what to fix."""


def _check_program(
    item: dict[str, Any], ids: set[str], needs: Collection[str], regions: Collection[str]
) -> None:
    pid = item.get("id", "?")

    def fail(message: str) -> RuleFileError:
        return RuleFileError(f"programs.json: programme {pid}: {message}")

    if not str(pid).startswith("prg_"):
        raise fail("id must start with 'prg_'")
    for key in ("name", "nameEn", "basis"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise fail(f"{key} must be a non-empty string")
    unknown_needs = [n for n in item.get("needs", []) if n not in needs]
    if not item.get("needs") or unknown_needs:
        raise fail(f"needs must be known need codes (unknown: {unknown_needs})")
    rules = item.get("rules") or {}
    for key, value in rules.items():
        if key not in RULE_KEYS:
            raise fail(f"rule {key!r} is not one of {', '.join(RULE_KEYS)}")
        kind, meaning = RULE_KEYS[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise fail(f"rule {key} must be {meaning}, not {value!r}")
        if kind is int and not 0 <= value <= (1000 if key == "maxIncomePercent" else 150):
            raise fail(f"rule {key} must be {meaning}, not {value!r}")
    if rules.get("minAge", 0) > rules.get("maxAge", 150):
        raise fail("rule minAge is above maxAge")
    for key, allowed in (
        ("householdTypes", HOUSEHOLD_TYPES),
        ("disability", DISABILITY),
        ("regions", regions),
    ):
        bad = [v for v in rules.get(key, []) if v not in allowed]
        if bad:
            raise fail(f"rule {key} has unknown values {bad}")
    missing = [x for x in item.get("excludes", []) if x not in ids or x == pid]
    if missing:
        raise fail(f"excludes names unknown programmes (or itself): {missing}")


def load_program_seed(
    needs: Collection[str], regions: Collection[str], path: Path = SEED_FILE
) -> dict[str, Any]:
    """The programme file, every rule checked against the known need and region codes."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuleFileError(f"{path}: cannot read the programme file: {exc}") from exc
    if not isinstance(data.get("year"), int):
        raise RuleFileError(f"{path}: 'year' (the year the thresholds are from) is required")
    programs = data.get("programs") or []
    ids = [p.get("id") for p in programs]
    if len(set(ids)) != len(ids):
        raise RuleFileError(f"{path}: a programme id appears twice")
    for item in programs:
        _check_program(item, set(ids), needs, regions)
    return data


UPSERT_PROGRAMS = """UNWIND $rows AS row
MERGE (g:Program {id: row.id})
SET g = row
RETURN count(g) AS upserted"""


async def seed_programs(graph: GraphEngine, data: dict[str, Any]) -> None:
    """Idempotent; rules are flat properties (graph properties cannot hold maps)."""
    rows = [
        {
            "id": p["id"], "name": p["name"], "nameEn": p["nameEn"], "basis": p["basis"],
            "needs": p["needs"], "excludes": p.get("excludes", []), "year": data["year"],
            **{f"rule{k[0].upper()}{k[1:]}": v for k, v in (p.get("rules") or {}).items()},
        }
        for p in data["programs"]
    ]  # fmt: skip
    await graph.run(UPSERT_PROGRAMS, {"rows": rows}, write=True)


LIST_PROGRAMS = """MATCH (g:Program)
RETURN properties(g) AS props
ORDER BY g.id"""


async def list_programs(graph: GraphEngine) -> list[dict[str, Any]]:
    """Programmes with their rules back under `rules`."""
    programs = []
    for row in await graph.run(LIST_PROGRAMS):
        props: Row = dict(row["props"])
        rules = {}
        for key in RULE_KEYS:
            column = f"rule{key[0].upper()}{key[1:]}"
            if column in props:
                rules[key] = props.pop(column)
        programs.append({**props, "rules": rules})
    return programs
