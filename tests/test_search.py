"""searchResources on the real embedded search engine: text, needs, filters, ranking, facets,
paging and bad input. The index behind it (down, lagging, rebuilt) is in test_search_index.py,
visibility on the search path in test_visibility.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.resources import register
from tests.support.search import SEARCH, ids, plain, search, settled


@pytest.fixture
async def owner(api: Any) -> str:
    return api.token("ins_owner01", "REGISTRANT")


async def test_korean_text_matches_without_spaces_or_particles(api, owner):
    meals = await register(api, owner, **plain(name="독거어르신 도시락 배달"))
    side = await register(api, owner, **plain(name="어르신 밑반찬 지원"))
    youth = await register(
        api, owner, **plain(name="청소년 진로 상담", needs=["EMPLOYMENT_JOB_SEARCH"])
    )
    await settled(api.runtime)
    staff = api.token("ins_other001")

    found = await search(api, staff, text="도시락배달")
    # The name holds the words; the side-dish service matches through its need's vocabulary.
    assert ids(found) == [meals["id"], side["id"]]
    assert "name" in found["hits"][0]["reasons"][-1]["message"]
    assert found["hits"][1]["reasons"] == [
        {"code": "TEXT", "message": "The words match its needs."}
    ]
    assert youth["id"] not in ids(await search(api, staff, text="반찬"))
    found = await search(api, staff, text="어르신에게 반찬을")
    assert ids(found)[0] == side["id"]
    hit = found["hits"][0]
    assert hit["highlights"][0]["field"] == "name"
    assert any("<em>" in fragment for fragment in hit["highlights"][0]["fragments"])
    assert {r["code"] for r in hit["reasons"]} >= {"TEXT"}


async def test_english_text_is_stemmed(api, owner):
    meals = await register(
        api,
        owner,
        **plain(name="Meal delivery for seniors", description="Hot meals delivered at home."),
    )
    await register(
        api,
        owner,
        **plain(name="Job training", description="Learn to code.", needs=["EMPLOYMENT_TRAINING"]),
    )
    await settled(api.runtime)
    # "delivering" and "delivered" share a stem ("delivery" does not).
    result = await search(api, None, text="delivering")
    assert ids(result) == [meals["id"]]
    assert {h["field"] for h in result["hits"][0]["highlights"]} == {"description"}
    result = await search(api, None, text="a senior")
    assert ids(result) == [meals["id"]]
    assert result["hits"][0]["highlights"] == [
        {"field": "name", "fragments": ["Meal delivery for <em>seniors</em>"]}
    ]


async def test_query_syntax_in_text_is_plain_text(api, owner):
    await register(api, owner, **plain(name="도시락 배달"))
    await settled(api.runtime)
    for text in ('name:* OR "', "*:*", "status:CLOSED AND (", "\\", "도시락 || 배달 ~2^3"):
        result = await search(api, None, text=text)
        assert isinstance(result["totalCount"], int)
    assert (await search(api, None, text="*:*"))["totalCount"] == 0


async def test_a_broader_need_finds_resources_for_narrower_ones(api, owner):
    meals = await register(api, owner, **plain(name="도시락", needs=["DAILY_LIVING_MEALS"]))
    housework = await register(
        api, owner, **plain(name="가사 지원", needs=["DAILY_LIVING_HOUSEWORK"])
    )
    await register(api, owner, **plain(name="법률 상담", needs=["LEGAL_COUNSEL"]))
    await settled(api.runtime)
    result = await search(api, None, needs=["DAILY_LIVING"])
    assert set(ids(result)) == {meals["id"], housework["id"]}
    assert result["totalCount"] == 2
    assert all([n["code"] for n in h["matchedNeeds"]] == ["DAILY_LIVING"] for h in result["hits"])


async def test_ranking_needs_then_text_with_eligibility_and_distance_bonuses(api, owner):
    home = {"lat": 33.41, "lon": 126.26}
    far = {"text": "먼 곳", "lat": 33.50, "lon": 126.55}  # ~28 km from home
    near = {"text": "가까운 곳", "lat": 33.412, "lon": 126.262}
    both_needs_far = await register(
        api,
        owner,
        **plain(name="반찬 지원", needs=["DAILY_LIVING_MEALS", "SOCIAL_ISOLATION"], address=far),
    )
    one_need_eligible_far = await register(
        api,
        owner,
        **plain(
            name="반찬 지원", needs=["DAILY_LIVING_MEALS"], address=far, eligibility={"minAge": 65}
        ),
    )
    one_need_unknown_near = await register(
        api,
        owner,
        **plain(
            name="반찬 지원",
            needs=["DAILY_LIVING_MEALS"],
            address=near,
            eligibility={"maxIncomePercent": 50},
        ),
    )
    one_need_unknown_far_text = await register(
        api,
        owner,
        **plain(
            name="반찬 지원 반찬 배달",
            needs=["DAILY_LIVING_MEALS"],
            address=far,
            eligibility={"maxIncomePercent": 50},
        ),
    )
    one_need_unknown_far = await register(
        api,
        owner,
        **plain(
            name="지원 사업 안내 반찬",
            needs=["DAILY_LIVING_MEALS"],
            address=far,
            eligibility={"maxIncomePercent": 50},
        ),
    )
    ruled_out = await register(
        api, owner, **plain(name="반찬", needs=["DAILY_LIVING_MEALS"], eligibility={"maxAge": 18})
    )
    await settled(api.runtime)
    result = await search(
        api,
        api.token("ins_other001"),
        needs=["DAILY_LIVING_MEALS", "SOCIAL_ISOLATION"],
        text="반찬",
        person={"age": 70},
        near={**home, "radiusKm": 50},
    )
    # With words, closeness and a known fit are bonuses inside the text band: nine rings
    # closer outweigh the known fit (one ring's worth), which outweighs a second 반찬.
    assert ids(result) == [
        both_needs_far["id"],
        one_need_unknown_near["id"],
        one_need_eligible_far["id"],
        one_need_unknown_far_text["id"],
        one_need_unknown_far["id"],
    ]
    assert ruled_out["id"] not in ids(result)
    both, near, eligible = result["hits"][:3]
    assert [n["code"] for n in both["matchedNeeds"]] == ["DAILY_LIVING_MEALS", "SOCIAL_ISOLATION"]
    assert both["eligibility"] == "ELIGIBLE"
    assert eligible["eligibility"] == "ELIGIBLE"
    assert near["eligibility"] == "UNKNOWN"
    assert near["missingFacts"] == ["incomePercent"]
    assert near["distanceKm"] == pytest.approx(0.29, abs=0.05)
    # 반찬 is in the thesaurus (-> 식사, the label of its need, in the need terms).
    assert [r["code"] for r in near["reasons"]] == [
        "NEEDS",
        "ELIGIBILITY_UNKNOWN",
        "DISTANCE",
        "TEXT",
        "RELATED_TERM",
    ]


async def test_with_words_a_known_fit_is_a_bonus_not_a_band(api, owner):
    """With words, the resource the words describe ranks above one the person is known to fit
    that only shares a word; without words, the known fit comes first (docs/search.md)."""
    shares_a_word = await register(
        api,
        owner,
        **plain(
            name="생활 서비스 안내", needs=["DAILY_LIVING_HOUSEWORK"], eligibility={"minAge": 65}
        ),
    )
    what_is_asked = await register(
        api,
        owner,
        **plain(
            name="이동 목욕 서비스",
            needs=["DAILY_LIVING_HOUSEWORK"],
            eligibility={"maxIncomePercent": 50},
        ),
    )
    await settled(api.runtime)
    person = {"age": 70}
    worded = await search(api, None, text="이동 목욕 서비스", person=person)
    assert ids(worded) == [what_is_asked["id"], shares_a_word["id"]]
    assert [h["eligibility"] for h in worded["hits"]] == ["UNKNOWN", "ELIGIBLE"]
    unworded = await search(api, None, needs=["DAILY_LIVING_HOUSEWORK"], person=person)
    assert ids(unworded) == [shares_a_word["id"], what_is_asked["id"]]


async def test_person_attributes_exclude_what_they_rule_out(api, owner):
    elderly = await register(
        api,
        owner,
        **plain(
            name="a",
            eligibility={"minAge": 65, "householdTypes": ["SINGLE_ELDERLY"]},
        ),
    )
    poor = await register(api, owner, **plain(name="b", eligibility={"maxIncomePercent": 50}))
    disabled = await register(
        api, owner, **plain(name="c", eligibility={"disabilityRequired": True})
    )
    open_to_all = await register(api, owner, **plain(name="d"))
    await settled(api.runtime)

    async def found(person: dict[str, Any]) -> set[str]:
        return set(ids(await search(api, None, person=person)))

    everyone = {elderly["id"], poor["id"], disabled["id"], open_to_all["id"]}
    assert await found({}) == everyone
    assert await found({"age": 40}) == everyone - {elderly["id"]}
    assert await found({"age": 70, "householdType": "GENERAL"}) == everyone - {elderly["id"]}
    assert await found({"incomePercent": 80}) == everyone - {poor["id"]}
    assert await found({"disability": False}) == everyone - {disabled["id"]}
    result = await search(api, None, person={"age": 70})
    fits = {h["resource"]["id"]: (h["eligibility"], h["missingFacts"]) for h in result["hits"]}
    assert fits[open_to_all["id"]] == ("ELIGIBLE", [])
    assert fits[elderly["id"]] == ("UNKNOWN", ["householdType"])
    assert fits[disabled["id"]] == ("UNKNOWN", ["disability"])
    assert ids(result)[0] == open_to_all["id"]


async def test_filters(api, owner):
    partner = api.token("ins_partner01", "REGISTRANT")
    jeju_si = await register(api, owner, **plain(name="a", regions=["5011025000"], kind="GOODS"))
    seogwipo = await register(api, partner, **plain(name="b", regions=["5013051000"]))
    full = await register(api, owner, **plain(name="c", capacity={"total": 5, "available": 0}))
    free = await register(api, owner, **plain(name="d", capacity={"total": 5, "available": 2}))
    closed = await register(api, owner, **plain(name="e", status="CLOSED"))
    await settled(api.runtime)
    owner_view = owner  # capacity is PARTNERS by default: the owner sees it

    assert ids(await search(api, None, kinds=["GOODS"])) == [jeju_si["id"]]
    assert ids(await search(api, None, institutions=["ins_partner01"])) == [seogwipo["id"]]
    assert seogwipo["id"] in ids(await search(api, None, regions=["50130"]))
    assert jeju_si["id"] not in ids(await search(api, None, regions=["50130"]))
    assert ids(await search(api, owner_view, hasCapacity=True)) == [free["id"]]
    assert ids(await search(api, owner_view, hasCapacity=False)) == [full["id"]]
    assert closed["id"] not in ids(await search(api, None))
    assert ids(await search(api, None, statuses=["CLOSED"])) == [closed["id"]]
    assert set(ids(await search(api, None, sectors=["PRIVATE"]))) >= {jeju_si["id"]}
    assert ids(await search(api, None, sectors=["PUBLIC"])) == []


async def test_near_keeps_resources_inside_the_radius(api, owner):
    close = await register(
        api, owner, **plain(name="a", address={"text": "x", "lat": 33.41, "lon": 126.26})
    )
    far = await register(
        api, owner, **plain(name="b", address={"text": "y", "lat": 33.25, "lon": 126.56})
    )
    await register(api, owner, **plain(name="c"))  # no address
    await settled(api.runtime)
    result = await search(api, None, near={"lat": 33.40, "lon": 126.25, "radiusKm": 5})
    assert ids(result) == [close["id"]]
    assert result["hits"][0]["distanceKm"] == pytest.approx(1.43, abs=0.1)
    wide = await search(api, None, near={"lat": 33.40, "lon": 126.25, "radiusKm": 100})
    assert ids(wide) == [close["id"], far["id"]]


async def test_empty_input_ranks_active_resources_nearest_the_viewers_institution(api, owner):
    # The test institutions sit at 33.5, 126.5.
    near = await register(
        api, owner, **plain(name="a", address={"text": "x", "lat": 33.501, "lon": 126.501})
    )
    far = await register(
        api, owner, **plain(name="b", address={"text": "y", "lat": 33.25, "lon": 126.2})
    )
    await settled(api.runtime)
    result = await search(api, api.token("ins_other001"))
    assert ids(result)[:2] == [near["id"], far["id"]]
    assert result["hits"][0]["distanceKm"] < 0.2


async def test_facets_and_total_count_cover_all_hits(api, owner):
    for n in range(3):
        await register(api, owner, **plain(name=f"도시락 {n}", needs=["DAILY_LIVING_MEALS"]))
    await register(
        api, owner, **plain(name="도시락 x", needs=["DAILY_LIVING_MEALS", "SOCIAL_ISOLATION"])
    )
    await register(api, owner, **plain(name="상담", needs=["HEALTH_MENTAL"]))
    await settled(api.runtime)
    result = await search(api, None, text="도시락", first=2)
    assert result["totalCount"] == 4
    assert len(result["hits"]) == 2
    needs = {f["code"]: (f["label"], f["count"]) for f in result["facets"]["needs"]}
    assert needs == {"DAILY_LIVING_MEALS": ("식사", 4), "SOCIAL_ISOLATION": ("고립", 1)}
    assert result["facets"]["kinds"] == [{"value": "SERVICE", "count": 4}]
    assert result["facets"]["sectors"] == [{"value": "PRIVATE", "count": 4}]
    assert result["facets"]["regions"] == [{"code": "5011025000", "name": "한림읍", "count": 4}]


async def test_pages_follow_cursors_without_repeats(api, owner):
    made = [
        (await register(api, owner, **plain(name=f"도시락 배달 {'도시락 ' * (n % 3)}{n}")))["id"]
        for n in range(7)
    ]
    await settled(api.runtime)
    seen: list[str] = []
    after = None
    for _ in range(10):
        result = await search(api, None, text="도시락", first=3, after=after)
        seen += ids(result)
        assert result["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not result["pageInfo"]["hasNextPage"]:
            break
        after = result["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("criteria", "field"),
    [
        ({"needs": ["NO_SUCH_NEED"]}, "input.needs"),
        ({"near": {"lat": 33.5, "lon": 126.5, "radiusKm": 0}}, "input.near.radiusKm"),
        ({"near": {"lat": 33.5, "lon": 126.5, "radiusKm": 501}}, "input.near.radiusKm"),
        ({"near": {"lat": 95, "lon": 126.5, "radiusKm": 5}}, "input.near.lat"),
        ({"first": 101}, "input.first"),
        ({"after": "bm90LWEtY3Vyc29y"}, "after"),
        ({"text": "가" * 201}, "input.text"),
        ({"regions": ["99999"]}, "input.regions"),
        ({"person": {"age": 200}}, "input.person.age"),
        ({"institutions": ["not an id"]}, "input.institutions"),
        ({"needs": ["HEALTH", "HEALTH"]}, "input.needs"),
    ],
)
async def test_bad_input_is_rejected_with_the_field_named(api, criteria, field):
    error = await api.error(SEARCH, {"input": criteria})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == field
    assert "Traceback" not in error["message"]
