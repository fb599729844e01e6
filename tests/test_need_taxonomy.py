"""The need taxonomy's seed (graph/seed/needs.json): the codes stored data names stay valid."""

from __future__ import annotations

import json
import re
from collections import defaultdict
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


def _normal(text: str) -> str:
    """A keyword as a search sees it whole: case, spaces, hyphens and middle dots ignored."""
    return re.sub(r"[\s·\-]", "", text.lower())


def test_every_sub_need_has_both_labels_and_5_to_12_keywords():
    rows = load_need_seed()
    assert len({row["code"] for row in rows}) == len(rows)
    for row in rows:
        assert re.search("[가-힣]", row["labelKo"]), row["code"]
        assert row["labelEn"].isascii() and row["labelEn"][0].isupper(), row["code"]
        if row["parent"] is None:
            continue
        # A code says where it sits: SAFETY -> SAFETY_ABUSE, SOCIAL_ISOLATION -> ..._LONELY_DEATH.
        assert row["code"].startswith(row["parent"] + "_"), row["code"]
        keywords = [_normal(k) for k in row["keywords"]]
        assert 5 <= len(keywords) <= 12 and len(set(keywords)) == len(keywords), row["code"]


def test_each_keyword_points_to_one_need():
    """Keywords are search vocabulary (indexed with every resource of the need): one that two
    needs share, or that is another need's label, would make a search for it find both.
    English keywords are checked word by word, as the index splits them."""
    owners: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, set[str]] = defaultdict(set)
    for row in load_need_seed():
        labels[_normal(row["labelKo"])].add(row["code"])
        labels[_normal(row["labelEn"])].add(row["code"])
        for keyword in row["keywords"]:
            owners[_normal(keyword)].add(row["code"])
            if not re.search("[가-힣]", keyword):
                for word in re.findall("[a-z]+", keyword.lower()):
                    owners[f"en:{word}"].add(row["code"])
    shared = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert shared == {}
    labelled = {k: sorted(labels[k] | v) for k, v in owners.items() if labels.get(k, v) != v}
    assert labelled == {}
