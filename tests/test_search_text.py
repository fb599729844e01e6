"""How search understands text, on the real engines: Korean morphology (the `morph.*`
fields), the thesaurus with its RELATED_TERM reasons, typo tolerance, meaningful counts for
short queries, and thesaurus matches that respect field visibility."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.support.resources import register
from tests.support.search import ids, plain, search, settled


@pytest.fixture
async def owner(api: Any) -> str:
    return api.token("ins_owner01", "REGISTRANT")


@pytest.fixture
def morph_only(api: Any):
    """Queries use only the analysed terms (HANARO_SEARCH_KOREAN=morph), so a match proves
    the analysis reached the engine; restored afterwards."""
    services = api.runtime.services
    before = services.search_text
    services.search_text = replace(before, korean="morph")
    yield
    services.search_text = before


async def test_analysed_terms_match_across_spacing_particles_and_verb_forms(api, owner, morph_only):
    alone = await register(
        api, owner, **plain(name="혼자 사는 노인 안부 확인", needs=["SOCIAL_ISOLATION"])
    )
    power = await register(
        api,
        owner,
        **plain(
            name="에너지 긴급 지원",
            description="전기가 끊긴 가구에 요금을 지원합니다.",
            needs=["LIVING_ENVIRONMENT_ENERGY"],
        ),
    )
    await settled(api.runtime)
    staff = api.token("ins_other001")
    assert ids(await search(api, staff, text="혼자사는노인이")) == [alone["id"]]
    # 끊길 and 끊긴 are both the verb 끊기다.
    assert ids(await search(api, staff, text="전기가 끊길 것 같아요"))[0] == power["id"]


async def test_everyday_words_find_services_through_the_thesaurus_and_say_so(api, owner):
    meals = await register(
        api,
        owner,
        **plain(name="어르신 도시락 배달", needs=["DAILY_LIVING_MEALS"]),
    )
    jobs = await register(
        api, owner, **plain(name="청년 구직 상담", needs=["EMPLOYMENT_JOB_SEARCH"])
    )
    await settled(api.runtime)
    # No word in common: 끼니 is in the thesaurus (-> 식사, 도시락, ...).
    found = await search(api, api.token("ins_other001"), text="끼니를 자주 거르세요")
    assert ids(found) == [meals["id"]]
    related = next(r for r in found["hits"][0]["reasons"] if r["code"] == "RELATED_TERM")
    assert "도시락 through 끼니" in related["message"]
    assert jobs["id"] not in ids(await search(api, None, text="끼니"))


async def test_the_needs_the_second_taxonomy_walk_added_are_reached_in_everyday_words(api, owner):
    """Entries written from the need taxonomy for needs no entry reached before (2026-12-03):
    unpaid wages in Korean, toothache in English, a son who will not leave his room."""
    wages = await register(
        api, owner, **plain(name="임금체불 노동상담", needs=["EMPLOYMENT_LABOUR_RIGHTS"])
    )
    dental = await register(api, owner, **plain(name="어르신 치과 진료", needs=["HEALTH_DENTAL"]))
    reclusive = await register(
        api,
        owner,
        **plain(name="고립은둔청년 지원", needs=["SOCIAL_ISOLATION_RECLUSIVE_YOUTH"]),
    )
    await settled(api.runtime)
    for text, expected in (
        ("월급을 석 달째 못 받았어요", wages),
        ("toothache, need help", dental),
        ("아들이 방에서 안 나와요", reclusive),
    ):
        found = await search(api, None, text=text)
        assert ids(found)[:1] == [expected["id"]], text
        assert any(r["code"] == "RELATED_TERM" for r in found["hits"][0]["reasons"]), text


async def test_a_thesaurus_meaning_in_a_withheld_field_finds_nothing_for_outsiders(api, owner):
    hidden = await register(
        api,
        owner,
        **plain(
            name="행복나눔 사업",
            description="매일 점심 급식을 제공합니다.",
            needs=["EMPLOYMENT_JOB_SEARCH"],
            visibility={"fields": [{"field": "DESCRIPTION", "audience": "OWNER"}]},
        ),
    )
    await settled(api.runtime)
    # 끼니 -> 급식, which only the withheld description holds.
    mine = await search(api, owner, text="끼니")
    assert ids(mine) == [hidden["id"]]
    assert any(r["code"] == "RELATED_TERM" for r in mine["hits"][0]["reasons"])
    for outsider in (None, api.token("ins_other001")):
        result = await search(api, outsider, text="끼니")
        assert result["hits"] == [] and result["totalCount"] == 0
        assert result["facets"]["needs"] == []


async def test_long_words_tolerate_one_wrong_syllable_short_ones_match_exactly(api, owner):
    mental = await register(api, owner, **plain(name="정신건강 상담실", needs=["HEALTH_MENTAL"]))
    mood = await register(api, owner, **plain(name="우울 극복 모임", needs=["HEALTH_MENTAL"]))
    milk = await register(api, owner, **plain(name="우유 배달", needs=["DAILY_LIVING_NECESSITIES"]))
    await settled(api.runtime)
    staff = api.token("ins_other001")
    assert ids(await search(api, staff, text="정신건깅"))[0] == mental["id"]
    # Two syllables: only what holds the word (or a meaning of it) is counted, not 우유.
    short = await search(api, staff, text="우울")
    assert milk["id"] not in ids(short)
    assert mood["id"] in ids(short)
    assert short["totalCount"] == len(short["hits"])
    # English: one edit from five letters, none below.
    await register(
        api, owner, **plain(name="Medicine costs", description="Help with medicine bills.")
    )
    await settled(api.runtime)
    assert ids(await search(api, staff, text="medecine"))
    # "cots" is one edit from "cost" but has four letters: no typo tolerance.
    assert ids(await search(api, staff, text="costs"))
    assert not ids(await search(api, staff, text="cots"))
