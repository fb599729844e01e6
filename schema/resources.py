"""Resources (자원) in GraphQL. Types are built from records that `resolvers.resources.present`
has already cut to what the viewer may see; withheld parts are null."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

import vocabulary.access as vocabulary
from resolvers import institutions as resolve_institutions
from resolvers import resources as resolve
from resolvers.context import RequestContext
from schema.inputs import input_to_dict
from schema.institutions import Institution
from schema.needs import Need
from schema.pagination import Connection, connection
from schema.programs import Program
from schema.regions import Region

__all__ = [
    "Audience",
    "HouseholdType",
    "RegisterResourceInput",
    "Resource",
    "ResourceField",
    "ResourceFilter",
    "ResourceKind",
    "ResourceMutation",
    "ResourceQuery",
    "ResourceStatus",
    "UpdateResourceInput",
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
    # Only the owner's staff ever see the settings; @authenticated lets a router refuse
    # anonymous callers before they reach us (`present` still withholds it here).
    visibility: ResourceVisibility | None = strawberry.federation.field(
        authenticated=True, description="Who may see what; null unless you are the owner."
    )
    withheld_fields: list[str] = strawberry.field(
        description="GraphQL names of the fields withheld from this viewer (they are null)."
    )
    version: int
    created_at: datetime
    updated_at: datetime
    provider_id: strawberry.Private[str]
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
            program_id=record.get("programId"),
            need_codes=record["needs"],
            region_codes=record["regions"],
        )

    @strawberry.field(description="The institution that registered and provides the resource.")
    async def provider(self, info: Info[RequestContext, None]) -> Institution | None:
        row = await resolve_institutions.load_institution(info.context, self.provider_id)
        return Institution.from_record(row) if row else None

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


@strawberry.input
class ResourceFilter:
    needs: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Need codes; narrower needs match too."
    )
    regions: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Region codes; resources serving a region above or below match too.",
    )
    institutions: list[strawberry.ID] | None = strawberry.UNSET
    kinds: list[ResourceKind] | None = strawberry.UNSET
    statuses: list[ResourceStatus] | None = strawberry.UNSET


@strawberry.input
class EligibilityInput:
    min_age: int | None = None
    max_age: int | None = None
    max_income_percent: int | None = None
    household_types: list[HouseholdType] | None = None
    disability_required: bool | None = None
    notes: str | None = None


@strawberry.input
class CapacityInput:
    total: int | None = None
    available: int | None = None


@strawberry.input
class ContactInput:
    phone: str | None = None
    email: str | None = None
    person: str | None = None


@strawberry.input
class AddressInput:
    text: str | None = None
    lat: float | None = None
    lon: float | None = None


@strawberry.input
class FieldAudienceInput:
    field: ResourceField
    audience: Audience


@strawberry.input(description="Visibility at registration; unnamed fields keep the defaults.")
class VisibilityInput:
    listing: Audience | None = None
    fields: list[FieldAudienceInput] | None = None
    partners: list[strawberry.ID] | None = None


@strawberry.input
class RegisterResourceInput:
    name: str
    kind: ResourceKind
    needs: list[str]
    regions: list[str] = strawberry.field(description="Region codes the resource serves.")
    provider_id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the viewer's institution."
    )
    description: str | None = None
    status: ResourceStatus | None = None
    eligibility: EligibilityInput | None = None
    capacity: CapacityInput | None = None
    schedule: str | None = None
    contact: ContactInput | None = None
    address: AddressInput | None = None
    internal_notes: str | None = None
    program_id: str | None = strawberry.field(
        default=None, description="The public programme this resource delivers (`programs`)."
    )
    visibility: VisibilityInput | None = None


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class UpdateResourceInput:
    name: str | None = strawberry.UNSET
    kind: ResourceKind | None = strawberry.UNSET
    needs: list[str] | None = strawberry.UNSET
    regions: list[str] | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    eligibility: EligibilityInput | None = strawberry.UNSET
    capacity: CapacityInput | None = strawberry.UNSET
    schedule: str | None = strawberry.UNSET
    contact: ContactInput | None = strawberry.UNSET
    address: AddressInput | None = strawberry.UNSET
    internal_notes: str | None = strawberry.UNSET
    program_id: str | None = strawberry.UNSET


@strawberry.type
class ResourceQuery:
    @strawberry.field(
        description="One resource, or null when there is none or the viewer may not see it."
    )
    async def resource(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Resource | None:
        record = await resolve.get_resource(info.context, id)
        return Resource.from_record(record) if record else None

    @strawberry.field(description="Resources the viewer may see, in id order.")
    async def resources(
        self,
        info: Info[RequestContext, None],
        filter: ResourceFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Resource]:
        filters = input_to_dict(filter) if filter else None
        page = await resolve.list_resources(info.context, filters, first, after)
        return connection(page, Resource.from_record)

    @strawberry.federation.field(
        authenticated=True,
        description="What a viewer of this audience kind would see of your resource, computed "
        "from its settings; null unless you are staff of its institution (as for an unknown id).",
    )
    async def resource_visibility_preview(
        self, info: Info[RequestContext, None], resource_id: strawberry.ID, viewer: Audience
    ) -> VisibilityPreview | None:
        record = await resolve.preview_visibility(info.context, resource_id, viewer.value)
        return VisibilityPreview.from_record(record) if record else None


@strawberry.type
class ResourceMutation:
    """Every mutation needs a staff token (`_require_write_role`), so each is @authenticated:
    a router turns anonymous calls away early; the checks here stay the authority."""

    @strawberry.federation.mutation(
        authenticated=True, description="Register a resource for the viewer's institution."
    )
    async def register_resource(
        self, info: Info[RequestContext, None], input: RegisterResourceInput
    ) -> Resource:
        record = await resolve.register_resource(info.context, input_to_dict(input))
        return Resource.from_record(record)

    @strawberry.federation.mutation(
        authenticated=True,
        description="Change a resource; fails with CONFLICT when expectedVersion is stale.",
    )
    async def update_resource(
        self,
        info: Info[RequestContext, None],
        id: strawberry.ID,
        expected_version: int,
        input: UpdateResourceInput,
    ) -> Resource:
        record = await resolve.update_resource(
            info.context, id, expected_version, input_to_dict(input)
        )
        return Resource.from_record(record)

    @strawberry.federation.mutation(
        authenticated=True,
        description="Set who may see the resource (listing) and each controlled field; "
        "registrants and admins of the owner only. Atomic and audited.",
    )
    async def set_resource_visibility(
        self,
        info: Info[RequestContext, None],
        resource_id: strawberry.ID,
        expected_version: int,
        listing: Audience | None = None,
        fields: list[FieldAudienceInput] | None = None,
        partners: list[strawberry.ID] | None = None,
    ) -> Resource:
        record = await resolve.set_resource_visibility(
            info.context,
            resource_id,
            expected_version,
            listing.value if listing else None,
            [input_to_dict(f) for f in fields] if fields is not None else None,
            list(partners) if partners is not None else None,
        )
        return Resource.from_record(record)

    @strawberry.federation.mutation(
        authenticated=True, description="Activate, suspend or close a resource."
    )
    async def set_resource_status(
        self,
        info: Info[RequestContext, None],
        id: strawberry.ID,
        status: ResourceStatus,
        expected_version: int | None = None,
    ) -> Resource:
        record = await resolve.set_resource_status(info.context, id, status.value, expected_version)
        return Resource.from_record(record)
