"""The Cypher condition every resource read goes through.

Like NetBox's `restrict()`: no repository function reads resources without putting
`RESOURCE_LISTED` into the `WHERE` of the same statement, so no path can forget it."""

from __future__ import annotations

from typing import Any

from vocabulary.access import Viewer

__all__ = ["RESOURCE_LISTED", "listing_params", "shown_to_viewer"]


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
