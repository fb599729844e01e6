"""Building the request's `Viewer`: token facts plus the regions of the viewer's institution
(cached briefly: institutions rarely move, and this runs on every request)."""

from __future__ import annotations

import time

from graph.access import Viewer
from graph.institutions import institutions_by_ids
from resolvers.context import Services

__all__ = ["ViewerFactory"]


class ViewerFactory:
    def __init__(self, services: Services, ttl_seconds: float = 30.0) -> None:
        self._services = services
        self._ttl = ttl_seconds
        self._regions: dict[str, tuple[float, tuple[str, ...]]] = {}

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
        return Viewer(
            subject=subject,
            institution_id=institution_id,
            roles=roles,
            region_codes=await self._region_chain(institution_id),
            request_id=request_id,
            token_expires_at=expires_at,
        )

    async def _region_chain(self, institution_id: str) -> tuple[str, ...]:
        cached = self._regions.get(institution_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        found = await institutions_by_ids(self._services.graph, [institution_id])
        row = found.get(institution_id)
        chain = tuple(self._services.regions.ancestors(row["regionCode"])) if row else ()
        self._regions[institution_id] = (time.monotonic() + self._ttl, chain)
        return chain
