"""`resourceVisibilityPreview`: the registrant's "what does a viewer of kind X see", computed by
the API from the stored settings — checked against what real viewers of each kind get."""

from __future__ import annotations

from tests.support.resources import register

PREVIEW = """query($id: ID!, $viewer: Audience!) {
  resourceVisibilityPreview(resourceId: $id, viewer: $viewer) {
    viewer listed shownFields withheldFields
  }
}"""

SEEN = "query($id: ID!) { resource(id: $id) { id withheldFields } }"

SETTINGS = """mutation($id: ID!, $v: Int!, $listing: Audience, $fields: [FieldAudienceInput!],
                      $partners: [ID!]) {
  setResourceVisibility(resourceId: $id, expectedVersion: $v, listing: $listing,
                        fields: $fields, partners: $partners) { version }
}"""

# GraphQL enum names of the controlled fields, by the names `withheldFields` uses.
FIELD_ENUM = {
    "description": "DESCRIPTION",
    "contact": "CONTACT",
    "address": "ADDRESS",
    "capacity": "CAPACITY",
    "schedule": "SCHEDULE",
    "eligibility": "ELIGIBILITY",
    "internalNotes": "INTERNAL_NOTES",
}


async def _narrowed_resource(api) -> tuple[str, str]:
    """A resource of ins_owner01 serving 5011031000 (where ins_region01 is), with
    ins_partner01 on its partner list and a spread of field audiences."""
    owner = api.token("ins_owner01", "REGISTRANT")
    created = await register(api, owner, regions=["5011031000"])
    await api.ok(
        SETTINGS,
        {
            "id": created["id"],
            "v": created["version"],
            "listing": "AUTHENTICATED",
            "fields": [
                {"field": "DESCRIPTION", "audience": "REGION"},
                {"field": "CONTACT", "audience": "PARTNERS"},
                {"field": "ADDRESS", "audience": "OWNER"},
            ],
            "partners": ["ins_partner01"],
        },
        owner,
    )
    return created["id"], owner


async def test_preview_matches_what_each_kind_of_viewer_gets(api):
    resource_id, owner = await _narrowed_resource(api)
    viewers = {
        "PUBLIC": None,
        "AUTHENTICATED": api.token("ins_other001"),
        "REGION": api.token("ins_region01"),
        "PARTNERS": api.token("ins_partner01"),
        "OWNER": api.token("ins_owner01"),
    }
    for kind, token in viewers.items():
        preview = (await api.ok(PREVIEW, {"id": resource_id, "viewer": kind}, owner))[
            "resourceVisibilityPreview"
        ]
        seen = (await api.ok(SEEN, {"id": resource_id}, token))["resource"]
        assert preview["viewer"] == kind
        assert preview["listed"] == (seen is not None), kind
        if seen is None:
            assert preview["shownFields"] == []
            assert sorted(preview["withheldFields"]) == sorted(FIELD_ENUM.values())
            continue
        withheld = sorted(FIELD_ENUM[name] for name in seen["withheldFields"])
        assert sorted(preview["withheldFields"]) == withheld, kind
        assert sorted(preview["shownFields"] + preview["withheldFields"]) == sorted(
            FIELD_ENUM.values()
        )
    # The settings above give each kind a different answer, so the loop compared real cases.
    public = await api.ok(PREVIEW, {"id": resource_id, "viewer": "PUBLIC"}, owner)
    assert public["resourceVisibilityPreview"]["listed"] is False
    region = await api.ok(PREVIEW, {"id": resource_id, "viewer": "REGION"}, owner)
    assert "DESCRIPTION" in region["resourceVisibilityPreview"]["shownFields"]
    assert "CONTACT" in region["resourceVisibilityPreview"]["withheldFields"]


async def test_anyone_but_the_owner_gets_what_an_unknown_id_gets(api):
    resource_id, _ = await _narrowed_resource(api)
    # Hidden from anonymous callers entirely; listed to ins_other001 but not theirs.
    hidden = await _narrowed_resource(api)
    owner = api.token("ins_owner01", "REGISTRANT")
    await api.ok(
        SETTINGS,
        {"id": hidden[0], "v": 2, "listing": "OWNER"},
        owner,
    )
    unknown = "res_000000000000"
    callers = {
        "anonymous": None,
        "outsider": api.token("ins_other001", "REGISTRANT", "ADMIN"),
        "partner": api.token("ins_partner01", "REGISTRANT"),
    }
    for name, token in callers.items():
        answers = []
        for ident in (resource_id, hidden[0], unknown):
            body = await api(PREVIEW, {"id": ident, "viewer": "OWNER"}, token)
            answers.append(body)
        assert answers[0] == answers[1] == answers[2], name
        assert answers[2] == {"data": {"resourceVisibilityPreview": None}}, name


async def test_a_malformed_id_is_refused_alike_for_everyone(api):
    for token in (None, api.token("ins_owner01", "REGISTRANT")):
        error = await api.error(PREVIEW, {"id": "nope", "viewer": "PUBLIC"}, token)
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
