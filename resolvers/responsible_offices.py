"""Which public offices are responsible for a place: the 주민센터 (COMMUNITY_CENTER) located in
the 읍면동, then the 시청 (CITY_HALL) of the 시군구 above it. Intakes escalate to them, crisis
reports and forwarded applications go to them.

Derived from where offices are located, in this one function, so that it can switch to an
explicit jurisdiction of public offices when institutions carry one."""

from __future__ import annotations

from graph.institutions import public_offices_in
from resolvers.context import Services

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
    area = regions.descendants(sigungu) if sigungu else [region_code]
    offices = await public_offices_in(services.graph, area)
    centres = [
        o["id"] for o in offices if o["kind"] == "COMMUNITY_CENTER" and o["regionCode"] == emd
    ]
    halls = [o["id"] for o in offices if o["kind"] == "CITY_HALL"]
    return centres[:1] + halls[:1]
