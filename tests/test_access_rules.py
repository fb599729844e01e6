"""Every field of the schema is either public on purpose (declared below) or carries a
permission class made from `resolvers.access` (`schema/permissions.py`), and the SDL declares
`@authenticated` exactly where a permission is. A new field therefore needs a rule or a
conscious entry here.

Then every staff-only root field is run as an anonymous caller and as staff of an institution
with no relation to the data (every institution role), with minimal valid arguments naming
real records: each answers an error (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND) or nothing, never
the data."""

from __future__ import annotations

import json
from typing import Any

from graphql import GraphQLObjectType, GraphQLUnionType, get_named_type

from resolvers.access import REQUIREMENTS
from resolvers.context import RequestContext
from schema import build_schema
from schema.permissions import SignedIn
from tests.support.access import authenticated_coordinates, gate_of, gated_coordinates
from tests.support.conferences import CREATE, MINUTES, SCHEDULE
from tests.support.crisis_reports import LIST as CRISIS_REPORTS
from tests.support.crisis_reports import report
from tests.support.intakes import CENTRE, add_offices, take
from tests.support.recipients import OPEN_CASE, new_recipient
from tests.support.referrals import consented_recipient, send
from tests.support.resources import register
from tests.support.texts import assert_sentence
from vocabulary.access import Viewer

# The root fields anyone may use: the directory (resources, search, suggestions, institutions
# and the catalogues), who the token says I am, federation, and reporting a person in crisis.
PUBLIC_ROOTS = {
    "Query": {"_entities", "_service", "viewer", "resource", "resources", "searchResources",
              "suggest", "programs", "institution", "institutions", "needs", "regions"},
    "Mutation": {"reportCrisis"},
    "Subscription": set(),
}  # fmt: skip
# Entities `_entities` resolves for anyone; the others (Recipient, Case, …) are null for
# strangers, which the second part checks.
PUBLIC_ENTITIES = {"Resource", "Institution", "Need", "Region"}
# Every field an anonymous caller can reach through the public roots. A field of these types
# that is not listed must carry a permission (`Resource.visibility` does).
PUBLIC_FIELDS = {
    "Address": "text lat lon",
    "Capacity": "total available updatedAt",
    "Contact": "phone email person",
    "CrisisReportReceipt": "received message",
    "Eligibility": "minAge maxAge maxIncomePercent householdTypes disabilityRequired notes",
    "Highlight": "field fragments",
    "Institution": "id name nameEn sector kind phone address lat lon version region "
    "jurisdiction resources",
    "InstitutionConnection": "edges pageInfo totalCount",
    "InstitutionEdge": "cursor node",
    "KindFacet": "value count",
    "MatchReason": "code message messageKo",
    "Need": "code labelKo labelEn parent children",
    "NeedFacet": "code label count",
    "PageInfo": "hasNextPage hasPreviousPage startCursor endCursor",
    "Program": "id name nameEn basis year rules excludes needs requiredDocuments",
    "ProgramRules": "minAge maxAge maxIncomePercent householdTypes disability regions "
    "requiredFlags",
    "Region": "code name nameEn level lat lon parent children",
    "RegionFacet": "code name count",
    "RequiredDocument": "code labelKo label",
    "Resource": "id name description kind status eligibility capacity schedule contact address "
    "internalNotes withheldFields version createdAt updatedAt provider program needs "
    "servedRegions",
    "ResourceConnection": "edges pageInfo totalCount",
    "ResourceEdge": "cursor node",
    "ResourceSearchHit": "resource score cursor matchedNeeds distanceKm highlights eligibility "
    "missingFacts reasons",
    "ResourceSearchResult": "hits totalCount facets pageInfo",
    "SearchFacets": "needs kinds sectors regions",
    "SectorFacet": "value count",
    "Suggestion": "kind id label labelEn",
    "Viewer": "anonymous subject roles institution",
    "_Service": "sdl",
}


