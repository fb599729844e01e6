"""Visibility (공개 범위): registrants set who sees each resource and field, and nothing hidden
reaches anyone outside its audience by any query path.

The property test generates resources with random settings (at registration, or set later on
resources that enrollments and referrals already point at) and checks every response byte of
every list, search, suggestion, single, entity and nested path (institution, enrollment and
referral -> resource) against an oracle written here, independent of `graph.access` and of the
index's audience query; search scores and distances may follow an address only where it is
shown."""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings

from tests.support.membership import ENROLL
from tests.support.recipients import new_recipient
from tests.support.referrals import CREATE as CREATE_REFERRAL
from tests.support.resources import register
from tests.support.search import settled
from tests.support.visibility import (
    AUDIENCES,
    DEFAULTS,
    FIELDS,
    PLACES,
    REGION_CHAINS,
    SET_VISIBILITY,
    VIEWERS,
    relation,
    scenarios,
    secrets_for,
    urgent_to_owner,
)

ALL_FIELDS = """id name description schedule internalNotes withheldFields
  contact { phone email person } address { text lat lon }
  capacity { total available } eligibility { minAge notes }
  visibility { listing partners }"""


SEARCH_ALL = f"""query($input: ResourceSearchInput!) {{ searchResources(input: $input) {{
  totalCount pageInfo {{ hasNextPage endCursor }}
  facets {{ needs {{ code count }} regions {{ code count }} kinds {{ value count }} }}
  hits {{ resource {{ {ALL_FIELDS} }} score distanceKm eligibility highlights {{ field fragments }}
          reasons {{ code message }} }} }} }}"""


def admits(viewer: tuple[str, str] | None, scenario: dict[str, Any], field_name: str) -> bool:
    audience = scenario["audiences"].get(field_name) or DEFAULTS[field_name]
    rel = relation(viewer, "ins_owner01", scenario["served"], scenario["partners"])
    return rel >= AUDIENCES.index(audience)


async def check_search_paths(
    api: Any,
    token: str | None,
    viewer: tuple[str, str] | None,
    visible: list[dict[str, Any]],
    name: str,
) -> list[str]:
    """searchResources: hits, counts and facets hold exactly the listed resources, and text,
    capacity, distance and eligibility criteria use only the fields the viewer may see.
    Returns the response bodies, for the hidden-value scan."""
    bodies: list[str] = []

    async def run(criteria: dict[str, Any]) -> tuple[list[dict[str, Any]], int, dict[str, Any]]:
        hits: list[dict[str, Any]] = []
        after, total, facets = None, -1, {}
        while True:
            body = await api(
                SEARCH_ALL, {"input": {**criteria, "first": 100, "after": after}}, token
            )
            assert "errors" not in body, body
            bodies.append(json.dumps(body, ensure_ascii=False))
            result = body["data"]["searchResources"]
            total, facets = result["totalCount"], result["facets"]
            hits += result["hits"]
            if not result["pageInfo"]["hasNextPage"]:
                return hits, total, facets
            after = result["pageInfo"]["endCursor"]

    def expect(criteria: dict[str, Any], wanted: list[dict[str, Any]], label: str) -> Any:
        async def check() -> list[dict[str, Any]]:
            hits, total, _ = await run(criteria)
            found = sorted(h["resource"]["id"] for h in hits)
            assert found == sorted(s["id"] for s in wanted), (name, label)
            assert total == len(wanted), (name, label)
            return hits

        return check()

    hits, total, facets = await run({})
    assert sorted(h["resource"]["id"] for h in hits) == sorted(s["id"] for s in visible), name
    assert total == len(visible), name
    # The empty search ranks by distance from the viewer's institution: a hit's score and
    # distance may follow its place only where the viewer sees its address.
    by_id = {s["id"]: s for s in visible}
    scores: dict[str | None, set[float]] = {}
    for hit in hits:
        scenario = by_id[hit["resource"]["id"]]
        place = scenario["place"] if admits(viewer, scenario, "address") else None
        scores.setdefault(place, set()).add(hit["score"])
        if place is None:
            assert hit["distanceKm"] is None, (name, scenario)
    assert all(len(values) == 1 for values in scores.values()), (name, scores)
    if visible:
        assert facets["needs"] == [{"code": "DAILY_LIVING_MEALS", "count": len(visible)}], name
        served = Counter(code for s in visible for code in s["served"])
        assert {f["code"]: f["count"] for f in facets["regions"]} == dict(served), name
    else:
        assert facets == {"needs": [], "regions": [], "kinds": []}, name
    await expect(
        {"text": "zebradesc"}, [s for s in visible if admits(viewer, s, "description")], "text"
    )
    await expect(
        {"text": "zebraelig"}, [s for s in visible if admits(viewer, s, "eligibility")], "notes"
    )
    await expect(
        {"hasCapacity": True}, [s for s in visible if admits(viewer, s, "capacity")], "capacity"
    )
    near = await expect(
        {"near": {"lat": PLACES["near"][0], "lon": PLACES["near"][1], "radiusKm": 5}},
        [s for s in visible if admits(viewer, s, "address") and s["place"] == "near"],
        "near",
    )
    assert all(h["distanceKm"] == 0 for h in near), name
    person = await expect(
        {"person": {"age": 0}}, [s for s in visible if not admits(viewer, s, "eligibility")], "age"
    )
    assert all(h["eligibility"] == "WITHHELD" for h in person), name
    return bodies


