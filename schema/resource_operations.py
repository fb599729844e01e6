"""Resources (자원) in GraphQL, the root fields: reading resources (anyone: each record is cut
to what the viewer may see), previewing their visibility and the registrants' mutations."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers import resources as resolve
from resolvers.context import RequestContext
from schema.inputs import input_to_dict
from schema.pagination import Connection, connection
from schema.permissions import ManagesResources, SignedIn, gate, withheld
from schema.resources import (
    Audience,
    HouseholdType,
    Resource,
    ResourceField,
    ResourceKind,
    ResourceStatus,
    VisibilityPreview,
)

__all__ = [
    "RegisterResourceInput",
    "ResourceFilter",
    "ResourceMutation",
    "ResourceQuery",
    "UpdateResourceInput",
]


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

    @strawberry.field(
        description="What a viewer of this audience kind would see of your resource, computed "
        "from its settings; null unless you are staff of its institution (as for an unknown id).",
        extensions=[withheld(SignedIn)],
    )
    async def resource_visibility_preview(
        self, info: Info[RequestContext, None], resource_id: strawberry.ID, viewer: Audience
    ) -> VisibilityPreview | None:
        record = await resolve.preview_visibility(info.context, resource_id, viewer.value)
        return VisibilityPreview.from_record(record) if record else None


_CHANGING = "changing resources"


@strawberry.type
class ResourceMutation:
    """Registrants and admins only (`ManagesResources`; the resolvers also check that the
    institution is theirs)."""

    @strawberry.mutation(
        description="Register a resource for the viewer's institution.",
        extensions=[gate(ManagesResources, _CHANGING)],
    )
    async def register_resource(
        self, info: Info[RequestContext, None], input: RegisterResourceInput
    ) -> Resource:
        record = await resolve.register_resource(info.context, input_to_dict(input))
        return Resource.from_record(record)

    @strawberry.mutation(
        description="Change a resource; fails with CONFLICT when expectedVersion is stale.",
        extensions=[gate(ManagesResources, _CHANGING)],
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

    @strawberry.mutation(
        description="Set who may see the resource (listing) and each controlled field; "
        "registrants and admins of the owner only. Atomic and audited.",
        extensions=[gate(ManagesResources, _CHANGING)],
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

    @strawberry.mutation(
        description="Activate, suspend or close a resource.",
        extensions=[gate(ManagesResources, _CHANGING)],
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
