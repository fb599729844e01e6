"""Which public offices are responsible for a place: the 주민센터 (COMMUNITY_CENTER) that
administers the 읍면동, then the 시청 (CITY_HALL) that administers the 시군구 above it. Intakes
escalate to them, crisis reports and forwarded applications go to them.

Decided by jurisdiction (관할), as every regional rule is (`resolvers.institutions.
jurisdiction_of`): an office's stored jurisdiction, else the default of its kind from where
it is located — a 시청 sits in one 동 of the 시 it administers."""

from __future__ import annotations

from graph.institutions import public_offices_for
from resolvers.context import Services
from resolvers.institutions import jurisdiction_of

__all__ = ["responsible_offices"]


async def responsible_offices(services: Services, region_code: str) -> list[str]:
    """Ids, nearest first: the 읍면동's 주민센터 (when the place is one and it has one), then
    the 시군구's 시청. Empty when the place lies outside every 시군구 with an office."""
    regions = services.regions
    row = regions.by_code.get(region_code)
    if row is None:
        return []
    if row.get("level") == "EUPMYEONDONG":
        emd, sigungu = region_code, row.get("parent")
    elif row.get("level") == "SIGUNGU":
        emd, sigungu = None, region_code
    else:
        return []
    administered = [code for code in (emd, sigungu) if code]
    located = regions.descendants(sigungu) if sigungu else [region_code]
    offices = await public_offices_for(services.graph, administered, located)
    governs = {o["id"]: jurisdiction_of(o, regions) for o in offices}
    centres = [
        o["id"] for o in offices if o["kind"] == "COMMUNITY_CENTER" and governs[o["id"]] == emd
    ]
    halls = [o["id"] for o in offices if o["kind"] == "CITY_HALL" and governs[o["id"]] == sigungu]
    return centres[:1] + halls[:1]
