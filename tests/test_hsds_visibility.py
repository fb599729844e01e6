"""Visibility on the HSDS feed: the seven viewers of tests/support/visibility.py over every
/hsds list and record. Resources with random settings (hypothesis) carry a unique marker per
controlled field; the oracle (`relation`, independent of graph.access) says who may see what,
and no response byte may hold a hidden marker, a hidden resource or its ids."""

from __future__ import annotations

import json
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings

from hsds.ids import derived_uuid
from tests.support.hsds import check_one, check_page
from tests.support.resources import register
from tests.support.search import settled
from tests.support.visibility import (
    AUDIENCES,
    DEFAULTS,
    FIELDS,
    VIEWERS,
    relation,
    scenarios,
    secrets_for,
)

OWNER_ORG = derived_uuid("institution", "ins_owner01")
# Fields the feed carries when admitted; internal notes never leave Hanaro.
EXPORTED = ("description", "contact", "address", "capacity", "schedule", "eligibility")


def admitted(viewer: tuple[str, str] | None, scenario: dict[str, Any], field_name: str) -> bool:
    audience = scenario["audiences"].get(field_name) or DEFAULTS[field_name]
    rel = relation(viewer, "ins_owner01", scenario["served"], scenario["partners"])
    return rel >= AUDIENCES.index(audience)


def listed(viewer: tuple[str, str] | None, scenario: dict[str, Any]) -> bool:
    rel = relation(viewer, "ins_owner01", scenario["served"], scenario["partners"])
    return rel >= AUDIENCES.index(scenario["listing"])


def hidden_texts(scenario: dict[str, Any], field_name: str) -> list[str]:
    """How a field's marker would appear in a response (capacity: as the JSON number)."""
    value = scenario["values"][field_name]
    return [f'"maximum": {value}', f'"available": {value}'] if field_name == "capacity" else [value]


async def walk(client, url: str, headers: dict[str, str], kind: str) -> tuple[list[Any], list[str]]:
    """Every page of a list: the items and the response texts."""
    items: list[Any] = []
    texts: list[str] = []
    page = 1
    while True:
        response = await client.get(
            f"{url}{'&' if '?' in url else '?'}per_page=100&page={page}", headers=headers
        )
        assert response.status_code == 200, (url, response.text)
        body = response.json()
        items += check_page(body, kind)
        texts.append(json.dumps(body, ensure_ascii=False))
        if body["last_page"] or body["empty"]:
            assert body["total_items"] == len(items), (url, headers)
            return items, texts
        page += 1


async def test_hidden_values_and_records_never_reach_the_feed(api, client):
    owner = api.token("ins_owner01", "REGISTRANT")
    created: list[dict[str, Any]] = []

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(scenario=scenarios)
    def examples(scenario: dict[str, Any]) -> None:
        created.append(scenario)

    examples()
    for scenario in created:
        marker = uuid.uuid4().hex
        values = secrets_for(marker)
        resource = await register(
            api,
            owner,
            name=f"NAME-{marker}",
            description=f"{values['description']} zebradesc",
            regions=scenario["served"],
            contact={"phone": "064-000-0000", "person": values["contact"]},
            address={"text": values["address"], "lat": 33.4, "lon": 126.3},
            capacity={"total": int(values["capacity"]), "available": 1},
            schedule=values["schedule"],
            eligibility={"minAge": 1, "notes": f"{values['eligibility']} zebraelig"},
            internalNotes=values["internalNotes"],
            visibility={
                "listing": scenario["listing"],
                "fields": [{"field": k, "audience": v} for k, v in scenario["fields"].items()],
                "partners": scenario["partners"],
            },
        )
        scenario.update(
            id=resource["id"],
            hsds=derived_uuid("resource", resource["id"]),
            marker=marker,
            values=values,
            audiences={FIELDS[k]: v for k, v in scenario["fields"].items()},
        )
    await settled(api.runtime)

    for name, viewer in VIEWERS.items():
        headers = {"Authorization": f"Bearer {api.token(*viewer)}"} if viewer else {}
        visible = {s["hsds"] for s in created if listed(viewer, s)}
        located = {
            s["hsds"] for s in created if listed(viewer, s) and admitted(viewer, s, "address")
        }
        described = {
            s["hsds"] for s in created if listed(viewer, s) and admitted(viewer, s, "description")
        }
        texts: list[str] = []

        for url, kind in (
            ("/hsds/services?full=true", "service"),
            ("/hsds/services", "service_list"),
            (f"/hsds/services?organization_id={OWNER_ORG}&full=true", "service"),
        ):
            items, pages = await walk(client, url, headers, kind)
            assert sorted(i["id"] for i in items) == sorted(visible), (name, url)
            texts += pages
        found, pages = await walk(
            client, "/hsds/services?search=zebradesc", headers, "service_list"
        )
        assert {i["id"] for i in found} == described, name
        texts += pages
        for url in (
            "/hsds/service_at_locations?full=true",
            "/hsds/service_at_locations?lat=33.4&lon=126.3&proximity=5000&full=true",
        ):
            items, pages = await walk(client, url, headers, "service_at_location")
            assert sorted(i["service_id"] for i in items) == sorted(located), (name, url)
            texts += pages
        orgs, pages = await walk(
            client, "/hsds/organizations?full_service=true", headers, "organization"
        )
        texts += pages
        mine = next(o for o in orgs if o["id"] == OWNER_ORG)
        assert sorted(s["id"] for s in mine.get("services", [])) == sorted(visible), name
        response = await client.get(
            f"/hsds/organizations/{OWNER_ORG}?full_service=true", headers=headers
        )
        texts.append(response.text)

        for scenario in created:
            response = await client.get(f"/hsds/services/{scenario['hsds']}", headers=headers)
            texts.append(response.text)
            if not listed(viewer, scenario):
                assert response.status_code == 404, (name, scenario)
                continue
            shown = response.json()
            check_one("service", shown)
            one = json.dumps(shown, ensure_ascii=False)
            for field_name in EXPORTED:
                present = all(t in one for t in hidden_texts(scenario, field_name)[:1])
                assert present == admitted(viewer, scenario, field_name), (name, field_name)

        everything = "\n".join(texts)
        for scenario in created:
            assert scenario["values"]["internalNotes"] not in everything, name
            if scenario["hsds"] not in visible:
                for secret in (scenario["marker"], scenario["hsds"], scenario["id"]):
                    assert secret not in everything, (name, scenario)
                continue
            for field_name in EXPORTED:
                if not admitted(viewer, scenario, field_name):
                    for text in hidden_texts(scenario, field_name):
                        assert text not in everything, (name, field_name, scenario)
