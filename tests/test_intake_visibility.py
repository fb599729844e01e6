"""Who sees intakes, crisis reports, applications and care conferences (issue 23), as a
property: hypothesis draws scenarios over the four kinds — which institution creates them, for
whom (a person of its own, of another institution with or without consent, or a new one), the
place of a report and its office, conference members and tabled cases with and without a
basis, applications forwarded to the responsible office, the transitions taken, escalation —
runs them on the server, then walks every read path as each viewer and holds the answers to
the oracle of tests/support/intake_visibility.py (written from docs/intake.md and
docs/recipients.md, not from graph.access):

- lists (queue, reports, applications both ways, conferences, actions, recipients), their
  counts and pages hold exactly what the viewer may read, in order;
- a record the viewer may not read answers, byte for byte, as an unknown id does (queries,
  `_entities`, the recipient 360° view and `eligiblePrograms`, a mutation naming it); where
  it may, each path shows what its rules give (a tabled case and its notes only to the
  person's readers, the person only in the categories the viewer reads);
- no response to a viewer holds a marker planted in a record it may not read, nor the
  reporter's contact when they did not agree to it being kept;
- whoever reports, about whomever, gets the same receipt (and a place no office covers, the
  same refusal, with nothing stored)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings

from graph.institutions import upsert_institutions
from resolvers.crisis_report_limiter import ReportLimiter
from tests.support.crisis_reports import FIELDS as REPORT_FIELDS
from tests.support.intake_visibility import PROVINCE_OFFICE, VIEWERS, Record, scenarios
from tests.support.intake_world import KNOWN, World
from tests.support.intakes import add_offices
from tests.support.recipients import audit_events
from tests.support.referrals import Clock

INTAKE = """id status situation escalated plan { goals } history { note }
  holder { id } recipient { id name address }"""
APPLICATION = """id status note reason history { note } takenBy { id } forwardedTo { id }
  recipient { id name address }"""
CASE = "id goals status notes { text audience }"
CONFERENCE = f"""id name members {{ id }} sessions {{ id place minutes
  tabledCases {{ basis case {{ {CASE} }} }}
  actions {{ id description assignee {{ id }} case {{ {CASE} }} }} }}"""
ACTION = f"id description conferenceName assignee {{ id }} case {{ {CASE} }}"

# kind -> its root field, fields, an unknown id of its format, its `_entities` type.
SINGLE = {
    "intake": ("intake", INTAKE, "itk_00000000000000000000000", "Intake"),
    "application": ("application", APPLICATION, "apl_00000000000000000000000", "Application"),
    "report": ("crisisReport", REPORT_FIELDS, "crr_00000000000000000000000", None),
    "conference": ("conference", CONFERENCE, "cnf_00000000000000000000000", None),
    "case": (None, CASE, "cas_00000000000000000000000", "Case"),  # no root field
}
# The 360° view, and which programmes to apply for (the applications' first step).
RECIPIENT = f"""query($id: ID!) {{ recipient(id: $id) {{ id name address
  intakes {{ {INTAKE} }} cases {{ {CASE} }} }}
  eligiblePrograms(recipientId: $id) {{ status program {{ id }} }} }}"""
UNKNOWN_RECIPIENT = "rcp_doesnotexist00"
# Lists: root field, node fields, arguments, newest first (else oldest or id order first).
LISTS = {
    "intake queue": ("intakeQueue", INTAKE, "", False),
    "crisis reports": ("crisisReports", REPORT_FIELDS, "", False),
    "applications taken": ("applications", APPLICATION, "side: TAKEN", True),
    "applications to decide": ("applications", APPLICATION, "side: FORWARDED_TO_US", True),
    "conferences": ("conferences", CONFERENCE, "", False),
    "conference actions": ("conferenceActions", ACTION, "", False),
    "recipients": ("recipients", "id name address intakes { id situation } cases { id goals }",
                   "", False),
}  # fmt: skip
# A mutation naming a record, for those who may not read it (hidden and unknown ids fail
# alike: for them it does not exist, docs/intake.md).
MUTATIONS = {
    "intake": "mutation($id: ID!) { pickUpIntake(id: $id, expectedVersion: 1) { id } }",
    "application": """mutation($id: ID!) { startApplicationReview(id: $id, expectedVersion: 2) {
      id } }""",
    "report": "mutation($id: ID!) { recordCrisisVisit(id: $id, expectedVersion: 1) { id } }",
    "conference": """mutation($id: ID!) { scheduleConferenceSession(conferenceId: $id,
      scheduledAt: "2026-12-10T05:00:00Z") { id } }""",
}
PAGE = 3


async def walk(api: Any, name: str, token: str | None, bodies: list[str]) -> tuple[list[str], int]:
    """Every page of a list, `PAGE` at a time: the ids in order and the count."""
    root, fields, args, _ = LISTS[name]
    query = f"""query($after: String) {{ {root}({args}{", " if args else ""}first: {PAGE},
      after: $after) {{ totalCount pageInfo {{ hasNextPage endCursor }}
      edges {{ node {{ {fields} }} }} }} }}"""
    ids: list[str] = []
    after, total = None, -1
    while True:
        response = await api.raw(query, {"after": after}, token)
        bodies.append(response.text)
        body = response.json()
        assert "errors" not in body, (name, body)
        page = body["data"][root]
        total = page["totalCount"]
        ids += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return ids, total
        after = page["pageInfo"]["endCursor"]


def expected_lists(world: World, institution: str | None) -> dict[str, list[str]]:
    """What each list holds for the viewer's institution (docs/intake.md)."""
    kinds: dict[str, list[Record]] = {}
    for record in world.records:
        kinds.setdefault(record.kind, []).append(record)
    actions = [a for c in kinds.get("conference", []) for a in c.actions if a[1] == institution]
    return {
        "intake queue": [r.id for r in kinds.get("intake", []) if r.queued(institution)],
        "crisis reports": [r.id for r in kinds.get("report", []) if r.readable(institution)],
        "applications taken": [
            r.id for r in kinds.get("application", []) if r.parties[0] == institution
        ],
        "applications to decide": [
            r.id for r in kinds.get("application", []) if r.parties[1:] == [institution]
        ],
        "conferences": [r.id for r in kinds.get("conference", []) if r.readable(institution)],
        "conference actions": [a[0] for a in actions],
        "recipients": [p.id for p in world.people + world.untracked if p.allowed(institution)],
    }


