"""Runs drawn intake-area scenarios (tests.support.intake_visibility) on the server under test:
each through the public API, as the institutions it names, recording in the oracle's terms
what it left (who holds which record, which grants live). A step the rules refuse is checked
to be refused as the docs say (an unknown recipient's NOT_FOUND, BAD_USER_INPUT, …)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support import applications as apl
from tests.support import conferences as cnf
from tests.support import crisis_reports as crr
from tests.support import intakes as itk
from tests.support.intake_visibility import ALL, OFFICES, Person, Record
from tests.support.recipients import CONSENT, REVOKE, new_recipient, person

UNKNOWN_RECIPIENT = "rcp_doesnotexist00"
OPEN_CASE = """mutation($r: ID!, $g: [String!]) { openCase(recipientId: $r,
  programme: CRISIS_HOUSEHOLD, goals: $g) { id version } }"""
ADD_PARTICIPANT = """mutation($c: ID!, $i: ID!) { addCaseParticipant(caseId: $c,
  institutionId: $i, expectedVersion: 1) { version } }"""
ADD_NOTE = """mutation($c: ID!, $t: String!, $a: NoteAudience!) { addCaseNote(caseId: $c, text: $t,
  audience: $a) { id } }"""
CARE_PLAN = """mutation($c: ID!, $v: Int!) { updateCarePlan(caseId: $c, expectedVersion: $v,
  carePlan: "주 2회 방문") { version } }"""
CLOSE_CASE = """mutation($c: ID!, $v: Int!) { closeCase(caseId: $c, reason: "목표 달성",
  expectedVersion: $v) { status } }"""
ADD_MEMBER = """mutation($c: ID!, $v: Int!, $i: ID!) { addConferenceMember(conferenceId: $c,
  expectedVersion: $v, institutionId: $i) { version } }"""
# A person a report may name: known to Hanaro (registered by ins_owner01) or not.
KNOWN = {"name": "현은비", "address": "제주시 한림읍 한림로 7"}
CONFERENCE_REGION = {itk.CENTRE: "5011025000", itk.CITY_HALL: "5011054000"}


def _code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


class World:
    """Every record the scenarios made, with the people they are about."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.people: list[Person] = []
        self.records: list[Record] = []
        self.receipts: list[str] = []  # every reportCrisis response, as sent
        self.refusals: list[str] = []  # … for a place no office covers
        self.untracked: list[Person] = []  # people the checks leave alone (see `person`)
        self.revocations: list[tuple[Person, str]] = []  # consents to revoke once all is built

    def token(self, institution: str, role: str = "CASEWORKER") -> str:
        return str(self.api.token(institution, role))

    async def ok(self, query: str, variables: dict[str, Any], institution: str) -> Any:
        data = await self.api.ok(query, variables, self.token(institution))
        return next(iter(data.values()))

    async def refused(
        self, query: str, variables: dict[str, Any], institution: str, code: str
    ) -> dict[str, Any]:
        body = await self.api(query, variables, self.token(institution))
        assert _code(body) == code and body["data"] is None, (query, variables, body)
        return dict(body["errors"][0])

    async def person(self, registrar: str, home: str, name: str | None = None) -> Person:
        """A recipient the registrar registers; with a `name` of its own, one the checks leave
        alone (a report may name it: what a reporter writes is theirs)."""
        marker = uuid.uuid4().hex
        found = Person("", marker, registrar, home)
        rid = await new_recipient(
            self.api, self.token(registrar), name=name or found.name, address=found.address,
            regionCode=home,
        )  # fmt: skip
        found.id = rid
        (self.people if name is None else self.untracked).append(found)
        return found

    async def consent(self, who: Person, scope: set[str], institutions: set[str]) -> str:
        variables = {"input": {"recipientId": who.id, "scope": sorted(scope),
                               "institutions": sorted(institutions),
                               "validUntil": "2099-01-01T00:00:00Z"}}  # fmt: skip
        made = await self.ok(CONSENT, variables, who.registrar)
        for institution in institutions:
            who.grant(f"consent {made['id']}", institution, scope)
        return str(made["id"])

    async def unknown_alike(
        self, query: str, variables: dict[str, Any], hidden: str, institution: str
    ) -> None:
        """Naming a recipient the institution may not read fails as naming no one does."""
        body = await self.api(query, variables, self.token(institution))
        missing = await self.api(
            query,
            {"input": {**variables["input"], "recipientId": UNKNOWN_RECIPIENT}},
            self.token(institution),
        )
        assert _code(body) == _code(missing) == "NOT_FOUND", body
        assert body["data"] is None and missing["data"] is None
        assert (
            body["errors"][0]["message"].replace(hidden, UNKNOWN_RECIPIENT)
            == (missing["errors"][0]["message"])
        )

    async def intake(self, s: dict[str, Any]) -> None:
        creator, home, marker = s["creator"], s["home"], uuid.uuid4().hex
        picked = s["pickUpAtTake"] and s["path"] in {"picked", "closed"}
        fields = {"situation": f"SIT-{marker}", "urgency": "URGENT" if s["urgent"] else "ROUTINE",
                  "consentObtained": s["consentObtained"], "pickUp": picked}  # fmt: skip
        registrar, given = s["registrar"] or creator, None
        if s["registrar"] is None:
            new = Person("", uuid.uuid4().hex, creator, home)
            details = person(name=new.name, address=new.address, regionCode=home)
            taken = await self.ok(itk.TAKE, {"input": itk.intake_input(person=details, **fields)},
                                  creator)  # fmt: skip
            new.id = taken["recipient"]["id"]
            self.people.append(new)
            who = new
        else:
            who = await self.person(registrar, home)
            variables = {"input": itk.intake_input(recipientId=who.id, **fields)}
            if registrar != creator and s["consent"] is None:
                await self.unknown_alike(itk.TAKE, variables, who.id, creator)
                return
            if registrar != creator:
                given = await self.consent(who, {"IDENTITY", "NEEDS", *s["consent"]}, {creator})
            taken = await self.ok(itk.TAKE, variables, creator)
        iid = taken["id"]
        who.intakes.append(iid)
        record = Record("intake", iid, marker, who, status=taken["status"], queue=[creator])
        self.records.append(record)
        if s["shareWith"] is not None:
            await self.consent(who, s["shareWith"][1], {s["shareWith"][0]})
        version, path = 1, s["path"]
        if path in {"picked", "closed"} and not picked:
            await self.ok(itk.PICK_UP, {"id": iid, "v": version}, creator)
            version += 1
        if path == "planned":
            plan = {"goals": [f"PLAN-{marker}"], "items": []}
            await self.ok(itk.PLAN, {"id": iid, "v": version, "plan": plan}, creator)
        if path == "closed":
            closed = await self.ok(itk.CLOSE, {"id": iid, "v": version, "action": "ANSWERED"},
                                   creator)  # fmt: skip
            assert closed["status"] == "CLOSED"
        if path.startswith("handed"):
            offices = OFFICES[home]
            centre = offices[0] if offices else None
            if centre is None or centre == creator:
                await self.refused(itk.HAND_OVER, {"id": iid, "v": 1}, creator, "BAD_USER_INPUT")
                path = "open"
            else:
                moved = await self.ok(itk.HAND_OVER, {"id": iid, "v": 1}, creator)
                assert moved["holder"] == {"id": centre}
                record.queue = [centre]
                who.grant(f"intake {iid}", centre, {"IDENTITY", "CONTACT", "NEEDS"})
            if path == "handed_closed":
                await self.ok(itk.PICK_UP, {"id": iid, "v": 2}, record.queue[0])
                await self.ok(itk.CLOSE, {"id": iid, "v": 3, "action": "ANSWERED"},
                              record.queue[0])  # fmt: skip
                who.revoke(f"intake {iid}")
        record.status = {
            "closed": "CLOSED",
            "handed_closed": "CLOSED",
            "picked": "IN_PROGRESS",
        }.get(path, "OPEN")
        record.escalates = s["urgent"] and record.status == "OPEN"
        if s["revoke"] and given is not None:
            self.revocations.append((who, given))

    async def revoke(self, who: Person, consent: str) -> None:
        """Effective on the next request (docs/recipients.md)."""
        await self.ok(REVOKE, {"id": consent}, who.registrar)
        who.revoke(f"consent {consent}")

    def escalated(self) -> None:
        """What the escalation did (docs/intake.md): an URGENT intake nobody picked up joins
        the queues of the offices responsible for the person's home (but its holder), which
        read the person (identity, contact, needs) until it is closed."""
        for record in self.records:
            if record.kind != "intake" or not record.escalates:
                continue
            assert record.person is not None
            targets = [o for o in OFFICES[record.person.home] if o != record.queue[0]]
            record.queue += [o for o in targets if o not in record.queue]
            for office in targets:
                record.person.grant(f"intake {record.id}", office, {"IDENTITY", "CONTACT", "NEEDS"})

    async def application(self, s: dict[str, Any]) -> None:
        taker, registrar, marker = s["creator"], s["registrar"], uuid.uuid4().hex
        who = await self.person(registrar, s["home"])
        documents = ["APPLICATION_FORM"] + (["CRISIS_EVIDENCE"] if s["complete"] else [])
        variables = {"input": {"recipientId": who.id, "programId": "prg_emergency",
                               "documents": documents, "note": f"NOTE-{marker}"}}  # fmt: skip
        if registrar != taker and s["consent"] is None:
            await self.unknown_alike(apl.TAKE, variables, who.id, taker)
            return
        if registrar != taker:
            given = await self.consent(who, {"IDENTITY", *s["consent"]}, {taker})
            if s["revoke"]:  # the taker still reads its application, no longer the person
                self.revocations.append((who, given))
        taken = await self.ok(apl.TAKE, variables, taker)
        aid = taken["id"]
        record = Record("application", aid, marker, who, status="RECEIVED", parties=[taker])
        self.records.append(record)
        if s["path"] == "received":
            return
        offices = OFFICES[s["home"]]
        if not s["complete"] or not offices:
            await self.refused(apl.FORWARD, {"id": aid, "v": 1}, taker, "BAD_USER_INPUT")
            return
        office = offices[0]
        forwarded = await self.ok(apl.FORWARD, {"id": aid, "v": 1}, taker)
        assert forwarded["forwardedTo"] == {"id": office}
        record.parties.append(office)
        record.status = "FORWARDED"
        who.grant(f"application {aid}", office, {"IDENTITY", "NEEDS"})
        if s["path"] == "forwarded":
            return
        await self.ok(apl.REVIEW, {"id": aid, "v": 2}, office)
        record.status = "IN_REVIEW"
        if s["path"] == "review":
            return
        decision = {"d": "GRANTED"} if s["path"] == "granted" else {
            "d": "REFUSED", "reason": f"WHY-{marker}"
        }  # fmt: skip
        await self.ok(apl.DECIDE, {"id": aid, "v": 3, **decision}, office)
        record.status = "DECIDED"
        who.revoke(f"application {aid}")

    async def report(self, s: dict[str, Any]) -> None:
        marker = uuid.uuid4().hex
        about = f"{KNOWN['name']} 어르신, {KNOWN['address']}" if s["known"] else "처음 보는 분"
        contact = {"name": f"REPORTER-{marker}", "phone": "010-2580-1470"}
        variables = {"input": crr.report(regionCode=s["region"], observed=f"OBS-{marker} {about}",
                                         address=f"PLACE-{marker}", reporter=contact,
                                         contactAgreed=s["contactAgreed"])}  # fmt: skip
        reporter = s["reporter"]
        token = self.token(*reporter) if reporter else None
        response = await self.api.raw(crr.REPORT, variables, token)
        rows = await self.api.runtime.backends.graph.run(
            "MATCH (c:CrisisReport) WHERE c.observed STARTS WITH $o RETURN c.id AS id",
            {"o": f"OBS-{marker}"},
        )
        offices = OFFICES[s["region"]]
        if not offices:  # refused, nothing stored: it would reach no one
            (error,) = response.json()["errors"]
            assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.regionCode"}
            assert rows == []
            self.refusals.append(response.text)
            return
        self.receipts.append(response.text)
        record = Record("report", rows[0]["id"], marker, parties=offices[:1], status="RECEIVED")
        if not s["contactAgreed"]:
            record.never.append(contact["name"])
        self.records.append(record)
        office, rid, path = offices[0], record.id, s["path"]
        if path == "no_action":
            closing = {"id": rid, "v": 1, "o": "NO_ACTION", "reason": f"WHY-{marker}"}
            record.status = (await self.ok(crr.CLOSE, closing, office))["status"]
            return
        if path == "received":
            return
        record.status = (await self.ok(crr.VISIT, {"id": rid, "v": 1}, office))["status"]
        if path == "visited":
            return
        record.status = (await self.ok(crr.ASSESS, {"id": rid, "v": 2}, office))["status"]
        if path == "intake":
            closing = {"id": rid, "v": 3, "o": "INTAKE", "i": "itk_00000000000000000000001"}
            record.status = (await self.ok(crr.CLOSE, closing, office))["status"]

    async def conference(self, s: dict[str, Any]) -> None:
        organiser, marker = s["organiser"], uuid.uuid4().hex
        members = sorted(s["members"] - {organiser})
        region = "50110" if s["city"] else CONFERENCE_REGION[organiser]
        data = {"name": f"CNF-{marker}", "regionCode": region,
                "members": [] if s["addedLater"] else members}  # fmt: skip
        made = await self.ok(cnf.CREATE, {"input": data}, organiser)
        cid, version = made["id"], 1
        if s["addedLater"]:
            for member in members:
                await self.ok(ADD_MEMBER, {"c": cid, "v": version, "i": member}, organiser)
                version += 1
        everyone = [organiser, *members]
        record = Record("conference", cid, marker, parties=everyone)
        self.records.append(record)
        session = (await self.ok(cnf.SCHEDULE, {"c": cid}, organiser))["id"]
        for tabled in s["cases"]:
            await self.table(record, session, tabled)
        if not s["held"]:
            return
        decisions = [
            {"description": f"ACT-{marker}-{n}", "assigneeId": everyone[n % len(everyone)],
             "due": "2026-12-31", "caseId": case}
            for n, case in enumerate([*record.tabled, None])
        ]  # fmt: skip
        held = await self.ok(
            cnf.MINUTES, {"s": session, "v": 1 + len(record.tabled), "d": decisions}, organiser
        )
        by_description = {a["description"]: a for a in held["actions"]}
        for decision in decisions:
            action = by_description[decision["description"]]
            record.actions.append((action["id"], decision["assigneeId"], decision["caseId"]))

    async def table(self, conference: Record, session: str, t: dict[str, Any]) -> None:
        """The lead opens a case for a person it registers and tables it (docs/intake.md: an
        open case's lead, a member, with the person's live consent or a legal basis)."""
        lead, marker = t["lead"], uuid.uuid4().hex
        who = await self.person(lead, "5011025000")
        case = await self.ok(OPEN_CASE, {"r": who.id, "g": [f"GOAL-{marker}"]}, lead)
        who.cases.append(case["id"])
        self.records.append(Record("case", case["id"], marker, who, parties=[lead]))
        for audience in ("LEAD_ONLY", "PARTICIPANTS"):
            text = f"{audience}-{marker}"
            await self.ok(ADD_NOTE, {"c": case["id"], "t": text, "a": audience}, lead)
        version = case["version"]
        if t["participant"] and t["participant"] != lead:
            added = await self.ok(ADD_PARTICIPANT, {"c": case["id"], "i": t["participant"]}, lead)
            version = added["version"]
            who.grant(f"case {case['id']}", t["participant"], ALL)
        basis: dict[str, Any] = {"legal": "사회보장급여법 제41조"} if t["basis"] == "legal" else {}
        if t["basis"] == "consent":
            basis = {"consent": await self.consent(who, t["consentScope"], t["consentTo"])}
        variables = {"s": session, "k": case["id"], **basis}
        if t["basis"] == "none":
            await self.refused(cnf.TABLE, variables, lead, "BAD_USER_INPUT")
        elif lead not in conference.parties:  # the session does not exist for a non-member
            await self.refused(cnf.TABLE, variables, lead, "NOT_FOUND")
        else:
            await self.ok(cnf.TABLE, variables, lead)
            conference.tabled.append(case["id"])
        if t["closed"]:  # closing ends the participants' access (docs/recipients.md)
            planned = await self.ok(CARE_PLAN, {"c": case["id"], "v": version}, lead)
            await self.ok(CLOSE_CASE, {"c": case["id"], "v": planned["version"]}, lead)
            who.revoke(f"case {case['id']}")

    async def build(self, scenario: dict[str, Any]) -> None:
        await getattr(self, scenario["kind"])(scenario)
