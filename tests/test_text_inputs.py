"""One rule for every string input: NUL bytes, control characters and lone surrogates are
refused with BAD_USER_INPUT naming the argument, before anything reaches the graph
(schema/input_text.py), and FalkorDB's parameter header never carries them
(graph/falkordb.py)."""

from __future__ import annotations

import json

import pytest

from graph.engine import GraphInputRefused
from graph.falkordb import check_header_values
from tests.support.recipients import REGISTER, person
from tests.support.resources import REGISTER as REGISTER_RESOURCE
from tests.support.resources import resource_input

BAD = ["\x00", "\ud800", "\udfff", "\x1b", "\x7f", "\x85", "\ufffe"]


async def post(client, query: str, variables: dict | None, token: str | None = None) -> dict:
    """Raw JSON (ensure_ascii), so lone surrogates travel as `\\udXXX` escapes as a client
    would send them."""
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    content = json.dumps({"query": query, "variables": variables or {}})
    response = await client.post("/graphql", content=content, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def count(api, label: str) -> int:
    rows = await api.runtime.backends.graph.run(f"MATCH (n:{label}) RETURN count(n) AS n")
    return rows[0]["n"]


def refused(body: dict, field: str) -> None:
    assert body["data"] is None, body
    error = body["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, body
    assert "no place in text" in error["message"]


@pytest.mark.parametrize("bad", BAD)
async def test_resource_and_recipient_names(api, client, bad):
    token = api.token("ins_owner01", "ADMIN")
    body = await post(
        client, REGISTER_RESOURCE, {"input": resource_input(name=f"급식{bad}")}, token
    )
    refused(body, "input.name")
    body = await post(client, REGISTER, {"input": person(name=f"김{bad}순자")}, token)
    refused(body, "input.name")
    assert await count(api, "Resource") == 0
    assert await count(api, "Recipient") == 0


async def test_literals_nested_lists_and_defaults(api, client):
    token = api.token("ins_owner01", "ADMIN")
    body = await post(client, '{ resource(id: "res_\\u0000abcdef") { id } }', None)
    refused(body, "id")
    body = await post(
        client, '{ resources(filter: {needs: ["MEALS", "A\\u0007"]}) { totalCount } }', None
    )
    refused(body, "filter.needs[1]")
    body = await post(
        client, 'query($id: ID! = "res_\\u0000x") { resource(id: $id) { id } }', None, token
    )
    refused(body, "id")


@pytest.mark.parametrize(
    ("representation", "field"),
    [
        ({"__typename": "Resource", "id": "res_\x00abcdef"}, "r[0].id"),
        ({"__typename": "Recipient", "id": "rcp_\ud800abcdef"}, "r[0].id"),
        ({"__typename": "Resource\x00", "id": "res_abcdef"}, "r[0].__typename"),
        ({"__typename": "Resource", "id\x00": "res_abcdef"}, "r[0] (a key)"),
    ],
)
async def test_entity_representations(api, client, representation, field):
    query = "query($r: [_Any!]!) { _entities(representations: $r) { __typename } }"
    body = await post(client, query, {"r": [representation]}, api.token("ins_owner01"))
    refused(body, field)


async def test_tab_newline_and_every_script_are_text(api):
    token = api.token("ins_owner01", "ADMIN")
    name = "도시락\t배달\n(月·水) — ẞ 🍱 \u200b"
    data = await api.ok(REGISTER_RESOURCE, {"input": resource_input(name=name)}, token)
    assert data["registerResource"]["name"] == name.strip()


@pytest.mark.parametrize(
    "params",
    [
        {"name": "a\x00b"},
        {"rows": [{"text": "ok"}, {"text": "\ud800"}]},
        {"row": {"k`ey": "v"}},
        {"row": {"": "v"}},
    ],
)
def test_falkordb_parameter_header_refuses_what_it_cannot_carry(params):
    with pytest.raises(GraphInputRefused):
        check_header_values(params)


def test_falkordb_parameter_header_takes_ordinary_text():
    check_header_values({"rows": [{"name": "김순자\n제주", "n": 3, "tags": ["a", None]}]})
