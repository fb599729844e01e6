"""Closed-loop referrals (서비스 의뢰) in GraphQL: the referral, its workflow mutations and the
sent and received lists (the live inbox, `referralEvents`, is `schema.referral_events`).

Metadata comes from records the parties may read; `needs`, `message` and `urgentReason` are
recipient data, loaded (and audited) only when selected, null unless the viewer's
institution may read the recipient's NEEDS."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import referral_workflow as workflow
from resolvers import referrals as resolve
from resolvers.context import RequestContext
from resolvers.resources import present
from resolvers.validation import check_id
from schema.inputs import input_to_dict
from schema.institutions import Institution
from schema.needs import Need
from schema.pagination import Connection, connection
from schema.permissions import DoesCasework, SignedIn, gate, withheld
from schema.recipient_records import DataCategory
from schema.recipients import Recipient, requested_categories
from schema.resources import Resource

__all__ = ["Referral", "ReferralMutation", "ReferralQuery", "ReferralStatus"]


@strawberry.enum(description="SENT -> ACCEPTED | DECLINED | CANCELLED | EXPIRED; ACCEPTED -> "
                 "IN_PROGRESS -> COMPLETED.")  # fmt: skip
class ReferralStatus(Enum):
    SENT = "SENT"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"


@strawberry.enum
class ReferralOutcome(Enum):
    SERVED = "SERVED"
    NOT_SERVED = "NOT_SERVED"


@strawberry.enum(description="Why a referral was declined, cancelled, expired or not served.")
class ReferralReason(Enum):
    NO_CAPACITY = "NO_CAPACITY"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"
    COULD_NOT_CONTACT = "COULD_NOT_CONTACT"
    CLIENT_DECLINED = "CLIENT_DECLINED"
    NEED_RESOLVED = "NEED_RESOLVED"
    SENT_IN_ERROR = "SENT_IN_ERROR"
    NO_ANSWER = "NO_ANSWER"
    OTHER = "OTHER"


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


async def _institution(info: Info[RequestContext, None], ident: str | None) -> Institution | None:
    row = await info.context.loaders.institutions_by_id.load(ident) if ident else None
    return Institution.from_record(row) if row else None


@strawberry.type(description="One step of a referral: who moved it where, and when.")
class ReferralTransition:
    status: ReferralStatus
    at: datetime
    actor: str = strawberry.field(description="The staff member, or 'system' for expiry.")
    reason: ReferralReason | None
    institution_id: strawberry.Private[str | None]

    @strawberry.field
    async def institution(self, info: Info[RequestContext, None]) -> Institution | None:
        return await _institution(info, self.institution_id)


@strawberry.federation.type(
    keys=["id"],
    description="A referral (서비스 의뢰) of a recipient from one institution to another; seen "
    "by staff of both.",
)
class Referral:
    id: strawberry.ID
    status: ReferralStatus
    version: int
    shared_categories: list[DataCategory] = strawberry.field(
        description="What the target may read of the recipient from acceptance to completion."
    )
    urgent: bool = strawberry.field(description="Sent without consent, with a stated reason.")
    outcome: ReferralOutcome | None
    reason: ReferralReason | None = strawberry.field(
        description="Why it was declined, cancelled, expired or (not) served."
    )
    history: list[ReferralTransition]
    created_at: datetime
    expires_at: datetime = strawberry.field(description="When it expires if still SENT.")
    answered_at: datetime | None
    completed_at: datetime | None
    case_id: strawberry.ID | None = strawberry.field(description="The sender's case, if named.")
    recipient_id: strawberry.Private[str]
    from_id: strawberry.Private[str]
    to_id: strawberry.Private[str]
    resource_id: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Referral:
        return cls(
            id=strawberry.ID(record["id"]),
            status=ReferralStatus(record["status"]),
            version=record["version"],
            shared_categories=[DataCategory(c) for c in record["sharedCategories"]],
            urgent=record["urgent"],
            outcome=ReferralOutcome(record["outcome"]) if record.get("outcome") else None,
            reason=ReferralReason(record["reason"]) if record.get("reason") else None,
            history=[
                ReferralTransition(
                    status=ReferralStatus(h["status"]),
                    at=datetime.fromisoformat(h["at"]),
                    actor=h["actor"],
                    reason=ReferralReason(h["reason"]) if h["reason"] else None,
                    institution_id=h["institutionId"],
                )
                for h in record["history"]
            ],
            created_at=datetime.fromisoformat(record["createdAt"]),
            expires_at=datetime.fromisoformat(record["expiresAt"]),
            answered_at=_time(record.get("answeredAt")),
            completed_at=_time(record.get("completedAt")),
            case_id=strawberry.ID(record["caseId"]) if record.get("caseId") else None,
            recipient_id=record["recipientId"],
            from_id=record["fromInstitutionId"],
            to_id=record["toInstitutionId"],
            resource_id=record.get("resourceId"),
        )

    @strawberry.field(description="The sending institution.")
    async def from_institution(self, info: Info[RequestContext, None]) -> Institution | None:
        return await _institution(info, self.from_id)

    @strawberry.field(description="The institution asked to serve the recipient.")
    async def to_institution(self, info: Info[RequestContext, None]) -> Institution | None:
        return await _institution(info, self.to_id)

    @strawberry.field(
        description="The resource asked for; null when its listing is hidden from you."
    )
    async def resource(self, info: Info[RequestContext, None]) -> Resource | None:
        if not self.resource_id:
            return None
        record = await info.context.loaders.resources_by_id.load(self.resource_id)
        return Resource.from_record(present(record, info.context.viewer)) if record else None

    @strawberry.field(
        description="The recipient, as your institution may read them (null if it may not); "
        "every read audited."
    )
    async def recipient(self, info: Info[RequestContext, None]) -> Recipient | None:
        loader = info.context.loaders.recipients_by_id(requested_categories(info))
        record = await loader.load(self.recipient_id)
        return Recipient.from_record(record) if record else None

    async def _details(self, info: Info[RequestContext, None]) -> dict[str, Any] | None:
        return await info.context.loaders.referral_details_by_id.load(str(self.id))

    @strawberry.field(description="The needs referred for (NEEDS; null when withheld).")
    async def needs(self, info: Info[RequestContext, None]) -> list[Need] | None:
        details = await self._details(info)
        if details is None:
            return None
        return Need.by_codes(info, details["needCodes"])

    @strawberry.field(description="The sender's message (NEEDS; null when withheld).")
    async def message(self, info: Info[RequestContext, None]) -> str | None:
        details = await self._details(info)
        return details["message"] if details else None

    @strawberry.field(description="Why it was sent without consent (NEEDS; null when withheld).")
    async def urgent_reason(self, info: Info[RequestContext, None]) -> str | None:
        details = await self._details(info)
        return details.get("urgentReason") if details else None

    @classmethod
    async def resolve_reference(
        cls, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Referral | None:
        """`_entities`: the path of `referral(id)`; all representations in one batch."""
        check_id("Referral", id)
        record = await info.context.loaders.referrals_by_id.load(str(id))
        return cls.from_record(record) if record else None


@strawberry.input
class CreateReferralInput:
    recipient_id: strawberry.ID
    to_institution_id: strawberry.ID
    need_codes: list[str]
    message: str
    shared_categories: list[DataCategory] = strawberry.field(
        description="What the target may read once it accepts; the consent must cover them."
    )
    consent_id: strawberry.ID | None = strawberry.field(
        default=None, description="A live consent covering the target and the categories."
    )
    urgent: bool = strawberry.field(
        default=False, description="Send without consent; needs urgentReason (audited)."
    )
    urgent_reason: str | None = None
    resource_id: strawberry.ID | None = strawberry.field(
        default=None, description="A resource of the target; accepting takes one free place."
    )
    case_id: strawberry.ID | None = None


def _statuses(status: list[ReferralStatus] | None) -> list[str] | None:
    return [s.value for s in status] if status else None


@strawberry.type
class ReferralQuery:
    @strawberry.field(
        description="A referral your institution sent or received, or null (also for ids that "
        "do not exist).",
        extensions=[withheld(SignedIn)],
    )
    async def referral(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Referral | None:
        check_id("Referral", id)
        record = await info.context.loaders.referrals_by_id.load(str(id))
        return Referral.from_record(record) if record else None

    @strawberry.field(
        description="Referrals your institution received, newest first.",
        extensions=[withheld(SignedIn)],
    )
    async def referrals_inbox(
        self,
        info: Info[RequestContext, None],
        status: list[ReferralStatus] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Referral]:
        page = await resolve.list_referrals(
            info.context, inbox=True, statuses=_statuses(status), first=first, after=after
        )
        return connection(page, Referral.from_record)

    @strawberry.field(
        description="Referrals your institution sent, newest first.",
        extensions=[withheld(SignedIn)],
    )
    async def referrals_sent(
        self,
        info: Info[RequestContext, None],
        status: list[ReferralStatus] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Referral]:
        page = await resolve.list_referrals(
            info.context, inbox=False, statuses=_statuses(status), first=first, after=after
        )
        return connection(page, Referral.from_record)


@strawberry.type
class ReferralMutation:
    @strawberry.mutation(
        description="Refer a recipient to another institution (CASEWORKER, ADMIN).",
        extensions=[gate(DoesCasework, "sending a referral")],
    )
    async def create_referral(
        self, info: Info[RequestContext, None], input: CreateReferralInput
    ) -> Referral:
        record = await workflow.create_referral(info.context, input_to_dict(input))
        return Referral.from_record(record)

    @strawberry.mutation(
        description="Accept a SENT referral (target institution).",
        extensions=[gate(SignedIn, "accepting a referral")],
    )
    async def accept_referral(
        self, info: Info[RequestContext, None], id: strawberry.ID, expected_version: int
    ) -> Referral:
        record = await workflow.change_referral(info.context, "ACCEPT", id, expected_version)
        return Referral.from_record(record)

    @strawberry.mutation(
        description="Decline a SENT referral, with the reason (target).",
        extensions=[gate(SignedIn, "declining a referral")],
    )
    async def decline_referral(
        self,
        info: Info[RequestContext, None],
        id: strawberry.ID,
        expected_version: int,
        reason: ReferralReason,
    ) -> Referral:
        record = await workflow.change_referral(
            info.context, "DECLINE", id, expected_version, reason=reason.value
        )
        return Referral.from_record(record)

    @strawberry.mutation(
        description="Withdraw a SENT referral (sending institution).",
        extensions=[gate(SignedIn, "cancelling a referral")],
    )
    async def cancel_referral(
        self,
        info: Info[RequestContext, None],
        id: strawberry.ID,
        expected_version: int,
        reason: ReferralReason | None = None,
    ) -> Referral:
        record = await workflow.change_referral(
            info.context, "CANCEL", id, expected_version, reason=reason.value if reason else None
        )
        return Referral.from_record(record)

    @strawberry.mutation(
        description="Start serving an ACCEPTED referral (target).",
        extensions=[gate(SignedIn, "starting a referral")],
    )
    async def start_referral(
        self, info: Info[RequestContext, None], id: strawberry.ID, expected_version: int
    ) -> Referral:
        record = await workflow.change_referral(info.context, "START", id, expected_version)
        return Referral.from_record(record)

    @strawberry.mutation(
        description="Close an IN_PROGRESS referral with its outcome (target); a reason is "
        "required for NOT_SERVED. Ends the target's access to the recipient.",
        extensions=[gate(SignedIn, "completing a referral")],
    )
    async def complete_referral(
        self,
        info: Info[RequestContext, None],
        id: strawberry.ID,
        expected_version: int,
        outcome: ReferralOutcome,
        reason: ReferralReason | None = None,
    ) -> Referral:
        record = await workflow.change_referral(
            info.context,
            "COMPLETE",
            id,
            expected_version,
            reason=reason.value if reason else None,
            outcome=outcome.value,
        )
        return Referral.from_record(record)
