"""The read-only HSDS 3.0 feed under /hsds: every response checked against the repository's
copies of the HSDS schemas, paging, filters, bad parameters, 404s, tokens and CORS."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from graph.needs import load_need_seed
from hsds.ids import NEEDS_TAXONOMY_ID, derived_uuid, need_term_id
from tests.support.hsds import check_one, check_page, check_root
from tests.support.resources import register
from tests.support.search import settled

OWNER_ORG = derived_uuid("institution", "ins_owner01")
OTHER_ORG = derived_uuid("institution", "ins_other001")


def hsds_id(resource: dict[str, Any]) -> str:
    return derived_uuid("resource", resource["id"])


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


async def get(client, url: str, token: str | None = None, status: int = 200) -> Any:
    response = await client.get(url, headers=bearer(token))
    assert response.status_code == status, (url, response.text)
    assert response.headers["access-control-allow-origin"] == "*"
    return response.json()


async def seed(api) -> list[dict[str, Any]]:
    owner = api.token("ins_owner01", "REGISTRANT")
    other = api.token("ins_other001", "REGISTRANT")
    return [
        await register(api, owner),
        await register(
            api,
            owner,
            name="마음건강 상담",
            description="우울과 불안 심리상담 zebracounsel",
            needs=["HEALTH_MENTAL"],
            address={"text": "서귀포시 중앙로 1", "lat": 33.25, "lon": 126.56},
        ),
        await register(
            api, other, name="장학금", needs=["EDUCATION"], address=None, regions=["50130"]
        ),
    ]


LISTS = [
    ("/hsds/services", "service_list"),
    ("/hsds/services?full=true", "service"),
    ("/hsds/services?minimal=true", "service_list"),
    ("/hsds/organizations", "organization_list"),
    ("/hsds/organizations?full=true", "organization"),
    ("/hsds/organizations?full_service=true", "organization"),
    ("/hsds/service_at_locations", "service_at_location_list"),
    ("/hsds/service_at_locations?full=true", "service_at_location"),
    ("/hsds/taxonomies", "taxonomy"),
    ("/hsds/taxonomy_terms?per_page=100", "taxonomy_term"),
]


async def test_every_response_is_valid_hsds(api, client):
    created = await seed(api)
    check_root(await get(client, "/hsds/"))
    check_root(await get(client, "/hsds"))
    root = await get(client, "/hsds/")
    assert root["version"] == "3.0" and root["openapi_url"].endswith("/hsds/openapi.json")
    described = await get(client, "/hsds/openapi.json")
    assert described["servers"] == [{"url": "http://hanaro.test/hsds"}]
    assert "/services/{id}" in described["paths"]
    for token in (None, api.token("ins_owner01", "CASEWORKER")):
        for url, kind in LISTS:
            check_page(await get(client, url, token), kind)
        for resource in created:
            check_one("service", await get(client, f"/hsds/services/{hsds_id(resource)}", token))
        for org in (OWNER_ORG, OTHER_ORG):
            for suffix in ("", "?full_service=true"):
                check_one("organization", await get(client, f"/hsds/organizations/{org}{suffix}"))
        check_one("taxonomy", await get(client, f"/hsds/taxonomies/{NEEDS_TAXONOMY_ID}"))
        term = await get(client, f"/hsds/taxonomy_terms/{need_term_id('DAILY_LIVING_MEALS')}")
        check_one("taxonomy_term", term)
        assert term["name"] == "식사" and term["description"] == "Meals"


async def test_the_mapping_of_a_resource(api, client):
    meal = (await seed(api))[0]
    caseworker = api.token("ins_region01", "CASEWORKER")
    public = await get(client, f"/hsds/services/{hsds_id(meal)}")
    staff = await get(client, f"/hsds/services/{hsds_id(meal)}", caseworker)
    assert public["name"] == staff["name"] == meal["name"]
    assert public["status"] == "active" and public["minimum_age"] == 65
    assert public["organization"]["name"] == "한림종합사회복지관"
    assert public["organization_id"] == OWNER_ORG
    assert [a["taxonomy_term"]["code"] for a in public["attributes"]] == ["DAILY_LIVING_MEALS"]
    assert [area["name"] for area in public["service_areas"]] == ["한림읍"]
    place = public["service_at_locations"][0]["location"]
    assert (place["name"], place["latitude"], place["longitude"]) == (
        "제주시 한림읍 한림로 123",
        33.41,
        126.26,
    )
    # Contact is for signed-in staff by default, capacity for partners: left out, not null.
    assert "phones" not in public and "contacts" not in public and "email" not in public
    assert staff["phones"][0]["number"] == "064-796-1234"
    assert staff["contacts"][0]["name"] == "김민지"
    assert "service_capacity" not in staff
    owner = await get(client, f"/hsds/services/{hsds_id(meal)}", api.token("ins_owner01"))
    assert owner["service_capacity"][0]["maximum"] == 30
    assert owner["service_capacity"][0]["available"] == 4
    assert "예산" not in str(owner)  # internal notes are never exported


async def test_paging(api, client):
    owner = api.token("ins_owner01", "REGISTRANT")
    made = [await register(api, owner, name=f"자원 {i}") for i in range(5)]
    seen: list[str] = []
    for number, size in ((1, 2), (2, 2), (3, 1)):
        page = await get(client, f"/hsds/services?per_page=2&page={number}")
        check_page(page, "service_list")
        assert page["total_items"] == 5 and page["total_pages"] == 3
        assert page["page_number"] == number and page["size"] == size
        assert page["first_page"] == (number == 1) and page["last_page"] == (number == 3)
        seen += [item["id"] for item in page["contents"]]
    assert sorted(seen) == sorted(hsds_id(r) for r in made)
    beyond = await get(client, "/hsds/services?per_page=2&page=4")
    assert beyond["empty"] is True and beyond["contents"] == [] and beyond["last_page"] is True
    organizations = await get(client, "/hsds/organizations?per_page=3&page=2")
    assert organizations["total_items"] == 4 and organizations["size"] == 1
    terms = await get(client, "/hsds/taxonomy_terms?per_page=50&page=2")
    count = len(load_need_seed())
    assert terms["total_items"] == count and terms["size"] == min(50, count - 50)


async def test_filters(api, client, runtime):
    meal, counsel, grant = await seed(api)
    ids = lambda body: sorted(item["id"] for item in body["contents"])  # noqa: E731
    everything = sorted(hsds_id(r) for r in (meal, counsel, grant))
    assert ids(await get(client, f"/hsds/services?organization_id={OTHER_ORG}")) == [hsds_id(grant)]
    daily = need_term_id("DAILY_LIVING")  # a broader term finds its narrower needs
    assert ids(await get(client, f"/hsds/services?taxonomy_term_id={daily}")) == [hsds_id(meal)]
    assert ids(await get(client, f"/hsds/services?taxonomy_id={NEEDS_TAXONOMY_ID}")) == everything
    assert ids(await get(client, "/hsds/services?modified_after=2000-01-01")) == everything
    assert ids(await get(client, "/hsds/services?modified_after=2999-01-01T00:00:00Z")) == []
    await settled(runtime)
    found = await get(client, "/hsds/services?search=zebracounsel")
    assert ids(found) == [hsds_id(counsel)]
    check_page(found, "service_list")
    meal_term = need_term_id("DAILY_LIVING_MEALS")
    both = await get(client, f"/hsds/services?search=zebracounsel&taxonomy_term_id={meal_term}")
    assert both["contents"] == []
    # Proximity (metres from a point): only resources with a location the viewer may see.
    near = await get(client, "/hsds/service_at_locations?lat=33.41&lon=126.26&proximity=2000")
    assert [item["service_id"] for item in check_page(near, "service_at_location_list")] == [
        hsds_id(meal)
    ]
    located = await get(client, "/hsds/service_at_locations")
    assert sorted(i["service_id"] for i in located["contents"]) == sorted(
        [hsds_id(meal), hsds_id(counsel)]
    )
    searched = await get(
        client, "/hsds/service_at_locations?search=zebracounsel&lat=33.3&lon=126.5&proximity=50000"
    )
    assert [i["service_id"] for i in searched["contents"]] == [hsds_id(counsel)]
    tops = await get(client, "/hsds/taxonomy_terms?top_only=true")
    assert tops["total_items"] == 10 and all("parent_id" not in t for t in tops["contents"])
    children = await get(client, f"/hsds/taxonomy_terms?parent_id={daily}")
    assert {t["code"] for t in children["contents"]} >= {"DAILY_LIVING_MEALS"}
    assert all(t["parent_id"] == daily for t in children["contents"])
    named = await get(client, "/hsds/organizations?search=한림")
    assert [o["id"] for o in named["contents"]] == [OWNER_ORG]


# A well-formed id that names nothing; fixed, so the test ids are the same in every
# pytest-xdist worker.
UNKNOWN = "5e1f0d2c-7a44-4b8e-9c1d-0f6a2b3c4d5e"


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/hsds/services?per_page=101", "per_page"),
        ("/hsds/services?per_page=0", "per_page"),
        ("/hsds/services?page=0", "page"),
        ("/hsds/services?page=two", "page"),
        (f"/hsds/services?organization_id={UNKNOWN}", "organization_id"),
        ("/hsds/services?organization_id=ins_owner01", "organization_id"),
        (f"/hsds/services?taxonomy_term_id={UNKNOWN}", "taxonomy_term_id"),
        (f"/hsds/services?taxonomy_id={UNKNOWN}", "taxonomy_id"),
        ("/hsds/services?modified_after=yesterday", "modified_after"),
        ("/hsds/services?modified_after=2026-13-01", "modified_after"),
        ("/hsds/services?full=maybe", "full"),
        ("/hsds/services?minimal=true&full=true", "minimal"),
        ("/hsds/services?colour=blue", "colour"),
        ("/hsds/services?format=xml", "format"),
        ("/hsds/services?search=" + "가" * 201, "search"),
        ("/hsds/services?search=x&modified_after=2020-01-01", "modified_after"),
        ("/hsds/services?search=%00meal", "search"),  # the text rule of the GraphQL API
        ("/hsds/service_at_locations?lat=33.4&lon=126.2", "proximity"),
        ("/hsds/service_at_locations?lat=33.4&lon=126.2&proximity=near", "proximity"),
        ("/hsds/service_at_locations?lat=33.4&lon=126.2&proximity=900000", "proximity"),
        ("/hsds/service_at_locations?lat=95&lon=126.2&proximity=100", "lat"),
        ("/hsds/service_at_locations?search=meal", "search"),
        ("/hsds/service_at_locations?postcode=63000", "postcode"),
        ("/hsds/organizations?per_page=500", "per_page"),
        (f"/hsds/taxonomy_terms?parent_id={UNKNOWN}", "parent_id"),
        (f"/hsds/taxonomy_terms?taxonomy_id={UNKNOWN}", "taxonomy_id"),
        ("/hsds/taxonomy_terms?top_only=yes-please", "top_only"),
        ("/hsds/services/" + UNKNOWN + "?full=true", "full"),
    ],
)
async def test_bad_parameters_are_400_with_a_json_message(api, client, url, parameter):
    body = await get(client, url, status=400)
    assert body["parameter"] == parameter and body["error"], body


async def test_unknown_malformed_and_hidden_ids_are_the_same_404(api, client):
    owner = api.token("ins_owner01", "REGISTRANT")
    hidden = await register(api, owner, visibility={"listing": "OWNER"})
    bodies = [
        await get(client, f"/hsds/services/{hsds_id(hidden)}", status=404),
        await get(client, f"/hsds/services/{uuid.uuid4()}", status=404),
        await get(client, "/hsds/services/res_000000000000", status=404),
        await get(client, f"/hsds/services/{hsds_id(hidden)}", api.token("ins_other001"), 404),
    ]
    assert all(body == bodies[0] for body in bodies), bodies
    assert bodies[0] == {"error": "No service with this id.", "parameter": "id"}
    shown = await get(client, f"/hsds/services/{hsds_id(hidden)}", owner)
    assert shown["id"] == hsds_id(hidden)
    for url in (
        f"/hsds/organizations/{uuid.uuid4()}",
        f"/hsds/taxonomies/{uuid.uuid4()}",
        "/hsds/taxonomy_terms/not-a-uuid",
    ):
        assert (await get(client, url, status=404))["parameter"] == "id"


async def test_tokens_and_cors(api, client):
    await seed(api)
    bad = await client.get("/hsds/services", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    assert bad.json()["error"] and "contents" not in bad.json()
    preflight = await client.options(
        "/hsds/services",
        headers={"Origin": "https://directory.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]
    # GraphQL keeps its own CORS rule (none by default).
    graphql = await client.options("/graphql", headers={"Origin": "https://directory.example"})
    assert "access-control-allow-origin" not in graphql.headers
