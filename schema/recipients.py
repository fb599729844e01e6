"""Recipients (대상자) in GraphQL: the 360° view (정보연계) — identity, contact, needs,
history, cases — for entitled institutions only, every read audited.

The categories a query reads are taken from its selection, so the audit event of the read
names exactly what was asked for."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import institutions as resolve_institutions
from resolvers import recipients as resolve
from resolvers import search as resolve_search
from resolvers.access import reads
from resolvers.context import RequestContext
from schema.cases import Case
from schema.institutions import Institution
from schema.permissions import MemberOfRecipient, ReadsHistory, ReadsIntakes, ReadsNeeds, quiet
from schema.recipient_records import (
    AssessedNeed,
    Assessment,
    Consent,
    DataCategory,
    Enrollment,
)
from schema.regions import Region
from schema.resources import HouseholdType
from schema.search import ResourceSearchHit
from schema.selections import selected_names

if TYPE_CHECKING:
    from schema.intakes import Intake
    from schema.referrals import Referral

__all__ = ["Recipient", "requested_categories"]


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


# Recipient fields -> the categories reading them takes (nested case notes add CASE_NOTES).
# An intake holds the person's words and basic needs survey: HISTORY and NEEDS, as its
# access rule (ReadsIntakes) asks.
_FIELD_CATEGORIES: dict[str, tuple[str, ...]] = {
    "name": ("IDENTITY",), "birthDate": ("IDENTITY",), "age": ("IDENTITY",),
    "sex": ("IDENTITY",), "homeRegion": ("IDENTITY",), "household": ("IDENTITY",),
    "incomePercent": ("IDENTITY",), "disability": ("IDENTITY",), "flags": ("IDENTITY",),
    "consents": ("IDENTITY",), "contact": ("CONTACT",), "address": ("CONTACT",),
    "needs": ("NEEDS",), "assessments": ("NEEDS",), "suggestedResources": ("NEEDS",),
    "enrollments": ("HISTORY",), "cases": ("HISTORY",), "referrals": ("HISTORY",),
    "intakes": ("HISTORY", "NEEDS"), "notes": ("CASE_NOTES",),
}  # fmt: skip


def requested_categories(info: Info[RequestContext, None]) -> list[str]:
    """The data categories the selection under this field reads (for the audit event)."""
    names = selected_names(info)
    return sorted({c for n in names for c in _FIELD_CATEGORIES.get(n, ())})


@strawberry.type
class RecipientContact:
    phone: str | None
    email: str | None


@strawberry.type
class Household:
    size: int | None
    type: HouseholdType | None


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
        identity = reads(record["allowed"], "IDENTITY")
        contact = reads(record["allowed"], "CONTACT")
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
            if reads(record["allowed"], "NEEDS")
            else [],
        )

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

    @strawberry.field(
        description="Current needs: those of the latest assessment (NEEDS).",
        extensions=[quiet(ReadsNeeds)],
    )
    async def needs(self, info: Info[RequestContext, None]) -> list[AssessedNeed] | None:
        history = await self.assessments(info)
        return history[0].needs if history else []

    @strawberry.field(
        description="Every assessment, newest first (NEEDS).", extensions=[quiet(ReadsNeeds)]
    )
    async def assessments(self, info: Info[RequestContext, None]) -> list[Assessment] | None:
        found = await info.context.loaders.assessments_by_recipient.load(str(self.id))
        return [Assessment.from_record(r) for r in found]

    @strawberry.field(
        description="Benefits and services received, newest first (HISTORY).",
        extensions=[quiet(ReadsHistory)],
    )
    async def enrollments(self, info: Info[RequestContext, None]) -> list[Enrollment] | None:
        found = await info.context.loaders.enrollments_by_recipient.load(str(self.id))
        return [Enrollment.from_record(r) for r in found]

    @strawberry.field(
        description="Case management, newest first (HISTORY; notes: CASE_NOTES).",
        extensions=[quiet(ReadsHistory)],
    )
    async def cases(self, info: Info[RequestContext, None]) -> list[Case] | None:
        found = await info.context.loaders.cases_by_recipient.load(str(self.id))
        notes = reads(self.allowed, "CASE_NOTES")
        return [Case.from_record(r, notes_allowed=notes) for r in found]

    @strawberry.field(
        description="Referrals of the recipient, newest first (HISTORY).",
        extensions=[quiet(ReadsHistory)],
    )
    async def referrals(
        self, info: Info[RequestContext, None]
    ) -> list[Annotated[Referral, strawberry.lazy("schema.referrals")]] | None:
        from schema.referrals import Referral

        found = await info.context.loaders.referrals_by_recipient.load(str(self.id))
        return [Referral.from_record(r) for r in found]

    @strawberry.field(
        description="First contacts with their plans, newest first (HISTORY and NEEDS).",
        extensions=[quiet(ReadsIntakes)],
    )
    async def intakes(
        self, info: Info[RequestContext, None]
    ) -> list[Annotated[Intake, strawberry.lazy("schema.intakes")]] | None:
        from schema.intakes import Intake

        found = await info.context.loaders.intakes_by_recipient.load(str(self.id))
        return [Intake.from_record(r) for r in found]

    @strawberry.field(
        description="Consents on record; for the institutions holding the recipient.",
        extensions=[quiet(MemberOfRecipient)],
    )
    async def consents(self, info: Info[RequestContext, None]) -> list[Consent] | None:
        found = await info.context.loaders.consents_by_recipient.load(str(self.id))
        return [Consent.from_record(r) for r in found]

    @strawberry.field(
        description="Resources for the current needs, through needs-based search, with the "
        "person's known attributes (NEEDS).",
        extensions=[quiet(ReadsNeeds)],
    )
    async def suggested_resources(
        self, info: Info[RequestContext, None], first: int = 5
    ) -> list[ResourceSearchHit] | None:
        if not self.current_need_codes:
            return []
        person: dict[str, Any] = {}
        if reads(self.allowed, "IDENTITY"):
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
        page = await resolve_search.search(info.context, criteria, facets=frozenset())
        needs = info.context.services.needs.by_code
        return [ResourceSearchHit.from_record(hit, needs) for hit in page.hits]

    @classmethod
    async def resolve_reference(
        cls, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Recipient | None:
        found = await resolve.get_recipients(info.context, [str(id)], requested_categories(info))
        record = found.get(str(id))
        return cls.from_record(record) if record else None
