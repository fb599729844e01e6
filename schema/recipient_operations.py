"""Recipients (대상자) in GraphQL, the root fields: reading recipients your institution is
entitled to and their access log, registering them and recording assessments, consents and
enrollments. Every one is for signed-in staff (`schema.permissions`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import assessments as resolve_assessments
from resolvers import consents as resolve_consents
from resolvers import enrollments as resolve_enrollments
from resolvers import recipients as resolve
from resolvers.context import RequestContext
from resolvers.validation import check_id
from schema.inputs import input_to_dict
from schema.institutions import InstitutionKind
from schema.pagination import Connection, connection
from schema.permissions import SignedIn, gate, withheld
from schema.recipient_records import (
    Assessment,
    Consent,
    DataCategory,
    Enrollment,
    EnrollmentStatus,
)
from schema.recipients import Disability, Recipient, Sex, requested_categories
from schema.resources import HouseholdType
from schema.sensitive import sensitive_field

__all__ = [
    "AssessedNeedInput",
    "RecipientMutation",
    "RecipientQuery",
    "RegisterRecipientInput",
]


@strawberry.input
class RegisterRecipientInput:
    name: str
    birth_date: date
    sex: Sex
    region_code: str = strawberry.field(description="Home region (읍면동 code).")
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    household_size: int | None = None
    household_type: HouseholdType | None = None
    income_percent: int | None = None
    disability: Disability | None = None
    flags: list[str] | None = None
    national_id: str | None = sensitive_field(
        description="주민등록번호; never stored or returned — only a keyed hash that finds "
        "duplicates.",
    )


@strawberry.input
class AssessedNeedInput:
    code: str
    severity: int = strawberry.field(description="1 (mild) to 5 (severe).")
    note: str | None = None


@strawberry.input
class RecordConsentInput:
    recipient_id: strawberry.ID
    scope: list[DataCategory]
    institutions: list[strawberry.ID] | None = None
    institution_kinds: list[InstitutionKind] | None = None
    valid_until: datetime


@strawberry.input
class RecordEnrollmentInput:
    recipient_id: strawberry.ID
    resource_id: strawberry.ID
    start: date
    end: date | None = None
    status: EnrollmentStatus = EnrollmentStatus.ACTIVE
    amount: int | None = strawberry.field(default=None, description="KRW, for cash benefits.")


@strawberry.input
class RecipientFilter:
    regions: list[str] | None = strawberry.field(
        default=None, description="Home regions; a region includes the regions below it."
    )


@strawberry.type
class AccessLogEntry:
    id: strawberry.ID
    operation: str
    actor: str
    institution_id: strawberry.ID
    request_id: str
    categories: list[DataCategory]
    occurred_at: datetime
    referral_id: strawberry.ID | None = strawberry.field(
        description="The referral the event belongs to, if any."
    )
    reason: str | None = strawberry.field(
        description="The stated reason: an urgent referral's, or a referral transition's code."
    )


def _recipient(record: dict[str, Any]) -> Recipient:
    return Recipient.from_record(record)


@strawberry.type
class RecipientQuery:
    @strawberry.field(
        description="A recipient your institution is entitled to, or null (also for ids that "
        "do not exist). Every read is audited.",
        extensions=[withheld(SignedIn)],
    )
    async def recipient(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Recipient | None:
        check_id("Recipient", id)
        found = await resolve.get_recipients(info.context, [str(id)], requested_categories(info))
        record = found.get(str(id))
        return Recipient.from_record(record) if record else None

    @strawberry.field(
        description="Recipients your institution is entitled to, in id order.",
        extensions=[withheld(SignedIn)],
    )
    async def recipients(
        self,
        info: Info[RequestContext, None],
        filter: RecipientFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Recipient]:
        page = await resolve.list_recipients(
            info.context,
            input_to_dict(filter) if filter else None,
            first,
            after,
            requested_categories(info),
        )
        return connection(page, _recipient)

    @strawberry.field(
        description="Who read or changed the recipient's data; for admins of the registering "
        "or a case-leading institution, and platform admins.",
        extensions=[gate(SignedIn, "reading the access log")],
    )
    async def recipient_access_log(
        self,
        info: Info[RequestContext, None],
        recipient_id: strawberry.ID,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[AccessLogEntry]:
        page = await resolve.access_log(info.context, recipient_id, first, after)
        return connection(
            page,
            lambda r: AccessLogEntry(
                id=strawberry.ID(r["id"]),
                operation=r["operation"],
                actor=r["actor"],
                institution_id=strawberry.ID(r["institutionId"]),
                request_id=r["requestId"] or "",
                categories=[DataCategory(c) for c in r["categories"] or []],
                occurred_at=datetime.fromisoformat(r["occurredAt"]),
                referral_id=strawberry.ID(r["referralId"]) if r.get("referralId") else None,
                reason=r.get("reason"),
            ),
        )


@strawberry.type
class RecipientMutation:
    @strawberry.mutation(
        description="Register a recipient for your institution.",
        extensions=[gate(SignedIn, "registering a recipient")],
    )
    async def register_recipient(
        self, info: Info[RequestContext, None], input: RegisterRecipientInput
    ) -> Recipient:
        return _recipient(await resolve.register_recipient(info.context, input_to_dict(input)))

    @strawberry.mutation(
        description="Record a dated needs assessment by your institution.",
        extensions=[gate(SignedIn, "assessing needs")],
    )
    async def assess_needs(
        self,
        info: Info[RequestContext, None],
        recipient_id: strawberry.ID,
        needs: list[AssessedNeedInput],
    ) -> Assessment:
        record = await resolve_assessments.assess_needs(
            info.context, recipient_id, [input_to_dict(n) for n in needs]
        )
        return Assessment.from_record(record)

    @strawberry.mutation(
        description="Record what the recipient agreed to share.",
        extensions=[gate(SignedIn, "recording a consent")],
    )
    async def record_consent(
        self, info: Info[RequestContext, None], input: RecordConsentInput
    ) -> Consent:
        data = input_to_dict(input)
        data["validUntil"] = input.valid_until
        return Consent.from_record(await resolve_consents.record_consent(info.context, data))

    @strawberry.mutation(
        description="Revoke a consent; effective on the next request.",
        extensions=[gate(SignedIn, "revoking a consent")],
    )
    async def revoke_consent(self, info: Info[RequestContext, None], id: strawberry.ID) -> Consent:
        return Consent.from_record(await resolve_consents.revoke_consent(info.context, id))

    @strawberry.mutation(
        description="Record a benefit or service the recipient receives.",
        extensions=[gate(SignedIn, "recording an enrollment")],
    )
    async def record_enrollment(
        self, info: Info[RequestContext, None], input: RecordEnrollmentInput
    ) -> Enrollment:
        data = input_to_dict(input)
        data.update(start=input.start, end=input.end)
        return Enrollment.from_record(
            await resolve_enrollments.record_enrollment(info.context, data)
        )
