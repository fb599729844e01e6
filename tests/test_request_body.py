"""What a client gets for a body Hanaro will not read: too large (413), not UTF-8, not JSON, a
batch — each a JSON body with `extensions.code` (server/request_body.py)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from server.settings import Settings

JSON = {"content-type": "application/json"}


async def test_the_default_limit_is_documented():
    assert Settings().max_body_bytes == 1_000_000
    assert Settings.from_env({"HANARO_MAX_BODY_BYTES": "2048"}).max_body_bytes == 2048


@pytest.mark.parametrize("where", ["variables", "comment"])
async def test_a_body_over_the_limit_is_refused_with_413(client, where):
    padding = "x" * 1_100_000
    if where == "variables":
        body = {"query": "{ __typename }", "variables": {"pad": padding}}
    else:
        body = {"query": "{ __typename }\n#" + padding}
    response = await client.post("/graphql", content=json.dumps(body), headers=JSON)
    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert error["extensions"]["maxBytes"] == 1_000_000
    assert "HANARO_MAX_BODY_BYTES" in error["message"]


async def test_a_chunked_body_without_length_is_counted_as_it_arrives(client):
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"query": "{ __typename }", "variables": {"pad": "'
        for _ in range(40):
            sent += 1
            yield b"y" * 65536
        yield b'"}}'

    response = await client.post("/graphql", content=chunks(), headers=JSON)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert sent < 40  # refused at the first chunk over the limit, not after reading it all


async def test_a_body_within_the_limit_is_answered(client):
    body = {"query": "{ __typename }", "variables": {"pad": "x" * 900_000}}
    response = await client.post("/graphql", content=json.dumps(body), headers=JSON)
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"query": "{ __typename }", "x": "\xff\xfe"}', "not valid UTF-8"),
        (b'[{"query": "{ __typename }"}]', "batching"),
        (b'{"query": "{ __typename }"', "not valid JSON"),
        (b'"{ __typename }"', "must be a JSON object"),
    ],
)
async def test_a_body_that_is_not_one_json_object_gets_a_json_400(client, content, words):
    response = await client.post("/graphql", content=content, headers=JSON)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert words in error["message"]
