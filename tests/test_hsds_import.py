"""HSDS import and export on the real engines: the official examples survive import ->
export, imports are idempotent and go through the API's paths, bad records are reported with
their id and path while the rest load, and `hanaro hsds import/export` on the command line."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from graph.access import GraphAccess
from graph.needs import load_need_seed
from graph.resources import count_resources
from hsds.documents import HSDS_DIR
from hsds.export import export_documents
from hsds.ids import need_term_id
from hsds.importer import Importer
from hsds.reading import read_documents
from tests.support.hsds import check_one, check_page
from tests.support.search import settled
from tests.support.visibility import VIEWERS

EXAMPLES = HSDS_DIR / "examples"
FILES = ("organization_full.json", "service_full.json", "taxonomy.json", "taxonomy_term.json")
SERVICE = "ac148810-d857-441c-9679-408f346de14b"
ORGANIZATION = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def documents(*paths: Path) -> list[Any]:
    found = []
    for path in paths:
        docs, problems = read_documents(path)
        assert not problems, problems
        found += docs
    return found


async def run_import(runtime, *paths: Path, **options: Any):
    importer = Importer(runtime.services, actor="test-import", source="test", **options)
    return await importer.run(documents(*paths))


async def exported(runtime) -> dict[str, dict[str, dict[str, Any]]]:
    """The export by kind and id, every document checked against its schema."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    async for kind, document in export_documents(runtime.services):
        check_one(kind, document)
        found.setdefault(kind, {})[document["id"]] = document
    return found


def terms_of(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["taxonomy_term_id"]: a.get("taxonomy_term", {}) for a in service["attributes"]}


async def test_the_examples_survive_import_and_export(runtime, client):
    report = await run_import(runtime, *(EXAMPLES / name for name in FILES))
    assert report.problems == []
    assert report.counts["service created"] == 1 and report.counts["organization created"] == 1
    out = await exported(runtime)
    source = example("organization_full.json")
    organization = out["organization"][ORGANIZATION]
    assert (organization["name"], organization["description"]) == (
        source["name"],
        source["description"],
    )
    assert organization["locations"][0]["id"] == source["locations"][0]["id"]
    assert organization["locations"][0]["name"] == source["locations"][0]["name"]
    original = example("service_full.json")
    service = next(s for s in organization["services"] if s["id"] == SERVICE)
    assert service["name"] == original["name"]
    assert service["description"] == original["description"].strip()
    kept = terms_of(service)
    for attribute in original["attributes"]:
        term = attribute["taxonomy_term"]
        again = kept[term["id"]]
        for key in ("id", "code", "name", "description", "parent_id", "taxonomy", "language"):
            assert again[key] == term[key], key
        assert again["taxonomy_detail"]["id"] == term["taxonomy_detail"]["id"]
    here, there = service["service_at_locations"][0], original["service_at_locations"][0]
    assert here["id"] == there["id"]
    for key in ("id", "name", "alternate_name", "description", "location_type", "addresses"):
        assert here["location"][key] == there["location"][key], key
    assert [a["id"] for a in service["service_areas"]] == [
        a["id"] for a in original["service_areas"]
    ]
    assert example("taxonomy.json")["id"] in out["taxonomy"]
    assert example("taxonomy_term.json")["id"] in out["taxonomy_term"]
    # Hanaro gave it needs from its words ("Counselling"), kept beside the foreign term.
    assert need_term_id("HEALTH_MENTAL") in kept
    # The feed shows the same record.
    body = (await client.get(f"/hsds/services/{SERVICE}")).json()
    check_one("service", body)
    assert body["service_at_locations"][0]["location"]["id"] == there["location"]["id"]
    terms = await client.get(f"/hsds/taxonomy_terms?taxonomy_id={example('taxonomy.json')['id']}")
    assert [t["id"] for t in check_page(terms.json(), "taxonomy_term")] == [
        example("taxonomy_term.json")["id"]
    ]
    listed = await client.get(
        f"/hsds/services?taxonomy_term_id={example('taxonomy_term.json')['id']}"
    )
    assert [s["id"] for s in listed.json()["contents"]] == [SERVICE]


async def test_importing_twice_changes_nothing(runtime):
    paths = [EXAMPLES / name for name in FILES]
    await run_import(runtime, *paths)
    graph = runtime.backends.graph
    anyone = GraphAccess.of(runtime.viewers.anonymous("t"), now_ms=runtime.services.clock())
    first = await exported(runtime)
    count = await count_resources(graph, anyone, {})
    again = await run_import(runtime, *paths)
    assert again.problems == []
    assert again.counts["service unchanged"] == 2 and again.counts["organization unchanged"] == 2
    assert "service created" not in again.counts and "service updated" not in again.counts
    assert await count_resources(graph, anyone, {}) == count
    assert await exported(runtime) == first
    audit = await graph.run(
        "MATCH (a:AuditEvent {operation: 'HSDS_IMPORT', entity: 'Resource'}) "
        "RETURN a.outcome AS outcome, a.actor AS actor ORDER BY a.outcome"
    )
    assert [row["outcome"] for row in audit] == ["CREATED", "UNCHANGED", "UNCHANGED", "UNCHANGED"]
    assert {row["actor"] for row in audit} == {"test-import"}


