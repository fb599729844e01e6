"""The viewer's access context, and the Cypher condition every resource read goes through.

Like NetBox's `restrict()`: no repository function reads resources without putting
`RESOURCE_LISTED` into the `WHERE` of the same statement, so no path can forget it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

__all__ = [
    "RESOURCE_LISTED",
    "Audience",
    "Viewer",
    "audience_admits",
    "listing_params",
    "shown_to_viewer",
]


class Audience(IntEnum):
    """Who may see a resource or a field, widest first. A viewer admitted at a narrower
    audience is admitted at every wider one (a partner sees what the region sees)."""

    PUBLIC = 0
    AUTHENTICATED = 1
    REGION = 2
    PARTNERS = 3
    OWNER = 4


# PLATFORM_ADMIN: operators of the platform itself (reads audit logs across institutions).
# VILLAGE_PLANNER: 마을복지플래너, community workers who find people in need (crisis reports).
ROLES = frozenset({"CASEWORKER", "REGISTRANT", "ADMIN", "PLATFORM_ADMIN", "VILLAGE_PLANNER"})


@dataclass(frozen=True)
class Viewer:
    """Who is asking: from the bearer token, plus where the viewer's institution is."""

    subject: str | None = None
    institution_id: str | None = None
    roles: frozenset[str] = frozenset()
    # The viewer institution's region and all regions above it (읍면동 -> 시군구 -> 시도).
    region_codes: tuple[str, ...] = ()
    # The region a public office administers (its jurisdiction, which may be wider than where
    # it is located: a 시청 sits in one 동 of its 시), and every region within it.
    jurisdiction: str | None = None
    jurisdiction_codes: tuple[str, ...] = ()
    institution_kind: str = ""
    # The institution's coordinates: where search measures distance from by default.
    home: tuple[float, float] | None = None
    request_id: str = ""
    token_expires_at: int | None = field(default=None, compare=False)

    @property
    def anonymous(self) -> bool:
        return self.subject is None

    def is_staff_of(self, institution_id: str) -> bool:
        return self.institution_id is not None and self.institution_id == institution_id

    def manages(self, institution_id: str) -> bool:
        """May register and change the institution's resources."""
        return self.is_staff_of(institution_id) and bool(self.roles & {"REGISTRANT", "ADMIN"})

    @property
    def regional_codes(self) -> tuple[str, ...]:
        """Regions that make a REGION audience admit the viewer: where its institution is (and
        above), and what it administers (and within)."""
        return self.region_codes + tuple(
            c for c in self.jurisdiction_codes if c not in self.region_codes
        )

    @property
    def authority_region(self) -> str | None:
        """The region the viewer's institution answers for in regional figures: its
        jurisdiction, else where it is located."""
        return self.jurisdiction or (self.region_codes[0] if self.region_codes else None)

    def relation_to(self, provider_id: str, served: list[str], partners: list[str]) -> Audience:
        """The narrowest audience this viewer belongs to for one resource."""
        if self.anonymous:
            return Audience.PUBLIC
        if self.is_staff_of(provider_id):
            return Audience.OWNER
        if self.institution_id in partners:
            return Audience.PARTNERS
        if any(code in self.regional_codes for code in served):
            return Audience.REGION
        return Audience.AUTHENTICATED


def audience_admits(audience: Audience, relation: Audience) -> bool:
    return relation >= audience


def shown_to_viewer(column: str) -> str:
    """The condition, in Cypher, that the audience held in property `r.<column>` admits the
    viewer; parameters from `listing_params`. Anonymous viewers have no institution ("") and no
    regions, so only PUBLIC admits them. Kept flat: graphglot's Neo4j parser (the dialect
    check) slows down badly on nesting."""
    return f"""(r.{column} = 'PUBLIC'
  OR ($viewerStaff AND r.{column} = 'AUTHENTICATED')
  OR r.providerId = $viewerInst
  OR ($viewerInst IN r.partners AND r.{column} IN ['REGION', 'PARTNERS'])
  OR (r.{column} = 'REGION' AND any(code IN r.servedRegionCodes WHERE code IN $viewerRegions)))"""


# The listing condition for a resource `r`: who may know it exists.
RESOURCE_LISTED = shown_to_viewer("visListing")


def listing_params(viewer: Viewer) -> dict[str, Any]:
    return {
        "viewerStaff": not viewer.anonymous,
        "viewerInst": viewer.institution_id or "",
        "viewerRegions": list(viewer.regional_codes),
    }
