"""The intake-area visibility oracle, written from docs/intake.md and docs/recipients.md (not
from `graph.access`): the test institutions and viewers, the offices responsible for each
place, scenarios to draw over intakes, crisis reports, applications and care conferences, and
who may read what once a scenario has run."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from tests.support.institutions import institution
from tests.support.intakes import CENTRE, CITY_HALL

OWNER, PARTNER = "ins_owner01", "ins_partner01"
REGION_OFFICE, OTHER = "ins_region01", "ins_other001"
PROVINCE = "ins_jejuprov01"
ALL = frozenset({"IDENTITY", "CONTACT", "NEEDS", "HISTORY", "CASE_NOTES"})

# Besides the `api` fixture's four (한림읍 복지관 ins_owner01, 한경면 주민센터 ins_region01,
# 서귀포 복지관 ins_partner01 and ins_other001) and add_offices' two (한림읍 주민센터, 제주시청):
# the 도청, whose admin is the platform admin below.
PROVINCE_OFFICE = institution(PROVINCE, "5011054000", sector="PUBLIC", kind="PROVINCIAL_OFFICE")

# docs/intake.md: the 주민센터 that administers the 읍면동, then the 시청 of its 시군구. 이도2동
# has no 주민센터 (the 시청 sits there); 서귀포 has no public office in the tests.
OFFICES = {
    "5011025000": [CENTRE, CITY_HALL],
    "5011031000": [REGION_OFFICE, CITY_HALL],
    "5011054000": [CITY_HALL],
    "50110": [CITY_HALL],
    "5013025000": [],
}
# Where a recipient may live (intakes and applications go to its 주민센터).
HOMES = ["5011025000", "5011031000", "5013025000"]

# name -> (institution, roles…); reads follow the institution, whatever the roles.
VIEWERS: dict[str, tuple[str, ...] | None] = {
    "anonymous": None,
    "creating caseworker": (OWNER, "CASEWORKER"),
    "other creator": (PARTNER, "CASEWORKER"),
    "centre caseworker": (CENTRE, "CASEWORKER"),
    "centre planner": (CENTRE, "VILLAGE_PLANNER"),
    "city hall caseworker": (CITY_HALL, "CASEWORKER"),
    "한경면 office caseworker": (REGION_OFFICE, "CASEWORKER"),
    "unrelated caseworker elsewhere": (OTHER, "CASEWORKER"),
    # A 도청 admin who is a platform admin too: every role, no relation to the records.
    "platform admin": (PROVINCE, "PLATFORM_ADMIN", "ADMIN"),
}
# Who takes intakes and applications, registers recipients, leads cases.
CREATORS = [OWNER, PARTNER, CENTRE]
REGISTRARS = [OWNER, PARTNER, CENTRE, REGION_OFFICE]

_consent = st.none() | st.sets(st.sampled_from(["CONTACT", "HISTORY"]))
intakes = st.fixed_dictionaries(
    {
        "kind": st.just("intake"),
        "creator": st.sampled_from(CREATORS),
        # None: the person is registered with the intake (`person`).
        "registrar": st.none() | st.sampled_from(REGISTRARS),
        # To the creator, beyond IDENTITY and NEEDS (None: no consent).
        "consent": _consent,
        "home": st.sampled_from(HOMES),
        "urgent": st.booleans(),
        "consentObtained": st.lists(st.sampled_from(sorted(ALL)), unique=True),
        "path": st.sampled_from(["open", "picked", "planned", "closed", "handed", "handed_closed"]),
        "pickUpAtTake": st.booleans(),
        # The registrar revokes the creator's consent once every scenario has run.
        "revoke": st.booleans(),
        # A consent the registrar gives a bystander institution afterwards.
        "shareWith": st.none()
        | st.tuples(
            st.sampled_from([PARTNER, REGION_OFFICE, OTHER, CITY_HALL]),
            st.sets(st.sampled_from(["IDENTITY", "NEEDS", "HISTORY"]), min_size=1),
        ),
    }
)
applications = st.fixed_dictionaries(
    {
        "kind": st.just("application"),
        "creator": st.sampled_from(CREATORS),
        "registrar": st.sampled_from(REGISTRARS),
        "consent": st.none() | st.sets(st.sampled_from(["NEEDS", "HISTORY"])),
        "home": st.sampled_from(HOMES),
        "complete": st.booleans(),
        "revoke": st.booleans(),
        "path": st.sampled_from(["received", "forwarded", "review", "granted", "refused"]),
    }
)
reports = st.fixed_dictionaries(
    {
        "kind": st.just("report"),
        "reporter": st.sampled_from([None, (OWNER, "CASEWORKER"), (CENTRE, "VILLAGE_PLANNER"),
                                     (OTHER, "CASEWORKER")]),
        "region": st.sampled_from(list(OFFICES)),
        "known": st.booleans(),
        "contactAgreed": st.booleans(),
        "path": st.sampled_from(["received", "visited", "assessed", "no_action", "intake"]),
    }
)  # fmt: skip
_tabled = st.fixed_dictionaries(
    {
        "lead": st.sampled_from([OWNER, PARTNER]),
        "basis": st.sampled_from(["consent", "legal", "none"]),
        "consentScope": st.sets(st.sampled_from(["IDENTITY", "HISTORY", "CASE_NOTES"]),
                                min_size=1),
        "consentTo": st.sets(st.sampled_from([CENTRE, CITY_HALL, OWNER, PARTNER, REGION_OFFICE]),
                             min_size=1),
        "participant": st.none() | st.sampled_from([PARTNER, REGION_OFFICE, OTHER]),
        "closed": st.booleans(),  # once tabled (or refused)
    }
)  # fmt: skip
conferences = st.fixed_dictionaries(
    {
        "kind": st.just("conference"),
        "organiser": st.sampled_from([CENTRE, CITY_HALL]),
        "city": st.booleans(),  # of the 시군구, else of the organiser's own 읍면동
        "members": st.sets(st.sampled_from([OWNER, PARTNER, REGION_OFFICE])),
        "addedLater": st.booleans(),
        "cases": st.lists(_tabled, max_size=2),
        "held": st.booleans(),
    }
)
# One of each kind per example, so every kind gets its share of the draws.
scenarios = st.tuples(intakes, applications, reports, conferences)


@dataclass
class Person:
    """A recipient and, by source, the categories each institution may read (docs/recipients.md:
    the registering institution and those on an open case read everything; a consent, an
    intake hand-over or escalation, a forwarded application grant what they name)."""

    id: str
    marker: str
    registrar: str
    home: str
    sources: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    intakes: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:  # IDENTITY
        return f"NAME-{self.marker}"

    @property
    def address(self) -> str:  # CONTACT
        return f"ADDR-{self.marker[::-1]}"

    def grant(self, source: str, institution: str, categories: frozenset[str] | set[str]) -> None:
        self.sources[f"{source}|{institution}"] = (institution, frozenset(categories))

    def revoke(self, source: str) -> None:
        for key in [k for k in self.sources if k.startswith(f"{source}|")]:
            del self.sources[key]

    def allowed(self, institution: str | None) -> frozenset[str]:
        if institution is None:
            return frozenset()
        if institution == self.registrar:
            return ALL
        granted: set[str] = set()
        for holder, categories in self.sources.values():
            if holder == institution:
                granted |= categories
        return frozenset(granted)


@dataclass
class Record:
    """One record of the four kinds as the scenario left it; `readable` is the oracle."""

    kind: str
    id: str
    marker: str
    person: Person | None = None
    status: str = ""
    queue: list[str] = field(default_factory=list)  # intake
    parties: list[str] = field(default_factory=list)  # application, report, conference
    actions: list[tuple[str, str, str | None]] = field(default_factory=list)  # id, assignee, case
    tabled: list[str] = field(default_factory=list)  # case ids
    escalates: bool = False  # an URGENT intake nobody ever picked up, still OPEN
    never: list[str] = field(default_factory=list)  # values no one may see (not even stored)

    def readable(self, institution: str | None) -> bool:
        """docs/intake.md: an intake for its queue institutions and the recipient's HISTORY
        readers, under NEEDS; an application for its two parties; a report for the assigned
        office; a conference for its members; a case for the recipient's HISTORY readers."""
        if institution is None:
            return False
        if self.kind == "intake":
            assert self.person is not None
            allowed = self.person.allowed(institution)
            return "NEEDS" in allowed and (institution in self.queue or "HISTORY" in allowed)
        if self.kind == "case":
            assert self.person is not None
            return "HISTORY" in self.person.allowed(institution)
        return institution in self.parties

    def notes(self, institution: str | None) -> list[str]:
        """A readable case's notes the institution reads (docs/recipients.md, Case.notes): all
        for the lead, PARTICIPANTS ones for access that includes CASE_NOTES."""
        assert self.kind == "case" and self.person is not None
        if institution in self.parties:
            return [f"LEAD_ONLY-{self.marker}", f"PARTICIPANTS-{self.marker}"]
        if "CASE_NOTES" in self.person.allowed(institution):
            return [f"PARTICIPANTS-{self.marker}"]
        return []

    def queued(self, institution: str | None) -> bool:
        assert self.person is not None
        return institution in self.queue and "NEEDS" in self.person.allowed(institution)
