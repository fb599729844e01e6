"""Who may see a resource's listing and each controlled field, as the index holds it:
principal tokens per audience (`public`, `staff`, `region:<code>`, `inst:<id>`), the kinds of
viewer an audience leaves out, and the `must_not` clause that applies the graph's audience rules
(`graph.access`) on the index side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vocabulary.access import Audience

__all__ = [
    "AUDIENCE_NAMES",
    "CONTROLLED_FIELDS",
    "Searcher",
    "audience_tokens",
    "principals",
    "withheld",
    "withheld_from",
]

# The fields whose audience the registrant sets; each has its principal tokens under `see` so
# that the search can apply the same audience rules as the graph.
CONTROLLED_FIELDS = (
    "description",
    "contact",
    "address",
    "capacity",
    "schedule",
    "eligibility",
    "internalNotes",
)
# What has an audience: the listing and every controlled field.
AUDIENCE_NAMES = ("listing", *CONTROLLED_FIELDS)
# Principals every viewer of a kind holds (anonymous, staff), narrowest kind last; the other
# principals (`inst:`, `region:`) name one institution or region.
_GENERIC = ("public", "staff")


@dataclass(frozen=True)
class Searcher:
    """Who searches, in the terms the index's visibility fields need (mirrors the graph's
    viewer: staff of an institution in a chain of regions, or anonymous)."""

    staff: bool = False
    institution_id: str | None = None
    region_codes: tuple[str, ...] = ()


def audience_tokens(
    audience: str, provider: str, served: list[str], partners: list[str]
) -> list[str]:
    """The principals an audience admits for one resource: everyone (`public`), any staff
    (`staff`), staff of a region it serves (`region:<code>`), partners and the owner
    (`inst:<id>`). Wider audiences admit every narrower relation, as in the graph."""
    owner = [f"inst:{provider}"]
    allowed = [f"inst:{p}" for p in partners]
    if audience == Audience.PUBLIC:
        return ["public"]
    if audience == Audience.AUTHENTICATED:
        return ["staff"]
    if audience == Audience.REGION:
        return [f"region:{code}" for code in served] + allowed + owner
    if audience == Audience.PARTNERS:
        return allowed + owner
    return owner


def principals(who: Searcher) -> list[str]:
    """The tokens a viewer holds: its institution and every region it lies in."""
    if not who.staff:
        return ["public"]
    held = ["public", "staff"]
    if who.institution_id:
        held.append(f"inst:{who.institution_id}")
    return held + [f"region:{code}" for code in who.region_codes]


def withheld_from(tokens: list[str]) -> list[str]:
    """The kinds of viewer an audience leaves out unless one of their own principals is in
    `tokens`: `public` (anonymous viewers) and `staff` (staff as such). Indexed beside the
    tokens, it lets a search exclude the documents a viewer may not see, which on every
    audience but PUBLIC and AUTHENTICATED are few, instead of filtering for the many it may."""
    held = set(tokens)
    return [kind for i, kind in enumerate(_GENERIC) if held.isdisjoint(_GENERIC[: i + 1])]


def withheld(name: str, who: Searcher) -> dict[str, Any]:
    """Documents whose audience for `name` (`listing` or a controlled field) does not admit
    `who`, for `must_not`: the index-side twin of the graph's audience conditions
    (`graph.access`). A document is admitted when its tokens hold one of `principals(who)`:
    a generic one (exactly when `withheldFrom` does not name the viewer's kind) or one of its
    own."""
    column = "seeListing" if name == "listing" else f"see.{name}"
    kind = "staff" if who.staff else "public"
    closed: dict[str, Any] = {"term": {f"withheldFrom.{name}": kind}}
    own = [p for p in principals(who) if p not in _GENERIC]
    if not own:
        return closed
    return {"bool": {"filter": [closed], "must_not": [{"terms": {column: own}}]}}
