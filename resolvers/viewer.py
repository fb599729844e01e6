"""Building the request's `Viewer`: token facts plus the regions and kind of the viewer's
institution (cached briefly: institutions rarely move, and this runs on every request)."""

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
        self._places: dict[str, tuple[float, tuple[str, ...], str]] = {}

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
        regions, kind = await self._place(institution_id)
        return Viewer(
            subject=subject,
            institution_id=institution_id,
            roles=roles,
            region_codes=regions,
            institution_kind=kind,
            request_id=request_id,
            token_expires_at=expires_at,
        )

    async def _place(self, institution_id: str) -> tuple[tuple[str, ...], str]:
        """The institution's region chain and its kind."""
        cached = self._places.get(institution_id)
        if cached and cached[0] > time.monotonic():
            return cached[1], cached[2]
        found = await institutions_by_ids(self._services.graph, [institution_id])
        row = found.get(institution_id)
        chain = tuple(self._services.regions.ancestors(row["regionCode"])) if row else ()
        kind = row["kind"] if row else ""
        self._places[institution_id] = (time.monotonic() + self._ttl, chain, kind)
        return chain, kind
