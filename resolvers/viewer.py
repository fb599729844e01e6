"""Building the request's `Viewer`: token facts plus the regions, jurisdiction, kind and
coordinates of the viewer's institution (cached briefly: institutions rarely move, and this
runs on every request)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from graph.institutions import institutions_by_ids
from resolvers.context import Services
from resolvers.institutions import jurisdiction_of
from vocabulary.access import Viewer

__all__ = ["ViewerFactory"]


@dataclass(frozen=True)
class _Place:
    """Where the viewer's institution is: its region chain, kind and coordinates."""

    regions: tuple[str, ...] = ()
    kind: str = ""
    home: tuple[float, float] | None = None
    jurisdiction: str | None = None
    jurisdiction_codes: tuple[str, ...] = ()


class ViewerFactory:
    def __init__(self, services: Services, ttl_seconds: float = 30.0) -> None:
        self._services = services
        self._ttl = ttl_seconds
        self._places: dict[str, tuple[float, _Place]] = {}

    def anonymous(self, request_id: str) -> Viewer:
        return Viewer(request_id=request_id)

    async def staff(
        self,
        *,
        subject: str,
        institution_id: str,
        roles: frozenset[str],
        request_id: str,
        expires_at: int | None = None,
    ) -> Viewer:
        place = await self._place(institution_id)
        return Viewer(
            subject=subject,
            institution_id=institution_id,
            roles=roles,
            region_codes=place.regions,
            jurisdiction=place.jurisdiction,
            jurisdiction_codes=place.jurisdiction_codes,
            institution_kind=place.kind,
            home=place.home,
            request_id=request_id,
            token_expires_at=expires_at,
        )

    async def _place(self, institution_id: str) -> _Place:
        cached = self._places.get(institution_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        found = await institutions_by_ids(self._services.graph, [institution_id])
        row = found.get(institution_id)
        place = _Place()
        if row:
            home = (row["lat"], row["lon"]) if row.get("lat") is not None else None
            regions = self._services.regions
            chain = tuple(regions.ancestors(row["regionCode"]))
            administered = jurisdiction_of(row, regions)
            within = tuple(regions.descendants(administered)) if administered else ()
            place = _Place(chain, row["kind"], home, administered, within)
        self._places[institution_id] = (time.monotonic() + self._ttl, place)
        return place
