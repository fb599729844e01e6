"""setResourceVisibility: only the owning registrant sets it, a stale version conflicts,
every change is audited and takes effect on the very next request."""

from __future__ import annotations

from tests.support.resources import register
from tests.support.visibility import SET_VISIBILITY


async def test_set_visibility_is_owner_only_atomic_and_audited(api):
    owner = api.token("ins_owner01", "REGISTRANT", subject="lee")
    resource = await register(api, owner)
    variables = {
        "id": resource["id"],
        "v": 1,
        "listing": "REGION",
        "fields": [{"field": "CONTACT", "audience": "PARTNERS"}],
        "partners": ["ins_partner01"],
    }
    for token, code in (
        (None, "UNAUTHENTICATED"),
        (api.token("ins_owner01", "CASEWORKER"), "FORBIDDEN"),
        (api.token("ins_other001", "ADMIN"), "FORBIDDEN"),
    ):
        assert (await api.error(SET_VISIBILITY, variables, token))["extensions"]["code"] == code

    data = (await api.ok(SET_VISIBILITY, variables, owner))["setResourceVisibility"]
    assert data["version"] == 2
    assert data["visibility"]["listing"] == "REGION"
    assert data["visibility"]["partners"] == ["ins_partner01"]
    fields = {f["field"]: f["audience"] for f in data["visibility"]["fields"]}
    assert fields["CONTACT"] == "PARTNERS" and fields["CAPACITY"] == "PARTNERS"

    stale = await api.error(SET_VISIBILITY, {**variables, "listing": "PUBLIC"}, owner)
    assert stale["extensions"]["code"] == "CONFLICT"
    unknown = await api.error(
        SET_VISIBILITY, {**variables, "v": 2, "partners": ["ins_nobody00"]}, owner
    )
    assert unknown["extensions"]["code"] == "BAD_USER_INPUT"

    audit = await api.runtime.backends.graph.run(
        "MATCH (a:AuditEvent {entityId: $id}) RETURN a.actor AS actor, a.operation AS op, "
        "a.before AS before, a.after AS after, a.afterPartners AS partners",
        {"id": resource["id"]},
    )
    assert len(audit) == 1
    assert audit[0]["actor"] == "lee" and audit[0]["op"] == "SET_VISIBILITY"
    assert "listing=PUBLIC" in audit[0]["before"] and "contact=AUTHENTICATED" in audit[0]["before"]
    assert "listing=REGION" in audit[0]["after"] and "contact=PARTNERS" in audit[0]["after"]
    assert audit[0]["partners"] == ["ins_partner01"]

    # Takes effect on the very next request: the 서귀포 office is neither region nor partner.
    outsider = api.token("ins_other001", "CASEWORKER")
    gone = await api.ok(
        "query($id: ID!) { resource(id: $id) { id } }", {"id": resource["id"]}, outsider
    )
    assert gone["resource"] is None
    partner = api.token("ins_partner01", "CASEWORKER")
    seen = await api.ok(
        "query($id: ID!) { resource(id: $id) { contact { phone } } }",
        {"id": resource["id"]},
        partner,
    )
    assert seen["resource"]["contact"]["phone"] == "064-796-1234"
