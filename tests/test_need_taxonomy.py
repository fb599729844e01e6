"""The need taxonomy (graph/seed/needs.json): the codes stored data names stay valid, each
keyword points to one need, and the needs added by the review (issue 22) are served by the
`needs` query and find the demo resources tagged with them, by their code and their parent's."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.relevance import load_corpus
from demo.dataset import build_demo_dataset
from graph.needs import load_need_seed

FROZEN = Path(__file__).resolve().parent / "needs" / "frozen_codes.json"


def added_needs() -> list[dict[str, Any]]:
    """The seed's needs that the frozen copy does not hold: those the review added."""
    frozen = json.loads(FROZEN.read_text(encoding="utf-8"))["parents"]
    return [row for row in load_need_seed() if row["code"] not in frozen]


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


TREE = """{ needs { code children { code labelKo labelEn parent { code }
    children { code labelKo labelEn parent { code } } } } }"""
SEARCH = """query($input: ResourceSearchInput!) {
  searchResources(input: $input) { totalCount hits { resource { id } matchedNeeds { code } } } }"""


async def test_the_needs_query_serves_the_added_needs_under_their_parents(api):
    served: dict[str, dict[str, Any]] = {}
    for domain in (await api.ok(TREE))["needs"]:
        for need in domain["children"]:
            served[need["code"]] = {k: v for k, v in need.items() if k != "children"}
            served.update((n["code"], n) for n in need["children"])
    added = added_needs()
    assert len(added) >= 22
    assert {row["code"]: served.get(row["code"]) for row in added} == {
        row["code"]: {
            "code": row["code"],
            "labelKo": row["labelKo"],
            "labelEn": row["labelEn"],
            "parent": {"code": row["parent"]},
        }
        for row in added
    }


async def test_an_added_need_and_its_parent_find_the_demo_resources_tagged_with_it(api):
    """The demo tags resources with the added needs where they offer the service (치매 on
    dementia screening): a search by the code finds exactly those, and one by the parent
    (a filter takes every narrower need) still finds them."""
    await load_corpus(api.runtime)
    active = [r for r in build_demo_dataset().resources if r["status"] == "ACTIVE"]
    searched = 0
    for row in added_needs():
        tagged = {r["id"]: r["providerId"] for r in active if row["code"] in r["needs"]}
        if not tagged:
            continue
        found = await api.ok(SEARCH, {"input": {"needs": [row["code"]], "first": 100}})
        hits = found["searchResources"]["hits"]
        assert {h["resource"]["id"] for h in hits} == set(tagged), row["code"]
        assert all(h["matchedNeeds"] == [{"code": row["code"]}] for h in hits), row["code"]
        by_parent = {"needs": [row["parent"]], "institutions": sorted(set(tagged.values()))}
        found = await api.ok(SEARCH, {"input": {**by_parent, "first": 100}})
        assert found["searchResources"]["totalCount"] <= 100
        assert set(tagged) <= {h["resource"]["id"] for h in found["searchResources"]["hits"]}
        searched += 1
    assert searched >= 10
