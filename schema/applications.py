"""Applications taken anywhere (신청 대행·접수) in GraphQL: a welfare centre, health centre or
hospital takes an application for a public programme on a recipient's behalf, with the
programme's documents checklist, forwards it to the responsible office and sees its decision."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import applications as resolve
from resolvers import institutions as resolve_institutions
from resolvers.context import RequestContext
from resolvers.validation import check_id
from schema.inputs import input_to_dict
from schema.institutions import Institution
from schema.pagination import Connection, connection
from schema.permissions import DoesCasework, SignedIn, gate, withheld
from schema.programs import Program, RequiredDocument
from schema.recipients import Recipient, requested_categories

__all__ = ["Application", "ApplicationMutation", "ApplicationQuery"]


@strawberry.enum
class ApplicationStatus(Enum):
    RECEIVED = "RECEIVED"
    FORWARDED = "FORWARDED"
    IN_REVIEW = "IN_REVIEW"
    DECIDED = "DECIDED"


@strawberry.enum
class ApplicationDecision(Enum):
    GRANTED = "GRANTED"
    REFUSED = "REFUSED"


@strawberry.enum(description="TAKEN: your institution took them; FORWARDED_TO_US: to decide.")
class ApplicationSide(Enum):
    TAKEN = "TAKEN"
    FORWARDED_TO_US = "FORWARDED_TO_US"


@strawberry.type
class ApplicationHistoryEntry:
    status: str
    at: datetime
    note: str | None
    actor: str


def _docs(codes: list[str], program_id: str) -> list[RequiredDocument]:
    known = {d["code"]: d for d in resolve.required_documents(program_id)}
    return [RequiredDocument.from_record(known[c]) for c in codes if c in known]


async def _institution(info: Info[RequestContext, None], ident: str | None) -> Institution | None:
    row = await resolve_institutions.load_institution(info.context, ident) if ident else None
    return Institution.from_record(row) if row else None


@strawberry.federation.type(keys=["id"], description="An application for a public programme.")
class Application:
    id: strawberry.ID
    status: ApplicationStatus
    version: int
    note: str | None
    decision: ApplicationDecision | None
    reason: str | None
    enrollment_id: strawberry.ID | None
    created_at: datetime
    decided_at: datetime | None
    history: list[ApplicationHistoryEntry]
    record: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> Application:
        return cls(
            id=strawberry.ID(r["id"]),
            status=ApplicationStatus(r["status"]),
            version=r["version"],
            note=r.get("note"),
            decision=ApplicationDecision(r["decision"]) if r.get("decision") else None,
            reason=r.get("reason"),
            enrollment_id=r.get("enrollmentId"),
            created_at=datetime.fromisoformat(r["createdAt"]),
            decided_at=datetime.fromisoformat(r["decidedAt"]) if r.get("decidedAt") else None,
            history=[
                ApplicationHistoryEntry(
                    status=h["status"], at=datetime.fromisoformat(h["at"]), note=h["note"],
                    actor=h["actor"],
                )
                for h in r["history"]
            ],
            record=r,
        )  # fmt: skip

    @strawberry.field
    def program(self, info: Info[RequestContext, None]) -> Program | None:
        found = Program.by_ids(info, [self.record["programId"]])
        return found[0] if found else None

    @strawberry.field(description="The documents handed in (the checklist ticked).")
    def documents(self) -> list[RequiredDocument]:
        return _docs(self.record.get("documents") or [], self.record["programId"])

    @strawberry.field(description="Required documents still missing; forwarding needs none.")
    def missing_documents(self) -> list[RequiredDocument]:
        return _docs(self.record["missingDocuments"], self.record["programId"])

    @strawberry.field
    async def taken_by(self, info: Info[RequestContext, None]) -> Institution | None:
        return await _institution(info, self.record["takenBy"])

    @strawberry.field(description="The office it was forwarded to, which decides.")
    async def forwarded_to(self, info: Info[RequestContext, None]) -> Institution | None:
        return await _institution(info, self.record.get("forwardedTo"))

    @strawberry.field(description="The applicant, as your institution may read them; audited.")
    async def recipient(self, info: Info[RequestContext, None]) -> Recipient | None:
        loader = info.context.loaders.recipients_by_id(requested_categories(info))
        record = await loader.load(self.record["recipientId"])
        return Recipient.from_record(record) if record else None

    @classmethod
    async def resolve_reference(
        cls, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Application | None:
        check_id("Application", id)
        record = await info.context.loaders.applications_by_id.load(str(id))
        return Application.from_record(record) if record else None


@strawberry.input
class TakeApplicationInput:
    recipient_id: strawberry.ID
    program_id: strawberry.ID
    documents: list[str] = strawberry.field(
        default_factory=list, description="Codes of Program.requiredDocuments handed in."
    )
    note: str | None = None


_SIDES = {ApplicationSide.TAKEN: "taker", ApplicationSide.FORWARDED_TO_US: "office"}


@strawberry.type
class ApplicationQuery:
    @strawberry.field(
        description="Applications your institution took or must decide, newest first.",
        extensions=[withheld(SignedIn)],
    )
    async def applications(
        self,
        info: Info[RequestContext, None],
        side: ApplicationSide = ApplicationSide.TAKEN,
        status: list[ApplicationStatus] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Application]:
        statuses = [s.value for s in status] if status else None
        page = await resolve.list_applications(info.context, _SIDES[side], statuses, first, after)
        return connection(page, Application.from_record)

    @strawberry.field(
        description="An application your institution took or must decide.",
        extensions=[withheld(SignedIn)],
    )
    async def application(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Application | None:
        check_id("Application", id)
        record = await info.context.loaders.applications_by_id.load(str(id))
        return Application.from_record(record) if record else None


_CHANGING = "changing an application"


@strawberry.type
class ApplicationMutation:
    @strawberry.mutation(
        description="Take an application on a recipient's behalf (신청 대행).",
        extensions=[gate(DoesCasework, "taking an application")],
    )
    async def take_application(
        self, info: Info[RequestContext, None], input: TakeApplicationInput
    ) -> Application:
        record = await resolve.take_application(info.context, input_to_dict(input))
        return Application.from_record(record)

    @strawberry.mutation(
        description="Update the documents checklist.", extensions=[gate(DoesCasework, _CHANGING)]
    )
    async def update_application_documents(
        self, info: Info[RequestContext, None], id: strawberry.ID, expected_version: int,
        documents: list[str],
    ) -> Application:  # fmt: skip
        record = await resolve.change_application(
            info.context, "DOCUMENTS", id, expected_version, documents=documents
        )
        return Application.from_record(record)

    @strawberry.mutation(
        description="Forward it to the office responsible for the person's home.",
        extensions=[gate(DoesCasework, _CHANGING)],
    )
    async def forward_application(
        self, info: Info[RequestContext, None], id: strawberry.ID, expected_version: int,
        note: str | None = None,
    ) -> Application:  # fmt: skip
        record = await resolve.change_application(
            info.context, "FORWARD", id, expected_version, note=note
        )
        return Application.from_record(record)

    @strawberry.mutation(
        description="The office starts its review.", extensions=[gate(DoesCasework, _CHANGING)]
    )
    async def start_application_review(
        self, info: Info[RequestContext, None], id: strawberry.ID, expected_version: int
    ) -> Application:
        record = await resolve.change_application(info.context, "REVIEW", id, expected_version)
        return Application.from_record(record)

    @strawberry.mutation(
        description="Decide: GRANTED records the enrollment (from `start`), REFUSED needs a "
        "reason.",
        extensions=[gate(DoesCasework, _CHANGING)],
    )
    async def decide_application(
        self, info: Info[RequestContext, None], id: strawberry.ID, expected_version: int,
        decision: ApplicationDecision, reason: str | None = None, start: date | None = None,
    ) -> Application:  # fmt: skip
        record = await resolve.change_application(
            info.context, "DECIDE", id, expected_version, decision=decision.value,
            reason=reason, start=start,
        )  # fmt: skip
        return Application.from_record(record)