SUGGEST = """query($prefix: String!) { suggest(prefix: $prefix, first: 20) { kind id label } }"""


async def check_suggestions(
    api: Any, token: str | None, visible: list[dict[str, Any]], name: str
) -> list[str]:
    """suggest: for each prefix of the names (NAME-<marker>), exactly the listed resources
    whose name begins with it (all are active), by longer prefixes where a page would not
    hold them all. Returns the response bodies, for the hidden-name scan."""
    bodies: list[str] = []

    async def walk(prefix: str) -> None:
        wanted = sorted(
            s["id"] for s in visible if f"name-{s['marker']}".startswith(prefix.lower())
        )
        if len(wanted) >= 20:
            for digit in "0123456789abcdef":
                await walk(prefix + digit)
            return
        body = await api(SUGGEST, {"prefix": prefix}, token)
        assert "errors" not in body, body
        bodies.append(json.dumps(body, ensure_ascii=False))
        found = sorted(i["id"] for i in body["data"]["suggest"] if i["kind"] == "RESOURCE")
        assert found == wanted, (name, prefix)

    for digit in "0123456789abcdef":
        await walk(f"NAME-{digit}")
    return bodies


LINKED_RESOURCE = f"resource {{ {ALL_FIELDS} }}"
ENROLLMENTS = f"""query($id: ID!) {{ recipient(id: $id) {{
  enrollments {{ id {LINKED_RESOURCE} }} }} }}"""
REFERRALS = """query($after: String) {{ {box}(first: 100, after: $after) {{
  pageInfo {{ hasNextPage endCursor }} edges {{ node {{ id {linked} }} }} }} }}"""


async def link(
    api: Any, resource_id: str, staff: dict[str, str], people: dict[str, str]
) -> dict[str, set[str]]:
    """An enrollment in the resource for the recipient of each test institution, and a referral
    to its owner from each other one; returns their ids with the institutions that hold them."""
    ids: dict[str, set[str]] = {}
    for institution, token in staff.items():
        enrollment = {"recipientId": people[institution], "resourceId": resource_id}
        enrolled = await api.ok(ENROLL, {"input": {**enrollment, "start": "2026-01-05"}}, token)
        ids[enrolled["recordEnrollment"]["id"]] = {institution}
        if institution == "ins_owner01":
            continue
        referral = urgent_to_owner(people[institution], resourceId=resource_id)
        sent = await api.ok(CREATE_REFERRAL, {"input": referral}, token)
        ids[sent["createReferral"]["id"]] = {institution, "ins_owner01"}
    return ids


