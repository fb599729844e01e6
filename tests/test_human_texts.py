"""Texts people read (rule decisions, search reasons, refusals) are sentences in Korean and
English, never Python values such as `frozenset()`, `None` or `['A', 'B']`."""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.programs import Facts, evaluate
from server.auth import TokenVerifier
from server.settings import Settings
from tests.support.recipients import new_recipient
from tests.support.resources import register
from tests.support.texts import assert_sentence


def test_every_rule_of_every_programme_reads_as_a_sentence():
    import json

    from graph.programs import SEED_FILE

    programs = json.loads(SEED_FILE.read_text(encoding="utf-8"))["programs"]
    people = [
        Facts(),  # nothing known
        Facts(age=78, income_percent=35, household_type="SINGLE_ELDERLY", disability="NONE",
              regions=("5011025000", "50110", "50"), flags=frozenset(),
              enrolled_programs=frozenset(p["id"] for p in programs)),
        Facts(age=40, income_percent=20, household_type="SINGLE_PARENT", disability="SEVERE",
              regions=("5013025000",), flags=frozenset({"기초수급", "학령기자녀"})),
    ]  # fmt: skip
    seen = 0
    for program in programs:
        for facts in people:
            for decision in evaluate(program, facts)["decisions"]:
                assert_sentence(decision["detail"])
                assert_sentence(decision["detailKo"], korean=True)
                seen += 1
    assert seen > 50


ELIGIBLE = """query($r: ID!) { eligiblePrograms(recipientId: $r) {
  program { id } decisions { rule result detail detailKo } } }"""


async def test_eligibility_answers_name_no_python_values(api):
    owner = api.token("ins_owner01", "CASEWORKER")
    rid = await new_recipient(api, owner, flags=[])  # the case that printed `frozenset()`
    results = (await api.ok(ELIGIBLE, {"r": rid}, owner))["eligiblePrograms"]
    education = next(r for r in results if r["program"]["id"] == "prg_education")
    flags = next(d for d in education["decisions"] if d["rule"] == "requiredFlags")
    assert flags["detail"] == "Flagged 학령기자녀: not met, the person has no flags."
    assert flags["detailKo"] == "학령기자녀 표시 필요 조건 미충족: 표시 없음."
    for result in results:
        for decision in result["decisions"]:
            assert_sentence(decision["detail"])
            assert_sentence(decision["detailKo"], korean=True)


SEARCH = """query($input: ResourceSearchInput!) { searchResources(input: $input) {
  hits { reasons { code message messageKo } } } }"""


async def test_search_reasons_are_sentences_in_both_languages(api):
    owner = api.token("ins_owner01", "REGISTRANT")
    await register(api, owner)
    await register(api, owner, name="반찬 나눔", eligibility={"maxIncomePercent": 50})
    await api.runtime.sync.drain()
    found = await api.ok(
        SEARCH,
        {
            "input": {
                "needs": ["DAILY_LIVING_MEALS", "SOCIAL_ISOLATION"],
                "text": "도시락",
                "person": {"age": 80},
                "hasCapacity": True,
            }
        },
        owner,
    )
    reasons = [r for hit in found["searchResources"]["hits"] for r in hit["reasons"]]
    assert {r["code"] for r in reasons} >= {"NEEDS", "ELIGIBILITY_UNKNOWN", "TEXT", "CAPACITY"}
    for reason in reasons:
        assert_sentence(reason["message"])
        assert_sentence(reason["messageKo"], korean=True)
    unknown = next(r for r in reasons if r["code"] == "ELIGIBILITY_UNKNOWN")
    assert "household type" in unknown["message"] and "가구 유형" in unknown["messageKo"]


@pytest.mark.parametrize("roles", [["KING"], "CASEWORKER"])
def test_a_bad_roles_claim_is_explained_without_a_python_list(roles: Any):
    import jwt

    secret = "s" * 40
    token = jwt.encode({"sub": "a", "inst": "ins_abcdef12", "roles": roles}, secret, "HS256")
    with pytest.raises(Exception) as caught:
        TokenVerifier(Settings(), secret).verify(f"Bearer {token}")
    assert_sentence(str(caught.value))
