"""The benchmark code runs on a small generated data set in the suite so it cannot rot
(timings are not asserted here; `make bench` reports them), and the generator's data is
checked: deterministic, and the access it implies is the access the product grants."""

from __future__ import annotations

import json
import math
import re

import pytest

from bench.__main__ import SCENARIOS, Rounds, bench_settings, print_table, run
from bench.generate import Scale, Synthetic
from bench.loading import load
from bench.measure import busy_seconds
from bench.search import QUERIES, engine_search, without_audiences
from search.audiences import Searcher
from search.query import search_body
from search.thesaurus import Thesaurus
from tests.support.scheduling import own_engines

SMALL = Scale(institutions=120, resources=800, recipients=700)
ROUNDS = Rounds(reads=3, search=2, view_360=3, referrals=3, suggest=3, warm_up=2)


def _timing(value: dict[str, float]) -> bool:
    return 0 < value["p50_ms"] <= value["p95_ms"] <= value["p99_ms"]


def test_generator_is_deterministic_and_batches_stand_alone():
    first, second = Synthetic(SMALL), Synthetic(SMALL)
    assert first.institutions == second.institutions
    assert len(first.institutions) == 120 and len({i["id"] for i in first.institutions}) == 120
    assert first.resources(0, 800) == second.resources(0, 800)
    assert first.people(300, 400) == second.people(300, 400)
    assert first.resource_id(799) == first.resources(799, 800)[0]["id"]
    with pytest.raises(ValueError, match="institutions"):
        Synthetic(Scale(institutions=10, resources=1, recipients=1))


def test_history_follows_the_chosen_shares_and_means():
    """The defaults give the documented mix; other shares and means change it in proportion."""
    counts = {}
    for name, scale in {
        "default": SMALL,
        "more": Scale(
            institutions=120, resources=800, recipients=700, case_share=0.5,
            referral_share=0.6, assessments_per_recipient=2.5, enrollments_per_recipient=3.0,
        ),
        "none": Scale(
            institutions=120, resources=800, recipients=700, case_share=0.0,
            referral_share=0.0, assessments_per_recipient=0.0, enrollments_per_recipient=0.0,
        ),
    }.items():  # fmt: skip
        data = Synthetic(scale)
        data.resources(0, 800)
        people = data.people(0, 700)
        counts[name] = {
            "cases": len(people.cases) / 700,
            "referrals": len(people.referrals) / 700,
            "assessments": len(people.assessments) / 700,
            "enrollments": len(people.enrollments) / 700,
            "ids": len({e["id"] for e in people.enrollments}) == len(people.enrollments),
        }
    default, more, none = counts["default"], counts["more"], counts["none"]
    assert 0.04 < default["cases"] < 0.12 and 1.2 < default["assessments"] < 1.45
    assert 0.4 < more["cases"] < 0.6 and 2.3 < more["assessments"] < 2.7
    # Referrals and enrollments need a serving resource, so a few draws find none.
    assert more["referrals"] > 2 * default["referrals"] and 2.6 < more["enrollments"] < 3.4
    assert none == {"cases": 0, "referrals": 0, "assessments": 0, "enrollments": 0, "ids": True}
    assert more["ids"] and default["ids"]


def test_relocated_resources_follow_their_new_provider():
    data = Synthetic(SMALL)
    providers = {i["id"]: i for i in data.institutions}
    demo_kinds = {i["id"]: i["kind"] for i in data.demo.institutions}
    originals = {r["name"]: r for r in data.demo.resources}
    moved = data.resources(600, 800)
    assert all(r["id"].startswith("res_g") for r in moved)
    for record in moved:
        original = data.demo.resources[int(record["id"][5:]) % len(data.demo.resources)]
        provider = providers[record["providerId"]]
        assert provider["kind"] == demo_kinds[original["providerId"]]
        old_home = next(i for i in data.demo.institutions if i["id"] == original["providerId"])
        if old_home["regionCode"] in original["regions"]:  # served its provider's 읍면동
            assert provider["regionCode"] in record["regions"]
    # Some copies went to an institution in another 읍면동 and took its name along.
    assert [r for r in moved if r["name"] not in originals]