def public_reach(schema: Any) -> dict[str, set[str]]:
    """Type -> fields an anonymous caller reaches from the public roots without passing a
    permission."""
    reached: dict[str, set[str]] = {}
    todo = [
        get_named_type(schema.get_type(root).fields[name].type)
        for root, names in PUBLIC_ROOTS.items()
        for name in names
    ]
    while todo:
        type_ = todo.pop()
        if isinstance(type_, GraphQLUnionType):
            todo += [t for t in type_.types if t.name in PUBLIC_ENTITIES]
        elif isinstance(type_, GraphQLObjectType) and type_.name not in reached:
            open_ = {n: f for n, f in type_.fields.items() if not gate_of(f)}
            reached[type_.name] = set(open_)
            todo += [get_named_type(f.type) for f in open_.values()]
    return reached


def test_every_field_is_public_on_purpose_or_has_a_permission():
    schema = build_schema()._schema
    for root, public in PUBLIC_ROOTS.items():
        for name, field in schema.get_type(root).fields.items():
            gate = gate_of(field)
            if name in public:
                assert gate is None, f"{root}.{name} is public but has a permission"
                continue
            assert gate is not None, (
                f"{root}.{name} has no permission class: give it one from schema.permissions "
                "(or, if anyone may use it, add it to PUBLIC_ROOTS)"
            )
            assert isinstance(gate.permissions[0], SignedIn), f"{root}.{name}: sign-in first"
    reach = public_reach(schema)
    declared = {type_: set(names.split()) for type_, names in PUBLIC_FIELDS.items()}
    assert reach == declared, (
        "an anonymous caller reaches fields not declared in PUBLIC_FIELDS (give them a "
        "permission class) or no longer reaches declared ones"
    )
    union = schema.get_type("_Entity")
    assert PUBLIC_ENTITIES < {t.name for t in union.types}


def test_each_permission_refuses_with_a_stable_code_and_a_sentence():
    schema = build_schema()._schema
    for coordinate in gated_coordinates(schema):
        type_name, name = coordinate.split(".")
        gate = gate_of(schema.get_type(type_name).fields[name])
        assert gate is not None
        for permission in gate.permissions:
            code = permission.requirement.code.value
            assert permission.error_extensions == {"code": code}, coordinate
            assert code in {"UNAUTHENTICATED", "FORBIDDEN"}, coordinate
            assert_sentence(permission.requirement.refusal(action=permission.action).message)
    words = {"action": "doing this", "side": "target", "status": "ACCEPTED",
             "who": "the office it went to", "categories": "CONTACT"}  # fmt: skip
    for requirement in REQUIREMENTS:
        assert_sentence(requirement.refusal(**words).message)


def test_authenticated_is_declared_exactly_where_a_permission_is():
    built = build_schema()
    assert authenticated_coordinates(built.as_str()) == gated_coordinates(built._schema)
    staff_roots = {
        f"{root}.{name}"
        for root, public in PUBLIC_ROOTS.items()
        for name in built._schema.get_type(root).fields
        if name not in public
    }
    assert staff_roots <= authenticated_coordinates(built.as_str())


