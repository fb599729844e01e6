"""One-stop intake (상담 접수) in GraphQL: take a first contact, work the queue, plan and close.
Intakes hold what the person said, so they are read under the recipient access check (NEEDS),
each read audited; the recipient's 360° view lists them (HISTORY)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import institutions as resolve_institutions
from resolvers import intake_workflow
from resolvers import intakes as resolve
from resolvers.context import RequestContext
from resolvers.validation import check_id
from schema.inputs import input_to_dict
from schema.institutions import Institution
from schema.pagination import Connection, connection
from schema.permissions import DoesCasework, SignedIn, gate, withheld
from schema.recipient_operations import AssessedNeedInput, RegisterRecipientInput
from schema.recipient_records import AssessedNeed, DataCategory
from schema.recipients import Recipient, requested_categories

__all__ = ["Intake", "IntakeMutation", "IntakeQuery"]


@strawberry.enum(description="How the person reached you (상담 경로).")
class IntakeChannel(Enum):
    PHONE = "PHONE"
    VISIT = "VISIT"
    WALK_IN = "WALK_IN"
    OUTREACH = "OUTREACH"


@strawberry.enum
class IntakeUrgency(Enum):
    ROUTINE = "ROUTINE"
    URGENT = "URGENT"


@strawberry.enum(description="OPEN: waiting in a queue; IN_PROGRESS: picked up; CLOSED: done.")
class IntakeStatus(Enum):
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    CLOSED = "CLOSED"


@strawberry.enum(description="What was done: answered directly, referred, or a case opened.")
class IntakeAction(Enum):
    ANSWERED = "ANSWERED"
    REFERRED = "REFERRED"
    CASE_OPENED = "CASE_OPENED"


async def _institution(info: Info[RequestContext, None], ident: str | None) -> Institution | None:
    row = await resolve_institutions.load_institution(info.context, ident) if ident else None
    return Institution.from_record(row) if row else None


@strawberry.type(description="One step of an individual plan: who does what by when.")
class PlanItem:
    description: str
    program_id: str | None
    resource_id: strawberry.ID | None
    due: date | None
    institution_id: strawberry.Private[str | None]

    @strawberry.field
    async def institution(self, info: Info[RequestContext, None]) -> Institution | None:
        return await _institution(info, self.institution_id)


@strawberry.type(description="개별 플랜: the goals and the steps agreed at intake.")
class IndividualPlan:
    goals: list[str]
    items: list[PlanItem]


@strawberry.type
class IntakeHistoryEntry:
    status: str
    at: datetime
    note: str | None
    actor: str
    institution_id: strawberry.Private[str | None]

    @strawberry.field
    async def institution(self, info: Info[RequestContext, None]) -> Institution | None:
        return await _institution(info, self.institution_id)


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@strawberry.federation.type(keys=["id"], description="A first contact (상담 접수).")
class Intake:
    id: strawberry.ID
    channel: IntakeChannel
    urgency: IntakeUrgency
    status: IntakeStatus
    version: int
    situation: str = strawberry.field(description="The situation in the person's words.")
    consent_obtained: list[DataCategory]
    escalated: bool
    action: IntakeAction | None
    action_note: str | None
    referral_id: strawberry.ID | None
    case_id: strawberry.ID | None
    created_at: datetime
    picked_up_at: datetime | None
    closed_at: datetime | None
    matched_existing: bool = strawberry.field(
        description="On takeIntake: the person was already registered and you may read them."
    )
    plan: IndividualPlan | None
    history: list[IntakeHistoryEntry]
    recipient_id: strawberry.Private[str]
    record: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> Intake:
        plan = r.get("plan")
        return cls(
            id=strawberry.ID(r["id"]),
            channel=IntakeChannel(r["channel"]),
            urgency=IntakeUrgency(r["urgency"]),
            status=IntakeStatus(r["status"]),
            version=r["version"],
            situation=r["situation"],
            consent_obtained=[DataCategory(c) for c in r.get("consentObtained") or []],
            escalated=bool(r.get("escalated")),
            action=IntakeAction(r["action"]) if r.get("action") else None,
            action_note=r.get("actionNote"),
            referral_id=r.get("referralId"),
            case_id=r.get("caseId"),
            created_at=datetime.fromisoformat(r["createdAt"]),
            picked_up_at=_time(r.get("pickedUpAt")),
            closed_at=_time(r.get("closedAt")),
            matched_existing=bool(r.get("matchedExisting")),
            plan=IndividualPlan(
                goals=plan["goals"],
                items=[
                    PlanItem(
                        description=i["description"], program_id=i.get("programId"),
                        resource_id=i.get("resourceId"),
                        due=date.fromisoformat(i["due"]) if i.get("due") else None,
                        institution_id=i.get("institutionId"),
                    )
                    for i in plan["items"]
                ],
            )
            if plan
            else None,
            history=[
                IntakeHistoryEntry(
                    status=h["status"], at=datetime.fromisoformat(h["at"]), note=h["note"],
                    actor=h["actor"], institution_id=h["institutionId"],
                )
                for h in r.get("history") or []
            ],
            recipient_id=r["recipientId"],
            record=r,
        )  # fmt: skip

    @strawberry.field(description="The basic needs survey (기초욕구 조사) of this contact.")
    def needs(self) -> list[AssessedNeed]:
        codes, severities = self.record["needCodes"], self.record["severities"]
        return [
            AssessedNeed(code=c, severity=s, note=None)
            for c, s in zip(codes, severities, strict=True)
        ]

    @strawberry.field(
        description="Minutes the person waited (or has waited so far) for someone to pick it up."
    )
    def waiting_minutes(self, info: Info[RequestContext, None]) -> int:
        end = self.record.get("pickedUpAtMs") or info.context.services.clock()
        return max(0, (int(end) - int(self.record["createdAtMs"])) // 60_000)

    @strawberry.field(description="The institution that took it.")
    async def taken_by(self, info: Info[RequestContext, None]) -> Institution | None:
        return await _institution(info, self.record["takenBy"])

    @strawberry.field(description="The institution whose queue holds it.")
    async def holder(self, info: Info[RequestContext, None]) -> Institution | None:
        return await _institution(info, self.record.get("institutionId"))

    @strawberry.field(description="The responsible offices it escalated to (if it did).")
    async def escalated_to(self, info: Info[RequestContext, None]) -> list[Institution]:
        ids = (self.record.get("escalateTo") or []) if self.escalated else []
        rows = await info.context.loaders.institutions_by_id.load_many(ids)
        return [Institution.from_record(r) for r in rows if r]

    @strawberry.field(description="The person, as your institution may read them; audited.")
    async def recipient(self, info: Info[RequestContext, None]) -> Recipient | None:
        loader = info.context.loaders.recipients_by_id(requested_categories(info))
        record = await loader.load(self.recipient_id)
        return Recipient.from_record(record) if record else None

    @classmethod
    async def resolve_reference(
        cls, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Intake | None:
        check_id("Intake", id)
        record = await info.context.loaders.intakes_by_id.load(str(id))
        return Intake.from_record(record) if record else None


@strawberry.input
class TakeIntakeInput:
    channel: IntakeChannel
    urgency: IntakeUrgency
    situation: str
    needs: list[AssessedNeedInput]
    recipient_id: strawberry.ID | None = None
    person: RegisterRecipientInput | None = strawberry.field(
        default=None, description="A person not registered yet (found by nationalId if they are)."
    )
    consent_obtained: list[DataCategory] | None = None
    pick_up: bool = strawberry.field(
        default=False, description="You handle it now (IN_PROGRESS) instead of queueing it."
    )


@strawberry.input
class PlanItemInput:
    description: str
    institution_id: strawberry.ID | None = None
    resource_id: strawberry.ID | None = None
    program_id: str | None = None
    due: date | None = None


@strawberry.input
class IndividualPlanInput:
    goals: list[str]
    items: list[PlanItemInput]


@strawberry.type
class IntakeQuery:
    @strawberry.field(
        description="Your institution's intake queue, oldest first, each read audited.",
        extensions=[withheld(SignedIn)],
    )
    async def intake_queue(
        self,
        info: Info[RequestContext, None],
        status: list[IntakeStatus] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Intake]:
        statuses = [s.value for s in status] if status else None
        page = await resolve.intake_queue(info.context, statuses, first, after)
        return connection(page, Intake.from_record)

    @strawberry.field(
        description="An intake of your queue or of a recipient whose history you read.",
        extensions=[withheld(SignedIn)],
    )
    async def intake(self, info: Info[RequestContext, None], id: strawberry.ID) -> Intake | None:
        check_id("Intake", id)
        record = await info.context.loaders.intakes_by_id.load(str(id))
        return Intake.from_record(record) if record else None


_CHANGING = "changing an intake"


@strawberry.type
class IntakeMutation:
    @strawberry.mutation(
        description="Record a first contact (상담 접수).",
        extensions=[gate(DoesCasework, "taking an intake")],
    )
    async def take_intake(self, info: Info[RequestContext, None], input: TakeIntakeInput) -> Intake:
        return Intake.from_record(await resolve.take_intake(info.context, input_to_dict(input)))

    @strawberry.mutation(
        description="Pick up an OPEN intake of your queue.",
        extensions=[gate(DoesCasework, _CHANGING)],
    )
    async def pick_up_intake(
        self, info: Info[RequestContext, None], id: strawberry.ID, expected_version: int
    ) -> Intake:
        record = await intake_workflow.change_intake(info.context, "PICK_UP", id, expected_version)
        return Intake.from_record(record)

    @strawberry.mutation(
        description="Hand it to the 주민센터 responsible for the person's home.",
        extensions=[gate(DoesCasework, _CHANGING)],
    )
    async def hand_over_intake(
        self,
        info: Info[RequestContext, None],
        id: strawberry.ID,
        expected_version: int,
        note: str | None = None,
    ) -> Intake:
        record = await intake_workflow.change_intake(
            info.context, "HAND_OVER", id, expected_version, note=note
        )
        return Intake.from_record(record)

    @strawberry.mutation(
        description="Set the individual plan (개별 플랜).",
        extensions=[gate(DoesCasework, _CHANGING)],
    )
    async def set_intake_plan(
        self,
        info: Info[RequestContext, None],
        id: strawberry.ID,
        expected_version: int,
        plan: IndividualPlanInput,
    ) -> Intake:
        record = await intake_workflow.change_intake(
            info.context, "PLAN", id, expected_version, plan=input_to_dict(plan)
        )
        return Intake.from_record(record)

    @strawberry.mutation(
        description="Close an intake you picked up, saying what was done.",
        extensions=[gate(DoesCasework, _CHANGING)],
    )
    async def close_intake(
        self,
        info: Info[RequestContext, None],
        id: strawberry.ID,
        expected_version: int,
        action: IntakeAction,
        note: str | None = None,
        referral_id: strawberry.ID | None = None,
        case_id: strawberry.ID | None = None,
    ) -> Intake:
        record = await intake_workflow.change_intake(
            info.context, "CLOSE", id, expected_version, action=action.value, note=note,
            referralId=referral_id, caseId=case_id,
        )  # fmt: skip
        return Intake.from_record(record)