async def test_loaded_history_grants_what_the_product_would(runtime, api):
    """Case participants and accepted referrals' targets read the recipient; outsiders get
    what an unknown id gets; every generated record is in the graph."""
    data = Synthetic(SMALL)
    lines: list[str] = []
    loaded = await load(runtime, data, lines.append, every=0.0)
    people = data.people(0, SMALL.recipients)  # the same batches, made again
    counts = {
        "Recipient": len(people.recipients), "Case": len(people.cases),
        "CaseNote": len(people.notes), "Referral": len(people.referrals),
        "Enrollment": len(people.enrollments), "Assessment": len(people.assessments),
        "Consent": len(people.consents), "Resource": 800, "Institution": 120,
    }  # fmt: skip
    assert loaded.nodes == counts
    assert all(counts.values())
    report = loaded.report()
    assert report["nodes_total"] == sum(counts.values()) and report["graph_nodes_per_s"] > 0
    assert any("search index" in line or "resources" in line for line in lines)
    indexed = await runtime.backends.search.count(index=runtime.services.search_alias)
    assert indexed["count"] == 800

    query = "query($id: ID!) { recipient(id: $id) { id needs { code } cases { status } } }"
    open_case = next(c for c in people.cases if c["status"] != "CLOSED" and c["participants"])
    token = api.token(open_case["participants"][0], "CASEWORKER")
    seen = await api.ok(query, {"id": open_case["recipientId"]}, token=token)
    assert seen["recipient"]["id"] == open_case["recipientId"]

    accepted = next(r for r in people.referrals if r["status"] in ("ACCEPTED", "IN_PROGRESS"))
    involved = {accepted["toInstitutionId"], accepted["fromInstitutionId"]}
    token = api.token(accepted["toInstitutionId"], "CASEWORKER")
    seen = await api.ok(query, {"id": accepted["recipientId"]}, token=token)
    assert seen["recipient"]["needs"]  # NEEDS is shared by every generated referral

    person = next(p for p in people.recipients if p["id"] == accepted["recipientId"])
    members = set(person["caseInstitutions"]) | {person["registeredBy"]} | involved
    granted = {g.split("|")[0].removeprefix("inst:") for g in person["consentGrants"]}
    outsider = next(i["id"] for i in data.institutions if i["id"] not in members | granted)
    token = api.token(outsider, "CASEWORKER")
    hidden = await api.ok(query, {"id": accepted["recipientId"]}, token=token)
    unknown = await api.ok(query, {"id": "rcp_g9999999"}, token=token)
    assert hidden == unknown == {"recipient": None}


async def test_every_scenario_runs_on_generated_data(runtime):
    data = Synthetic(SMALL)
    lines: list[str] = []
    await load(runtime, data, lines.append)
    results = {
        name: await scenario(runtime, data, ROUNDS, lines.append)
        for name, scenario in SCENARIOS.items()
    }
    reads = results["reads"]
    for key in ("resource_graphql", "resource_engine", "resources_50_graphql"):
        assert reads[key]["n"] == 3 and _timing(reads[key]), key
    assert reads["resources_10_round_trips"] == reads["resources_50_round_trips"] > 0
    assert math.isfinite(reads["enforcement_overhead_p50_percent"])
    assert reads["resource_engine"]["p50_ms"] <= reads["resource_graphql"]["p50_ms"]

    search = results["search"]
    assert search["index_docs"] == 800
    assert search["engine_body_is_product_body"] and search["audience_clauses_removed"]
    assert all(total > 0 for total in search["total_counts"].values())
    # A search costs the same few graph statements whatever the query kind.
    assert set(search["graph_round_trips"]) == set(QUERIES)
    assert all(1 <= trips <= 2 for trips in search["graph_round_trips"].values())
    assert search["graphql_unavailable"] == dict.fromkeys(QUERIES, 0)
    assert search["graphql_all"]["n"] == 2 * len(QUERIES) and _timing(search["graphql_all"])
    assert math.isfinite(search["search_visibility_overhead_p50_percent"])

    suggest = results["suggest"]
    assert suggest["graphql_all"]["n"] == 3 and _timing(suggest["graphql_all"])
    assert suggest["graph_round_trips_max"] == 1 and suggest["suggestions_mean"] > 0
    for part in ("engine_index", "memory_institutions", "graph_recheck"):
        assert suggest[part]["n"] == 3 and _timing(suggest[part]), part
    assert suggest["graph_institution_names"]["n"] == 20

    people = results["recipients"]
    assert people["scan_per_s"] > 0 and people["scan_recommendations"] > 0
    assert _timing(people["view_360_graphql"]) and people["view_360_round_trips"] <= 12
    assert 0 < people["view_360_engine"]["p50_ms"] <= people["view_360_graphql"]["p50_ms"]
    for clients in (1, 8):
        for step in ("create", "accept"):
            figures = people[f"{step}_referral_{clients}"]
            assert figures["n"] == 3 and figures["per_s"] > 0
            # Each process's CPU per referral: the server's is never nothing.
            assert figures["cpu_ms_per_item"]["server_and_clients"] > 0
    assert any("membership scan" in line for line in lines)

    intakes = results["intakes"]
    for key in ("take_intake_new_1", "take_intake_new_8", "take_intake_known_8"):
        assert intakes[key]["n"] == 3 and intakes[key]["per_s"] > 0, key
        assert intakes[key]["cpu_ms_per_item"]["server_and_clients"] > 0
    # Three timed intakes per setting and the two of the warm-up.
    taken = await runtime.backends.graph.run("MATCH (k:Intake) RETURN count(k) AS n")
    assert taken[0]["n"] == 3 * 3 + 2

    # The rebuild indexes every resource of the graph, the search finds them all after it.
    reindex = results["reindex"]
    assert reindex["documents"] == SMALL.resources and reindex["documents_per_s"] > 0
    assert reindex["cpu_ms_per_document"]["server_and_clients"] > 0
    found = await runtime.backends.search.count(index=runtime.settings.search_index)
    assert found["count"] == SMALL.resources

    # Replicas need engines on the network: a second `hanaro serve` on the local set's.
    replicas = results["replicas"]
    if runtime.settings.engines == "local":
        assert replicas["event_across_replicas"]["n"] == 3
        assert _timing(replicas["event_across_replicas"])
    else:
        assert "skipped" in replicas