# Minimal valid arguments and a selection that would show data, for every staff-only root
# field; `<rcp>` and the like stand for the planted records' ids.
CALLS = {
    "resourceVisibilityPreview": '(resourceId: "<res>", viewer: PUBLIC) { listed shownFields }',
    "recipient": '(id: "<rcp>") { id name }',
    "recipients": " { totalCount edges { node { id name } } }",
    "recipientAccessLog": '(recipientId: "<rcp>") { totalCount edges { node { id } } }',
    "membershipScan": " { scanned }",
    "eligiblePrograms": '(recipientId: "<rcp>") { status program { id } }',
    "unmetNeeds": '(region: "5011025000") { counts { recipients } rows { recipientId } }',
    "overlappingSupport": '(recipientId: "<rcp>") { kind }',
    "overlapReport": '(region: "5011025000") { byNeed { recipients } }',
    "recommendations": '(region: "5011025000") { totalCount edges { node { id } } }',
    "referral": '(id: "<ref>") { id status }',
    "referralsInbox": " { totalCount edges { node { id } } }",
    "referralsSent": " { totalCount edges { node { id } } }",
    "referralStats": '(from: "2021-01-01T00:00:00Z", to: "2030-12-01T00:00:00Z") { total '
    "byNeed { referrals } }",
    "intakeQueue": " { totalCount edges { node { id situation } } }",
    "intake": '(id: "<itk>") { id situation }',
    "crisisReports": " { totalCount edges { node { id observed } } }",
    "crisisReport": '(id: "<crr>") { id observed }',
    "applications": " { totalCount edges { node { id } } }",
    "application": '(id: "<apl>") { id }',
    "conferences": " { totalCount edges { node { id name } } }",
    "conference": '(id: "<cnf>") { id name }',
    "conferenceActions": " { totalCount edges { node { id description } } }",
    "registerResource": '(input: {name: "x", kind: SERVICE, needs: ["DAILY_LIVING"], regions: '
    '["50"], providerId: "ins_owner01"}) { id }',
    "updateResource": '(id: "<res>", expectedVersion: 1, input: {name: "y"}) { id }',
    "setResourceVisibility": '(resourceId: "<res>", expectedVersion: 1, listing: PUBLIC) { id }',
    "setResourceStatus": '(id: "<res>", status: CLOSED) { id }',
    "registerRecipient": '(input: {name: "김순자", birthDate: "1944-03-02", sex: FEMALE, '
    'regionCode: "5011025000", nationalId: "440302-2345678"}) { id name }',
    "assessNeeds": '(recipientId: "<rcp>", needs: [{code: "DAILY_LIVING", severity: 2}]) { id }',
    "recordConsent": '(input: {recipientId: "<rcp>", scope: [IDENTITY], institutions: '
    '["ins_other001"], validUntil: "2099-01-01T00:00:00Z"}) { id }',
    "revokeConsent": '(id: "<cns>") { id scope }',
    "recordEnrollment": '(input: {recipientId: "<rcp>", resourceId: "<res>", '
    'start: "2026-01-01"}) { id }',
    "openCase": '(recipientId: "<rcp>", programme: CRISIS_HOUSEHOLD) { id }',
    "addCaseParticipant": '(caseId: "<cas>", institutionId: "ins_partner01", '
    "expectedVersion: 1) { id }",
    "updateCarePlan": '(caseId: "<cas>", expectedVersion: 1, carePlan: "x") { id }',
    "closeCase": '(caseId: "<cas>", reason: "x", expectedVersion: 1) { id }',
    "addCaseNote": '(caseId: "<cas>", text: "x") { id }',
    "createReferral": '(input: {recipientId: "<rcp>", toInstitutionId: "ins_partner01", '
    'needCodes: ["DAILY_LIVING_MEALS"], message: "x", sharedCategories: [IDENTITY], '
    'urgent: true, urgentReason: "x"}) { id }',
    "acceptReferral": '(id: "<ref>", expectedVersion: 1) { id status }',
    "declineReferral": '(id: "<ref>", expectedVersion: 1, reason: OTHER) { id }',
    "cancelReferral": '(id: "<ref>", expectedVersion: 1) { id }',
    "startReferral": '(id: "<ref>", expectedVersion: 1) { id }',
    "completeReferral": '(id: "<ref>", expectedVersion: 1, outcome: SERVED) { id }',
    "startMembershipScan": '(region: "5011025000") { state }',
    "acceptRecommendation": '(id: "rcm_000000000000") { id }',
    "dismissRecommendation": '(id: "rcm_000000000000", reason: "x") { id }',
    "takeIntake": '(input: {channel: PHONE, urgency: ROUTINE, situation: "x", needs: '
    '[{code: "DAILY_LIVING", severity: 1}], recipientId: "<rcp>"}) { id }',
    "pickUpIntake": '(id: "<itk>", expectedVersion: 1) { id }',
    "handOverIntake": '(id: "<itk>", expectedVersion: 1) { id }',
    "setIntakePlan": '(id: "<itk>", expectedVersion: 1, plan: {goals: [], items: []}) { id }',
    "closeIntake": '(id: "<itk>", expectedVersion: 1, action: ANSWERED) { id }',
    "recordCrisisVisit": '(id: "<crr>", expectedVersion: 1) { id observed }',
    "recordCrisisAssessment": '(id: "<crr>", expectedVersion: 1, needs: []) { id }',
    "closeCrisisReport": '(id: "<crr>", expectedVersion: 1, outcome: NO_ACTION, reason: "x") '
    "{ id }",
    "takeApplication": '(input: {recipientId: "<rcp>", programId: "prg_emergency"}) { id }',
    "updateApplicationDocuments": '(id: "<apl>", expectedVersion: 1, documents: []) { id }',
    "forwardApplication": '(id: "<apl>", expectedVersion: 1) { id }',
    "startApplicationReview": '(id: "<apl>", expectedVersion: 1) { id }',
    "decideApplication": '(id: "<apl>", expectedVersion: 1, decision: GRANTED) { id }',
    "createConference": '(input: {name: "x", regionCode: "5011025000"}) { id }',
    "addConferenceMember": '(conferenceId: "<cnf>", expectedVersion: 1, '
    'institutionId: "ins_other001") { id }',
    "scheduleConferenceSession": '(conferenceId: "<cnf>", scheduledAt: "2026-12-10T05:00:00Z") '
    "{ id }",
    "tableCase": '(sessionId: "<ses>", caseId: "<cas>", legalBasis: "x") { id }',
    "recordConferenceMinutes": '(sessionId: "<ses>", expectedVersion: 1, minutes: "x") { id }',
    "completeConferenceAction": '(id: "<act>", expectedVersion: 1) { id }',
}
# What the planted records say about the person; never in an answer to a stranger.
SECRETS = ("김순자", "010-1234-5678", "도시락 배달 부탁", "며칠째 식사를", "우편물이 쌓여",
           "한림읍 지역케어회의", "주 2회 안부 확인", "예산 12월")  # fmt: skip
