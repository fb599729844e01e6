"""HTTP surface: health and readiness, CORS from HANARO_CORS_ORIGINS (none by default)."""

from __future__ import annotations

import re
from dataclasses import replace

import httpx

from search.engine import make_search_client
from server.app import create_app

PREFLIGHT = {
    "Origin": "https://caseworker.example",
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization,content-type",
}


ENGINE_NAMES = {
    "embedded": (r"falkordb \d+\.\d+\.\d+", r"osmem"),
    "local": (r"neo4j 5\.26\.\d+ community", r"opensearch 2\.19\.\d+"),
}


async def test_health_and_readiness(client, runtime, engine_set):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    engines = body.pop("engines")
    assert body == {"status": "ready", "graph": "ok", "search": "ok"}
    graph_name, search_name = ENGINE_NAMES[engine_set]
    assert re.fullmatch(graph_name, engines["graph"]), engines
    assert re.fullmatch(search_name, engines["search"]), engines

    live = runtime.backends.search
    runtime.backends.search = make_search_client("http://127.0.0.1:9")
    try:
        down = await client.get("/readyz")
        assert down.status_code == 503
        assert down.json()["search"] == "unavailable" and down.json()["graph"] == "ok"
        # The rest of the API keeps working while search is down.
        body = (await client.post("/graphql", json={"query": "{ needs { code } }"})).json()
        assert len(body["data"]["needs"]) == 10
    finally:
        await runtime.backends.search.close()
        runtime.backends.search = live


async def test_no_cors_by_default(client):
    response = await client.options("/graphql", headers=PREFLIGHT)
    assert "access-control-allow-origin" not in response.headers


async def test_cors_for_configured_origins(runtime):
    runtime.settings = replace(runtime.settings, cors_origins=("https://caseworker.example",))
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://hanaro.test") as client:
        allowed = await client.options("/graphql", headers=PREFLIGHT)
        assert allowed.headers["access-control-allow-origin"] == "https://caseworker.example"
        other = await client.options(
            "/graphql", headers={**PREFLIGHT, "Origin": "https://evil.example"}
        )
        assert other.headers.get("access-control-allow-origin") != "https://evil.example"
