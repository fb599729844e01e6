"""What is kept about a recipient besides the record itself, in GraphQL: needs assessments,
enrollments (급여·서비스 이력) and consents. They are reached only through an entitled
`Recipient` (or returned by the mutations that record them)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

import vocabulary.access as vocabulary
from resolvers import institutions as resolve_institutions
from resolvers.context import RequestContext
from resolvers.resources import present
from schema.institutions import Institution, InstitutionKind
from schema.needs import Need
from schema.resources import Resource

__all__ = [
    "AssessedNeed",
    "Assessment",
    "Consent",
    "DataCategory",
    "Enrollment",
    "EnrollmentStatus",
]


DataCategory = strawberry.enum(
    vocabulary.DataCategory,
    description="Kinds of recipient data that access and consent are about.",
)


@strawberry.enum
class EnrollmentStatus(Enum):
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    TERMINATED = "TERMINATED"


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
