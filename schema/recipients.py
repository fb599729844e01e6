"""Recipients (대상자) in GraphQL: the 360° view (정보연계) — identity, contact, needs,
history, cases — for entitled institutions only, every read audited.

The categories a query reads are taken from its selection, so the audit event of the read
names exactly what was asked for."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

import vocabulary.access as vocabulary
from resolvers import assessments as resolve_assessments
from resolvers import consents as resolve_consents
from resolvers import enrollments as resolve_enrollments
from resolvers import institutions as resolve_institutions
from resolvers import recipients as resolve
from resolvers import search as resolve_search
from resolvers.context import RequestContext
from resolvers.resources import present
from resolvers.validation import check_id
from schema.cases import Case
from schema.inputs import input_to_dict
from schema.institutions import Institution, InstitutionKind
from schema.needs import Need
from schema.pagination import Connection, connection
from schema.regions import Region
from schema.resources import HouseholdType, Resource
from schema.search import ResourceSearchHit
from schema.sensitive import sensitive_field

if TYPE_CHECKING:
    from schema.intakes import Intake
    from schema.referrals import Referral

__all__ = ["Recipient", "RecipientMutation", "RecipientQuery", "requested_categories"]


DataCategory = strawberry.enum(
    vocabulary.DataCategory,
    description="Kinds of recipient data that access and consent are about.",
)


@strawberry.enum
class Sex(Enum):
    FEMALE = "FEMALE"
    MALE = "MALE"
    OTHER = "OTHER"


@strawberry.enum(description="Registered disability (장애 정도): none, mild or severe.")
class Disability(Enum):
    NONE = "NONE"
    MILD = "MILD"
    SEVERE = "SEVERE"


@strawberry.enum
class EnrollmentStatus(Enum):
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    TERMINATED = "TERMINATED"


# Recipient fields -> the category reading them takes (nested case notes add CASE_NOTES).
_FIELD_CATEGORIES = {
    "name": "IDENTITY", "birthDate": "IDENTITY", "age": "IDENTITY", "sex": "IDENTITY",
    "homeRegion": "IDENTITY", "household": "IDENTITY", "incomePercent": "IDENTITY",
    "disability": "IDENTITY", "flags": "IDENTITY", "consents": "IDENTITY",
    "contact": "CONTACT", "address": "CONTACT",
    "needs": "NEEDS", "assessments": "NEEDS", "suggestedResources": "NEEDS",
    "enrollments": "HISTORY", "cases": "HISTORY", "referrals": "HISTORY", "intakes": "HISTORY",
    "notes": "CASE_NOTES",
}  # fmt: skip


def _names(selections: Iterable[Any]) -> Iterable[str]:
    for item in selections:
        if isinstance(item, SelectedField):
            yield item.name
            yield from _names(item.selections)
        elif isinstance(item, FragmentSpread | InlineFragment):
            yield from _names(item.selections)


def requested_categories(info: Info[RequestContext, None]) -> list[str]:
    """The data categories the selection under this field reads (for the audit event)."""
    names = set(_names(info.selected_fields[0].selections))
    return sorted({_FIELD_CATEGORIES[n] for n in names if n in _FIELD_CATEGORIES})


@strawberry.type
class RecipientContact:
    phone: str | None
    email: str | None


@strawberry.type
class Household:
    size: int | None
    type: HouseholdType | None


@strawberry.type
class AssessedNeed:
    code: str
    severity: int
    note: str | None

    @strawberry.field
    def need(self, info: Info[RequestContext, None]) -> Need:
        return Need.by_code(info, self.code)


@strawberry.type(description="A dated needs assessment (욕구사정) by one institution.")
class Assessment:
    id: strawberry.ID
    assessed_at: datetime
    assessed_by: str
    needs: list[AssessedNeed]
    institution_id: strawberry.Private[str]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Assessment:
        return cls(
            id=strawberry.ID(record["id"]),
            assessed_at=datetime.fromisoformat(record["assessedAt"]),
            assessed_by=record["assessedBy"],
            needs=[AssessedNeed(**n) for n in record["needs"]],
            institution_id=record["institutionId"],
        )

    @strawberry.field
    async def institution(self, info: Info[RequestContext, None]) -> Institution | None:
        row = await resolve_institutions.load_institution(info.context, self.institution_id)
        return Institution.from_record(row) if row else None


@strawberry.type(description="A benefit or service the recipient received (급여·서비스 이력).")
class Enrollment:
    id: strawberry.ID
    start: date
    end: date | None
    status: EnrollmentStatus
    amount: int | None
    resource_id: strawberry.Private[str]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Enrollment:
        return cls(
            id=strawberry.ID(record["id"]),
            start=date.fromisoformat(record["start"]),
            end=date.fromisoformat(record["end"]) if record.get("end") else None,
            status=EnrollmentStatus(record["status"]),
            amount=record.get("amount"),
            resource_id=record["resourceId"],
        )

    @strawberry.field(description="Null when the resource's listing is hidden from you.")
    async def resource(self, info: Info[RequestContext, None]) -> Resource | None:
        record = await info.context.loaders.resources_by_id.load(self.resource_id)
        return Resource.from_record(present(record, info.context.viewer)) if record else None


@strawberry.type(description="What the recipient agreed to share, with whom, until when.")
class Consent:
    id: strawberry.ID
    scope: list[DataCategory]
    institution_ids: list[strawberry.ID]
    institution_kinds: list[InstitutionKind]
    valid_until: datetime
    status: str
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Consent:
        return cls(
            id=strawberry.ID(record["id"]),
            scope=[DataCategory(c) for c in record["scope"]],
            institution_ids=[strawberry.ID(i) for i in record.get("institutions") or []],
            institution_kinds=[InstitutionKind(k) for k in record.get("institutionKinds") or []],
            valid_until=datetime.fromisoformat(record["validUntil"]),
            status=record["status"],
            created_at=datetime.fromisoformat(record["createdAt"]),
            revoked_at=datetime.fromisoformat(record["revokedAt"])
            if record.get("revokedAt")
            else None,
        )


def _age(birth: date | None) -> int | None:
    if birth is None:
        return None
    today = date.today()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@strawberry.federation.type(
    keys=["id"],
    description="A person supported by the institutions (대상자). Fields of categories your "
    "institution may not read are null and named in withheldCategories.",
)
class Recipient:
    id: strawberry.ID
    name: str | None
    birth_date: date | None
    sex: Sex | None
    contact: RecipientContact | None
    address: str | None
    household: Household | None
    income_percent: int | None = strawberry.field(
        description="Household income as % of the standard median income (기준중위소득)."
    )
    disability: Disability | None
    flags: list[str] | None
    readable_categories: list[DataCategory]
    withheld_categories: list[DataCategory]
    created_at: datetime
    allowed: strawberry.Private[list[str]]
    member: strawberry.Private[bool]
    region_code: strawberry.Private[str | None]
    registered_by_id: strawberry.Private[str]
    current_need_codes: strawberry.Private[list[str]]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Recipient:
        identity = "IDENTITY" in record["allowed"]
        contact = "CONTACT" in record["allowed"]
        return cls(
            id=strawberry.ID(record["id"]),
            name=record.get("name"),
            birth_date=date.fromisoformat(record["birthDate"]) if identity else None,
            sex=Sex(record["sex"]) if identity else None,
            contact=RecipientContact(phone=record.get("phone"), email=record.get("email"))
            if contact
            else None,
            address=record.get("address") if contact else None,
            household=Household(
                size=record.get("householdSize"),
                type=HouseholdType(record["householdType"])
                if record.get("householdType")
                else None,
            )
            if identity
            else None,
            income_percent=record.get("incomePercent") if identity else None,
            disability=Disability(record.get("disability") or "NONE") if identity else None,
            flags=list(record.get("flags") or []) if identity else None,
            readable_categories=[DataCategory(c) for c in record["allowed"]],
            withheld_categories=[DataCategory(c) for c in record["withheldCategories"]],
            created_at=datetime.fromisoformat(record["createdAt"]),
            allowed=list(record["allowed"]),
            member=bool(record.get("member")),
            region_code=record.get("regionCode") if identity else None,
            registered_by_id=record["registeredBy"],
            current_need_codes=list(record.get("currentNeeds") or [])
            if "NEEDS" in record["allowed"]
            else [],
        )

    def _may(self, category: str) -> bool:
        return category in self.allowed

    @strawberry.field
    def age(self) -> int | None:
        return _age(self.birth_date)

    @strawberry.field(description="Home region (읍면동).")
    def home_region(self, info: Info[RequestContext, None]) -> Region | None:
        return Region.by_code(info, self.region_code) if self.region_code else None

    @strawberry.field
    async def registered_by(self, info: Info[RequestContext, None]) -> Institution | None:
        row = await resolve_institutions.load_institution(info.context, self.registered_by_id)
        return Institution.from_record(row) if row else None

    @strawberry.field(description="Current needs: those of the latest assessment (NEEDS).")
    async def needs(self, info: Info[RequestContext, None]) -> list[AssessedNeed] | None:
        history = await self.assessments(info)
        if history is None:
            return None
        return history[0].needs if history else []

    @strawberry.field(description="Every assessment, newest first (NEEDS).")
    async def assessments(self, info: Info[RequestContext, None]) -> list[Assessment] | None:
        if not self._may("NEEDS"):
            return None
        found = await info.context.loaders.assessments_by_recipient.load(str(self.id))
        return [Assessment.from_record(r) for r in found]

    @strawberry.field(description="Benefits and services received, newest first (HISTORY).")
    async def enrollments(self, info: Info[RequestContext, None]) -> list[Enrollment] | None:
        if not self._may("HISTORY"):
            return None
        found = await info.context.loaders.enrollments_by_recipient.load(str(self.id))
        return [Enrollment.from_record(r) for r in found]

    @strawberry.field(description="Case management, newest first (HISTORY; notes: CASE_NOTES).")
    async def cases(self, info: Info[RequestContext, None]) -> list[Case] | None:
        if not self._may("HISTORY"):
            return None
        found = await info.context.loaders.cases_by_recipient.load(str(self.id))
        return [Case.from_record(r, notes_allowed=self._may("CASE_NOTES")) for r in found]

    @strawberry.field(description="Referrals of the recipient, newest first (HISTORY).")
    async def referrals(
        self, info: Info[RequestContext, None]
    ) -> list[Annotated[Referral, strawberry.lazy("schema.referrals")]] | None:
        from schema.referrals import Referral

        if not self._may("HISTORY"):
            return None
        found = await info.context.loaders.referrals_by_recipient.load(str(self.id))
        return [Referral.from_record(r) for r in found]

    @strawberry.field(description="First contacts with their plans, newest first (HISTORY).")
    async def intakes(
        self, info: Info[RequestContext, None]
    ) -> list[Annotated[Intake, strawberry.lazy("schema.intakes")]] | None:
        from schema.intakes import Intake

        if not self._may("HISTORY"):
            return None
        found = await info.context.loaders.intakes_by_recipient.load(str(self.id))
        return [Intake.from_record(r) for r in found]

    @strawberry.field(description="Consents on record; for the institutions holding the recipient.")
    async def consents(self, info: Info[RequestContext, None]) -> list[Consent] | None:
        if not self.member:
            return None
        found = await info.context.loaders.consents_by_recipient.load(str(self.id))
        return [Consent.from_record(r) for r in found]

    @strawberry.field(
        description="Resources for the current needs, through needs-based search, with the "
        "person's known attributes (NEEDS)."
    )
    async def suggested_resources(
        self, info: Info[RequestContext, None], first: int = 5
    ) -> list[ResourceSearchHit] | None:
        if not self._may("NEEDS"):
            return None
        if not self.current_need_codes:
            return []
        person: dict[str, Any] = {}
        if self._may("IDENTITY"):
            person = {
                "age": _age(self.birth_date),
                "incomePercent": self.income_percent,
                "householdType": self.household.type.value
                if self.household and self.household.type
                else None,
                "disability": None
                if self.disability is None
                else self.disability is not Disability.NONE,
            }
        criteria = {"needs": self.current_need_codes, "first": first, "person": person or None}
        page = await resolve_search.search(info.context, criteria)
        needs = info.context.services.needs.by_code
        return [ResourceSearchHit.from_record(hit, needs) for hit in page.hits]

    @classmethod
    async def resolve_reference(
        cls, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Recipient | None:
        found = await resolve.get_recipients(info.context, [str(id)], requested_categories(info))
        record = found.get(str(id))
        return cls.from_record(record) if record else None


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
        "do not exist). Every read is audited."
    )
    async def recipient(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Recipient | None:
        check_id("Recipient", id)
        found = await resolve.get_recipients(info.context, [str(id)], requested_categories(info))
        record = found.get(str(id))
        return Recipient.from_record(record) if record else None

    @strawberry.field(description="Recipients your institution is entitled to, in id order.")
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
        "or a case-leading institution, and platform admins."
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
    @strawberry.mutation(description="Register a recipient for your institution.")
    async def register_recipient(
        self, info: Info[RequestContext, None], input: RegisterRecipientInput
    ) -> Recipient:
        return _recipient(await resolve.register_recipient(info.context, input_to_dict(input)))

    @strawberry.mutation(description="Record a dated needs assessment by your institution.")
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

    @strawberry.mutation(description="Record what the recipient agreed to share.")
    async def record_consent(
        self, info: Info[RequestContext, None], input: RecordConsentInput
    ) -> Consent:
        data = input_to_dict(input)
        data["validUntil"] = input.valid_until
        return Consent.from_record(await resolve_consents.record_consent(info.context, data))

    @strawberry.mutation(description="Revoke a consent; effective on the next request.")
    async def revoke_consent(self, info: Info[RequestContext, None], id: strawberry.ID) -> Consent:
        return Consent.from_record(await resolve_consents.revoke_consent(info.context, id))

    @strawberry.mutation(description="Record a benefit or service the recipient receives.")
    async def record_enrollment(
        self, info: Info[RequestContext, None], input: RecordEnrollmentInput
    ) -> Enrollment:
        data = input_to_dict(input)
        data.update(start=input.start, end=input.end)
        return Enrollment.from_record(
            await resolve_enrollments.record_enrollment(info.context, data)
        )