class Viewer:
    """One viewer's walk: every response it got, and the unknown ids' answers to compare."""

    def __init__(self, api: Any, world: World, name: str) -> None:
        self.api, self.world, self.name = api, world, name
        found = VIEWERS[name]
        self.institution = found[0] if found else None
        self.token = api.token(*found) if found else None
        self.bodies: list[str] = []
        self.unknown: dict[str, str] = {}
        self.cases = {r.id: r for r in world.records if r.kind == "case"}

    async def text(self, query: str, variables: dict[str, Any]) -> str:
        response = await self.api.raw(query, variables, self.token)
        self.bodies.append(response.text)
        return response.text

    async def answer(self, query: str, variables: dict[str, Any], unknown: dict[str, Any]) -> Any:
        """The answer, or None when it is exactly what the unknown id's is."""
        key = query + json.dumps(unknown)
        if key not in self.unknown:
            self.unknown[key] = await self.text(query, unknown)
        text = await self.text(query, variables)
        return None if text == self.unknown[key] else json.loads(text)

    async def lists(self) -> None:
        for name, wanted in expected_lists(self.world, self.institution).items():
            ids, total = await walk(self.api, name, self.token, self.bodies)
            # Ids begin with the (here fixed) time, so the order is the ids'.
            assert ids == sorted(wanted, reverse=LISTS[name][3]), (self.name, name, ids)
            assert total == len(wanted), (self.name, name)

    async def record(self, record: Record) -> None:
        root, fields, unknown, typename = SINGLE[record.kind]
        readable = record.readable(self.institution)
        # The record by id and as an entity, in one request: both answer as for an unknown id.
        parts, params = [], []
        if root is not None:
            parts.append(f"one: {root}(id: $id) {{ {fields} }}")
            params.append("$id: ID!")
        if typename is not None:
            parts.append(
                f"entity: _entities(representations: $r) {{ ... on {typename} {{ {fields} }} }}"
            )
            params.append("$r: [_Any!]!")
        query = f"query({', '.join(params)}) {{ {' '.join(parts)} }}"

        def variables(ident: str) -> dict[str, Any]:
            return {"id": ident, "r": [{"__typename": typename, "id": ident}]}

        got = await self.answer(query, variables(record.id), variables(unknown))
        assert (got is not None) == readable, (self.name, record, got)
        shown = [got["data"]["one"]] if got and root else []
        shown += [got["data"]["entity"][0]] if got and typename else []
        for node in shown:
            assert node["id"] == record.id and record.marker in json.dumps(node), self.name
            if "status" in node and record.kind != "case":
                assert node["status"] == record.status, (self.name, record, node)
            if record.kind == "intake":
                assert record.person is not None
                assert node["escalated"] == record.escalates, (self.name, record)
                self.recipient_shown(record, node["recipient"])
            if record.kind == "application":
                self.recipient_shown(record, node["recipient"])
            if record.kind == "conference":
                self.conference_shown(record, node)
            if record.kind == "case":
                self.case_shown(record.id, node)
        if record.kind in MUTATIONS and not readable:
            await self.refused_alike(MUTATIONS[record.kind], record.id, unknown)

    def recipient_shown(self, record: Record, shown: dict[str, Any] | None) -> None:
        assert record.person is not None
        allowed = record.person.allowed(self.institution)
        if not allowed:
            assert shown is None, (self.name, record)
            return
        assert shown is not None, (self.name, record)
        assert shown["name"] == (record.person.name if "IDENTITY" in allowed else None)
        assert shown["address"] == (record.person.address if "CONTACT" in allowed else None)

    def case_shown(self, ident: str | None, node: dict[str, Any] | None) -> None:
        """A case, where a path shows one: to the recipient's HISTORY readers only, with the
        notes they read."""
        case = self.cases.get(ident or "")
        if case is None or not case.readable(self.institution):
            assert node is None, (self.name, ident, node)
            return
        assert node is not None and node["id"] == case.id, (self.name, case)
        assert sorted(n["text"] for n in node["notes"]) == case.notes(self.institution)

    def conference_shown(self, record: Record, node: dict[str, Any]) -> None:
        (session,) = node["sessions"]
        tabled = [t["case"] for t in session["tabledCases"]]
        assert len(tabled) == len(record.tabled), (self.name, record)
        for ident, shown_case in zip(record.tabled, tabled, strict=True):
            self.case_shown(ident, shown_case)
        actions = {a["id"]: a for a in session["actions"]}
        assert sorted(actions) == sorted(a[0] for a in record.actions), (self.name, record)
        for ident, assignee, case in record.actions:
            assert actions[ident]["assignee"] == {"id": assignee}
            self.case_shown(case, actions[ident]["case"])

    async def refused_alike(self, mutation: str, hidden: str, unknown: str) -> None:
        """The whole answer, byte for byte but for the id it names: an error, no data."""
        text = await self.text(mutation, {"id": hidden})
        if mutation not in self.unknown:
            self.unknown[mutation] = await self.text(mutation, {"id": unknown})
        assert text.replace(hidden, unknown) == self.unknown[mutation], (self.name, text)
        body = json.loads(text)
        assert body["data"] is None and len(body["errors"]) == 1, (self.name, body)

    async def people(self) -> None:
        """The 360° view: a person the viewer may not read answers as an unknown id; else
        what its categories allow, with every intake and case when it reads HISTORY."""
        for person in self.world.people:
            allowed = person.allowed(self.institution)
            got = await self.answer(RECIPIENT, {"id": person.id}, {"id": UNKNOWN_RECIPIENT})
            assert (got is not None) == bool(allowed), (self.name, person)
            if got is None:
                continue
            assert "errors" not in got and got["data"]["eligiblePrograms"], (self.name, got)
            shown, history = got["data"]["recipient"], "HISTORY" in allowed
            assert shown["name"] == (person.name if "IDENTITY" in allowed else None), self.name
            # Intakes hold what the person said: read under NEEDS, listed with HISTORY.
            listed = history and "NEEDS" in allowed
            intakes = [i["id"] for i in shown["intakes"]] if listed else shown["intakes"]
            cases = [c["id"] for c in shown["cases"]] if history else shown["cases"]
            wanted = sorted(person.intakes, reverse=True) if listed else None
            assert intakes == wanted, (self.name, person, allowed, shown)
            assert cases == (sorted(person.cases) if history else None), self.name
            for case in shown["cases"] or []:
                self.case_shown(case["id"], case)

    def secrets(self) -> None:
        """No planted value outside what the viewer reads, in any response it got."""
        hidden = [v for r in self.world.records for v in r.never]
        hidden += [r.marker for r in self.world.records if not r.readable(self.institution)]
        for case in self.cases.values():
            shown = case.notes(self.institution) if case.readable(self.institution) else []
            notes = [f"{audience}-{case.marker}" for audience in ("LEAD_ONLY", "PARTICIPANTS")]
            hidden += [note for note in notes if note not in shown]
        for person in self.world.people:
            allowed = person.allowed(self.institution)
            hidden += [] if "IDENTITY" in allowed else [person.name]
            hidden += [] if "CONTACT" in allowed else [person.address]
        text = "\n".join(self.bodies)
        for value in hidden:
            assert value not in text, (self.name, value, text[text.find(value) - 300 :][:400])


