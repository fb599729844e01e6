"""Integrated case management (사례관리) in GraphQL: cases, notes and their workflow
(OPEN -> ACTIVE -> CLOSED). Cases are reached through an entitled recipient or returned by
their own mutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import cases as resolve_cases
from resolvers import institutions as resolve_institutions
from resolvers.context import RequestContext
from resolvers.loaders import CaseNoteKey
from resolvers.validation import check_id
from schema.institutions import Institution
from schema.permissions import SignedIn, gate

__all__ = ["Case", "CaseMutation", "CaseNote"]


@strawberry.enum(description="Who may read a case note.")
class NoteAudience(Enum):
    LEAD_ONLY = "LEAD_ONLY"
    PARTICIPANTS = "PARTICIPANTS"


@strawberry.enum
class CaseStatus(Enum):
    OPEN = "OPEN"
    ACTIVE = "ACTIVE"
    CLOSED = "CLOSED"


@strawberry.enum(description="Case-management programmes (사례관리): 8 public, 3 private.")
class Programme(Enum):
    CRISIS_HOUSEHOLD = "CRISIS_HOUSEHOLD"
    ELDERLY_LIVING_ALONE = "ELDERLY_LIVING_ALONE"
    DREAM_START = "DREAM_START"
    VISITING_HEALTH = "VISITING_HEALTH"
    SELF_SUFFICIENCY = "SELF_SUFFICIENCY"
    MENTAL_HEALTH = "MENTAL_HEALTH"
    ADDICTION = "ADDICTION"
    MEDICAL_AID = "MEDICAL_AID"
    WELFARE_CENTER = "WELFARE_CENTER"
    FOSTER_CARE = "FOSTER_CARE"
    CHILD_INDEPENDENCE = "CHILD_INDEPENDENCE"


@strawberry.type
class CaseNote:
    id: strawberry.ID
    text: str
    audience: NoteAudience
    author: str
    created_at: datetime
    author_institution_id: strawberry.Private[str]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> CaseNote:
        return cls(
            id=strawberry.ID(record["id"]),
            text=record["text"],
            audience=NoteAudience(record["audience"]),
            author=record["author"],
            created_at=datetime.fromisoformat(record["createdAt"]),
            author_institution_id=record["authorInstitutionId"],
        )

    @strawberry.field
    async def author_institution(self, info: Info[RequestContext, None]) -> Institution | None:
        row = await resolve_institutions.load_institution(info.context, self.author_institution_id)
        return Institution.from_record(row) if row else None


@strawberry.federation.type(
    keys=["id"], description="Integrated case management (사례관리) for one recipient."
)
class Case:
    id: strawberry.ID
    programme: Programme
    status: CaseStatus
    goals: list[str]
    care_plan: str | None
    version: int
    opened_at: datetime
    closed_at: datetime | None
    close_reason: str | None
    recipient_id: strawberry.Private[str]
    lead_id: strawberry.Private[str]
    participant_ids: strawberry.Private[list[str]]
    notes_allowed: strawberry.Private[bool]

    @classmethod
    def from_record(cls, record: dict[str, Any], *, notes_allowed: bool) -> Case:
        return cls(
            id=strawberry.ID(record["id"]),
            programme=Programme(record["programme"]),
            status=CaseStatus(record["status"]),
            goals=list(record.get("goals") or []),
            care_plan=record.get("carePlan"),
            version=record["version"],
            opened_at=datetime.fromisoformat(record["openedAt"]),
            closed_at=datetime.fromisoformat(record["closedAt"])
            if record.get("closedAt")
            else None,
            close_reason=record.get("closeReason"),
            recipient_id=record["recipientId"],
            lead_id=record["leadInstitutionId"],
            participant_ids=list(record.get("participants") or []),
            notes_allowed=notes_allowed,
        )

    @strawberry.field
    async def lead(self, info: Info[RequestContext, None]) -> Institution | None:
        row = await resolve_institutions.load_institution(info.context, self.lead_id)
        return Institution.from_record(row) if row else None

    @strawberry.field
    async def participants(self, info: Info[RequestContext, None]) -> list[Institution]:
        rows = await info.context.loaders.institutions_by_id.load_many(self.participant_ids)
        return [Institution.from_record(r) for r in rows if r]

    @strawberry.field(
        description="Notes you may read: all of them for the lead; PARTICIPANTS notes for "
        "anyone whose access includes CASE_NOTES."
    )
    async def notes(self, info: Info[RequestContext, None]) -> list[CaseNote]:
        key = CaseNoteKey(str(self.id), self.recipient_id if self.notes_allowed else "")
        rows = await info.context.loaders.case_notes_by_case.load(key)
        return [CaseNote.from_record(r) for r in rows]

    @classmethod
    async def resolve_reference(
        cls, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Case | None:
        """`_entities`: for viewers who may read the recipient's HISTORY, audited; all
        representations in one round trip."""
        check_id("Case", id)
        record = await info.context.loaders.cases_by_id.load(str(id))
        if record is None:
            return None
        return cls.from_record(record, notes_allowed=record["notesAllowed"])


_CHANGING = "changing a case"


@strawberry.type
class CaseMutation:
    @strawberry.mutation(
        description="Open a case; your institution leads it.",
        extensions=[gate(SignedIn, "opening a case")],
    )
    async def open_case(
        self,
        info: Info[RequestContext, None],
        recipient_id: strawberry.ID,
        programme: Programme,
        goals: list[str] | None = None,
        needs: list[str] | None = None,
    ) -> Case:
        record = await resolve_cases.open_case(
            info.context, recipient_id, programme.value, goals or [], needs
        )
        return Case.from_record(record, notes_allowed=True)

    @strawberry.mutation(
        description="Add a participating institution (lead only).",
        extensions=[gate(SignedIn, _CHANGING)],
    )
    async def add_case_participant(
        self,
        info: Info[RequestContext, None],
        case_id: strawberry.ID,
        institution_id: strawberry.ID,
        expected_version: int,
    ) -> Case:
        record = await resolve_cases.add_case_participant(
            info.context, case_id, institution_id, expected_version
        )
        return Case.from_record(record, notes_allowed=True)

    @strawberry.mutation(
        description="Set the care plan (lead only); an OPEN case becomes ACTIVE.",
        extensions=[gate(SignedIn, _CHANGING)],
    )
    async def update_care_plan(
        self,
        info: Info[RequestContext, None],
        case_id: strawberry.ID,
        expected_version: int,
        care_plan: str,
        goals: list[str] | None = None,
    ) -> Case:
        record = await resolve_cases.update_care_plan(
            info.context, case_id, expected_version, care_plan, goals
        )
        return Case.from_record(record, notes_allowed=True)

    @strawberry.mutation(
        description="Close an ACTIVE case (lead only), with the reason.",
        extensions=[gate(SignedIn, _CHANGING)],
    )
    async def close_case(
        self,
        info: Info[RequestContext, None],
        case_id: strawberry.ID,
        reason: str,
        expected_version: int,
    ) -> Case:
        record = await resolve_cases.close_case(info.context, case_id, reason, expected_version)
        return Case.from_record(record, notes_allowed=True)

    @strawberry.mutation(
        description="Add a note to a case (lead and participants).",
        extensions=[gate(SignedIn, "adding a case note")],
    )
    async def add_case_note(
        self,
        info: Info[RequestContext, None],
        case_id: strawberry.ID,
        text: str,
        audience: NoteAudience = NoteAudience.PARTICIPANTS,
    ) -> CaseNote:
        record = await resolve_cases.add_case_note(info.context, case_id, text, audience.value)
        return CaseNote.from_record(record)
