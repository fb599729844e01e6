"""Who is asking and what they may be shown: the viewer, the roles a token carries, the
audiences a resource or field is shown to, and the categories of a recipient's data.

The policy that uses these words lives in `graph.access` (what a statement may read and
write) and `resolvers.access` (who may ask at all); the schema exposes the same enums."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "CATEGORIES",
    "ROLES",
    "Audience",
    "DataCategory",
    "Role",
    "Viewer",
    "audience_admits",
]


class Role(StrEnum):
    """Every role a token may carry."""

    CASEWORKER = "CASEWORKER"
    REGISTRANT = "REGISTRANT"
    ADMIN = "ADMIN"
    # Operators of the platform itself (reads audit logs across institutions).
    PLATFORM_ADMIN = "PLATFORM_ADMIN"
    # 마을복지플래너: community workers who find people in need (crisis reports).
    VILLAGE_PLANNER = "VILLAGE_PLANNER"


ROLES = frozenset(role.value for role in Role)


class Audience(StrEnum):
    """Who may see a resource or a field, widest first. A viewer admitted at a narrower
    audience is admitted at every wider one (a partner sees what the region sees)."""

    PUBLIC = "PUBLIC"
    AUTHENTICATED = "AUTHENTICATED"
    REGION = "REGION"
    PARTNERS = "PARTNERS"
    OWNER = "OWNER"

    @property
    def rank(self) -> int:
        """Position from the widest (0): the order the audiences admit each other in."""
        return _RANKS[self]


# Looked up, not recomputed: `present` asks for every controlled field of every resource shown.
_RANKS = {audience: position for position, audience in enumerate(Audience)}


def audience_admits(audience: Audience, relation: Audience) -> bool:
    """Whether a viewer whose narrowest relation to a resource is `relation` is admitted to
    something shown to `audience`."""
    return _RANKS[relation] >= _RANKS[audience]


class DataCategory(StrEnum):
    """Kinds of recipient data that access and consent are about."""

    IDENTITY = "IDENTITY"
    CONTACT = "CONTACT"
    NEEDS = "NEEDS"
    HISTORY = "HISTORY"
    CASE_NOTES = "CASE_NOTES"


CATEGORIES: tuple[str, ...] = tuple(category.value for category in DataCategory)


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
        return self.is_staff_of(institution_id) and bool(self.roles & {Role.REGISTRANT, Role.ADMIN})

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
