"""Automatic persisted queries (Apollo's protocol) and trusted-documents mode, through the app:
an unknown hash asks for the text, a registered one runs alone (POST and GET), a wrong hash is
refused, trusted mode runs only its manifest, and a persisted query sees exactly what the
same text sees."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

import pytest
from websockets.asyncio.client import connect

from schema.persisted_queries import document_hash
from tests.support.live import live_server
from tests.support.referral_events import PROTOCOL
from tests.support.resources import register

VIEWER = "query Viewer { viewer { anonymous } }"
RESOURCE = """query Resource($id: ID!) { resource(id: $id) {
  id name description capacity { available } contact { phone } withheldFields } }"""


def persisted(text: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": document_hash(text)}}


async def post(api, body: dict[str, Any], token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await api.client.post("/graphql", json=body, headers=headers)


async def test_unknown_hash_asks_for_the_text_then_runs_alone(api):
    text = "query Hello { needs { code } }"
    missing = await post(api, {"extensions": persisted(text)})
    assert missing.status_code == 200
    assert missing.headers["cache-control"] == "private, no-cache, must-revalidate"
    error = missing.json()["errors"][0]
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    plain = (await post(api, {"query": text})).json()
    registered = (await post(api, {"query": text, "extensions": persisted(text)})).json()
    assert registered == plain and "errors" not in plain
    alone = await post(api, {"extensions": persisted(text), "operationName": "Hello"})
    assert alone.json() == plain


async def test_get_runs_a_persisted_query_and_never_shows_graphiql(api):
    text = "query { needs { code } }"
    params = {"extensions": json.dumps(persisted(text))}
    browser = {"Accept": "text/html,*/*"}
    missing = await api.client.get("/graphql", params=params, headers=browser)
    assert missing.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    await api.client.get("/graphql", params={**params, "query": text})
    found = await api.client.get("/graphql", params=params, headers=browser)
    assert found.status_code == 200 and found.json()["data"]["needs"]


async def test_a_persisted_mutation_is_refused_over_get(api):
    """GET runs queries only: a mutation's hash over GET is refused once it resolves."""
    text = """mutation Suspend($id: ID!) {
      setResourceStatus(id: $id, expectedVersion: 1, status: SUSPENDED) { id } }"""
    variables = {"id": "res_000000000000"}
    registered = await post(
        api, {"query": text, "variables": variables, "extensions": persisted(text)}
    )
    assert registered.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    params = {"extensions": json.dumps(persisted(text)), "variables": json.dumps(variables)}
    response = await api.client.get("/graphql", params=params)
    assert response.status_code == 400


async def test_a_hash_that_is_not_the_texts_is_refused_and_not_kept(api):
    text = "query { needs { code } }"
    wrong = persisted("query { regions { code } }")
    response = await post(api, {"query": text, "extensions": wrong})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "provided sha does not match query" in error["message"]
    again = await post(api, {"extensions": wrong})
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "extension",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}},
        {"persistedQuery": {"version": 1, "sha256Hash": "not-a-hash"}},
        {"persistedQuery": "yes"},
    ],
)
async def test_a_malformed_persisted_query_is_a_bad_request(api, extension):
    response = await post(api, {"extensions": extension})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_text_that_does_not_validate_is_not_kept(api):
    text = "query { noSuchField }"
    first = await post(api, {"query": text, "extensions": persisted(text)})
    assert first.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    again = await post(api, {"extensions": persisted(text)})
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_persisted_query_sees_what_the_same_text_sees(api):
    """The same access checks: an outsider and an anonymous caller get nothing more of a
    hidden resource, or of a resource's withheld fields, by hash than by text."""
    owner = api.token("ins_owner01", "REGISTRANT")
    hidden = await register(api, owner, visibility={"listing": "OWNER"})
    fields = [{"field": "CONTACT", "audience": "OWNER"}, {"field": "CAPACITY", "audience": "OWNER"}]
    listed = await register(api, owner, name="공개 자원", visibility={"fields": fields})
    outsider = api.token("ins_other001", "CASEWORKER")
    for token in (None, outsider, owner):
        for resource in (hidden, listed):
            body = {"query": RESOURCE, "variables": {"id": resource["id"]}}
            plain = (await post(api, body, token)).json()
            await post(api, {**body, "extensions": persisted(RESOURCE)}, token)
            alone = {"variables": body["variables"], "extensions": persisted(RESOURCE)}
            assert (await post(api, alone, token)).json() == plain
    outsider_view = (await post(api, alone | {"variables": {"id": hidden["id"]}}, outsider)).json()
    assert outsider_view["data"]["resource"] is None
    anonymous_view = (await post(api, alone | {"variables": {"id": listed["id"]}})).json()
    shown = anonymous_view["data"]["resource"]
    assert shown["contact"] is None and shown["capacity"] is None
    assert {"contact", "capacity"} <= set(shown["withheldFields"])


