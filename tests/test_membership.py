"""Proactive eligibility (복지멤버십): rule evaluation, the rule file's checks, and the
eligiblePrograms query's access rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.needs import load_need_seed
from graph.programs import SEED_FILE, RuleFileError, load_program_seed
from graph.regions import load_region_seed
from resolvers.programs import Facts, evaluate
from tests.support.membership import ENROLL, UNMET
from tests.support.recipients import new_recipient
from tests.support.resources import register

NEEDS = {n["code"] for n in load_need_seed()}
REGIONS = {r["code"] for r in load_region_seed()}


def program(**rules: Any) -> dict[str, Any]:
    return {"id": "prg_test", "rules": rules, "excludes": []}


@pytest.mark.parametrize(
    ("rules", "facts", "status"),
    [
        ({"maxIncomePercent": 32}, Facts(income_percent=32), "LIKELY"),  # exactly at N %
        ({"maxIncomePercent": 32}, Facts(income_percent=33), "NOT_ELIGIBLE"),
        ({"maxIncomePercent": 32}, Facts(), "POSSIBLE"),
        ({"minAge": 65}, Facts(age=65), "LIKELY"),
        ({"minAge": 65}, Facts(age=64), "NOT_ELIGIBLE"),
        ({"maxAge": 64}, Facts(age=65), "NOT_ELIGIBLE"),
        ({"householdTypes": ["SINGLE_PARENT"]}, Facts(household_type="SINGLE_PARENT"), "LIKELY"),
        ({"householdTypes": ["SINGLE_PARENT"]}, Facts(household_type="GENERAL"), "NOT_ELIGIBLE"),
        ({"disability": ["SEVERE"]}, Facts(disability="MILD"), "NOT_ELIGIBLE"),
        ({"disability": ["SEVERE"]}, Facts(disability="SEVERE"), "LIKELY"),
        ({"regions": ["50130"]}, Facts(regions=("5013025000", "50130", "50")), "LIKELY"),
        ({"regions": ["50130"]}, Facts(regions=("5011025000", "50110", "50")), "NOT_ELIGIBLE"),
        ({"requiredFlags": ["기초수급"]}, Facts(flags=frozenset({"기초수급"})), "LIKELY"),
        ({"requiredFlags": ["기초수급"]}, Facts(flags=frozenset()), "NOT_ELIGIBLE"),
        # A failing rule decides even when other facts are unknown.
        ({"minAge": 65, "maxIncomePercent": 50}, Facts(age=30), "NOT_ELIGIBLE"),
        ({}, Facts(), "LIKELY"),
    ],
)
def test_each_rule_type(rules, facts, status):
    assert evaluate(program(**rules), facts)["status"] == status


def test_unknown_facts_are_named_and_exclusions_decide():
    result = evaluate(program(minAge=65, maxIncomePercent=93), Facts(age=70))
    assert result["status"] == "POSSIBLE"
    assert result["missingFacts"] == ["incomePercent"]
    assert [d["result"] for d in result["decisions"]] == ["PASS", "UNKNOWN"]
    excluded = {"id": "prg_emergency", "rules": {}, "excludes": ["prg_livelihood"]}
    blocked = evaluate(excluded, Facts(enrolled_programs=frozenset({"prg_livelihood"})))
    assert blocked["status"] == "NOT_ELIGIBLE"
    assert blocked["decisions"][-1]["rule"] == "excludes"
    mine = evaluate(program(), Facts(enrolled_programs=frozenset({"prg_test"})))
    assert mine["enrolled"] is True


def test_the_shipped_rules_load_and_cite_their_year():
    data = load_program_seed(NEEDS, REGIONS)
    assert data["year"] == 2025
    ids = {p["id"] for p in data["programs"]}
    assert {"prg_livelihood", "prg_medical", "prg_housing", "prg_education"} <= ids
    assert {"prg_basic_pension", "prg_disability_pension", "prg_emergency"} <= ids


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p["rules"].update(maxIncomePercent="32%"), "rule maxIncomePercent must be"),
        (lambda p: p["rules"].update(shoeSize=42), "rule 'shoeSize' is not one of"),
        (lambda p: p.update(needs=["NO_SUCH_NEED"]), "needs must be known need codes"),
        (lambda p: p.update(excludes=["prg_nowhere"]), "excludes names unknown programmes"),
        (lambda p: p["rules"].update(minAge=70, maxAge=60), "minAge is above maxAge"),
        (lambda p: p["rules"].update(householdTypes=["ROYAL"]), "unknown values"),
    ],
)
def test_a_bad_rule_file_fails_naming_the_rule(tmp_path: Path, change, message):
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    change(data["programs"][0])
    path = tmp_path / "programs.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(RuleFileError) as raised:
        load_program_seed(NEEDS, REGIONS, path)
    assert "programme prg_livelihood" in str(raised.value)
    assert message in str(raised.value)


ELIGIBLE = """query($r: ID!) { eligiblePrograms(recipientId: $r) {
  program { id name year } status missingFacts enrolled decisions { rule result detail } } }"""


async def test_eligible_programs_follow_the_recipient_access_rules(api):
    owner = api.token("ins_owner01", "CASEWORKER")
    rid = await new_recipient(
        api, owner, birthDate="1950-01-01", incomePercent=30, flags=["기초수급"]
    )
    results = {
        r["program"]["id"]: r
        for r in (await api.ok(ELIGIBLE, {"r": rid}, owner))["eligiblePrograms"]
    }
    assert results["prg_livelihood"]["status"] == "LIKELY"
    assert results["prg_basic_pension"]["status"] == "LIKELY"
    assert results["prg_disability_pension"]["status"] == "NOT_ELIGIBLE"  # MILD, 76 years
    assert results["prg_education"]["status"] == "NOT_ELIGIBLE"  # no 학령기자녀 flag
    assert results["prg_emergency"]["status"] == "NOT_ELIGIBLE"
    for outsider in (None, api.token("ins_other001")):
        body = await api(ELIGIBLE, {"r": rid}, outsider)
        assert body["data"] is None or body["data"]["eligiblePrograms"] is None
    # Already receiving 생계급여 through a resource of that programme: marked, and the
    # emergency support it excludes stays NOT_ELIGIBLE.
    resource = await register(
        api,
        api.token("ins_owner01", "REGISTRANT"),
        name="한림읍 생계급여",
        programId="prg_livelihood",
    )
    await api.ok(
        """mutation($input: RecordEnrollmentInput!) { recordEnrollment(input: $input) { id } }""",
        {"input": {"recipientId": rid, "resourceId": resource["id"], "start": "2026-01-01"}},
        owner,
    )
    results = {
        r["program"]["id"]: r
        for r in (await api.ok(ELIGIBLE, {"r": rid}, owner))["eligiblePrograms"]
    }
    assert results["prg_livelihood"]["enrolled"] is True


async def test_consented_needs_only_leave_facts_unknown(api):
    owner = api.token("ins_owner01", "CASEWORKER")
    rid = await new_recipient(api, owner, birthDate="1950-01-01", incomePercent=30)
    await api.ok(
        """mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }""",
        {
            "input": {
                "recipientId": rid,
                "scope": ["NEEDS"],
                "institutions": ["ins_other001"],
                "validUntil": "2099-01-01T00:00:00Z",
            }
        },
        owner,
    )
    results = (await api.ok(ELIGIBLE, {"r": rid}, api.token("ins_other001")))["eligiblePrograms"]
    assert {r["status"] for r in results} == {"POSSIBLE"}
    pension = next(r for r in results if r["program"]["id"] == "prg_basic_pension")
    assert pension["missingFacts"] == ["age", "incomePercent"]


async def test_programme_ids_on_resources_are_checked(api):
    error = await api.error(
        """mutation($input: RegisterResourceInput!) { registerResource(input: $input) { id } }""",
        {
            "input": {
                "name": "x",
                "kind": "BENEFIT",
                "needs": ["ECONOMY_LIVING_COSTS"],
                "regions": ["50"],
                "programId": "prg_nothing",
            }
        },
        api.token("ins_owner01", "REGISTRANT"),
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "programId"


ASSESS = """mutation($r: ID!, $needs: [AssessedNeedInput!]!) {
  assessNeeds(recipientId: $r, needs: $needs) { id } }"""


async def assess(api: Any, token: str, rid: str, *codes: str) -> None:
    needs = [{"code": c, "severity": 3} for c in codes]
    await api.ok(ASSESS, {"r": rid, "needs": needs}, token)


async def test_unmet_needs_on_a_constructed_graph(api):
    owner = api.token("ins_owner01", "CASEWORKER")
    registrant = api.token("ins_owner01", "REGISTRANT")
    meals = await register(api, registrant, name="도시락", needs=["DAILY_LIVING_MEALS"])
    served = await new_recipient(api, owner)  # meals need met by an enrollment
    await assess(api, owner, served, "DAILY_LIVING_MEALS")
    await api.ok(
        ENROLL,
        {"input": {"recipientId": served, "resourceId": meals["id"], "start": "2026-01-01"}},
        owner,
    )
    cased = await new_recipient(api, owner)  # isolation addressed by an open case
    await assess(api, owner, cased, "SOCIAL_ISOLATION")
    await api.ok(
        """mutation($r: ID!) {
             openCase(recipientId: $r, programme: ELDERLY_LIVING_ALONE) { id } }""",
        {"r": cased},
        owner,
    )
    unmet = await new_recipient(api, owner)  # nothing addresses its needs
    await assess(api, owner, unmet, "DAILY_LIVING_MEALS", "ECONOMY_DEBT")
    partly = await new_recipient(api, owner)  # one of two needs met
    await assess(api, owner, partly, "DAILY_LIVING_MEALS", "HEALTH_MENTAL")
    await api.ok(
        ENROLL,
        {"input": {"recipientId": partly, "resourceId": meals["id"], "start": "2026-01-01"}},
        owner,
    )
    report = (await api.ok(UNMET, {"region": "5011025000"}, owner))["unmetNeeds"]
    rows = {r["recipientId"]: [n["code"] for n in r["unmetNeeds"]] for r in report["rows"]}
    assert rows == {
        unmet: ["DAILY_LIVING_MEALS", "ECONOMY_DEBT"],
        partly: ["HEALTH_MENTAL"],
    }
    counts = {c["need"]["code"]: c["recipients"] for c in report["counts"]}
    assert counts == {"DAILY_LIVING_MEALS": 1, "ECONOMY_DEBT": 1, "HEALTH_MENTAL": 1}
    # A 주민센터 of another 읍면동 gets neither counts nor rows for 한림읍.
    neighbour = api.token("ins_region01")  # 한경면
    forbidden = await api.error(UNMET, {"region": "5011025000"}, neighbour)
    assert forbidden["extensions"]["code"] == "FORBIDDEN"
    outsider = await api.error(UNMET, {"region": "5011025000"}, None)
    assert outsider["extensions"]["code"] == "UNAUTHENTICATED"


async def test_overlaps_same_need_from_two_institutions_and_exclusive_programmes(api):
    owner = api.token("ins_owner01", "CASEWORKER")
    first = await register(
        api, api.token("ins_owner01", "REGISTRANT"), name="생계급여", programId="prg_livelihood"
    )
    second = await register(
        api,
        api.token("ins_partner01", "REGISTRANT"),
        name="긴급 생계지원",
        needs=["ECONOMY_LIVING_COSTS"],
        regions=["50"],
        programId="prg_emergency",
    )
    twin = await register(
        api, api.token("ins_partner01", "REGISTRANT"), name="도시락 2", regions=["50"]
    )
    own_meal = await register(api, api.token("ins_owner01", "REGISTRANT"), name="도시락 1")
    rid = await new_recipient(api, owner)
    for resource in (first, second, twin, own_meal):
        await api.ok(
            ENROLL,
            {"input": {"recipientId": rid, "resourceId": resource["id"], "start": "2026-01-01"}},
            owner,
        )
    found = (
        await api.ok(
            """query($r: ID!) { overlappingSupport(recipientId: $r) {
                 kind need { code } programs { id } enrollments { resource { id } } } }""",
            {"r": rid},
            owner,
        )
    )["overlappingSupport"]
    kinds = {(o["kind"], (o["need"] or {}).get("code")) for o in found}
    assert ("SAME_NEED", "DAILY_LIVING_MEALS") in kinds
    assert ("EXCLUSIVE_PROGRAMS", None) in kinds
    exclusive = next(o for o in found if o["kind"] == "EXCLUSIVE_PROGRAMS")
    assert sorted(p["id"] for p in exclusive["programs"]) == ["prg_emergency", "prg_livelihood"]
    outsider = await api(
        """query($r: ID!) { overlappingSupport(recipientId: $r) { kind } }""",
        {"r": rid},
        api.token("ins_other001"),
    )
    assert outsider["data"]["overlappingSupport"] is None
    report = (
        await api.ok(
            """{ overlapReport(region: "5011025000") {
                 byNeed { need { code } recipients } exclusivePrograms { recipients } } }""",
            None,
            owner,
        )
    )["overlapReport"]
    assert {"need": {"code": "DAILY_LIVING_MEALS"}, "recipients": 1} in report["byNeed"]
    assert report["exclusivePrograms"] == [{"recipients": 1}]


RECOMMENDATIONS = """query($region: String!, $statuses: [RecommendationStatus!]) {
  recommendations(region: $region, statuses: $statuses, first: 50) {
    totalCount edges { node { id recipientId recipientName eligibility missingFacts status
                              program { id } } } } }"""


async def scanned_people(api: Any) -> list[str]:
    owner = api.token("ins_owner01", "CASEWORKER")
    return [
        await new_recipient(api, owner, birthDate="1948-05-05", incomePercent=30),
        await new_recipient(api, owner, birthDate="1990-05-05", incomePercent=None),
        await new_recipient(api, owner, birthDate="1985-05-05", incomePercent=90),
    ]


async def recommendation_rows(api: Any) -> list[dict[str, Any]]:
    return await api.runtime.backends.graph.run(
        "MATCH (r:Recommendation) RETURN r.recipientId AS recipient, r.programId AS program, "
        "r.eligibility AS eligibility, r.status AS status ORDER BY r.id"
    )


async def test_the_scan_records_recommendations_idempotently_and_resumes(api):
    from resolvers.membership import scan

    people = await scanned_people(api)
    services = api.runtime.services
    seen: list[int] = []

    def stop_after_first_batch(done: int, last: str) -> None:
        seen.append(done)
        if len(seen) == 1:
            raise KeyboardInterrupt  # as if the operator pressed Ctrl-C

    with pytest.raises(KeyboardInterrupt):
        await scan(services, region="5011025000", batch=2, progress=stop_after_first_batch)
    assert len(await recommendation_rows(api)) > 0
    resumed = await scan(services, region="5011025000", batch=2)
    assert resumed["scanned"] == 1  # only the recipient after the saved position
    rows = await recommendation_rows(api)
    by_person = {
        p: {r["program"]: r["eligibility"] for r in rows if r["recipient"] == p} for p in people
    }
    assert by_person[people[0]]["prg_livelihood"] == "LIKELY"
    assert by_person[people[0]]["prg_basic_pension"] == "LIKELY"
    assert "prg_basic_pension" not in by_person[people[1]]  # 36 years old: ruled out
    assert by_person[people[1]]["prg_livelihood"] == "POSSIBLE"  # income unknown
    assert "prg_livelihood" not in by_person[people[2]]  # 90 %: ruled out
    again = await scan(services, region=None, restart=True)
    assert again["scanned"] == 3
    assert len(await recommendation_rows(api)) == len(rows)  # nothing doubled


async def test_recommendations_are_for_the_areas_public_offices(api):
    from graph.institutions import upsert_institutions
    from resolvers.membership import scan
    from tests.support.institutions import institution

    await upsert_institutions(
        api.runtime.backends.graph,
        [institution("ins_cityhall1", "50110", sector="PUBLIC", kind="CITY_HALL")],
        "2026-01-01T00:00:00.000Z",
    )
    people = await scanned_people(api)
    await scan(api.runtime.services, region=None)
    city = api.token("ins_cityhall1", "CASEWORKER")
    listed = (await api.ok(RECOMMENDATIONS, {"region": "5011025000"}, city))["recommendations"]
    assert listed["totalCount"] == len(await recommendation_rows(api))
    nodes = [e["node"] for e in listed["edges"]]
    assert {n["recipientId"] for n in nodes} <= set(people)
    assert all(n["recipientName"] == "김순자" and n["status"] == "NEW" for n in nodes)
    reads = await api.runtime.backends.graph.run(
        "MATCH (a:AuditEvent {operation: 'RECOMMENDATION_READ'}) RETURN count(a) AS n"
    )
    assert reads[0]["n"] == len(nodes)
    first = nodes[0]["id"]
    accept = "mutation($id: ID!) { acceptRecommendation(id: $id) { status } }"
    assert (await api.ok(accept, {"id": first}, city))["acceptRecommendation"]["status"] == (
        "ACCEPTED"
    )
    twice = await api.error(accept, {"id": first}, city)
    assert twice["extensions"]["code"] == "CONFLICT"
    accepted = await api.ok(RECOMMENDATIONS, {"region": "50110", "statuses": ["ACCEPTED"]}, city)
    assert [e["node"]["id"] for e in accepted["recommendations"]["edges"]] == [first]
    # A private welfare centre, and the 주민센터 of another 읍면동, see none of it.
    welfare = api.token("ins_owner01", "CASEWORKER")
    assert (await api.error(RECOMMENDATIONS, {"region": "5011025000"}, welfare))["extensions"][
        "code"
    ] == "FORBIDDEN"
    neighbour = api.token("ins_region01")
    assert (await api.error(RECOMMENDATIONS, {"region": "5011025000"}, neighbour))["extensions"][
        "code"
    ] == "FORBIDDEN"
    own = (await api.ok(RECOMMENDATIONS, {"region": "5011031000"}, neighbour))["recommendations"]
    assert own == {"totalCount": 0, "edges": []}
    assert (await api.error(accept, {"id": nodes[1]["id"]}, neighbour))["extensions"][
        "code"
    ] == "NOT_FOUND"


async def test_regional_figures_are_for_the_regions_staff_only(api):
    query = """query($region: String!) { overlapReport(region: $region) {
      byNeed { recipients } exclusivePrograms { recipients } } }"""
    assert (await api.error(query, {"region": "5011025000"}))["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
    other = api.token("ins_other001")  # 대정읍, 서귀포시
    for region in ("5011025000", "50110", "50"):
        error = await api.error(query, {"region": region}, other)
        assert error["extensions"]["code"] == "FORBIDDEN"
    own = (await api.ok(query, {"region": "5013025000"}, other))["overlapReport"]
    assert own == {"byNeed": [], "exclusivePrograms": []}
    bad = await api.error(query, {"region": "99999"}, other)
    assert bad["extensions"]["code"] == "BAD_USER_INPUT"