def korean_service(**overrides: Any) -> dict[str, Any]:
    return {
        "id": "6c1b8c8e-2f4d-4b7e-9a51-3f0d2a9b7c11",
        "name": "한림 어르신 밑반찬 나눔",
        "description": "매주 목요일 밑반찬을 나눕니다.",
        "status": "active",
        "organization": {
            "id": "0f7e4f40-7a3b-4c55-8d2a-1c9b6a3e5d22",
            "name": "한림 나눔센터",
            "description": "한림읍의 민간 나눔 단체",
        },
        "attributes": [
            {
                "id": "8a0c1f7e-5b1d-4c2e-9f3a-7d6e5c4b3a21",
                "taxonomy_term_id": need_term_id("DAILY_LIVING_MEALS"),
            }
        ],
        "service_areas": [{"id": "2b9c7d6e-1a2b-4c3d-8e9f-0a1b2c3d4e5f", "name": "한림읍"}],
        "phones": [{"id": "3c8d7e6f-2b3c-4d5e-9f0a-1b2c3d4e5f60", "number": "064-796-0000"}],
        "eligibility_description": "65세 이상 어르신",
        "minimum_age": 65,
        **overrides,
    }


async def test_hanaro_terms_regions_and_the_api_paths(runtime, client, api):
    path = Path(runtime.settings.data_dir).parent / "korean.json"
    path.write_text(json.dumps(korean_service(), ensure_ascii=False), encoding="utf-8")
    report = await run_import(runtime, path)
    assert report.problems == [] and report.warnings == []
    rows = await runtime.backends.graph.run(
        "MATCH (r:Resource {hsdsId: $id}) RETURN r.needCodes AS needs, "
        "r.servedRegionCodes AS regions, r.visContact AS contact, r.providerId AS provider",
        {"id": korean_service()["id"]},
    )
    assert rows == [
        {
            "needs": ["DAILY_LIVING_MEALS"],
            "regions": ["5011025000"],
            "contact": "AUTHENTICATED",  # the registration default
            "provider": "ins_0f7e4f407a3b4c558d2a1c9b6a3e5d22",
        }
    ]
    await settled(runtime)  # the outbox event reached the index: search finds it
    found = (await client.get("/hsds/services?search=밑반찬")).json()
    assert [s["id"] for s in found["contents"]] == [korean_service()["id"]]
    public = (await client.get(f"/hsds/services/{korean_service()['id']}")).json()
    assert "phones" not in public and public["service_areas"][0]["name"] == "한림읍"
    token = api.token(*VIEWERS["unrelated staff"])
    staff = await client.get(
        f"/hsds/services/{korean_service()['id']}", headers={"Authorization": f"Bearer {token}"}
    )
    assert staff.json()["phones"][0]["number"] == "064-796-0000"


async def test_bad_records_are_reported_and_the_rest_load(runtime, tmp_path):
    good = korean_service()
    bad_status = korean_service(id="7d2c9d9f-3a5e-4c8f-8b62-4a1e3bac8d22", status="open")
    no_name = korean_service(id="8e3dae0a-4b6f-4d9a-9c73-5b2f4cbd9e33")
    del no_name["name"]
    too_long = korean_service(id="9f4ebf1b-5c7a-4eab-8d84-6c3a5dce0f44", name="가" * 201)
    organization = example("organization_full.json")
    broken = copy.deepcopy(organization["services"][0])
    broken["id"] = "a05fc02c-6d8b-4fbc-9e95-7d4b6edf1a55"
    broken["service_at_locations"][0]["location"]["location_type"] = "spaceship"
    organization["services"].append(broken)
    lines = [json.dumps(d, ensure_ascii=False) for d in (good, bad_status, no_name, too_long)]
    (tmp_path / "services.ndjson").write_text("\n".join([*lines, "{not json"]) + "\n")
    (tmp_path / "organization.json").write_text(json.dumps(organization))
    docs, unreadable = read_documents(tmp_path)
    assert [str(p) for p in unreadable] == [
        f"{tmp_path}/services.ndjson:5: line: not JSON: "
        "Expecting property name enclosed in double quotes"
    ]
    report = await Importer(runtime.services, actor="t", source="t").run(docs)
    problems = {p.record_id: p for p in report.problems}
    assert set(problems) == {bad_status["id"], no_name["id"], too_long["id"], broken["id"]}, (
        report.problems
    )
    assert "/status: 'open' is not one of" in str(problems[bad_status["id"]])
    assert "services.ndjson:2" in problems[bad_status["id"]].source
    assert "(schema: /properties/status/enum)" in str(problems[bad_status["id"]])
    assert "'name' is a required property" in str(problems[no_name["id"]])
    assert "/name: name is 201 characters long" in str(problems[too_long["id"]])
    where = "/services/1/service_at_locations/0/location/location_type"
    assert where in str(problems[broken["id"]])
    assert report.counts["service created"] == 2  # the good one and the example's own
    rows = await runtime.backends.graph.run("MATCH (r:Resource) RETURN r.hsdsId AS id")
    assert sorted(r["id"] for r in rows) == sorted([good["id"], SERVICE])


async def test_the_export_is_the_public_directory(runtime, api):
    owner = api.token("ins_owner01", "REGISTRANT")
    from tests.support.resources import register

    shown = await register(api, owner, name="공개 자원")
    hidden = await register(api, owner, name="비공개 자원", visibility={"listing": "AUTHENTICATED"})
    out = await exported(runtime)
    text = json.dumps(out, ensure_ascii=False)
    assert "공개 자원" in text and "비공개 자원" not in text and hidden["id"] not in text
    assert "064-796-1234" not in text  # contact is for signed-in staff by default
    assert "예산" not in text  # internal notes never
    assert len(out["organization"]) == 4 and shown["name"] in text
    assert len(out["taxonomy_term"]) == len(load_need_seed()) and list(out["taxonomy"]) == [
        "fc65b381-4ac3-536d-98c4-ded5238fadab"
    ]
