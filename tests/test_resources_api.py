"""Resource queries and mutations over HTTP against the real embedded engines."""

from __future__ import annotations

from typing import Any

import pytest

from graph.engine import round_trips
from tests.support.resources import REGISTER, UPDATE, register, resource_input

LIST = """query($filter: ResourceFilter, $first: Int, $after: String) {
  resources(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


async def test_register_returns_the_whole_resource_to_its_owner(api):
    token = api.token("ins_owner01", "REGISTRANT")
    created = await register(api, token)
    assert created["id"].startswith("res_")
    assert created["version"] == 1
    assert created["status"] == "ACTIVE"
    assert [n["code"] for n in created["needs"]] == ["DAILY_LIVING_MEALS"]
    assert [r["code"] for r in created["servedRegions"]] == ["5011025000"]
    assert created["provider"] == {"id": "ins_owner01", "name": "한림종합사회복지관"}
    assert created["eligibility"]["minAge"] == 65
    assert created["eligibility"]["householdTypes"] == ["SINGLE_ELDERLY"]
    assert created["capacity"]["available"] == 4
    assert created["contact"]["phone"] == "064-796-1234"
    assert created["address"] == {"text": "제주시 한림읍 한림로 123", "lat": 33.41, "lon": 126.26}
    assert created["internalNotes"] == "예산 12월 소진 예정"
    assert created["withheldFields"] == []

    fetched = await api.ok(
        "query($id: ID!) { resource(id: $id) { id name version } }", {"id": created["id"]}, token
    )
    assert fetched["resource"] == {"id": created["id"], "name": created["name"], "version": 1}


async def test_default_audiences_withhold_contact_from_the_public(api):
    token = api.token("ins_owner01", "REGISTRANT")
    created = await register(api, token)
    query = """query($id: ID!) { resource(id: $id) {
        name description contact { phone } capacity { available }
        internalNotes withheldFields } }"""
    public = (await api.ok(query, {"id": created["id"]}))["resource"]
    assert public["name"] == created["name"]
    assert public["description"] == created["description"]
    assert public["contact"] is None and public["capacity"] is None
    assert public["internalNotes"] is None
    assert public["withheldFields"] == ["contact", "capacity", "internalNotes"]

    staff = api.token("ins_other001", "CASEWORKER")
    seen = (await api.ok(query, {"id": created["id"]}, staff))["resource"]
    assert seen["contact"] == {"phone": "064-796-1234"}
    assert seen["capacity"] is None
    assert seen["withheldFields"] == ["capacity", "internalNotes"]


async def test_update_changes_fields_and_bumps_version(api):
    token = api.token("ins_owner01", "REGISTRANT")
    created = await register(api, token)
    data = await api.ok(
        UPDATE,
        {
            "id": created["id"],
            "v": 1,
            "input": {
                "name": "어르신 도시락 배달",
                "needs": ["DAILY_LIVING_MEALS", "HEALTH"],
                "regions": ["50110"],
                "capacity": {"total": 30, "available": 0},
            },
        },
        token,
    )
    updated = data["updateResource"]
    assert updated["version"] == 2
    assert updated["name"] == "어르신 도시락 배달"
    assert sorted(n["code"] for n in updated["needs"]) == ["DAILY_LIVING_MEALS", "HEALTH"]
    assert [r["code"] for r in updated["servedRegions"]] == ["50110"]
    assert updated["capacity"] == {"total": 30, "available": 0}

    # Only the named fields changed; relationships follow the new codes.
    rows = await api.runtime.backends.graph.run(
        "MATCH (r:Resource {id: $id})-[:ADDRESSES]->(n:Need) RETURN n.code AS code ORDER BY code",
        {"id": created["id"]},
    )
    assert [row["code"] for row in rows] == ["DAILY_LIVING_MEALS", "HEALTH"]


async def test_stale_version_is_a_conflict_and_writes_nothing(api):
    token = api.token("ins_owner01", "REGISTRANT")
    created = await register(api, token)
    await api.ok(UPDATE, {"id": created["id"], "v": 1, "input": {"name": "first"}}, token)
    error = await api.error(
        UPDATE, {"id": created["id"], "v": 1, "input": {"name": "second"}}, token
    )
    assert error["extensions"]["code"] == "CONFLICT"
    assert error["extensions"]["currentVersion"] == 2
    data = await api.ok(
        "query($id: ID!) { resource(id: $id) { name version } }", {"id": created["id"]}
    )
    assert data["resource"] == {"name": "first", "version": 2}


async def test_only_registrants_and_admins_of_the_provider_may_write(api):
    owner = api.token("ins_owner01", "REGISTRANT")
    created = await register(api, owner)
    variables = {"id": created["id"], "v": 1, "input": {"name": "hijacked"}}

    caseworker = api.token("ins_owner01", "CASEWORKER")
    assert (await api.error(UPDATE, variables, caseworker))["extensions"]["code"] == "FORBIDDEN"
    other_registrant = api.token("ins_other001", "REGISTRANT")
    assert (await api.error(UPDATE, variables, other_registrant))["extensions"][
        "code"
    ] == "FORBIDDEN"
    assert (await api.error(UPDATE, variables))["extensions"]["code"] == "UNAUTHENTICATED"
    admin = api.token("ins_owner01", "ADMIN")
    assert (await api.ok(UPDATE, variables, admin))["updateResource"]["name"] == "hijacked"

    foreign = await api.error(REGISTER, {"input": resource_input(providerId="ins_other001")}, owner)
    assert foreign["extensions"]["code"] == "FORBIDDEN"
    total = await api.ok("{ resources { totalCount } }", token=owner)
    assert total["resources"]["totalCount"] == 1


async def test_update_of_unknown_resource_is_not_found(api):
    token = api.token("ins_owner01", "REGISTRANT")
    error = await api.error(
        UPDATE, {"id": "res_doesnotexist", "v": 1, "input": {"name": "x"}}, token
    )
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_set_resource_status(api):
    token = api.token("ins_owner01", "REGISTRANT")
    created = await register(api, token)
    mutation = """mutation($id: ID!, $s: ResourceStatus!, $v: Int) {
        setResourceStatus(id: $id, status: $s, expectedVersion: $v) { status version } }"""
    data = await api.ok(mutation, {"id": created["id"], "s": "SUSPENDED"}, token)
    assert data["setResourceStatus"] == {"status": "SUSPENDED", "version": 2}
    stale = await api.error(mutation, {"id": created["id"], "s": "ACTIVE", "v": 1}, token)
    assert stale["extensions"]["code"] == "CONFLICT"
    data = await api.ok(mutation, {"id": created["id"], "s": "CLOSED", "v": 2}, token)
    assert data["setResourceStatus"] == {"status": "CLOSED", "version": 3}
    outsider = api.token("ins_other001", "ADMIN")
    denied = await api.error(mutation, {"id": created["id"], "s": "ACTIVE"}, outsider)
    assert denied["extensions"]["code"] == "FORBIDDEN"


async def test_filters_by_need_including_narrower_region_institution_kind_status(api):
    owner = api.token("ins_owner01", "REGISTRANT")
    partner = api.token("ins_partner01", "REGISTRANT")
    meals = await register(api, owner, name="meals", needs=["DAILY_LIVING_MEALS"])
    debt = await register(api, owner, name="debt", needs=["ECONOMY_DEBT"], kind="FUNDING")
    nursing = await register(
        api, partner, name="nursing", needs=["HEALTH_HOME_NURSING"], regions=["5013051000"]
    )
    suspended = await register(api, partner, name="paused", status="SUSPENDED", regions=["50130"])

    async def names(filter_: dict[str, Any]) -> list[str]:
        data = await api.ok(LIST, {"filter": filter_, "first": 50})
        return sorted(edge["node"]["name"] for edge in data["resources"]["edges"])

    assert await names({"needs": ["DAILY_LIVING"]}) == ["meals", "paused"]
    assert await names({"needs": ["ECONOMY"]}) == ["debt"]
    assert await names({"regions": ["50130"]}) == ["nursing", "paused"]
    # A resource serving the whole 시군구 serves each 읍면동 in it.
    assert await names({"regions": ["5013051000"]}) == ["nursing", "paused"]
    assert await names({"institutions": ["ins_owner01"]}) == ["debt", "meals"]
    assert await names({"kinds": ["FUNDING"]}) == ["debt"]
    assert await names({"statuses": ["SUSPENDED"]}) == ["paused"]
    assert await names({"statuses": ["ACTIVE"], "regions": ["50"]}) == ["debt", "meals", "nursing"]
    assert {meals["id"], debt["id"], nursing["id"], suspended["id"]}


async def test_cursor_pagination_walks_every_resource_once(api):
    token = api.token("ins_owner01", "REGISTRANT")
    ids = {(await register(api, token, name=f"r{i}"))["id"] for i in range(7)}
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = (await api.ok(LIST, {"first": 3, "after": after}))["resources"]
        assert data["totalCount"] == 7
        seen += [edge["node"]["id"] for edge in data["edges"]]
        pages += 1
        assert data["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert pages == 3
    assert seen == sorted(ids)


async def test_institution_resources_and_viewer(api):
    token = api.token("ins_owner01", "REGISTRANT")
    await register(api, token, name="a")
    await register(api, token, name="b")
    data = await api.ok(
        """{ viewer { anonymous subject roles institution { id name } }
             institution(id: "ins_owner01") { name kind sector region { code name }
               resources(first: 1) { totalCount edges { node { name provider { id } } } } } }""",
        token=token,
    )
    assert data["viewer"] == {
        "anonymous": False,
        "subject": "staff-1",
        "roles": ["REGISTRANT"],
        "institution": {"id": "ins_owner01", "name": "한림종합사회복지관"},
    }
    institution = data["institution"]
    assert institution["region"]["name"] == "한림읍"
    assert institution["resources"]["totalCount"] == 2
    assert institution["resources"]["edges"][0]["node"]["provider"] == {"id": "ins_owner01"}
    anonymous = await api.ok("{ viewer { anonymous subject roles institution { id } } }")
    assert anonymous["viewer"] == {
        "anonymous": True,
        "subject": None,
        "roles": [],
        "institution": None,
    }


async def test_institutions_list_and_filters(api):
    query = """query($f: InstitutionFilter) { institutions(filter: $f, first: 10) {
        totalCount edges { node { id } } } }"""
    everyone = await api.ok(query)
    assert everyone["institutions"]["totalCount"] == 4
    public = await api.ok(query, {"f": {"sectors": ["PUBLIC"]}})
    assert [e["node"]["id"] for e in public["institutions"]["edges"]] == ["ins_region01"]
    jeju_city = await api.ok(query, {"f": {"regions": ["50110"]}})
    assert sorted(e["node"]["id"] for e in jeju_city["institutions"]["edges"]) == [
        "ins_owner01",
        "ins_region01",
    ]
    missing = await api.ok('{ institution(id: "ins_nosuchthing") { id } }')
    assert missing["institution"] is None


async def test_needs_and_regions_hierarchy(api):
    top = (await api.ok("{ needs { code labelKo labelEn } }"))["needs"]
    assert len(top) == 10
    assert {"code": "DAILY_LIVING", "labelKo": "일상생활유지", "labelEn": "Daily living"} in top
    meals = await api.ok('{ needs(parent: "DAILY_LIVING") { code parent { code } } }')
    assert {"code": "DAILY_LIVING_MEALS", "parent": {"code": "DAILY_LIVING"}} in meals["needs"]
    regions = await api.ok("{ regions { code name children { code name level } } }")
    assert regions["regions"][0]["code"] == "50"
    assert {c["name"] for c in regions["regions"][0]["children"]} == {"제주시", "서귀포시"}
    dongs = await api.ok('{ regions(parent: "50110") { code level parent { name } } }')
    assert len(dongs["regions"]) == 26
    assert all(r["level"] == "EUPMYEONDONG" for r in dongs["regions"])
    error = await api.error('{ needs(parent: "NOPE") { code } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("page_size", [5, 40])
async def test_round_trips_do_not_grow_with_page_size(api, page_size):
    token = api.token("ins_owner01", "REGISTRANT")
    for i in range(40):
        await register(api, token, name=f"r{i}")
    query = """query($n: Int) { resources(first: $n) { edges { node {
        id name provider { name region { name } } needs { code labelKo }
        servedRegions { name } } } } }"""
    counter = round_trips()
    data = await api.ok(query, {"n": page_size}, token)
    assert len(data["resources"]["edges"]) == page_size
    # the page with its providers (+ at most one viewer lookup)
    assert counter.count <= 2


async def test_a_resource_and_its_provider_are_one_round_trip(api):
    """The provider is read beside the resource (graph.resources), for one resource and for
    a page, and it is the institution's own row (the same as `institution(id)` shows)."""
    token = api.token("ins_owner01", "REGISTRANT")
    created = await register(api, token, name="one trip")
    fields = "id provider { id name nameEn sector region { code } }"
    await api.ok(f'{{ resource(id: "{created["id"]}") {{ id }} }}', None, token)  # viewer cached
    counter = round_trips()
    one = await api.ok(f'{{ resource(id: "{created["id"]}") {{ {fields} }} }}', None, token)
    assert counter.count == 1
    counter = round_trips()
    page = await api.ok(
        f"{{ resources(first: 10) {{ edges {{ node {{ {fields} }} }} }} }}", None, token
    )
    assert counter.count == 1
    provider = one["resource"]["provider"]
    assert provider["id"] == "ins_owner01"
    direct = await api.ok(
        '{ institution(id: "ins_owner01") { id name nameEn sector region { code } } }', None, token
    )
    assert provider == direct["institution"]
    assert {edge["node"]["provider"]["id"] for edge in page["resources"]["edges"]} >= {
        "ins_owner01"
    }
