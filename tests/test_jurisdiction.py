"""Jurisdiction (관할) is not location: a 시청 sits in one 동 of the 시 it administers, and every
regional rule — unmetNeeds, overlapReport, referralStats, REGION audiences in reads and search —
follows what an office administers. PLATFORM_ADMINs' regional scope is the whole country."""

from __future__ import annotations

from typing import Any

import pytest

from graph.institutions import institutions_by_ids, upsert_institutions
from resolvers.institutions import assign_default_jurisdictions
from resolvers.responsible_offices import responsible_offices
from tests.support.institutions import institution
from tests.support.membership import UNMET
from tests.support.referral_stats import figures, history, window
from tests.support.referrals import Clock
from tests.support.resources import register

NOW = "2026-01-01T00:00:00.000Z"
# 제주시청 sits in 한경면 (5011031000); 한림읍 (5011025000) is another 읍면 of 제주시 (50110).
OFFICES = [
    institution("ins_cityhall01", "5011031000", sector="PUBLIC", kind="CITY_HALL"),
    institution("ins_province01", "5013051000", sector="PUBLIC", kind="PROVINCIAL_OFFICE"),
    institution("ins_health0001", "5013025000", sector="PUBLIC", kind="HEALTH_CENTER"),
    institution("ins_hospital01", "5011025000", sector="PUBLIC", kind="HOSPITAL"),
]
OVERLAP = """query($region: String!) { overlapReport(region: $region) {
  byNeed { need { code } } } }"""


@pytest.fixture
async def offices(api) -> None:
    await upsert_institutions(api.runtime.backends.graph, OFFICES, NOW)


async def test_a_city_hall_sees_the_referral_figures_of_its_city(api, tokens, offices):
    clock = Clock(api)
    span = window(clock)
    await history(api, tokens, clock)  # three referrals sent from 한림읍, in 제주시
    city = await figures(api, api.token("ins_cityhall01", "ADMIN"), span)
    assert (city["scope"], city["total"]) == ("REGION", 3)
    # A 주민센터 administers its own 읍면동 only; nothing was sent from or to 한경면.
    centre = await figures(api, api.token("ins_region01", "ADMIN"), span)
    assert (centre["scope"], centre["total"]) == ("REGION", 0)
    # A 도청 in 서귀포시 administers the whole 도.
    province = await figures(api, api.token("ins_province01", "ADMIN"), span)
    assert (province["scope"], province["total"]) == ("REGION", 4)
    platform = await figures(api, api.token("ins_hospital01", "PLATFORM_ADMIN"), span)
    assert (platform["scope"], platform["total"]) == ("PLATFORM", 4)


@pytest.mark.parametrize("query", [UNMET, OVERLAP])
async def test_regional_figures_follow_the_jurisdiction(api, offices, query):
    async def answer(institution_id: str, region: str, *roles: str) -> str:
        body = await api(query, {"region": region}, api.token(institution_id, *roles))
        return body["errors"][0]["extensions"]["code"] if body.get("errors") else "OK"

    assert await answer("ins_cityhall01", "50110") == "OK"  # its 시
    assert await answer("ins_cityhall01", "5011025000") == "OK"  # a 읍면 within it
    assert await answer("ins_cityhall01", "50130") == "FORBIDDEN"  # another 시
    assert await answer("ins_region01", "5011031000") == "OK"  # a 주민센터: its 읍면동
    assert await answer("ins_region01", "50110") == "FORBIDDEN"
    assert await answer("ins_province01", "50110") == "OK"  # a 도청: its 도
    assert await answer("ins_hospital01", "50110") == "FORBIDDEN"  # administers nothing
    assert await answer("ins_hospital01", "5011025000") == "OK"  # where it is
    assert await answer("ins_owner01", "50110") == "FORBIDDEN"  # private: where it is
    # PLATFORM_ADMIN: the whole country, from any institution.
    for region in ("50", "50110", "5013025000"):
        assert await answer("ins_other001", region, "PLATFORM_ADMIN") == "OK"


