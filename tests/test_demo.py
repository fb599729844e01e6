"""The demo data set: deterministic, realistic in size and spread, loaded idempotently through
the bulk paths."""

from __future__ import annotations

import json
from pathlib import Path

from graph.needs import load_need_seed
from graph.regions import load_region_seed
from server.demo import demo_roles, load_demo
from server.demo_data import build_demo_dataset


def test_dataset_is_deterministic_and_large_enough():
    first, second = build_demo_dataset(), build_demo_dataset()
    assert json.dumps(first.resources, sort_keys=True) == json.dumps(
        second.resources, sort_keys=True
    )
    assert len(first.institutions) >= 60
    assert len(first.resources) >= 400
    assert {i["sector"] for i in first.institutions} == {"PUBLIC", "PRIVATE"}
    assert len({i["kind"] for i in first.institutions}) >= 6
    assert any("도시락 배달" in (r["name"] + (r["description"] or "")) for r in first.resources)


def test_dataset_only_uses_known_codes_and_jeju_coordinates():
    data = build_demo_dataset()
    needs = {row["code"] for row in load_need_seed()}
    regions = {row["code"] for row in load_region_seed()}
    institutions = {i["id"] for i in data.institutions}
    for resource in data.resources:
        assert set(resource["needs"]) <= needs
        assert set(resource["regions"]) <= regions
        assert resource["providerId"] in institutions
        assert 33.0 <= resource["address"]["lat"] <= 34.1
        assert 126.0 <= resource["address"]["lon"] <= 127.1


def test_demo_roles_name_real_institutions():
    data = build_demo_dataset()
    ids = {i["id"] for i in data.institutions}
    roles = demo_roles(data)
    assert {tuple(r[3]) for r in roles} >= {("CASEWORKER",), ("REGISTRANT",)}
    assert all(r[2] in ids for r in roles)


async def test_loading_twice_leaves_one_copy(backends):
    first = await load_demo(backends.graph)
    await load_demo(backends.graph)
    rows = await backends.graph.run(
        "MATCH (r:Resource) WITH count(r) AS resources "
        "MATCH (i:Institution) RETURN resources, count(i) AS institutions"
    )
    assert rows == [{"resources": first["resources"], "institutions": first["institutions"]}]
    links = await backends.graph.run(
        "MATCH (:Resource)-[a:ADDRESSES]->(:Need) RETURN count(a) AS n"
    )
    expected = sum(len(r["needs"]) for r in build_demo_dataset().resources)
    assert links[0]["n"] == expected


def test_seed_files_are_in_the_repository():
    root = Path(__file__).resolve().parent.parent
    assert (root / "graph" / "seed" / "needs.json").exists()
    assert (root / "graph" / "seed" / "regions.json").exists()
