"""A resident registration number never comes back, in a response or a log line, whatever is
wrong with the request that carries it (schema/sensitive.py, schema/errors.py)."""

from __future__ import annotations

import json
import logging

import pytest

from schema import build_schema
from schema.sensitive import sensitive_input_names
from tests.support.recipients import REGISTER, person

NATIONAL_ID = "440302-2345678"
DIGITS = NATIONAL_ID.replace("-", "")

LITERAL = """mutation {{ registerRecipient(input: {{{fields}}}) {{ id }} }}"""


def literal(**fields: str) -> str:
    return LITERAL.format(fields=", ".join(f"{k}: {v}" for k, v in fields.items()))


BASE = {"birthDate": '"1944-03-02"', "sex": "FEMALE", "regionCode": '"5011025000"'}


def without_name() -> dict:
    value = person(nationalId=NATIONAL_ID)
    del value["name"]
    return value


CASES = {
    "variable: a required field missing": (REGISTER, {"input": without_name()}),
    "variable: an unknown field": (REGISTER, {"input": person(nationalId=NATIONAL_ID, x=1)}),
    "variable: a field of the wrong type": (
        REGISTER,
        {"input": person(nationalId=NATIONAL_ID, householdSize="many")},
    ),
    "variable: the id itself of the wrong type": (
        REGISTER,
        {"input": person(nationalId=int(DIGITS))},
    ),
    "variable: an enum value that does not exist": (
        REGISTER,
        {"input": person(nationalId=NATIONAL_ID, sex="UNKNOWN")},
    ),
    "variable: a date that does not parse": (
        REGISTER,
        {"input": person(nationalId=NATIONAL_ID, birthDate="1944-13-45")},
    ),
    "literal: a required field missing": (
        literal(**BASE, nationalId=f'"{NATIONAL_ID}"'),
        None,
    ),
    "literal: an unknown field": (
        literal(**BASE, name='"김순자"', nationalId=f'"{NATIONAL_ID}"', bogus="1"),
        None,
    ),
    "literal: the id as a number": (literal(**BASE, name='"김순자"', nationalId=DIGITS), None),
    "literal: a field of the wrong type": (
        literal(**BASE, name='"김순자"', nationalId=f'"{NATIONAL_ID}"', householdSize='"x"'),
        None,
    ),
    "literal: a bad id value reaches the resolver": (
        literal(**BASE, name='"김순자"', nationalId='"44030-2345678"'),
        None,
    ),
    "variable: an id that is not 13 digits": (
        REGISTER,
        {"input": person(nationalId=NATIONAL_ID + "9")},
    ),
}


def test_the_national_id_is_declared_sensitive_on_the_schema():
    assert "nationalId" in sensitive_input_names(build_schema()._schema)


@pytest.mark.parametrize("case", sorted(CASES))
async def test_a_malformed_registration_never_echoes_the_national_id(api, caplog, case):
    query, variables = CASES[case]
    caplog.set_level(logging.DEBUG)
    body = await api(query, variables, api.token("ins_owner01", "REGISTRANT"))
    assert body.get("errors"), body
    assert body["errors"][0]["extensions"]["code"] in {
        "BAD_USER_INPUT",
        "GRAPHQL_VALIDATION_FAILED",
    }, body
    text = json.dumps(body, ensure_ascii=False)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for shown in (text, logged):
        assert NATIONAL_ID not in shown and DIGITS not in shown and "2345678" not in shown


async def test_messages_still_name_the_mistake(api):
    token = api.token("ins_owner01", "REGISTRANT")
    missing = await api.error(REGISTER, {"input": without_name()}, token)
    assert "required field 'name'" in missing["message"]
    assert "found" not in missing["message"]
    unknown = await api.error(literal(**BASE, name='"김"', bogus="1"), None, token)
    assert "unknown field 'bogus'" in unknown["message"]
    assert "김" not in unknown["message"]  # the rest of the input is not quoted back either
    date = await api.error(REGISTER, {"input": person(birthDate="1944-13-45")}, token)
    assert ".birthDate" in date["message"] and "Date" in date["message"]
    assert "1944-13-45" not in date["message"]
