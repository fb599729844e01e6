"""The demo institutions of Jeju (제주특별자치도): a 주민센터 or 행정복지센터 for every 읍면동, and
the city halls, health centres, welfare centres, NGOs and hospitals of `data/institutions.json`,
each placed near its 읍면동 with an invented address, phone and staff. Also the place, phone
and id helpers the resources use, so both draw from one random sequence the same way."""

from __future__ import annotations

import hashlib
import math
import random
from typing import Any

from demo.files import frozen, read

__all__ = ["Geo", "address", "build_institutions", "jitter", "make_id", "phone"]

_PROVINCE = "제주특별자치도"

# Bounding box every generated coordinate is kept inside.
_LAT_RANGE = (33.11, 33.99)
_LON_RANGE = (126.11, 126.99)

# Plausible road names per 읍면동 (for addresses only; numbers are invented).
_ROADS: dict[str, tuple[str, ...]] = frozen(read("roads.json"))
# (kind, sector, name, nameEn, 읍면동 name, e-mail slug); community centres are added per 읍면동.
_INSTITUTIONS: tuple[tuple[str, str, str, str | None, str, str], ...] = tuple(
    (row["kind"], row["sector"], row["name"], row["nameEn"], row["town"], row["emailSlug"])
    for row in read("institutions.json")
)
_STAFF = frozen(read("staff.json"))
_SURNAMES: tuple[str, ...] = _STAFF["surnames"]
_GIVEN: tuple[str, ...] = _STAFF["givenNames"]
_TITLES: dict[str, tuple[str, ...]] = _STAFF["titles"]
_PRIVATE_TITLES: tuple[str, ...] = _STAFF["privateTitles"]


def make_id(prefix: str, n: int) -> str:
    return f"{prefix}_{hashlib.sha1(f'{prefix}-{n}'.encode()).hexdigest()[:12]}"


def jitter(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    """A point uniformly within `km` of (lat, lon), kept inside Jeju's bounding box."""
    dist = km * math.sqrt(rng.random())
    angle = rng.uniform(0.0, 2.0 * math.pi)
    new_lat = lat + dist * math.cos(angle) / 111.0
    new_lon = lon + dist * math.sin(angle) / (111.32 * math.cos(math.radians(lat)))
    new_lat = min(max(new_lat, _LAT_RANGE[0]), _LAT_RANGE[1])
    new_lon = min(max(new_lon, _LON_RANGE[0]), _LON_RANGE[1])
    return round(new_lat, 6), round(new_lon, 6)


def phone(rng: random.Random) -> str:
    return f"064-7{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"


def address(rng: random.Random, emd: dict[str, Any], sigungu: str) -> str:
    road = rng.choice(_ROADS.get(emd["name"], ("중앙로",)))
    number = str(rng.randint(1, 260))
    if rng.random() < 0.2:
        number += f"-{rng.randint(1, 12)}"
    if emd["name"].endswith(("읍", "면")):
        return f"{_PROVINCE} {sigungu} {emd['name']} {road} {number}"
    return f"{_PROVINCE} {sigungu} {road} {number} ({emd['name']})"


def _person(rng: random.Random, kind: str, sector: str) -> str:
    titles = _TITLES.get(kind, _PRIVATE_TITLES if sector == "PRIVATE" else ("주무관",))
    return f"{rng.choice(_SURNAMES)}{rng.choice(_GIVEN)} {rng.choice(titles)}"


class Geo:
    """Region lookups: 읍면동 by code and name, their 시군구, and nearest neighbours."""

    def __init__(self, regions: list[dict[str, Any]]) -> None:
        self.by_code = {r["code"]: r for r in regions}
        self.emds = [r for r in regions if r["level"] == "EUPMYEONDONG"]
        self.emd_by_name = {r["name"]: r for r in self.emds}
        self.province = next(r["code"] for r in regions if r["level"] == "SIDO")
        self.neighbours: dict[str, list[str]] = {}
        for emd in self.emds:
            siblings = [o for o in self.emds if o["parent"] == emd["parent"] and o is not emd]
            siblings.sort(key=lambda o: (o["lat"] - emd["lat"]) ** 2 + (o["lon"] - emd["lon"]) ** 2)
            self.neighbours[emd["code"]] = [o["code"] for o in siblings[:3]]

    def sigungu_name(self, emd: dict[str, Any]) -> str:
        return str(self.by_code[emd["parent"]]["name"])


def build_institutions(
    rng: random.Random, geo: Geo
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Institutions plus, per id, private extras (e-mail slug, staff) used for resources."""
    specs: list[tuple[str, str, str, str | None, str, str]] = []
    for emd in geo.emds:
        town = emd["name"].endswith(("읍", "면"))
        name = f"{emd['name']} {'행정복지센터' if town else '주민센터'}"
        name_en = f"{emd['nameEn']} {'Administrative Welfare' if town else 'Community'} Center"
        slug = "".join(ch for ch in emd["nameEn"].lower() if ch.isalnum() or ch == "-")
        specs.append(("COMMUNITY_CENTER", "PUBLIC", name, name_en, emd["name"], slug))
    specs.extend(_INSTITUTIONS)

    institutions: list[dict[str, Any]] = []
    extras: dict[str, dict[str, Any]] = {}
    for n, (kind, sector, name, name_en, emd_name, slug) in enumerate(specs, start=1):
        emd = geo.emd_by_name[emd_name]
        lat, lon = jitter(rng, emd["lat"], emd["lon"], 1.2)
        ins_id = make_id("ins", n)
        institutions.append(
            {
                "id": ins_id,
                "name": name,
                "nameEn": name_en,
                "sector": sector,
                "kind": kind,
                "regionCode": emd["code"],
                "phone": phone(rng),
                "address": address(rng, emd, geo.sigungu_name(emd)),
                "lat": lat,
                "lon": lon,
            }
        )
        staff = [_person(rng, kind, sector) for _ in range(rng.randint(2, 3))]
        extras[ins_id] = {"slug": slug, "staff": staff, "emd": emd}
    return institutions, extras
