"""Federation entities: every `@key` type resolves its representations through `_entities`
with the same rules as its direct query, in a bounded number of graph round trips.

`ENTITIES` is the one table to extend when a new entity (Recipient, Case, Referral) gets a
`@key`: `test_every_keyed_type_is_covered` fails until it has a row."""

from __future__ import annotations

import re
from typing import Any

import pytest

from graph.engine import round_trips
from schema import build_schema
from tests.support.applications import taken
from tests.support.intakes import take
from tests.support.recipients import new_recipient
from tests.support.referrals import send
from tests.support.resources import register

ENTITIES_QUERY = """query($r: [_Any!]!) { _entities(representations: $r) {
  __typename
  ... on Resource { id name withheldFields contact { phone } }
  ... on Institution { id name region { code } }
  ... on Need { code labelKo parent { code } }
  ... on Region { code name level }
  ... on Recipient { id fullName: name withheldCategories }
  ... on Referral { id referralStatus: status toInstitution { id } }
  ... on Case { id caseStatus: status programme }
  ... on Intake { id intakeStatus: status channel }
  ... on Application { id applicationStatus: status program { id } }
} }"""

# type -> (key field, a representation that exists, the fields expected back, an unknown key)
ENTITIES: dict[str, tuple[str, str, dict[str, Any], str]] = {
    "Institution": (
        "id",
        "ins_owner01",
        {"name": "한림종합사회복지관", "region": {"code": "5011025000"}},
        "ins_nosuchthing",
    ),
    "Need": (
        "code",
        "DAILY_LIVING_MEALS",
        {"labelKo": "식사", "parent": {"code": "DAILY_LIVING"}},
        "NO_SUCH_NEED",
    ),
    "Region": ("code", "50110", {"name": "제주시", "level": "SIGUNGU"}, "99999"),
    # Resource and Recipient ids are minted at registration; the test fills the rows in.
    "Resource": ("id", "", {"name": "독거어르신 도시락 배달"}, "res_nosuchthing"),
    "Recipient": ("id", "", {"fullName": "김순자", "withheldCategories": []}, "rcp_nosuchthing"),
    "Referral": (
        "id",
        "",
        {"referralStatus": "SENT", "toInstitution": {"id": "ins_partner01"}},
        "ref_nosuchthing",
    ),
    "Case": ("id", "", {"caseStatus": "OPEN", "programme": "CRISIS_HOUSEHOLD"}, "cas_nosuchthing"),
    "Intake": ("id", "", {"intakeStatus": "OPEN", "channel": "PHONE"}, "itk_nosuchthing"),
    "Application": (
        "id",
        "",
        {"applicationStatus": "RECEIVED", "program": {"id": "prg_emergency"}},
        "apl_nosuchthing",
    ),
}


def keyed_types() -> dict[str, str]:
    """Type name -> key fields, as the printed subgraph SDL declares them."""
    sdl = build_schema().as_str()
    return dict(re.findall(r'^type (\w+)[^{\n]*@key\(fields: "([^"]+)"\)', sdl, re.MULTILINE))


def test_every_keyed_type_is_covered():
    assert keyed_types() == {name: row[0] for name, row in ENTITIES.items()}


async def test_each_entity_resolves_by_key_and_unknown_keys_are_null(api):
    token = api.token("ins_owner01", "REGISTRANT")
    recipient = await new_recipient(api, token)
    caseworker = api.token("ins_owner01", "CASEWORKER")
    minted = {
        "Resource": (await register(api, token))["id"],
        "Recipient": recipient,
        "Referral": (await send(api, caseworker, recipient, urgent=True, urgentReason="긴급 지원"))[
            "id"
        ],
        "Case": (
            await api.ok(
                """mutation($r: ID!) { openCase(recipientId: $r, programme: CRISIS_HOUSEHOLD) {
                  id } }""",
                {"r": recipient},
                token,
            )
        )["openCase"]["id"],
        "Intake": (await take(api, caseworker, recipientId=recipient))["id"],
        "Application": (await taken(api, caseworker, recipient, []))["id"],
    }
    representations, expected = [], []
    for type_name, (key, known, fields, unknown) in ENTITIES.items():
        known = known or minted[type_name]
        representations += [
            {"__typename": type_name, key: known},
            {"__typename": type_name, key: unknown},
        ]
        expected += [{"__typename": type_name, key: known, **fields}, None]
    # Staff of the registering institution: recipients resolve only for entitled viewers.
    data = await api.ok(ENTITIES_QUERY, {"r": representations}, token)
    for got, want in zip(data["_entities"], expected, strict=True):
        if want is None:
            assert got is None
        else:
            assert {k: got[k] for k in want} == want


async def test_entities_apply_the_resource_access_rules(api):
    owner = api.token("ins_owner01", "REGISTRANT")
    staff_only = await register(
        api, owner, name="직원 전용", visibility={"listing": "AUTHENTICATED"}
    )
    public = await register(api, owner, name="공개")
    reps = [{"__typename": "Resource", "id": r["id"]} for r in (staff_only, public)]

    anonymous = (await api.ok(ENTITIES_QUERY, {"r": reps}))["_entities"]
    assert anonymous[0] is None
    assert anonymous[1]["contact"] is None and "contact" in anonymous[1]["withheldFields"]
    direct = await api.ok("query($id: ID!) { resource(id: $id) { id } }", {"id": staff_only["id"]})
    assert direct["resource"] is None

    staff = (await api.ok(ENTITIES_QUERY, {"r": reps}, api.token("ins_other001")))["_entities"]
    assert staff[0]["name"] == "직원 전용"
    assert staff[1]["contact"] == {"phone": "064-796-1234"}


