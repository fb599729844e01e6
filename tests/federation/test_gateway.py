"""Hanaro behind a real Apollo gateway, next to the `benefits` subgraph.

The module starts, on 127.0.0.1 and free ports: Hanaro (uvicorn, on the session's embedded
engines), the benefits subgraph (Node) and an @apollo/gateway on the supergraph composed from
both servers' `_service { sdl }`. The gateway forwards each caller's Authorization header, so
Hanaro applies the caller's access rules to every fetch the query plan makes, including the
`_entities` fetches it gets on behalf of benefits.

@apollo/gateway does not implement the router's authorization directives and refuses a
supergraph that links them (`test_gateway_refuses_a_supergraph_with_authenticated`). The
gateway here therefore serves the supergraph composed without Hanaro's `@authenticated`
applications: a gateway that enforces nothing, so every answer below is Hanaro's own checks.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from graph.institutions import upsert_institutions
from schema import build_schema
from server.app import create_app
from server.engines import connect
from server.runtime import Runtime, running
from server.settings import Settings
from tests.federation import harness
from tests.support.access import gated_coordinates
from tests.support.api import Api
from tests.support.engines import discard
from tests.support.institutions import institution
from tests.support.recipients import new_recipient
from tests.support.resources import register

harness.skip_without_node()

# Values that must reach only their audience; looked for in raw response bytes.
PARTNER_ONLY_NAME = "파트너 전용 긴급 쉼터"
PARTNER_CAPACITY = 7_777_001
MEALS_CAPACITY = 8_888_002
MEALS_NOTES = "NOTES-예산 12월 소진 예정"
MEALS_PHONE = "064-796-1234"


@dataclass
class Stack:
    hanaro: Api  # straight to the Hanaro server, for setup and comparison
    gateway_url: str
    supergraph: Path  # composed from both servers' SDL as served, @authenticated included
    meals: str  # public listing, default field audiences
    shelter: str  # listed to partners only (ins_partner01)
    recipient: str  # registered by ins_owner01; benefits holds payments for them

    def token(self, institution_id: str, *roles: str) -> str:
        return self.hanaro.token(institution_id, *roles)

    async def gateway(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> tuple[dict[str, Any], str]:
        """The gateway's JSON body and its raw text (to search for leaked values)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(timeout=20) as client:
            response = await client.post(
                self.gateway_url,
                json={"query": query, "variables": variables or {}},
                headers=headers,
            )
        return response.json(), response.text


