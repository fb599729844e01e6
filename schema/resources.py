"""Resources (자원) in GraphQL. Types are built from records that `resolvers.resources.present`
has already cut to what the viewer may see; withheld parts are null."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

import vocabulary.access as vocabulary
from resolvers import resources as resolve
from resolvers.context import RequestContext
from schema.institutions import Institution
from schema.needs import Need
from schema.permissions import StaffOfProvider, quiet
from schema.programs import Program
from schema.regions import Region

__all__ = [
    "Audience",
    "HouseholdType",
    "Resource",
    "ResourceField",
    "ResourceKind",
    "ResourceStatus",
    "VisibilityPreview",
]


@strawberry.enum
class ResourceKind(Enum):
    SERVICE = "SERVICE"
    BENEFIT = "BENEFIT"
    GOODS = "GOODS"
    FACILITY = "FACILITY"
    VOLUNTEER = "VOLUNTEER"
    FUNDING = "FUNDING"


@strawberry.enum
class ResourceStatus(Enum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    CLOSED = "CLOSED"


Audience = strawberry.enum(
    vocabulary.Audience, description="Who may see a resource or one of its fields, widest first."
)


@strawberry.enum(description="The resource fields whose audience the registrant controls.")
class ResourceField(Enum):
    DESCRIPTION = "description"
    CONTACT = "contact"
    ADDRESS = "address"
    CAPACITY = "capacity"
    SCHEDULE = "schedule"
    ELIGIBILITY = "eligibility"
    INTERNAL_NOTES = "internalNotes"


@strawberry.enum
class HouseholdType(Enum):
    SINGLE_ELDERLY = "SINGLE_ELDERLY"
    SINGLE_PARENT = "SINGLE_PARENT"
    GRANDPARENT_HEADED = "GRANDPARENT_HEADED"
    MULTICULTURAL = "MULTICULTURAL"
    DISABLED_MEMBER = "DISABLED_MEMBER"
    CHILD_HEADED = "CHILD_HEADED"
    GENERAL = "GENERAL"


@strawberry.type
class Eligibility:
    min_age: int | None
    max_age: int | None
    max_income_percent: int | None = strawberry.field(
        description="Highest income as % of the standard median income (기준중위소득)."
    )
    household_types: list[HouseholdType]
    disability_required: bool
    notes: str | None


@strawberry.type
class Capacity:
    total: int | None
    available: int | None
    updated_at: datetime | None


@strawberry.type
class Contact:
    phone: str | None
    email: str | None
    person: str | None


@strawberry.type
class Address:
    text: str | None
    lat: float | None
    lon: float | None


@strawberry.type
class FieldAudience:
    field: ResourceField
    audience: Audience


@strawberry.type(description="A resource's visibility settings; shown to its owner only.")
class ResourceVisibility:
    listing: Audience
    fields: list[FieldAudience]
    partners: list[strawberry.ID]


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _eligibility(value: dict[str, Any] | None) -> Eligibility | None:
    if value is None:
        return None
    return Eligibility(
        min_age=value.get("minAge"),
        max_age=value.get("maxAge"),
        max_income_percent=value.get("maxIncomePercent"),
        household_types=[HouseholdType(t) for t in value.get("householdTypes") or []],
        disability_required=bool(value.get("disabilityRequired")),
        notes=value.get("notes"),
    )


def _visibility(value: dict[str, Any] | None) -> ResourceVisibility | None:
    if value is None:
        return None
    return ResourceVisibility(
        listing=Audience(value["listing"]),
        fields=[
            FieldAudience(field=ResourceField(name), audience=Audience(audience))
            for name, audience in value["fields"].items()
        ],
        partners=[strawberry.ID(p) for p in value["partners"]],
    )


@strawberry.type(
    description="What a viewer of one audience kind sees of a resource: the listing, and "
    "which controlled fields are shown or withheld (name, kind, status, provider, needs and "
    "served regions always come with the listing)."
)
class VisibilityPreview:
    viewer: Audience
    listed: bool
    shown_fields: list[ResourceField]
    withheld_fields: list[ResourceField]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> VisibilityPreview:
        return cls(
            viewer=Audience(record["viewer"]),
            listed=record["listed"],
            shown_fields=[ResourceField(name) for name in record["shown"]],
            withheld_fields=[ResourceField(name) for name in record["withheld"]],
        )


@strawberry.federation.type(keys=["id"], description="A resource (자원) an institution offers.")
class Resource:
    id: strawberry.ID
    name: str
    description: str | None
    kind: ResourceKind
    status: ResourceStatus
    eligibility: Eligibility | None
    capacity: Capacity | None
    schedule: str | None
    contact: Contact | None
    address: Address | None
    internal_notes: str | None = strawberry.field(description="Staff notes; OWNER by default.")
    # Only the owner's staff ever see the settings (`present` withholds them too).
    visibility: ResourceVisibility | None = strawberry.field(
        description="Who may see what; null unless you are the owner.",
        extensions=[quiet(StaffOfProvider)],
    )
    withheld_fields: list[str] = strawberry.field(
        description="GraphQL names of the fields withheld from this viewer (they are null)."
    )
    version: int
    created_at: datetime
    updated_at: datetime
    provider_id: strawberry.Private[str]
    # The provider's directory row, read in the resource's own statement (graph.resources).
    provider_row: strawberry.Private[dict[str, Any] | None]
    program_id: strawberry.Private[str | None]
    need_codes: strawberry.Private[list[str]]
    region_codes: strawberry.Private[list[str]]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Resource:
        capacity, contact, address = record["capacity"], record["contact"], record["address"]
        return cls(
            id=strawberry.ID(record["id"]),
            name=record["name"],
            description=record["description"],
            kind=ResourceKind(record["kind"]),
            status=ResourceStatus(record["status"]),
            eligibility=_eligibility(record["eligibility"]),
            capacity=Capacity(
                total=capacity.get("total"),
                available=capacity.get("available"),
                updated_at=_time(capacity.get("updatedAt")),
            )
            if capacity
            else None,
            schedule=record["schedule"],
            contact=Contact(**contact) if contact else None,
            address=Address(**address) if address else None,
            internal_notes=record["internalNotes"],
            visibility=_visibility(record["visibility"]),
            withheld_fields=record["withheldFields"],
            version=record["version"],
            created_at=datetime.fromisoformat(record["createdAt"]),
            updated_at=datetime.fromisoformat(record["updatedAt"]),
            provider_id=record["providerId"],
            provider_row=record["provider"],
            program_id=record.get("programId"),
            need_codes=record["needs"],
            region_codes=record["regions"],
        )

    @strawberry.field(description="The institution that registered and provides the resource.")
    def provider(self) -> Institution | None:
        # Synchronous: read with the resource, so a page of resources completes without one
        # awaitable (and one asyncio task in graphql-core's gather) per row.
        return Institution.from_record(self.provider_row) if self.provider_row else None

    @strawberry.field(description="The public programme this resource delivers, if any.")
    def program(self, info: Info[RequestContext, None]) -> Program | None:
        found = Program.by_ids(info, [self.program_id] if self.program_id else [])
        return found[0] if found else None

    @strawberry.field(description="The needs the resource addresses.")
    def needs(self, info: Info[RequestContext, None]) -> list[Need]:
        return Need.by_codes(info, self.need_codes)

    @strawberry.field(description="The regions the resource serves (visible with the listing).")
    def served_regions(self, info: Info[RequestContext, None]) -> list[Region]:
        return [Region.by_code(info, code) for code in self.region_codes]

    @classmethod
    async def resolve_reference(
        cls, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Resource | None:
        """`_entities`: the same path as `resource(id)`, so a resource whose listing is hidden
        from the viewer is null here too and withheld fields are cut the same way."""
        record = await resolve.get_resource(info.context, id)
        return cls.from_record(record) if record else None