async def test_intake_area_records_reach_exactly_their_readers(api):
    await add_offices(api)
    await upsert_institutions(api.runtime.backends.graph, [PROVINCE_OFFICE], "2026-01-01T00:00:00Z")
    api.runtime.services.crisis_reports = ReportLimiter(10_000)
    api.runtime.services.intake_escalation_minutes = 30
    clock = Clock(api)
    drawn: list[tuple[dict[str, Any], ...]] = []

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(scenario=scenarios)
    def examples(scenario: tuple[dict[str, Any], ...]) -> None:
        drawn.append(scenario)

    examples()  # hypothesis draws the scenarios; they run on the server below
    world = World(api)
    known = await world.person("ins_owner01", "5011025000", name=KNOWN["name"])
    for scenario in (one for each in drawn for one in each):
        await world.build(scenario)
    for person, consent in world.revocations:
        await world.revoke(person, consent)
    clock.advance(31 * 60_000)
    await api.runtime.escalation.run_once()
    world.escalated()
    # The reporter learns nothing: one receipt, whoever reported about whomever.
    assert len(set(world.receipts)) == 1, world.receipts
    assert len(set(world.refusals)) <= 1, world.refusals  # a place no office covers
    # … and nothing about the person a report names was read to make the receipt.
    assert len(await audit_events(api, known.id)) == 1  # the registration
    for name in VIEWERS:
        viewer = Viewer(api, world, name)
        await viewer.lists()
        for record in world.records:
            await viewer.record(record)
        await viewer.people()
        viewer.secrets()
