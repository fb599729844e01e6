"""Limits that protect the service: request rate per staff member and per anonymous address,
subscriptions per token, and the statement time limit on graph reads and searches. Each test
sets its own low limit; the suite runs with the rate limits off (conftest)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import httpx
import pytest
import strawberry
from websockets.asyncio.client import connect

from graph.engine import GraphTimeout, statement_time_limit
from schema.errors import ErrorShaping
from search.audiences import Searcher
from search.engine import SearchTimeout, make_search_client
from search.query import ResourceSearch
from search.resources import search_resources
from server.app import create_app
from server.rate_limit import RateLimiter
from server.settings import Settings
from tests.support.live import live_server
from tests.support.referral_events import PROTOCOL, SUBSCRIBE

QUERY = {"query": "{ __typename }"}


def limited_client(runtime, **limits) -> httpx.AsyncClient:
    app = create_app(replace(runtime, settings=replace(runtime.settings, **limits)))
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://hanaro.test")


def test_defaults_are_on_and_documented():
    settings = Settings.from_env({})
    assert settings.rate_limit_staff_per_minute == 600
    assert settings.rate_limit_anonymous_per_minute == 120
    assert settings.max_subscriptions_per_token == 5
    assert settings.statement_timeout_ms == 10_000
    off = Settings.from_env({"HANARO_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "0"})
    assert off.rate_limit_anonymous_per_minute == 0


async def test_staff_are_limited_per_token_with_a_retry_hint(api):
    kim = api.token("ins_owner01", subject="kim")
    lee = api.token("ins_owner01", subject="lee")
    async with limited_client(api.runtime, rate_limit_staff_per_minute=3) as client:
        headers = {"Authorization": f"Bearer {kim}"}
        for _ in range(3):
            assert (await client.post("/graphql", json=QUERY, headers=headers)).status_code == 200
        refused = await client.post("/graphql", json=QUERY, headers=headers)
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "20"  # one request per 60/3 seconds
        error = refused.json()["errors"][0]
        assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 20}
        # Another staff member of the same institution, and anonymous callers, are unaffected.
        other = await client.post(
            "/graphql", json=QUERY, headers={"Authorization": f"Bearer {lee}"}
        )
        assert other.status_code == 200
        assert (await client.post("/graphql", json=QUERY)).status_code == 200


async def test_anonymous_callers_are_limited_per_address(api):
    async with limited_client(api.runtime, rate_limit_anonymous_per_minute=2) as client:
        assert [(await client.post("/graphql", json=QUERY)).status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]
        # Bad tokens count against the address too, so they cannot be used to flood.
        refused = await client.post("/graphql", json=QUERY, headers={"Authorization": "Bearer x"})
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["extensions"]["retryAfter"] == 30


def test_the_bucket_refills_with_time():
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])
    assert all(limiter.retry_after("k") is None for _ in range(60))
    assert limiter.retry_after("k") == 1
    now[0] += 1.0
    assert limiter.retry_after("k") is None
    assert limiter.retry_after("k") == 1
    assert RateLimiter(0).retry_after("k") is None  # 0 turns the limit off


async def test_subscriptions_per_token(api):
    api.runtime.services.referral_events.per_holder = 2
    token = api.token("ins_owner01", "CASEWORKER")
    async with (
        live_server(api.runtime) as address,
        connect(f"ws://{address}/graphql", subprotocols=PROTOCOL) as ws,
    ):
        payload = {"Authorization": f"Bearer {token}"}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
        for n in ("1", "2", "3"):
            message = {"id": n, "type": "subscribe", "payload": {"query": SUBSCRIBE}}
            await ws.send(json.dumps(message))
        refused = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert refused["id"] == "3", refused
        errors = refused["payload"] if refused["type"] == "error" else refused["payload"]["errors"]
        assert errors[0]["extensions"] == {"code": "RATE_LIMITED", "limit": 2}
        await ws.send(json.dumps({"id": "1", "type": "complete"}))
        events = api.runtime.services.referral_events
        async with asyncio.timeout(5):
            while events.subscriber_count != 1:
                await asyncio.sleep(0.01)
        await ws.send(json.dumps({"id": "4", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        async with asyncio.timeout(5):
            while events.subscriber_count != 2:
                await asyncio.sleep(0.01)


async def test_the_graph_stops_a_read_past_the_time_limit(backends):
    await backends.graph.run("CREATE (:Probe {n: 1})", write=True)  # the graph exists
    heavy = "UNWIND range(1, 50000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"
    with statement_time_limit(0.001), pytest.raises(GraphTimeout):
        await backends.graph.run(heavy)
    # Outside a request (migrations, loads, the sync loop) there is no limit.
    rows = await backends.graph.run("UNWIND range(1, 1000) AS x RETURN count(x) AS n")
    assert rows == [{"n": 1000}]


async def test_a_search_past_the_time_limit(backends):
    client = make_search_client(backends.search_url, timeout=0.000001)
    try:
        with pytest.raises(SearchTimeout):
            await search_resources(client, "any", ResourceSearch(text="도시락"), Searcher())
    finally:
        await client.close()


async def test_a_timeout_reaches_the_client_as_TIMEOUT():
    @strawberry.type
    class Query:
        @strawberry.field
        def slow(self) -> str:
            raise GraphTimeout("FalkorDB stopped a read at 10000 ms")

    schema = strawberry.Schema(query=Query, extensions=[ErrorShaping])
    result = await schema.execute("{ slow }")
    [error] = result.errors
    assert error.extensions == {"code": "TIMEOUT"}
    assert "HANARO_STATEMENT_TIMEOUT_MS" in error.message