STAFF_ENTITIES = {"Application": "apl", "Case": "cas", "Intake": "itk", "Recipient": "rcp",
                  "Referral": "ref"}  # fmt: skip


async def plant(api: Any) -> dict[str, str]:
    """One record of every kind, of ins_owner01 (and the 주민센터 and ins_partner01)."""
    await add_offices(api)
    owner = api.token("ins_owner01", "CASEWORKER", "ADMIN", "REGISTRANT")
    centre = api.token(CENTRE, "ADMIN")
    tokens = {"owner": owner}
    ids = {"res": (await register(api, owner))["id"]}
    ids["rcp"], ids["cns"] = await consented_recipient(api, tokens)
    ids["rcp2"] = await new_recipient(api, owner, nationalId="440302-2345678")
    ids["ref"] = (await send(api, owner, ids["rcp"], consentId=ids["cns"]))["id"]
    case = await api.ok(OPEN_CASE, {"r": ids["rcp"], "p": "CRISIS_HOUSEHOLD"}, owner)
    ids["cas"] = case["openCase"]["id"]
    ids["itk"] = (await take(api, owner, recipientId=ids["rcp"]))["id"]
    await api.ok(
        "mutation($i: CrisisReportInput!) { reportCrisis(input: $i) { received } }",
        {"i": report()},
    )
    listed = await api.ok(CRISIS_REPORTS, None, api.token(CENTRE, "CASEWORKER"))
    ids["crr"] = listed["crisisReports"]["edges"][0]["node"]["id"]
    taken = await api.ok(
        "mutation($r: ID!) { takeApplication(input: {recipientId: $r, "
        'programId: "prg_emergency"}) { id } }',
        {"r": ids["rcp"]},
        owner,
    )
    ids["apl"] = taken["takeApplication"]["id"]
    conference = await api.ok(
        CREATE,
        {"input": {"name": "한림읍 지역케어회의", "regionCode": "5011025000",
                   "members": ["ins_owner01", "ins_partner01"]}},
        centre,
    )  # fmt: skip
    ids["cnf"] = conference["createConference"]["id"]
    session = await api.ok(SCHEDULE, {"c": ids["cnf"]}, centre)
    ids["ses"] = session["scheduleConferenceSession"]["id"]
    decision = {"description": "주 2회 안부 확인", "assigneeId": "ins_owner01", "due": "2099-01-01"}
    minutes = await api.ok(MINUTES, {"s": ids["ses"], "v": 1, "d": [decision]}, centre)
    ids["act"] = minutes["recordConferenceMinutes"]["actions"][0]["id"]
    return ids


