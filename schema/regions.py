"""Regions (시도 / 시군구 / 읍면동) in GraphQL."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers.context import RequestContext

__all__ = ["Region", "RegionLevel", "RegionQuery"]


@strawberry.enum(description="시도 (province), 시군구 (city/county), 읍면동 (town/neighbourhood).")
class RegionLevel(Enum):
    SIDO = "SIDO"
    SIGUNGU = "SIGUNGU"
    EUPMYEONDONG = "EUPMYEONDONG"


@strawberry.federation.type(keys=["code"], description="An administrative region.")
class Region:
    code: strawberry.ID
    name: str
    name_en: str | None
    level: RegionLevel
    lat: float | None
    lon: float | None
    parent_code: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, row: dict[str, Any]) -> Region:
        return cls(
            code=strawberry.ID(row["code"]),
            name=row["name"],
            name_en=row.get("nameEn"),
            level=RegionLevel(row["level"]),
            lat=row.get("lat"),
            lon=row.get("lon"),
            parent_code=row.get("parent"),
        )

    @classmethod
    def by_code(cls, info: Info[RequestContext, None], code: str) -> Region:
        return cls.from_record(info.context.services.regions.by_code[code])

    @strawberry.field(description="The region this one lies within.")
    def parent(self, info: Info[RequestContext, None]) -> Region | None:
        return Region.by_code(info, self.parent_code) if self.parent_code else None

    @strawberry.field(description="The regions directly within this one.")
    def children(self, info: Info[RequestContext, None]) -> list[Region]:
        return [Region.from_record(r) for r in info.context.services.regions.list(self.code)]

    @classmethod
    def resolve_reference(cls, info: Info[RequestContext, None], code: str) -> Region | None:
        """`_entities`: read from the in-memory region catalogue, like every other region lookup;
        an unknown code resolves to null, no graph round trip."""
        row = info.context.services.regions.by_code.get(code)
        return cls.from_record(row) if row else None


@strawberry.type
class RegionQuery:
    @strawberry.field(description="Regions directly within `parent`, or the 시도 without it.")
    def regions(self, info: Info[RequestContext, None], parent: str | None = None) -> list[Region]:
        return [Region.from_record(r) for r in info.context.services.regions.list(parent)]
