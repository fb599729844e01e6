"""Bad input: each case gets a GraphQL error with `extensions.code` and a message saying what to
fix, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.resources import REGISTER, UPDATE, register, resource_input


async def resource_count(api) -> int:
    rows = await api.runtime.backends.graph.run("MATCH (r:Resource) RETURN count(r) AS n")
    return rows[0]["n"]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"needs": ["NOT_A_NEED"]}, "needs", "unknown need code"),
        ({"needs": []}, "needs", "at least one"),
        ({"needs": ["HEALTH", "HEALTH"]}, "needs", "twice"),
        ({"regions": ["99999"]}, "regions", "unknown region code"),
        ({"capacity": {"total": -1}}, "capacity.total", "between 0 and"),
        ({"capacity": {"total": 3, "available": 5}}, "capacity.available", "above"),
        ({"address": {"lat": 91.0, "lon": 126.5}}, "address.lat", "out of range"),
        ({"address": {"lat": 33.5, "lon": -181.0}}, "address.lon", "out of range"),
        ({"address": {"lat": 33.5}}, "address", "both lat and lon"),
        ({"name": "x" * 201}, "name", "limit is 200"),
        ({"name": "   "}, "name", "must not be empty"),
        ({"description": "가" * 2001}, "description", "limit is 2000"),
        ({"eligibility": {"minAge": 70, "maxAge": 60}}, "eligibility.minAge", "above"),
        ({"eligibility": {"maxIncomePercent": -5}}, "eligibility.maxIncomePercent", "range"),
        ({"contact": {"email": "not-an-email"}}, "contact.email", "e-mail"),
        ({"contact": {"phone": "call me"}}, "contact.phone", "digits"),
        ({"providerId": "institution-1"}, "providerId", "not a valid Institution id"),
    ],
)
async def test_register_rejects_bad_input_and_writes_nothing(api, overrides, field, words):
    token = api.token("ins_owner01", "REGISTRANT")
    error = await api.error(REGISTER, {"input": resource_input(**overrides)}, token)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == field
    assert words in error["message"]
    assert await resource_count(api) == 0


async def test_update_rejects_bad_input_and_keeps_the_resource(api):
    token = api.token("ins_owner01", "REGISTRANT")
    created = await register(api, token)
    for change in (
        {"needs": ["NOPE"]},
        {"name": None},
        {"capacity": {"available": -3}},
        {"address": {"lat": 100, "lon": 0}},
    ):
        error = await api.error(UPDATE, {"id": created["id"], "v": 1, "input": change}, token)
        assert error["extensions"]["code"] == "BAD_USER_INPUT", change
    data = await api.ok(
        "query($id: ID!) { resource(id: $id) { name version needs { code } } }",
        {"id": created["id"]},
    )
    assert data["resource"] == {
        "name": created["name"],
        "version": 1,
        "needs": [{"code": "DAILY_LIVING_MEALS"}],
    }


@pytest.mark.parametrize(
    "query",
    [
        '{ resource(id: "1 OR 1=1") { id } }',
        '{ resource(id: "res_") { id } }',
        '{ institution(id: "ins_../../etc") { id } }',
        '{ resources(filter: {institutions: ["nope"]}) { totalCount } }',
    ],
)
async def test_malformed_ids(api, query):
    error = await api.error(query)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "not a valid" in error["message"]


async def test_page_size_and_cursor_limits(api):
    too_many = await api.error("{ resources(first: 101) { totalCount } }")
    assert too_many["extensions"]["code"] == "BAD_USER_INPUT"
    assert "between 0 and 100" in too_many["message"]
    negative = await api.error("{ institutions(first: -1) { totalCount } }")
    assert negative["extensions"]["code"] == "BAD_USER_INPUT"
    cursor = await api.error('{ resources(after: "not-a-cursor") { totalCount } }')
    assert cursor["extensions"]["code"] == "BAD_USER_INPUT"
    assert "endCursor" in cursor["message"]


async def test_unknown_filter_codes(api):
    error = await api.error('{ resources(filter: {needs: ["MEALZ"]}) { totalCount } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "MEALZ" in error["message"]
    error = await api.error('{ resources(filter: {regions: ["00000"]}) { totalCount } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_too_deep_and_too_costly_queries_are_refused_before_running(api):
    deep = "{ needs { children { parent { children { parent { children { parent { children "
    deep += "{ parent { children { parent { code } } } } } } } } } } } }"
    error = await api.error(deep)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "levels deep" in error["message"]

    costly = """{ institutions(first: 100) { edges { node { resources(first: 100) {
        edges { node { id name kind status } } } } } } }"""
    error = await api.error(costly)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "limit is" in error["message"]


async def test_unknown_fields_and_suggestions(api):
    anonymous = await api.error("{ resources { edges { node { nam } } } }")
    assert anonymous["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "nam" in anonymous["message"]
    assert "Did you mean" not in anonymous["message"]

    staff = await api.error(
        "{ resources { edges { node { nam } } } }", token=api.token("ins_owner01")
    )
    assert "Did you mean" in staff["message"]
    # The validated document is cached: asking again gives each caller its own shaping.
    again = await api.error("{ resources { edges { node { nam } } } }")
    assert again == anonymous
    staff_again = await api.error(
        "{ resources { edges { node { nam } } } }", token=api.token("ins_owner01")
    )
    assert staff_again == staff

    for _ in range(2):  # the second time with the text seen before
        syntax = await api.error("{ resources { ")
        assert syntax["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_wrong_variable_types(api):
    body: dict[str, Any] = await api(
        "query($n: Int) { resources(first: $n) { totalCount } }", {"n": "ten"}
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    enum_error = await api.error(
        REGISTER, {"input": resource_input(kind="SPACESHIP")}, api.token("ins_owner01", "ADMIN")
    )
    assert enum_error["extensions"]["code"] == "BAD_USER_INPUT"
    assert await resource_count(api) == 0


async def test_errors_never_carry_a_stack_trace(api):
    body = await api("{ resources(first: 101) { totalCount } }")
    text = str(body)
    assert "Traceback" not in text and 'File "' not in text