def empty(value: Any) -> bool:
    """Nothing: null, no items, zero counts."""
    if isinstance(value, dict):
        return all(empty(v) for v in value.values())
    return value in (None, [], 0, False)


def assert_stranger_learns_nothing(body: dict[str, Any], ids: dict[str, str], where: str) -> None:
    text = json.dumps(body, ensure_ascii=False)
    assert not [s for s in SECRETS if s in text], (where, body)
    data = json.dumps(body.get("data"), ensure_ascii=False)
    assert not [i for i in ids.values() if i in data], (where, body)


async def test_staff_only_root_fields_give_strangers_nothing(api):
    ids = await plant(api)
    schema = build_schema()._schema
    outsider = api.token("ins_other001", "CASEWORKER", "ADMIN", "REGISTRANT", "VILLAGE_PLANNER")
    fields = {
        name: (kind, field)
        for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type))
        for name, field in root.fields.items()  # type: ignore[union-attr]
        if name not in PUBLIC_ROOTS["Query"] | PUBLIC_ROOTS["Mutation"]
    }
    assert set(CALLS) == set(fields), "give every staff-only root field its CALLS entry"
    for name, (kind, field) in fields.items():
        call = CALLS[name]
        for key, value in ids.items():
            call = call.replace(f"<{key}>", value)
        gate = gate_of(field)
        assert gate is not None
        for caller, token in (("anonymous", None), ("outsider", outsider)):
            body = await api(f"{kind} {{ {name}{call} }}", None, token)
            where = f"{name} as {caller}"
            assert_stranger_learns_nothing(body, ids, where)
            codes = [e["extensions"]["code"] for e in body.get("errors") or []]
            answer = (body.get("data") or {}).get(name)
            if caller == "anonymous" and not gate.withheld:
                assert codes == ["UNAUTHENTICATED"], (where, body)
            elif codes:
                assert set(codes) <= {"FORBIDDEN", "NOT_FOUND", "CONFLICT"}, (where, body)
                assert answer is None, (where, body)
            else:
                assert empty(answer), (where, body)


async def test_staff_entities_are_null_for_strangers(api):
    ids = await plant(api)
    representations = [{"__typename": t, "id": ids[key]} for t, key in STAFF_ENTITIES.items()]
    schema = build_schema()._schema
    staff = {t.name for t in schema.get_type("_Entity").types} - PUBLIC_ENTITIES
    assert staff == set(STAFF_ENTITIES)
    query = "query($r: [_Any!]!) { _entities(representations: $r) { __typename } }"
    outsider = api.token("ins_other001", "CASEWORKER", "ADMIN", "REGISTRANT", "VILLAGE_PLANNER")
    for token in (None, outsider):
        body = await api(query, {"r": representations}, token)
        assert body == {"data": {"_entities": [None] * len(representations)}}, body
    owner = api.token("ins_owner01", "CASEWORKER")
    seen = (await api.ok(query, {"r": representations}, owner))["_entities"]
    assert [e["__typename"] for e in seen if e] == list(STAFF_ENTITIES)


async def test_the_live_inbox_refuses_anonymous_callers(api):
    context = RequestContext(api.runtime.services, Viewer(request_id="test"))
    result: Any = await build_schema().subscribe(
        "subscription { referralEvents { kind } }", context_value=context
    )
    if not hasattr(result, "errors"):
        result = await anext(result)
    assert [e.extensions["code"] for e in result.errors] == ["UNAUTHENTICATED"]
