"""Institutions (기관) in GraphQL."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import institutions as resolve
from resolvers import resources as resolve_resources
from resolvers.context import RequestContext
from schema.inputs import input_to_dict
from schema.pagination import Connection, connection
from schema.regions import Region

if TYPE_CHECKING:
    from schema.resources import Resource

__all__ = [
    "Institution",
    "InstitutionFilter",
    "InstitutionKind",
    "InstitutionQuery",
    "Sector",
]


@strawberry.enum(description="Public offices and agencies, or private/non-profit bodies.")
class Sector(Enum):
    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"


@strawberry.enum
class InstitutionKind(Enum):
    COMMUNITY_CENTER = "COMMUNITY_CENTER"
    CITY_HALL = "CITY_HALL"
    PROVINCIAL_OFFICE = "PROVINCIAL_OFFICE"
    HEALTH_CENTER = "HEALTH_CENTER"
    WELFARE_CENTER = "WELFARE_CENTER"
    SENIOR_WELFARE_CENTER = "SENIOR_WELFARE_CENTER"
    DISABILITY_WELFARE_CENTER = "DISABILITY_WELFARE_CENTER"
    CHILD_CENTER = "CHILD_CENTER"
    SELF_SUFFICIENCY_CENTER = "SELF_SUFFICIENCY_CENTER"
    NGO = "NGO"
    HOSPITAL = "HOSPITAL"


@strawberry.federation.type(keys=["id"], description="An institution taking part (기관).")
class Institution:
    id: strawberry.ID
    name: str
    name_en: str | None
    sector: Sector
    kind: InstitutionKind
    phone: str | None
    address: str | None
    lat: float | None
    lon: float | None
    version: int
    region_code: strawberry.Private[str]
    jurisdiction_code: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, row: dict[str, Any]) -> Institution:
        return cls(
            id=strawberry.ID(row["id"]),
            name=row["name"],
            name_en=row.get("nameEn"),
            sector=Sector(row["sector"]),
            kind=InstitutionKind(row["kind"]),
            phone=row.get("phone"),
            address=row.get("address"),
            lat=row.get("lat"),
            lon=row.get("lon"),
            version=row.get("version") or 1,
            region_code=row["regionCode"],
            jurisdiction_code=row.get("jurisdictionCode"),
        )

    @strawberry.field(description="The region the institution is located in.")
    def region(self, info: Info[RequestContext, None]) -> Region:
        return Region.by_code(info, self.region_code)

    @strawberry.field(
        description="The region a public office administers (관할: a 시청 its 시, a 주민센터 its "
        "읍면동, a 도청 its 도), which regional figures and REGION audiences follow; null for "
        "institutions that administer none."
    )
    def jurisdiction(self, info: Info[RequestContext, None]) -> Region | None:
        row = {
            "jurisdictionCode": self.jurisdiction_code,
            "kind": self.kind.value,
            "sector": self.sector.value,
            "regionCode": self.region_code,
        }
        code = resolve.jurisdiction_of(row, info.context.services.regions)
        return Region.by_code(info, code) if code else None

    @strawberry.field(description="Resources this institution provides that the viewer may see.")
    async def resources(
        self, info: Info[RequestContext, None], first: int = 20, after: str | None = None
    ) -> Connection[Annotated[Resource, strawberry.lazy("schema.resources")]]:
        from schema.resources import Resource

        page = await resolve_resources.resources_of_institution(info.context, self.id, first, after)
        return connection(page, Resource.from_record)

    @classmethod
    async def resolve_reference(
        cls, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Institution | None:
        """`_entities`: the same path as `institution(id)`, so the same checks apply; the
        request's loader turns all representations into one graph round trip."""
        row = await resolve.get_institution(info.context, id)
        return cls.from_record(row) if row else None


@strawberry.input
class InstitutionFilter:
    regions: list[str] | None = strawberry.UNSET
    kinds: list[InstitutionKind] | None = strawberry.UNSET
    sectors: list[Sector] | None = strawberry.UNSET


@strawberry.type
class InstitutionQuery:
    @strawberry.field(description="One institution by id, or null if there is none.")
    async def institution(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> Institution | None:
        row = await resolve.get_institution(info.context, id)
        return Institution.from_record(row) if row else None

    @strawberry.field(description="Institutions in id order, optionally filtered.")
    async def institutions(
        self,
        info: Info[RequestContext, None],
        filter: InstitutionFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Institution]:
        filters = input_to_dict(filter) if filter else None
        page = await resolve.list_institutions(info.context, filters, first, after)
        return connection(page, Institution.from_record)
