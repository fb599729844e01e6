"""`/metrics` through the running app: request latency per operation, errors by code, graph
statements and search calls by name, the search sync, background jobs and subscriptions — and
nothing of a person or an institution in any of it."""

from __future__ import annotations

import asyncio
import re

import pytest

from search.engine import make_search_client
from telemetry.labels import BoundedLabels
from tests.support.metrics import labelled, scrape, value
from tests.support.recipients import REGISTER as REGISTER_RECIPIENT
from tests.support.recipients import person
from tests.support.resources import REGISTER as REGISTER_RESOURCE
from tests.support.resources import resource_input
from tests.support.search import SEARCH, settled

NEEDS = "query DirectoryNeeds { needs { code } }"
REGISTER_SOMEONE = """mutation RegisterSomeone($input: RegisterRecipientInput!) {
  registerRecipient(input: $input) { id } }"""
REQUESTS = "hanaro_graphql_request_duration_seconds_count"
ERRORS = "hanaro_graphql_errors_total"


async def test_operations_errors_statements_and_calls(api, tokens):
    await api.ok(NEEDS)
    failed = await api.error(REGISTER_SOMEONE, {"input": person()})  # no token
    code = failed["extensions"]["code"]
    await api.ok(REGISTER_RECIPIENT, {"input": person()}, tokens["owner"])
    await api.ok(SEARCH, {"input": {"needs": ["DAILY_LIVING_MEALS"]}}, tokens["owner"])

    text, samples = await scrape(api.client)
    assert value(samples, REQUESTS, operation="DirectoryNeeds", type="query") == 1
    assert value(samples, REQUESTS, operation="RegisterSomeone", type="mutation") == 1
    assert value(samples, REQUESTS, operation="anonymous", type="mutation") == 1
    assert value(samples, ERRORS, code=code) == 1
    buckets = labelled(samples, "hanaro_graphql_request_duration_seconds_bucket", "le")
    assert buckets  # a histogram, not a summary
    statements = labelled(samples, "hanaro_graph_statement_duration_seconds_count", "statement")
    assert any(name.startswith("recipients.") for name in statements), statements
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_0-9]+|other", name) for name in statements)
    calls = labelled(samples, "hanaro_search_call_duration_seconds_count", "call")
    assert calls.get("search", 0) >= 1, calls
    # What /metrics said before stays, under the same names.
    for name in (
        "hanaro_search_sync_applied_events_total",
        "hanaro_search_sync_failed_batches_total",
        "hanaro_search_index_lag_ms",
        "hanaro_search_index_lag_max_ms",
        "# TYPE hanaro_engine_restarts_total counter",
    ):
        assert name in text
    assert value(samples, "hanaro_subscriptions_open") == 0
    assert value(samples, "hanaro_job_runs_total", job="search-sync") >= 1


async def test_refused_requests_are_counted_by_code(api):
    bad_token = await api.client.post(
        "/graphql", json={"query": NEEDS}, headers={"Authorization": "Bearer not-a-token"}
    )
    assert bad_token.status_code == 401
    not_json = await api.client.post(
        "/graphql", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 400
    page = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")  # GraphiQL: not counted
    invalid = await api("query Broken { nothingHere }")
    assert invalid["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    _, samples = await scrape(api.client)
    assert value(samples, ERRORS, code="UNAUTHENTICATED") == 1
    assert value(samples, ERRORS, code="BAD_REQUEST") == 1
    assert value(samples, ERRORS, code="GRAPHQL_VALIDATION_FAILED") == 1
    assert value(samples, REQUESTS, operation="unknown", type="unknown") == 2
    assert value(samples, REQUESTS, operation="Broken", type="query") == 1


async def test_operation_names_are_bounded(api):
    long_name = "Q" + "x" * 80
    await api.ok(f"query {long_name} {{ needs {{ code }} }}")
    _, samples = await scrape(api.client)
    assert value(samples, REQUESTS, operation="other", type="query") == 1
    assert not any(long_name in dict(key[1]).values() for key in samples)

    labels = BoundedLabels(cap=2)
    assert [labels.label(n) for n in ("A", "B", "C", "A", None, "a-b")] == [
        "A", "B", "other", "A", "anonymous", "other",
    ]  # fmt: skip


async def test_sync_queue_depth_and_job_failures(api):
    sync = api.runtime.sync
    token = api.token("ins_owner01", "REGISTRANT")
    live, dead = sync.search, make_search_client("http://127.0.0.1:9")
    sync.search = dead
    try:
        await api.ok(REGISTER_RESOURCE, {"input": resource_input()}, token)
        for _ in range(100):
            if sync.runner.failures:
                break
            await asyncio.sleep(0.05)
        _, samples = await scrape(api.client)
        assert value(samples, "hanaro_search_sync_pending") == 1
        assert value(samples, "hanaro_job_failures_total", job="search-sync") >= 1
        assert value(samples, "hanaro_search_sync_failed_batches_total") >= 1
    finally:
        sync.search = live
        await dead.close()
    sync.poke()
    await settled(api.runtime)
    _, samples = await scrape(api.client)
    assert value(samples, "hanaro_search_sync_pending") == 0
    assert value(samples, "hanaro_job_last_success_timestamp_seconds", job="search-sync") > 0
    bulk = value(samples, "hanaro_search_call_duration_seconds_count", call="bulk")
    assert bulk is not None and bulk >= 1


async def test_open_subscriptions(api):
    events = api.runtime.services.referral_events
    with events.subscribe("ins_owner01", holder="staff-1"):
        _, samples = await scrape(api.client)
        assert value(samples, "hanaro_subscriptions_open") == 1
    _, samples = await scrape(api.client)
    assert value(samples, "hanaro_subscriptions_open") == 0


@pytest.mark.parametrize("scraper", ["anonymous", "outsider"])
async def test_metrics_hold_no_person_and_no_institution(api, tokens, scraper):
    """Whoever can reach /metrics learns counts and timings, never who or for whom."""
    secret = person(name="홍길순", phone="010-9876-5432", nationalId="440302-2345678")
    created = await api.ok(REGISTER_RECIPIENT, {"input": secret}, tokens["owner"])
    rid = created["registerRecipient"]["id"]
    await api.ok(
        "query Person($id: ID!) { recipient(id: $id) { name } }", {"id": rid}, tokens["owner"]
    )
    await api(
        "query Person($id: ID!) { recipient(id: $id) { name } }", {"id": rid}, tokens["other"]
    )
    headers = {"Authorization": f"Bearer {tokens['other']}"} if scraper == "outsider" else {}
    response = await api.client.get("/metrics", headers=headers)
    text = response.text
    for forbidden in (
        "홍길순", "440302", "2345678", "010-9876-5432", rid, "ins_", "staff-1",
        tokens["owner"], tokens["other"],
    ):  # fmt: skip
        assert forbidden not in text, forbidden
    _, samples = await scrape(api.client)
    names = {label for key in samples for label, _ in key[1]}
    assert names <= {"operation", "type", "code", "statement", "call", "job", "engine", "le"}