@contextlib.asynccontextmanager
async def serve_hanaro(runtime: Runtime) -> AsyncIterator[str]:
    """The real ASGI app under uvicorn, in this event loop, on a socket bound to 127.0.0.1."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(runtime), lifespan="off", log_config=None, access_log=False)
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        deadline = time.monotonic() + harness.START_TIMEOUT
        while not server.started:
            assert not task.done(), task.exception()
            assert time.monotonic() < deadline, "uvicorn did not start"
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, harness.STOP_TIMEOUT)
        sock.close()


def without_router_auth(sdl: str) -> str:
    """Hanaro's SDL minus the `@authenticated` applications and import, for a gateway that
    cannot enforce them (and so refuses a supergraph that has them)."""
    stripped = sdl.replace(" @authenticated", "").replace('"@authenticated", ', "")
    # The import and every field with a permission class (tests/test_access_rules.py).
    gated = gated_coordinates(build_schema()._schema)
    assert sdl.count("@authenticated") == 1 + len(gated) and "@authenticated" not in stripped
    return stripped


async def service_sdl(url: str) -> str:
    async with httpx.AsyncClient(timeout=10) as client:
        body = (await client.post(url, json={"query": "{ _service { sdl } }"})).json()
    return body["data"]["_service"]["sdl"]


async def seed(hanaro: Api) -> tuple[str, str, str]:
    """Three institutions, two resources of 한림종합사회복지관 and one recipient it registered:
    (meals, shelter, recipient) ids."""
    await upsert_institutions(
        hanaro.runtime.backends.graph,
        [
            institution("ins_owner01", "5011025000", name="한림종합사회복지관"),
            institution("ins_partner01", "5013051000"),
            institution("ins_other001", "5013025000"),
        ],
        "2026-01-01T00:00:00.000Z",
    )
    owner = hanaro.token("ins_owner01", "REGISTRANT")
    meals = await register(
        hanaro, owner, capacity={"total": MEALS_CAPACITY, "available": 4}, internalNotes=MEALS_NOTES
    )
    shelter = await register(
        hanaro,
        owner,
        name=PARTNER_ONLY_NAME,
        capacity={"total": PARTNER_CAPACITY, "available": 1},
        visibility={"listing": "PARTNERS", "partners": ["ins_partner01"]},
    )
    recipient = await new_recipient(hanaro, hanaro.token("ins_owner01", "CASEWORKER"))
    return meals["id"], shelter["id"], recipient


def benefits_data(meals: str, shelter: str, recipient: str) -> dict[str, Any]:
    return {
        "resources": {
            meals: {"fundingSource": "제주시 보조금", "benefitAmount": 300000},
            shelter: {"fundingSource": "공동모금회 배분"},
        },
        "institutions": {"ins_owner01": ["지역사회서비스투자사업"]},
        "recipients": {recipient: [{"month": "2026-10", "amountKrw": 320000}]},
    }


@pytest.fixture(scope="module")
async def stack(
    session_dir: Path, engine_set: str, engines, tmp_path_factory
) -> AsyncIterator[Stack]:
    harness.ensure_node_modules()
    work = tmp_path_factory.mktemp("federation")
    # As tests/conftest.py's `backends`, for the whole module: its own graph and index.
    settings = replace(
        Settings(),
        engines=engine_set,
        data_dir=session_dir / engine_set,
        graph_name=f"federation-{uuid.uuid4().hex[:8]}",
        search_index=f"federation-{uuid.uuid4().hex[:8]}",
        jwt_secret="test-secret-0123456789-abcdefghijklmnop",
        sync_interval_ms=50,
    )
    backends = await connect(settings, engines)
    async with contextlib.AsyncExitStack() as started:
        started.push_async_callback(backends.close)
        started.push_async_callback(discard, backends)
        runtime = await started.enter_async_context(running(backends))
        hanaro_url = await started.enter_async_context(serve_hanaro(runtime))
        client = await started.enter_async_context(
            httpx.AsyncClient(base_url=hanaro_url.removesuffix("/graphql"))
        )
        hanaro = Api(client, runtime)
        meals, shelter, recipient = await seed(hanaro)

        data = work / "benefits.json"
        data.write_text(json.dumps(benefits_data(meals, shelter, recipient), ensure_ascii=False))
        benefits_url = await started.enter_async_context(
            harness.node_server("benefits.mjs", str(data), log=work / "benefits.log")
        )
        hanaro_sdl = await service_sdl(hanaro_url)
        benefits = {"name": "benefits", "url": benefits_url, "sdl": await service_sdl(benefits_url)}
        supergraphs: dict[str, Path] = {}
        for name, sdl in (("full", hanaro_sdl), ("open", without_router_auth(hanaro_sdl))):
            result = await harness.compose(
                [{"name": "hanaro", "url": hanaro_url, "sdl": sdl}, benefits]
            )
            assert result["errors"] == [] and result["hints"] == [], result
            supergraphs[name] = work / f"supergraph-{name}.graphql"
            supergraphs[name].write_text(result["supergraphSdl"])
        gateway_url = await started.enter_async_context(
            harness.node_server("gateway.mjs", str(supergraphs["open"]), log=work / "gateway.log")
        )
        yield Stack(hanaro, gateway_url, supergraphs["full"], meals, shelter, recipient)


async def test_one_query_takes_fields_from_both_subgraphs(stack):
    query = """query($id: ID!) {
      resource(id: $id) {
        id name needs { code } fundingSource benefitAmount
        provider { id name fundingPrograms }
      }
      resources(first: 10) { totalCount edges { node { id fundingSource } } }
    }"""
    body, _ = await stack.gateway(query, {"id": stack.meals})
    assert "errors" not in body, body
    assert body["data"]["resource"] == {
        "id": stack.meals,
        "name": "독거어르신 도시락 배달",
        "needs": [{"code": "DAILY_LIVING_MEALS"}],
        "fundingSource": "제주시 보조금",
        "benefitAmount": 300000,
        "provider": {
            "id": "ins_owner01",
            "name": "한림종합사회복지관",
            "fundingPrograms": ["지역사회서비스투자사업"],
        },
    }
    # Anonymous: the partners-only shelter is neither listed nor counted.
    assert body["data"]["resources"] == {
        "totalCount": 1,
        "edges": [{"node": {"id": stack.meals, "fundingSource": "제주시 보조금"}}],
    }


FUNDED = """{ fundedResources {
  id fundingSource name withheldFields internalNotes
  contact { phone } capacity { total }
} }"""


async def test_benefits_entities_resolve_in_hanaro_under_the_callers_rules(stack):
    """benefits lists both resources; the gateway fetches their Hanaro fields with `_entities`
    and the caller's token. What Hanaro withholds stays null and out of the bytes."""
    viewers = {
        "anonymous": None,
        "unrelated staff": stack.token("ins_other001"),
        "partner staff": stack.token("ins_partner01"),
        "owner staff": stack.token("ins_owner01"),
    }
    seen: dict[str, list[dict[str, Any] | None]] = {}
    for name, token in viewers.items():
        body, text = await stack.gateway(FUNDED, token=token)
        assert "errors" not in body, (name, body)
        seen[name] = body["data"]["fundedResources"]
        if name != "owner staff":
            assert MEALS_NOTES not in text and str(MEALS_CAPACITY) not in text, name
        if name in ("anonymous", "unrelated staff"):
            assert PARTNER_ONLY_NAME not in text and str(PARTNER_CAPACITY) not in text, name
            assert stack.shelter not in text and "공동모금회" not in text, name
            # Hanaro's `_entities` answered null for the shelter; `name` is non-null, so the
            # gateway nulls the whole item (benefits' id and funding facts with it) and says
            # why in `extensions.valueCompletion`, not in `errors`.
            assert seen[name][1] is None, name
            [completion] = body["extensions"]["valueCompletion"]
            assert completion["path"] == ["fundedResources", 1, "name"]
        else:
            assert "extensions" not in body, (name, body)

    meals = {name: rows[0] for name, rows in seen.items()}
    assert all(row["id"] == stack.meals for row in meals.values())
    assert all(row["fundingSource"] == "제주시 보조금" for row in meals.values())
    assert meals["anonymous"]["contact"] is None and meals["anonymous"]["capacity"] is None
    assert meals["anonymous"]["withheldFields"] == ["contact", "capacity", "internalNotes"]
    assert meals["unrelated staff"]["contact"] == {"phone": MEALS_PHONE}
    assert meals["unrelated staff"]["withheldFields"] == ["capacity", "internalNotes"]
    assert meals["partner staff"]["withheldFields"] == ["capacity", "internalNotes"]
    assert meals["owner staff"]["capacity"] == {"total": MEALS_CAPACITY}
    assert meals["owner staff"]["internalNotes"] == MEALS_NOTES
    assert meals["owner staff"]["withheldFields"] == []

    shelter = seen["partner staff"][1]
    assert shelter is not None
    assert shelter["name"] == PARTNER_ONLY_NAME
    assert shelter["fundingSource"] == "공동모금회 배분"
    assert shelter["capacity"] == {"total": PARTNER_CAPACITY}