@own_engines("engines")
async def test_the_command_starts_its_own_engines_and_reports_their_memory(engines, capsys):
    """And each process's CPU per operation: the engines are this command's children."""
    results = await run(
        "tiny", ["reads", "intakes"], lambda _: None, rounds=ROUNDS,
        size=Scale(institutions=80, resources=600, recipients=100), engines=engines,
    )  # fmt: skip
    assert results["load"]["nodes"]["Resource"] == 600
    memory = results["peak_memory_mb"]
    assert all(value is not None and value > 10 for value in memory.values()), memory
    assert results["reads"]["resource_graphql"]["n"] == 3
    print_table({engines: results})
    table = capsys.readouterr().out.splitlines()
    assert table[1].strip() == engines  # the header: one column per engine set
    row = next(line for line in table if line.strip().startswith("resource_graphql "))
    assert re.search(r"p50 \d+\.\d\d / p95 \d+\.\d\d ms", row), row
    cpu = results["intakes"]["take_intake_new_8"]["cpu_ms_per_item"]
    assert set(cpu) == {"server_and_clients", "graph_engine", "search_engine"}, cpu
    # The engines' figures come in clock ticks (10 ms): three intakes may read 0.
    assert cpu["server_and_clients"] > 0 and cpu["graph_engine"] >= 0
    row = next(line for line in table if line.strip().startswith("take_intake_new_8 "))
    assert re.search(r"graph_engine CPU \d+\.\d ms", row), row


def test_the_benchmark_runs_without_statement_or_rate_limits(tmp_path):
    """The small scale sends 2,000 warm-up intakes as one staff member: the service's
    default of 600 requests a minute stopped `make bench` there with RATE_LIMITED."""
    env = {"HANARO_RATE_LIMIT_STAFF_PER_MINUTE": "600", "HANARO_NEO4J_URI": "bolt://x:7687"}
    settings = bench_settings(env, tmp_path, "local")
    assert settings.rate_limit_staff_per_minute == 0
    assert settings.rate_limit_anonymous_per_minute == 0
    assert settings.statement_timeout_ms >= 3_600_000
    assert (settings.engines, settings.neo4j_uri, settings.data_dir) == ("local", None, tmp_path)


def test_without_audiences_removes_every_audience_clause():
    who = Searcher(staff=True, institution_id="ins_bench", region_codes=("50110", "50"))
    for variants in QUERIES.values():
        for criteria in variants:
            body = search_body(engine_search(criteria, (33.39, 126.28), Thesaurus.load()), who)
            assert "withheldFrom" in json.dumps(body)
            stripped = json.dumps(without_audiences(body, who))
            for column in ("withheldFrom", '"seeListing"', '"see.', "ins_bench"):
                assert column not in stripped


def test_busy_seconds_counts_overlapping_statements_once():
    assert busy_seconds([(0.0, 1.0), (0.5, 1.5), (3.0, 4.0)]) == 2.5
    assert busy_seconds([(0.0, 2.0), (0.5, 1.0)]) == 2.0
    assert busy_seconds([]) == 0.0