async def test_malformed_keys_fail_like_the_direct_query(api):
    direct = await api.error('{ institution(id: "not an id") { id } }')
    body = await api(
        ENTITIES_QUERY,
        {
            "r": [
                {"__typename": "Institution", "id": "not an id"},
                {"__typename": "Region", "code": "50"},
            ]
        },
    )
    assert body["data"]["_entities"][0] is None
    assert body["data"]["_entities"][1]["name"] == "제주특별자치도"
    [error] = body["errors"]
    assert error["path"] == ["_entities", 0]
    assert error["extensions"]["code"] == direct["extensions"]["code"] == "BAD_USER_INPUT"


async def test_many_representations_cost_one_round_trip_per_type(api):
    token = api.token("ins_owner01", "REGISTRANT")
    resources = [(await register(api, token, name=f"r{i}"))["id"] for i in range(12)]
    institutions = ["ins_owner01", "ins_region01", "ins_partner01", "ins_other001"]
    reps = (
        [{"__typename": "Resource", "id": i} for i in resources]
        + [{"__typename": "Institution", "id": i} for i in institutions * 3]
        + [{"__typename": "Need", "code": "DAILY_LIVING"}, {"__typename": "Region", "code": "50"}]
    )
    counter = round_trips()
    data = await api.ok(ENTITIES_QUERY, {"r": reps})
    assert [e["id"] for e in data["_entities"][:12]] == resources
    assert [e["id"] for e in data["_entities"][12:24]] == institutions * 3
    # one resources batch + one institutions batch (+ the Institution.region catalogue: none)
    assert counter.count == 2


async def test_referral_and_case_entities_follow_their_access_rules(api):
    owner = api.token("ins_owner01", "CASEWORKER")
    recipient = await new_recipient(api, owner)
    referral = await send(api, owner, recipient, urgent=True, urgentReason="긴급 지원")
    case = (
        await api.ok(
            """mutation($r: ID!) { openCase(recipientId: $r, programme: MEDICAL_AID) { id } }""",
            {"r": recipient},
            owner,
        )
    )["openCase"]["id"]
    reps = {
        "r": [
            {"__typename": "Referral", "id": referral["id"]},
            {"__typename": "Case", "id": case},
        ]
    }
    target = api.token("ins_partner01", "CASEWORKER")
    got = (await api.ok(ENTITIES_QUERY, reps, target))["_entities"]
    assert got[0]["referralStatus"] == "SENT"
    assert got[1] is None  # the target may not read the recipient's HISTORY
    for token in (None, api.token("ins_other001", "CASEWORKER")):
        assert (await api.ok(ENTITIES_QUERY, reps, token))["_entities"] == [None, None]
    counter = round_trips()
    mine = (await api.ok(ENTITIES_QUERY, reps, owner))["_entities"]
    assert mine[1]["caseStatus"] == "OPEN" and mine[0]["toInstitution"]["id"] == "ins_partner01"
    # viewer, expiry + referrals, cases (audited), institutions
    assert counter.count <= 5
    reads = await api.runtime.backends.graph.run(
        "MATCH (a:AuditEvent {entityId: $id, operation: 'READ'}) RETURN a.categories AS c",
        {"id": recipient},
    )
    assert reads == [{"c": ["HISTORY"]}]


MALFORMED = [
    ({"__typename": "Resource", "id": "res_abcdef12", "extra": 1}, "representations[0]"),
    ({"__typename": "Resource", "id": ["res_abcdef12"]}, "representations[0].id"),
    ({"__typename": "Resource", "id": {"id": "res_abcdef12"}}, "representations[0].id"),
    ({"__typename": "Resource"}, "representations[0]"),
    ({"id": "res_abcdef12"}, "representations[0].__typename"),
    ({"__typename": "NoSuchType", "id": "x"}, "representations[0].__typename"),
    ({"__typename": "Query", "id": "x"}, "representations[0].__typename"),
    ({"__typename": "Region", "code": 50110}, "representations[0].code"),
    ("res_abcdef12", "representations[0]"),
    ({"__typename": "Recipient", "id": "garbage"}, "representations[0].id"),
    ({"__typename": "Recipient", "id": "res_abcdef12"}, "representations[0].id"),
    ({"__typename": "Case", "id": "1 OR 1=1"}, "representations[0].id"),
]


@pytest.mark.parametrize(("representation", "field"), MALFORMED)
async def test_malformed_representations_are_bad_input(api, representation, field):
    body = await api(
        "query($r: [_Any!]!) { _entities(representations: $r) { __typename } }",
        {"r": [representation]},
        api.token("ins_owner01"),
    )
    assert body["data"] == {"_entities": [None]}, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", body
    assert error["extensions"]["field"] == field
    assert error["path"] == ["_entities", 0]


async def test_a_malformed_representation_leaves_the_others_resolved(api):
    body = await api(
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { code } } }",
        {"r": [{"__typename": "Region", "code": "50110"}, {"__typename": "Region"}]},
    )
    assert body["data"] == {"_entities": [{"code": "50110"}, None]}
    assert [e["path"] for e in body["errors"]] == [["_entities", 1]]
