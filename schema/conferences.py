"""Regional care conferences (지역케어회의) in GraphQL: conferences, sessions, tabled cases
(each `case` resolved through the case access rules: null for a member that may not read it),
minutes, and the actions decided, which each institution works in `conferenceActions`."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import conferences as resolve
from resolvers import institutions as resolve_institutions
from resolvers.context import RequestContext
from resolvers.validation import check_id
from schema.cases import Case
from schema.inputs import input_to_dict
from schema.institutions import Institution
from schema.pagination import Connection, connection
from schema.permissions import DoesCasework, OrganisesConferences, SignedIn, gate, withheld
from schema.regions import Region

__all__ = ["Conference", "ConferenceMutation", "ConferenceQuery"]


async def _institution(info: Info[RequestContext, None], ident: str | None) -> Institution | None:
    row = await resolve_institutions.load_institution(info.context, ident) if ident else None
    return Institution.from_record(row) if row else None


async def _case(info: Info[RequestContext, None], case_id: str | None) -> Case | None:
    """Through the case access rules (HISTORY of the recipient; audited), batched."""
    if not case_id:
        return None
    record = await info.context.loaders.cases_by_id.load(case_id)
    return Case.from_record(record, notes_allowed=record["notesAllowed"]) if record else None


@strawberry.enum
class SessionStatus(Enum):
    SCHEDULED = "SCHEDULED"
    HELD = "HELD"


@strawberry.enum
class ActionStatus(Enum):
    OPEN = "OPEN"
    DONE = "DONE"


@strawberry.enum(description="Why the person's case may be discussed: their consent, or the law.")
class TablingBasis(Enum):
    CONSENT = "CONSENT"
    LEGAL_BASIS = "LEGAL_BASIS"


@strawberry.type(description="A decision of a conference: who does what by when.")
class ConferenceAction:
    id: strawberry.ID
    description: str
    due: date
    status: ActionStatus
    version: int
    conference_name: str
    record: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> ConferenceAction:
        return cls(
            id=strawberry.ID(r["id"]), description=r["description"],
            due=date.fromisoformat(r["due"]), status=ActionStatus(r["status"]),
            version=r["version"], conference_name=r["conferenceName"], record=r,
        )  # fmt: skip

    @strawberry.field(description="Still open after its due date.")
    def overdue(self, info: Info[RequestContext, None]) -> bool:
        return (
            self.status is ActionStatus.OPEN
            and self.record["dueMs"] < info.context.services.clock()
        )

    @strawberry.field
    async def assignee(self, info: Info[RequestContext, None]) -> Institution | None:
        return await _institution(info, self.record["assignee"])

    @strawberry.field(description="The case it is about, if you may read it.")
    async def case(self, info: Info[RequestContext, None]) -> Case | None:
        return await _case(info, self.record.get("caseId"))


@strawberry.type
class TabledCase:
    basis: TablingBasis
    legal_basis: str | None
    tabled_at: datetime
    tabled_by_id: strawberry.Private[str]
    case_id: strawberry.Private[str]

    @strawberry.field
    async def tabled_by(self, info: Info[RequestContext, None]) -> Institution | None:
        return await _institution(info, self.tabled_by_id)

    @strawberry.field(description="The case, through the case access rules (null otherwise).")
    async def case(self, info: Info[RequestContext, None]) -> Case | None:
        return await _case(info, self.case_id)


@strawberry.type
class ConferenceSession:
    id: strawberry.ID
    scheduled_at: datetime
    place: str | None
    status: SessionStatus
    version: int
    minutes: str | None
    tabled_cases: list[TabledCase]

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> ConferenceSession:
        return cls(
            id=strawberry.ID(r["id"]), scheduled_at=datetime.fromisoformat(r["scheduledAt"]),
            place=r.get("place"), status=SessionStatus(r["status"]), version=r["version"],
            minutes=r.get("minutes"),
            tabled_cases=[
                TabledCase(basis=TablingBasis(t["basis"]), legal_basis=t["legalBasis"],
                           tabled_at=datetime.fromisoformat(t["tabledAt"]),
                           tabled_by_id=t["tabledBy"], case_id=t["caseId"])
                for t in r["tablings"]
            ],
        )  # fmt: skip

    @strawberry.field(description="The decisions taken at this session.")
    async def actions(self, info: Info[RequestContext, None]) -> list[ConferenceAction]:
        rows = await info.context.loaders.conference_actions_by_session.load(str(self.id))
        return [ConferenceAction.from_record(r) for r in rows]


@strawberry.type(description="A regional care conference (지역케어회의); members only.")
class Conference:
    id: strawberry.ID
    name: str
    version: int
    record: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> Conference:
        return cls(id=strawberry.ID(r["id"]), name=r["name"], version=r["version"], record=r)

    @strawberry.field
    def region(self, info: Info[RequestContext, None]) -> Region | None:
        row = info.context.services.regions.by_code.get(self.record["regionCode"])
        return Region.from_record(row) if row else None

    @strawberry.field
    async def organiser(self, info: Info[RequestContext, None]) -> Institution | None:
        return await _institution(info, self.record["organiser"])

    @strawberry.field
    async def members(self, info: Info[RequestContext, None]) -> list[Institution]:
        rows = await info.context.loaders.institutions_by_id.load_many(self.record["members"])
        return [Institution.from_record(r) for r in rows if r]

    @strawberry.field(description="Sessions, earliest first.")
    async def sessions(self, info: Info[RequestContext, None]) -> list[ConferenceSession]:
        rows = await info.context.loaders.conference_sessions_by_conference.load(str(self.id))
        return [ConferenceSession.from_record(r) for r in rows]


@strawberry.input
class CreateConferenceInput:
    name: str
    region_code: str = strawberry.field(description="The 시군구 or 읍면동 it is of.")
    members: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input
class DecisionInput:
    description: str
    assignee_id: strawberry.ID
    due: date
    case_id: strawberry.ID | None = None


@strawberry.type
class ConferenceQuery:
    @strawberry.field(
        description="Conferences your institution is a member of.", extensions=[withheld(SignedIn)]
    )
    async def conferences(
        self, info: Info[RequestContext, None], first: int = 20, after: str | None = None
    ) -> Connection[Conference]:
        page = await resolve.list_conferences(info.context, first, after)
        return connection(page, Conference.from_record)

    @strawberry.field(extensions=[withheld(SignedIn)])
    async def conference(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Conference | None:
        check_id("Conference", id)
        found = await resolve.get_conferences(info.context, [str(id)])
        record = found.get(str(id))
        return Conference.from_record(record) if record else None

    @strawberry.field(
        description="Conference actions assigned to your institution (worklist).",
        extensions=[withheld(SignedIn)],
    )
    async def conference_actions(
        self,
        info: Info[RequestContext, None],
        status: list[ActionStatus] | None = None,
        overdue: bool | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[ConferenceAction]:
        statuses = [s.value for s in status] if status else None
        page = await resolve.list_actions(info.context, statuses, overdue, first, after)
        return connection(page, ConferenceAction.from_record)


@strawberry.type
class ConferenceMutation:
    @strawberry.mutation(
        description="Organise a conference (주민센터, 시청).",
        extensions=[gate(OrganisesConferences, "organising a care conference")],
    )
    async def create_conference(
        self, info: Info[RequestContext, None], input: CreateConferenceInput
    ) -> Conference:
        record = await resolve.create_conference(info.context, input_to_dict(input))
        return Conference.from_record(record)

    @strawberry.mutation(
        description="Add a member (organiser only).",
        extensions=[gate(DoesCasework, "changing a care conference")],
    )
    async def add_conference_member(
        self, info: Info[RequestContext, None], conference_id: strawberry.ID,
        expected_version: int, institution_id: strawberry.ID,
    ) -> Conference:  # fmt: skip
        record = await resolve.add_member(
            info.context, conference_id, expected_version, institution_id
        )
        return Conference.from_record(record)

    @strawberry.mutation(
        description="Schedule a session (organiser only).",
        extensions=[gate(DoesCasework, "scheduling a care conference")],
    )
    async def schedule_conference_session(
        self, info: Info[RequestContext, None], conference_id: strawberry.ID,
        scheduled_at: datetime, place: str | None = None,
    ) -> ConferenceSession:  # fmt: skip
        record = await resolve.schedule_session(info.context, conference_id, scheduled_at, place)
        return ConferenceSession.from_record(record)

    @strawberry.mutation(
        description="Table a case you lead, with the person's consent (consentId) or a legal "
        "basis; audited.",
        extensions=[gate(DoesCasework, "tabling a case")],
    )
    async def table_case(
        self, info: Info[RequestContext, None], session_id: strawberry.ID,
        case_id: strawberry.ID, consent_id: strawberry.ID | None = None,
        legal_basis: str | None = None,
    ) -> ConferenceSession:  # fmt: skip
        record = await resolve.table_case(
            info.context, session_id, case_id, consent_id, legal_basis
        )
        return ConferenceSession.from_record(record)

    @strawberry.mutation(
        description="Record the minutes and the decisions (organiser only).",
        extensions=[gate(DoesCasework, "recording minutes")],
    )
    async def record_conference_minutes(
        self, info: Info[RequestContext, None], session_id: strawberry.ID,
        expected_version: int, minutes: str, decisions: list[DecisionInput] | None = None,
    ) -> ConferenceSession:  # fmt: skip
        items = [input_to_dict(d) for d in decisions or []]
        record = await resolve.record_minutes(
            info.context, session_id, expected_version, minutes, items
        )
        return ConferenceSession.from_record(record)

    @strawberry.mutation(
        description="Mark an action of yours done.",
        extensions=[gate(DoesCasework, "completing a conference action")],
    )
    async def complete_conference_action(
        self, info: Info[RequestContext, None], id: strawberry.ID, expected_version: int,
        note: str | None = None,
    ) -> ConferenceAction:  # fmt: skip
        record = await resolve.complete_action(info.context, id, expected_version, note)
        return ConferenceAction.from_record(record)
