"""The need taxonomy's seed (graph/seed/needs.json): the codes stored data names stay valid."""

from __future__ import annotations

import json
from pathlib import Path

from graph.needs import load_need_seed

FROZEN = Path(__file__).resolve().parent / "needs" / "frozen_codes.json"


def test_no_frozen_code_is_removed_renamed_or_moved():
    """Assessments, referrals, resources, programmes and HSDS exports store need codes, and
    a filter on a parent finds its children: every frozen code keeps its parent."""
    frozen: dict[str, str | None] = json.loads(FROZEN.read_text(encoding="utf-8"))["parents"]
    parents = {row["code"]: row["parent"] for row in load_need_seed()}
    assert len(frozen) >= 56
    assert sorted(set(frozen) - set(parents)) == []
    assert {code: parents[code] for code in frozen} == frozen