async def linked_resources(
    api: Any, token: str, institution: str, person: str
) -> tuple[dict[str, dict[str, Any] | None], list[str]]:
    """The resource of every enrollment of the institution's recipient and of every referral
    it sent or (the owner) received, by enrollment or referral id; and the response bodies."""
    found: dict[str, dict[str, Any] | None] = {}
    body = await api(ENROLLMENTS, {"id": person}, token)
    assert "errors" not in body, body
    bodies = [json.dumps(body, ensure_ascii=False)]
    for row in body["data"]["recipient"]["enrollments"]:
        found[row["id"]] = row["resource"]
    box = "referralsInbox" if institution == "ins_owner01" else "referralsSent"
    query = REFERRALS.format(box=box, linked=LINKED_RESOURCE)
    after = None
    while True:
        body = await api(query, {"after": after}, token)
        assert "errors" not in body, body
        bodies.append(json.dumps(body, ensure_ascii=False))
        page = body["data"][box]
        found |= {edge["node"]["id"]: edge["node"]["resource"] for edge in page["edges"]}
        if not page["pageInfo"]["hasNextPage"]:
            return found, bodies
        after = page["pageInfo"]["endCursor"]


def leaked(value: str, text: str) -> str | None:
    """Where a withheld value stands in a response, with some context, or None. A number
    (capacity) counts only as a whole number: the digits of a float (a score, a distance)
    may spell it by chance — OpenSearch's scores carry more digits than osmem's, and a run
    on the local engines once found a capacity inside one."""
    pattern = rf"(?<![0-9.]){re.escape(value)}(?![0-9])" if value.isdigit() else re.escape(value)
    match = re.search(pattern, text)
    return text[max(0, match.start() - 160) : match.end() + 40] if match else None


def check_shown(
    name: str, rel: int, scenario: dict[str, Any], shown: dict[str, Any], texts: list[str]
) -> None:
    """A listed resource as one path showed it: every field inside its audience, none outside
    (and no withheld value in any response)."""
    assert shown["id"] == scenario["id"], (name, scenario)
    withheld = []
    for field_name, value in scenario["values"].items():
        audience = scenario["audiences"].get(field_name) or DEFAULTS[field_name]
        if rel >= AUDIENCES.index(audience):
            assert value in json.dumps(shown, ensure_ascii=False), (name, field_name)
        else:
            withheld.append(field_name)
            assert shown[field_name] is None, (name, field_name, scenario)
            for text in texts:
                found = leaked(value, text)
                assert found is None, (name, field_name, found, scenario)
    assert sorted(shown["withheldFields"]) == sorted(withheld), (name, scenario)
    assert (shown["visibility"] is not None) == (rel == 4), (name, scenario)