async def test_region_audiences_admit_the_offices_that_administer_the_region(api, offices):
    registrant = api.token("ins_partner01", "REGISTRANT")  # a 복지관 in 서귀포시
    resource = await register(
        api,
        registrant,
        name="한림 방문 목욕",
        regions=["5011025000"],  # serves 한림읍 only
        visibility={"fields": [{"field": "CONTACT", "audience": "REGION"}]},
    )
    read = "query($id: ID!) { resource(id: $id) { contact { phone } withheldFields } }"
    search = """{ searchResources(input: {text: "방문 목욕"}) {
      hits { resource { id contact { phone } } } } }"""

    async def contact(institution_id: str) -> tuple[Any, Any]:
        token = api.token(institution_id)
        shown = (await api.ok(read, {"id": resource["id"]}, token))["resource"]["contact"]
        await api.runtime.sync.apply_pending()
        hits = (await api.ok(search, None, token))["searchResources"]["hits"]
        found = [h["resource"] for h in hits if h["resource"]["id"] == resource["id"]]
        return shown, found[0]["contact"] if found else "missing"

    phone = {"phone": "064-796-1234"}
    assert await contact("ins_cityhall01") == (phone, phone)  # administers 한림읍
    assert await contact("ins_province01") == (phone, phone)
    assert await contact("ins_region01") == (None, None)  # 한경면's 주민센터: not its 읍면동
    assert await contact("ins_health0001") == (None, None)  # 서귀포's 보건소


async def test_existing_offices_get_a_default_jurisdiction_once(api):
    graph = api.runtime.backends.graph
    explicit = {**OFFICES[0], "id": "ins_cityhall02", "jurisdictionCode": "50130"}
    await upsert_institutions(graph, [*OFFICES, explicit], NOW)
    assigned = await assign_default_jurisdictions(graph, api.runtime.services.regions)
    assert assigned == 4  # three offices above and ins_region01 (a 주민센터)
    assert await assign_default_jurisdictions(graph, api.runtime.services.regions) == 0
    stored = await institutions_by_ids(
        graph, ["ins_cityhall01", "ins_cityhall02", "ins_province01", "ins_health0001",
                "ins_hospital01", "ins_region01", "ins_owner01"]
    )  # fmt: skip
    assert {i: row["jurisdictionCode"] for i, row in stored.items()} == {
        "ins_cityhall01": "50110",
        "ins_cityhall02": "50130",  # set explicitly: kept
        "ins_province01": "50",
        "ins_health0001": "50130",
        "ins_hospital01": None,  # a public hospital administers nothing
        "ins_region01": "5011031000",
        "ins_owner01": None,  # private
    }
    data = await api.ok(
        """{ a: institution(id: "ins_cityhall01") { region { code } jurisdiction { code } }
             b: institution(id: "ins_owner01") { jurisdiction { code } } }"""
    )
    assert data == {
        "a": {"region": {"code": "5011031000"}, "jurisdiction": {"code": "50110"}},
        "b": {"jurisdiction": None},
    }


async def test_the_offices_responsible_for_a_place_are_those_that_administer_it(api):
    """Crisis reports, escalated intakes and forwarded applications go to the offices that
    administer the place: a 시청 with a stored jurisdiction answers for that 시 wherever it
    sits, and not for the place it sits in."""
    away = {
        **institution("ins_cityhall03", "5013025000", sector="PUBLIC", kind="CITY_HALL"),
        "jurisdictionCode": "50110",
    }
    await upsert_institutions(api.runtime.backends.graph, [away], NOW)
    services = api.runtime.services
    # 한경면: its 주민센터 (ins_region01, located there: the default), then 제주시's 시청.
    assert await responsible_offices(services, "5011031000") == ["ins_region01", "ins_cityhall03"]
    assert "ins_cityhall03" not in await responsible_offices(services, "5013025000")
