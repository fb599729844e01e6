"""`searchResources`: needs-based search (욕구 기반 자원 검색) in GraphQL. Hits carry resources
already cut to what the viewer may see (see `resolvers.search`)."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import search as resolve
from resolvers.context import RequestContext
from schema.inputs import input_to_dict
from schema.institutions import Sector
from schema.needs import Need
from schema.pagination import PageInfo
from schema.resources import HouseholdType, Resource, ResourceKind, ResourceStatus
from schema.selections import selected_under

__all__ = ["ResourceSearchInput", "ResourceSearchResult", "SearchQuery"]


@strawberry.input(description="A point and a radius: resources whose address is inside.")
class NearInput:
    lat: float
    lon: float
    radius_km: float = strawberry.field(description="Above 0 and at most 500.")


@strawberry.input(description="What is known about the person; leave out what is unknown.")
class PersonInput:
    age: int | None = None
    income_percent: int | None = strawberry.field(
        default=None, description="Household income as % of the standard median income."
    )
    household_type: HouseholdType | None = None
    disability: bool | None = strawberry.field(
        default=None, description="Whether the person has a registered disability."
    )


@strawberry.input(
    description="Every part is optional; with none, active resources nearest the viewer's "
    "institution come first."
)
class ResourceSearchInput:
    needs: list[str] | None = strawberry.field(
        default=None, description="Need codes; a resource for a narrower need matches too."
    )
    text: str | None = strawberry.field(
        default=None, description="Plain words, Korean or English (no query syntax)."
    )
    near: NearInput | None = None
    regions: list[str] | None = strawberry.field(
        default=None, description="Region codes; resources serving above or below match too."
    )
    person: PersonInput | None = strawberry.field(
        default=None,
        description="Excludes resources the person's known attributes rule out; resources "
        "whose rules depend on unknown attributes rank lower.",
    )
    has_capacity: bool | None = strawberry.field(
        default=None,
        description="true: only resources showing free places to you; false: only full ones.",
    )
    kinds: list[ResourceKind] | None = None
    sectors: list[Sector] | None = None
    institutions: list[strawberry.ID] | None = None
    statuses: list[ResourceStatus] | None = strawberry.field(
        default=None, description="Defaults to ACTIVE."
    )
    first: int = 20
    after: str | None = None


@strawberry.type
class Highlight:
    field: str = strawberry.field(description="`name`, `description` or `eligibility.notes`.")
    fragments: list[str] = strawberry.field(description="Matched words marked with <em>.")


@strawberry.enum
class MatchReasonCode(Enum):
    NEEDS = "NEEDS"
    ELIGIBLE = "ELIGIBLE"
    ELIGIBILITY_UNKNOWN = "ELIGIBILITY_UNKNOWN"
    ELIGIBILITY_WITHHELD = "ELIGIBILITY_WITHHELD"
    DISTANCE = "DISTANCE"
    TEXT = "TEXT"
    RELATED_TERM = strawberry.enum_value(
        "RELATED_TERM", description="Found through the thesaurus (e.g. 식사 through 끼니)."
    )
    CAPACITY = "CAPACITY"


@strawberry.type
class MatchReason:
    code: MatchReasonCode
    message: str = strawberry.field(description="Why, as a sentence in English.")
    message_ko: str = strawberry.field(description="The same sentence in Korean.")


@strawberry.enum(description="How the person fits the resource's eligibility rules.")
class EligibilityFit(Enum):
    ELIGIBLE = "ELIGIBLE"
    UNKNOWN = "UNKNOWN"
    WITHHELD = "WITHHELD"
    NOT_CHECKED = "NOT_CHECKED"


@strawberry.type
class ResourceSearchHit:
    resource: Resource
    score: float
    cursor: str
    matched_needs: list[Need] = strawberry.field(
        description="The requested needs this resource covers."
    )
    distance_km: float | None = strawberry.field(
        description="From `near`, or from the viewer's institution; null when the address is "
        "withheld or unknown."
    )
    highlights: list[Highlight]
    eligibility: EligibilityFit
    missing_facts: list[str] = strawberry.field(
        description="Person attributes that would decide eligibility (PersonInput names)."
    )
    reasons: list[MatchReason] = strawberry.field(description="Why it matched, in rank order.")

    @classmethod
    def from_record(
        cls, hit: dict[str, Any], needs: dict[str, dict[str, Any]]
    ) -> ResourceSearchHit:
        return cls(
            resource=Resource.from_record(hit["resource"]),
            score=hit["score"],
            cursor=hit["cursor"],
            matched_needs=[Need.from_record(needs[code]) for code in hit["matchedNeeds"]],
            distance_km=hit["distanceKm"],
            highlights=[Highlight(**h) for h in hit["highlights"]],
            eligibility=EligibilityFit(hit["eligibility"]),
            missing_facts=hit["missingFacts"],
            reasons=[
                MatchReason(
                    code=MatchReasonCode(r["code"]), message=r["message"], message_ko=r["messageKo"]
                )
                for r in hit["reasons"]
            ],
        )


@strawberry.type
class NeedFacet:
    code: str
    label: str
    count: int


@strawberry.type
class KindFacet:
    value: ResourceKind
    count: int


@strawberry.type
class SectorFacet:
    value: Sector
    count: int


@strawberry.type
class RegionFacet:
    code: str
    name: str
    count: int


@strawberry.type(description="Counts over every hit the viewer may see, not just this page.")
class SearchFacets:
    needs: list[NeedFacet]
    kinds: list[KindFacet]
    sectors: list[SectorFacet]
    regions: list[RegionFacet]


@strawberry.type
class ResourceSearchResult:
    hits: list[ResourceSearchHit]
    total_count: int
    facets: SearchFacets
    page_info: PageInfo


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description="Resources for a person's needs, ranked by needs covered, eligibility fit, "
        "distance and text relevance. Search engine down: UNAVAILABLE."
    )
    async def search_resources(
        self, info: Info[RequestContext, None], input: ResourceSearchInput
    ) -> ResourceSearchResult:
        page = await resolve.search(
            info.context,
            input_to_dict(input),
            facets=frozenset(selected_under(info, "facets") - {"__typename"}),
        )
        needs = info.context.services.needs.by_code
        hits = [ResourceSearchHit.from_record(hit, needs) for hit in page.hits]
        facets = page.facets
        return ResourceSearchResult(
            hits=hits,
            total_count=page.total,
            facets=SearchFacets(
                needs=[NeedFacet(**f) for f in facets["needs"]],
                kinds=[
                    KindFacet(value=ResourceKind(f["value"]), count=f["count"])
                    for f in facets["kinds"]
                ],
                sectors=[
                    SectorFacet(value=Sector(f["value"]), count=f["count"])
                    for f in facets["sectors"]
                    if f["value"] in Sector.__members__
                ],
                regions=[RegionFacet(**f) for f in facets["regions"]],
            ),
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=hits[0].cursor if hits else None,
                end_cursor=hits[-1].cursor if hits else None,
            ),
        )