async def test_hidden_values_and_records_reach_no_one(api):
    tokens = {name: api.token(*viewer) if viewer else None for name, viewer in VIEWERS.items()}
    owner = api.token("ins_owner01", "REGISTRANT")
    staff = {institution: api.token(institution, "CASEWORKER") for institution in REGION_CHAINS}
    people = {institution: await new_recipient(api, token) for institution, token in staff.items()}
    created: list[dict[str, Any]] = []
    links: dict[str, dict[str, Any]] = {}  # enrollment or referral id -> its resource's scenario
    holders: dict[str, set[str]] = {}  # enrollment or referral id -> institutions that hold it

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(scenario=scenarios)
    def examples(scenario: dict[str, Any]) -> None:
        created.append(scenario)

    examples()  # hypothesis draws the scenarios; the checks below run them on the server
    for scenario in created:
        marker = uuid.uuid4().hex
        values = secrets_for(marker)
        fields = {FIELDS[k]: v for k, v in scenario["fields"].items()}
        lat, lon = PLACES[scenario["place"]]
        visibility = {
            "listing": scenario["listing"],
            "fields": [{"field": k, "audience": v} for k, v in scenario["fields"].items()],
            "partners": scenario["partners"],
        }
        resource = await register(
            api,
            owner,
            name=f"NAME-{marker}",
            description=f"{values['description']} zebradesc",
            regions=scenario["served"],
            contact={"phone": "064-000-0000", "person": values["contact"]},
            address={"text": values["address"], "lat": lat, "lon": lon},
            capacity={"total": int(values["capacity"]), "available": 1},
            schedule=values["schedule"],
            eligibility={"minAge": 1, "notes": f"{values['eligibility']} zebraelig"},
            internalNotes=values["internalNotes"],
            **({} if scenario["later"] else {"visibility": visibility}),
        )
        if scenario["later"]:
            for linked, held_by in (await link(api, resource["id"], staff, people)).items():
                links[linked], holders[linked] = scenario, held_by
            await api.ok(SET_VISIBILITY, {"id": resource["id"], "v": 1, **visibility}, owner)
        scenario.update(id=resource["id"], marker=marker, values=values, audiences=fields)

    await settled(api.runtime)
    for name, viewer in VIEWERS.items():
        token = tokens[name]
        visible = [
            s
            for s in created
            if relation(viewer, "ins_owner01", s["served"], s["partners"])
            >= AUDIENCES.index(s["listing"])
        ]
        # Every list path, with and without filters, and its count, walked page by page.
        bodies = []
        for query in (
            f"""query($after: String) {{ resources(first: 60, after: $after) {{
                   totalCount pageInfo {{ hasNextPage endCursor }}
                   edges {{ node {{ {ALL_FIELDS} }} }} }} }}""",
            f"""query($after: String) {{ resources(first: 60, after: $after,
                   filter: {{institutions: ["ins_owner01"], needs: ["DAILY_LIVING"],
                             regions: ["50"]}}) {{
                   totalCount pageInfo {{ hasNextPage endCursor }}
                   edges {{ node {{ {ALL_FIELDS} }} }} }} }}""",
            f"""query($after: String) {{ institution(id: "ins_owner01") {{
                   resources(first: 60, after: $after) {{
                   totalCount pageInfo {{ hasNextPage endCursor }}
                   edges {{ node {{ {ALL_FIELDS} }} }} }} }} }}""",
        ):
            after, listed_ids = None, []
            while True:
                body = await api(query, {"after": after}, token)
                assert "errors" not in body, body
                data = body["data"]
                page = data.get("resources") or data["institution"]["resources"]
                assert page["totalCount"] == len(visible), name
                listed_ids += [edge["node"]["id"] for edge in page["edges"]]
                bodies.append(json.dumps(body, ensure_ascii=False))
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            assert sorted(listed_ids) == sorted(s["id"] for s in visible), name
        bodies += await check_search_paths(api, token, viewer, visible, name)
        bodies += await check_suggestions(api, token, visible, name)
        # Nested paths: enrollment.resource and referral.resource, for the staff whose
        # institution holds the recipient or the referral.
        linked: dict[str, dict[str, Any] | None] = {}
        if viewer is not None:
            linked, linked_bodies = await linked_resources(api, token, viewer[0], people[viewer[0]])
            bodies += linked_bodies
            assert set(linked) == {i for i in links if viewer[0] in holders[i]}, name
        for scenario in created:
            one = await api(
                f"query($id: ID!) {{ resource(id: $id) {{ {ALL_FIELDS} }} }}",
                {"id": scenario["id"]},
                token,
            )
            entity = await api(
                f"""query($r: [_Any!]!) {{ _entities(representations: $r) {{
                      ... on Resource {{ {ALL_FIELDS} }} }} }}""",
                {"r": [{"__typename": "Resource", "id": scenario["id"]}]},
                token,
            )
            texts = [
                *bodies,
                json.dumps(one, ensure_ascii=False),
                json.dumps(entity, ensure_ascii=False),
            ]
            through = [shown for i, shown in linked.items() if links[i] is scenario]
            rel = relation(viewer, "ins_owner01", scenario["served"], scenario["partners"])
            listed = rel >= AUDIENCES.index(scenario["listing"])
            if not listed:
                assert one == {"data": {"resource": None}}, (name, scenario)
                assert entity == {"data": {"_entities": [None]}}, (name, scenario)
                assert through == [None] * len(through), (name, scenario)
                for text in texts:
                    assert scenario["marker"] not in text, (name, scenario)
                continue
            check_shown(name, rel, scenario, one["data"]["resource"], texts)
            for shown in [entity["data"]["_entities"][0], *through]:
                check_shown(name, rel, scenario, shown, [])
