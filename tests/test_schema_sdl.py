"""The committed subgraph SDL (`schema.graphql`) and the authorization directives in it.

A supergraph is composed from `schema.graphql` (or from `_service { sdl }`, which must be the
same text), so a schema change without regenerating the file fails here."""

from __future__ import annotations

from pathlib import Path

from schema import build_schema
from tests.support.access import authenticated_coordinates, gated_coordinates
from tests.support.resources import register

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"
REGENERATE = (
    "regenerate it with `.venv/bin/hanaro schema --output schema.graphql` (or `make schema`)"
)


def test_committed_sdl_is_up_to_date():
    committed = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    assert committed == build_schema().as_str() + "\n", (
        f"schema.graphql is out of date: {REGENERATE}"
    )


async def test_service_sdl_is_the_committed_sdl(client):
    body = (await client.post("/graphql", json={"query": "{ _service { sdl } }"})).json()
    assert body["data"]["_service"]["sdl"] + "\n" == SCHEMA_FILE.read_text(encoding="utf-8")


def test_federation_v2_link_imports_what_the_schema_uses():
    first_line = SCHEMA_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == (
        'schema @link(url: "https://specs.apollo.dev/federation/v2.7", '
        'import: ["@authenticated", "@key"]) {'
    )


MUTATION_ARGS = {
    "registerResource": '(input: {name: "x", kind: SERVICE, needs: ["DAILY_LIVING"], '
    'regions: ["50"]}) { id }',
    "updateResource": '(id: "$ID", expectedVersion: 1, input: {name: "y"}) { id }',
    "setResourceStatus": '(id: "$ID", status: CLOSED) { id }',
    "setResourceVisibility": '(resourceId: "$ID", expectedVersion: 1, listing: PUBLIC) { id }',
    "takeIntake": '(input: {channel: PHONE, urgency: ROUTINE, situation: "x", needs: '
    '[{code: "DAILY_LIVING", severity: 1}], recipientId: "rcp_000000000000"}) { id }',
    "pickUpIntake": '(id: "itk_000000000000", expectedVersion: 1) { id }',
    "handOverIntake": '(id: "itk_000000000000", expectedVersion: 1) { id }',
    "setIntakePlan": '(id: "itk_000000000000", expectedVersion: 1, plan: {goals: [], '
    "items: []}) { id }",
    "closeIntake": '(id: "itk_000000000000", expectedVersion: 1, action: ANSWERED) { id }',
    "recordCrisisVisit": '(id: "crr_000000000000", expectedVersion: 1) { id }',
    "recordCrisisAssessment": '(id: "crr_000000000000", expectedVersion: 1, needs: []) { id }',
    "closeCrisisReport": '(id: "crr_000000000000", expectedVersion: 1, outcome: NO_ACTION, '
    'reason: "x") { id }',
    "takeApplication": '(input: {recipientId: "rcp_000000000000", programId: "prg_emergency"}) '
    "{ id }",
    "updateApplicationDocuments": '(id: "apl_000000000000", expectedVersion: 1, documents: []) '
    "{ id }",
    "forwardApplication": '(id: "apl_000000000000", expectedVersion: 1) { id }',
    "startApplicationReview": '(id: "apl_000000000000", expectedVersion: 1) { id }',
    "decideApplication": '(id: "apl_000000000000", expectedVersion: 1, decision: GRANTED) { id }',
    "createConference": '(input: {name: "x", regionCode: "5011025000"}) { id }',
    "addConferenceMember": '(conferenceId: "cnf_000000000000", expectedVersion: 1, '
    'institutionId: "ins_owner01") { id }',
    "scheduleConferenceSession": '(conferenceId: "cnf_000000000000", '
    'scheduledAt: "2026-12-10T05:00:00Z") { id }',
    "tableCase": '(sessionId: "ses_000000000000", caseId: "cas_000000000000", '
    'legalBasis: "x") { id }',
    "recordConferenceMinutes": '(sessionId: "ses_000000000000", expectedVersion: 1, '
    'minutes: "x") { id }',
    "completeConferenceAction": '(id: "act_000000000000", expectedVersion: 1) { id }',
}


async def test_every_authenticated_field_is_enforced_by_the_subgraph_too(api):
    """The directive tells a router to refuse anonymous callers; Hanaro must not rely on it.
    It stands exactly where a permission class is (every staff-only field: see
    tests/test_access_rules.py, which probes each root field); the first ones are probed
    anonymously against the subgraph itself here."""
    coordinates = authenticated_coordinates(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert coordinates == gated_coordinates(build_schema()._schema)
    assert coordinates >= {
        "Resource.visibility",
        "Query.resourceVisibilityPreview",
        *(f"Mutation.{m}" for m in MUTATION_ARGS),
    }

    owner = api.token("ins_owner01", "REGISTRANT")
    resource = await register(api, owner)
    for mutation, args in MUTATION_ARGS.items():
        body = await api(f"mutation {{ {mutation}{args.replace('$ID', resource['id'])} }}")
        assert body["data"] is None, mutation
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", mutation

    query = "query($id: ID!) { resource(id: $id) { visibility { listing } } }"
    anonymous = await api.ok(query, {"id": resource["id"]})
    assert anonymous["resource"] == {"visibility": None}
    owners = await api.ok(query, {"id": resource["id"]}, owner)
    assert owners["resource"] == {"visibility": {"listing": "PUBLIC"}}

    preview = """query($id: ID!) {
      resourceVisibilityPreview(resourceId: $id, viewer: PUBLIC) { listed } }"""
    assert await api.ok(preview, {"id": resource["id"]}) == {"resourceVisibilityPreview": None}
    owners = await api.ok(preview, {"id": resource["id"]}, owner)
    assert owners == {"resourceVisibilityPreview": {"listed": True}}
