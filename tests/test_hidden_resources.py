"""Hidden resources behave like missing ones: every mutation that names one answers an
outsider as about an unknown id, and list pages skip runs of them without losing or
leaking any."""

from __future__ import annotations

from tests.support.recipients import new_recipient
from tests.support.resources import register
from tests.support.visibility import urgent_to_owner


async def test_hidden_resource_errors_look_like_missing_ones(api):
    """Every mutation that names a resource answers an outsider about a hidden one exactly as
    about an id that does not exist."""
    owner = api.token("ins_owner01", "REGISTRANT")
    resource = await register(api, owner, visibility={"listing": "OWNER"})
    outsider = api.token("ins_other001", "REGISTRANT", "CASEWORKER")
    person = await new_recipient(api, outsider)
    mutations = {
        "updateResource": """mutation($id: ID!) { updateResource(id: $id, expectedVersion: 1,
            input: {name: "x"}) { id } }""",
        "setResourceStatus": """mutation($id: ID!) { setResourceStatus(id: $id,
            expectedVersion: 1, status: SUSPENDED) { id } }""",
        "setResourceVisibility": """mutation($id: ID!) { setResourceVisibility(resourceId: $id,
            expectedVersion: 1, listing: PUBLIC) { id } }""",
        "recordEnrollment": """mutation($id: ID!, $p: ID!) { recordEnrollment(input: {
            recipientId: $p, resourceId: $id, start: "2026-01-05"}) { id } }""",
        "createReferral": """mutation($input: CreateReferralInput!) {
            createReferral(input: $input) { id } }""",
    }
    unknown = "res_000000000000"
    for name, mutation in mutations.items():
        answers = []
        for rid in (resource["id"], unknown):
            variables = {"id": rid, "p": person, "input": urgent_to_owner(person, resourceId=rid)}
            used = {k: v for k, v in variables.items() if f"${k}" in mutation}
            error = await api.error(mutation, used, outsider)
            answers.append((error["extensions"], error["message"].replace(rid, "ID")))
        assert answers[0] == answers[1], (name, answers)
        assert answers[0][0]["code"] in ("NOT_FOUND", "BAD_USER_INPUT"), (name, answers)


async def test_pages_skip_runs_of_hidden_resources_without_losing_or_leaking_any(api):
    """A cursor page reads a window of matches and checks the listing on it; when most are
    hidden it reads larger windows after it, so pages stay full and in id order."""
    from graph.engine import round_trips

    owner = api.token("ins_owner01", "REGISTRANT")
    public: list[str] = []
    for i in range(36):
        listing = "PUBLIC" if i % 9 == 4 else "OWNER"
        created = await register(api, owner, name=f"r{i}", visibility={"listing": listing})
        if listing == "PUBLIC":
            public.append(created["id"])
    query = """query($after: String) { resources(first: 2, after: $after) {
        edges { node { id } } pageInfo { hasNextPage endCursor } } }"""
    seen: list[str] = []
    after = None
    while True:
        counter = round_trips()
        page = (await api.ok(query, {"after": after}))["resources"]
        assert counter.count <= 4  # windows grow fourfold: 11, 44 rows
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(public) and len(seen) == 4
    everything = await api.ok("{ resources(first: 50) { edges { node { id } } } }", token=owner)
    assert len(everything["resources"]["edges"]) == 36