async def test_hidden_listing_is_null_in_the_entities_fetch_itself(stack):
    """What the gateway sends Hanaro for benefits' references, sent with each token."""
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Resource { id name } } }"""
    reps = [{"__typename": "Resource", "id": i} for i in (stack.meals, stack.shelter)]
    for token, shelter in (
        (None, None),
        (stack.token("ins_other001"), None),
        (stack.token("ins_partner01"), {"id": stack.shelter, "name": PARTNER_ONLY_NAME}),
    ):
        data = await stack.hanaro.ok(query, {"r": reps}, token)
        assert data["_entities"][0]["id"] == stack.meals
        assert data["_entities"][1] == shelter


async def test_gateway_refuses_a_supergraph_with_authenticated(stack):
    """Fail closed: @apollo/gateway cannot enforce `@authenticated`, and the supergraph links
    it `for: SECURITY`, so the gateway will not serve it at all (the Apollo Router does)."""
    supergraph = stack.supergraph.read_text()
    assert '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)' in supergraph
    assert "visibility: ResourceVisibility @join__field(graph: HANARO) @authenticated" in (
        supergraph
    )
    status, output = await harness.run_node("gateway.mjs", str(stack.supergraph))
    assert status != 0
    assert "UNSUPPORTED_LINKED_FEATURE" in output
    assert "authenticated/v0.1 is for: SECURITY but is unsupported" in output


async def test_authenticated_fields_without_a_token(stack):
    """Without router enforcement the fields are planned and sent to Hanaro, which withholds
    the owner-only settings and refuses anonymous writes itself."""
    query = """query($id: ID!) { resource(id: $id) { name visibility { listing partners } } }"""
    body, _ = await stack.gateway(query, {"id": stack.shelter})
    assert body == {"data": {"resource": None}}
    body, _ = await stack.gateway(query, {"id": stack.meals})
    assert body == {"data": {"resource": {"name": "독거어르신 도시락 배달", "visibility": None}}}
    owner = stack.token("ins_owner01", "REGISTRANT")
    body, _ = await stack.gateway(query, {"id": stack.shelter}, owner)
    assert body["data"]["resource"]["visibility"] == {
        "listing": "PARTNERS",
        "partners": ["ins_partner01"],
    }

    close = """mutation($id: ID!) { setResourceStatus(id: $id, status: CLOSED) { id status } }"""
    body, _ = await stack.gateway(close, {"id": stack.meals})
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    status = await stack.hanaro.ok(
        "query($id: ID!) { resource(id: $id) { status } }", {"id": stack.meals}
    )
    assert status["resource"]["status"] == "ACTIVE"


async def test_a_bad_token_is_refused_through_the_gateway(stack):
    """Hanaro answers the gateway's fetch with 401; the gateway passes UNAUTHENTICATED on and
    the items that needed Hanaro are null."""
    body, text = await stack.gateway(FUNDED, token="not-a-jwt")
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert body["errors"][0]["extensions"]["response"]["status"] == 401
    assert body["data"] == {"fundedResources": [None, None]}
    assert MEALS_PHONE not in text and "독거어르신" not in text


async def test_recipients_through_the_gateway_follow_hanaros_access_rules(stack):
    query = """{ paidRecipients { id name birthDate withheldCategories
                 benefitPayments { month amountKrw } } }"""
    owner = stack.token("ins_owner01", "CASEWORKER")
    body, _ = await stack.gateway(query, token=owner)
    assert body["data"]["paidRecipients"] == [
        {
            "id": stack.recipient,
            "name": "김순자",
            "birthDate": "1944-03-02",
            "withheldCategories": [],
            "benefitPayments": [{"month": "2026-10", "amountKrw": 320000}],
        }
    ]
    for token in (None, stack.token("ins_other001", "ADMIN")):
        body, raw = await stack.gateway(query, token=token)
        # Hanaro resolves the reference to null; withheldCategories is non-null, so the
        # gateway drops the whole item — the recipient's identity never crosses.
        assert body["data"]["paidRecipients"] == [None]
        assert "김순자" not in raw and "1944" not in raw
    reads = await stack.hanaro.runtime.backends.graph.run(
        "MATCH (a:AuditEvent {entityId: $id, operation: 'READ'}) "
        "RETURN a.institutionId AS inst, a.categories AS categories",
        {"id": stack.recipient},
    )
    assert reads == [{"inst": "ins_owner01", "categories": ["IDENTITY"]}]