class TestApqOff:
    @pytest.fixture
    def settings(self, settings):
        return replace(settings, apq_cache_size=0)

    async def test_a_hash_alone_is_not_supported(self, api):
        text = "query { needs { code } }"
        await post(api, {"query": text, "extensions": persisted(text)})
        error = (await post(api, {"extensions": persisted(text)})).json()["errors"][0]
        assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"


class TestSmallCache:
    @pytest.fixture
    def settings(self, settings):
        return replace(settings, apq_cache_size=1)

    async def test_the_least_recently_used_text_goes_first(self, api):
        first, second = "query A { needs { code } }", "query B { regions { code } }"
        for text in (first, second):
            await post(api, {"query": text, "extensions": persisted(text)})
        gone = (await post(api, {"extensions": persisted(first)})).json()["errors"][0]
        assert gone["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        kept = (await post(api, {"extensions": persisted(second)})).json()
        assert "errors" not in kept and kept["data"]["regions"]


TRUSTED = [VIEWER, RESOURCE, "subscription Events { referralEvents { kind } }"]


class TestTrustedDocuments:
    @pytest.fixture
    def settings(self, settings, tmp_path):
        manifest = tmp_path / "persisted-documents.json"
        manifest.write_text(json.dumps({document_hash(t): t for t in TRUSTED}))
        return replace(settings, trusted_documents=manifest)

    async def test_an_ad_hoc_query_is_refused(self, api):
        for body in (
            {"query": "query { needs { code } }"},
            {
                "query": "query { needs { code } }",
                "extensions": persisted("query { needs { code } }"),
            },
            {"extensions": persisted("query { needs { code } }")},
        ):
            error = (await post(api, body)).json()["errors"][0]
            assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED", body
            assert "HANARO_TRUSTED_DOCUMENTS" in error["message"]

    async def test_a_manifest_document_runs_by_hash_and_by_text(self, api):
        expected = {"data": {"viewer": {"anonymous": True}}}
        assert (await post(api, {"extensions": persisted(VIEWER)})).json() == expected
        assert (await post(api, {"query": VIEWER})).json() == expected
        # What a client library prints: other layout and order, `__typename` added.
        printed = "query Viewer {\n  viewer {\n    __typename\n    anonymous\n  }\n}"
        body = (await post(api, {"query": printed})).json()
        assert body["data"]["viewer"]["anonymous"] is True
        changed = "query Viewer { viewer { anonymous subject } }"
        error = (await post(api, {"query": changed})).json()["errors"][0]
        assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"

    async def test_introspection_and_service_stay_open(self, api):
        service = (await post(api, {"query": "query Sdl { _service { sdl } }"})).json()
        assert "type Query" in service["data"]["_service"]["sdl"]
        schema = (await post(api, {"query": "{ __schema { queryType { name } } }"})).json()
        assert schema["data"]["__schema"]["queryType"]["name"] == "Query"
        mixed = (await post(api, {"query": "{ __typename needs { code } }"})).json()
        assert mixed["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"

    async def test_a_socket_runs_only_manifest_subscriptions(self, api):
        """The websocket has no `extensions`: its texts are checked, and refused ones end
        with the error before anything is subscribed."""
        events = api.runtime.services.referral_events
        token = api.token("ins_owner01", "CASEWORKER")
        async with (
            live_server(api.runtime) as address,
            connect(f"ws://{address}/graphql", subprotocols=PROTOCOL) as ws,
        ):
            init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
            await ws.send(json.dumps(init))
            assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
            ad_hoc = {"query": "subscription { referralEvents { kind status } }"}
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": ad_hoc}))
            refused = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert refused["type"] == "error", refused
            assert refused["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
            assert events.subscriber_count == 0
            trusted = {"query": "subscription Events {\n  referralEvents {\n    kind\n  }\n}"}
            await ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": trusted}))
            async with asyncio.timeout(5):
                while events.subscriber_count < 1:
                    await asyncio.sleep(0.01)
