"""Test institutions in the shape `graph.institutions.upsert_institutions` takes."""

from __future__ import annotations

from typing import Any


def institution(
    ident: str,
    region: str,
    *,
    sector: str = "PRIVATE",
    kind: str = "WELFARE_CENTER",
    name: str | None = None,
) -> dict[str, Any]:
    return {
        "id": ident,
        "name": name or f"기관 {ident}",
        "sector": sector,
        "kind": kind,
        "regionCode": region,
        "lat": 33.5,
        "lon": 126.5,
    }
