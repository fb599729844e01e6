"""Valid HSDS records -> Hanaro's input shape (what `register_resource` takes) plus the HSDS
data kept to export again.

Needs: a term of the Hanaro needs taxonomy becomes its need code. Other ("foreign") terms are
kept as taxonomy terms and exported again; when a service has no Hanaro term, its needs come
from words of its foreign terms and its name that are labels or search words of a need
(e.g. "Counselling" -> HEALTH_MENTAL), else from the import's default need.

Regions: a service area or an address line (city, region, state) named like a Hanaro region
(Korean or English name, or code) gives that region; else the 읍면동 whose centre is within
10 km of the location's coordinates; else the import's default region (province "50"). A
region assumed by default is not exported as a service area; the service's own areas are.

Values Hanaro would refuse (a phone with other characters, coordinates out of range, ages
outside 0..150) are left out with a warning naming the HSDS path; the record still loads."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from hsds.ids import NEEDS_TAXONOMY_ID, canonical_uuid, need_term_id
from resolvers.errors import HanaroError
from resolvers.needs import NeedCatalog
from resolvers.regions import RegionCatalog
from resolvers.search_hits import distance_km
from resolvers.validation import check_email, check_phone

__all__ = ["HANARO_STATUS", "Intake", "Mapper"]

HANARO_STATUS = {
    "active": "ACTIVE",
    "inactive": "SUSPENDED",
    "temporarily closed": "SUSPENDED",
    "defunct": "CLOSED",
}
NEAREST_REGION_KM = 10.0
_WORD = re.compile(r"[0-9a-z]+|[가-힣]+")
_AREA_KEYS = ("id", "name", "description", "extent", "extent_type", "uri")
_LOCATION_KEYS = ("id", "name", "alternate_name", "description", "location_type", "addresses")


@dataclass
class Intake:
    """One HSDS service ready for Hanaro."""

    hsds_id: str
    data: dict[str, Any]  # register/update input: name, description, needs, regions, ...
    exchange: dict[str, Any]  # hsdsId, hsdsTermIds, hsdsLocation, hsdsExtra
    terms: list[dict[str, Any]] = field(default_factory=list)  # foreign terms to keep
    taxonomies: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Hanaro input field -> where it came from in the HSDS record (for error messages).
    sources: dict[str, str] = field(default_factory=dict)


def _is_phone(value: str) -> bool:
    try:
        return bool(value) and check_phone(value, field="phone") is not None
    except HanaroError:
        return False


def _phone_text(number: Any) -> str:
    """HSDS examples quote their numbers ('"+44 1234 234567"'): the quotes are dropped."""
    return (number or "").strip().strip("\"'").strip() if isinstance(number, str) else ""


def _is_email(value: str) -> bool:
    try:
        return check_email(value, field="email") is not None
    except HanaroError:
        return False


def _norm(text: str) -> str:
    return re.sub(r"[\s\-_'.]", "", text).lower()


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


class Mapper:
    def __init__(
        self, needs: NeedCatalog, regions: RegionCatalog, *, default_region: str, default_need: str
    ) -> None:
        self.needs = needs
        self.regions = regions
        self.default_region = regions.check([default_region], field="default region")[0]
        self.default_need = needs.check([default_need], field="default need")[0]
        self._need_by_term = {need_term_id(code): code for code in needs.by_code}
        self._region_by_name: dict[str, str] = {}
        for code, row in regions.by_code.items():
            for name in (row["name"], row.get("nameEn"), code):
                if name:
                    self._region_by_name.setdefault(_norm(name), code)
        self._needs_by_word: dict[str, set[str]] = {}
        for code, words in needs.terms.items():
            for word in words:
                for token in _WORD.findall((word or "").lower()):
                    self._needs_by_word.setdefault(token, set()).add(code)

    # -- taxonomy terms ---------------------------------------------------------------------

    def hanaro_code(self, term: dict[str, Any]) -> str | None:
        """The need code of a term of the Hanaro needs taxonomy, else None."""
        code = self._need_by_term.get(canonical_uuid(term.get("id")) or "")
        if code:
            return code
        taxonomy = term.get("taxonomy_id") or (term.get("taxonomy_detail") or {}).get("id")
        if canonical_uuid(taxonomy) == NEEDS_TAXONOMY_ID and term.get("code") in self.needs.by_code:
            return term["code"]
        return None

    @staticmethod
    def taxonomy_row(taxonomy: dict[str, Any]) -> dict[str, Any]:
        return {key: taxonomy.get(key) for key in ("id", "name", "description", "uri", "version")}

    @staticmethod
    def term_row(term: dict[str, Any]) -> dict[str, Any]:
        detail = term.get("taxonomy_detail") or {}
        return {
            "id": term["id"],
            "code": term.get("code"),
            "name": term["name"],
            "description": term.get("description"),
            "parentId": term.get("parent_id"),
            "taxonomy": term.get("taxonomy"),
            "taxonomyId": term.get("taxonomy_id") or detail.get("id"),
            "language": term.get("language"),
            "termUri": term.get("term_uri"),
        }

    def _inferred_needs(self, words: list[str]) -> list[str]:
        """Needs whose labels or search words occur among `words`; the best-scored, at most 3,
        narrower needs before broader ones."""
        scores: dict[str, int] = {}
        for text in words:
            for token in _WORD.findall(text.lower()):
                for candidate in (token, token.rstrip("s")):
                    for code in self._needs_by_word.get(candidate, ()):
                        scores[code] = scores.get(code, 0) + 1
        if not scores:
            return []
        best = max(scores.values())
        top = [code for code, score in scores.items() if score == best]
        top.sort(key=lambda c: (self.needs.by_code[c]["parent"] is None, c))
        return top[:3]

    def _needs(self, doc: dict[str, Any], intake: Intake) -> None:
        codes: list[str] = []
        term_ids: list[str] = []
        attributes: list[dict[str, Any]] = []
        words = [doc.get("name") or ""]
        for attribute in doc.get("attributes") or []:
            term = attribute.get("taxonomy_term") or {}
            code = self.hanaro_code(term) if term else None
            if code is None and not term:
                code = self._need_by_term.get(
                    canonical_uuid(attribute.get("taxonomy_term_id")) or ""
                )
            if code is not None:
                codes.append(code)
                continue
            term_id = term.get("id") or attribute.get("taxonomy_term_id")
            if not term_id:
                continue
            term_ids.append(term_id)
            kept = {k: attribute.get(k) for k in ("id", "link_type", "value")}
            attributes.append({**{k: v for k, v in kept.items() if v}, "taxonomy_term_id": term_id})
            if term:
                intake.terms.append(self.term_row(term))
                words += [term.get("name") or "", term.get("code") or ""]
                if term.get("taxonomy_detail"):
                    intake.taxonomies.append(self.taxonomy_row(term["taxonomy_detail"]))
        codes = list(dict.fromkeys(codes))
        if not codes:
            codes = self._inferred_needs(words)
            if codes:
                intake.warnings.append(
                    f"needs {', '.join(codes)} inferred from words of its name and terms"
                )
        if not codes:
            codes = [self.default_need]
            intake.warnings.append(f"no Hanaro need found: default need {self.default_need}")
        intake.data["needs"] = codes
        intake.exchange["hsdsTermIds"] = list(dict.fromkeys(term_ids))
        intake.exchange["hsdsExtra"]["attributes"] = attributes

    # -- places -----------------------------------------------------------------------------

    def region_named(self, *names: Any) -> str | None:
        for name in names:
            if isinstance(name, str) and name.strip():
                code = self._region_by_name.get(_norm(name))
                if code:
                    return code
        return None

    def region_near(self, lat: float | None, lon: float | None) -> str | None:
        if lat is None or lon is None:
            return None
        best: tuple[float, str] | None = None
        for code, row in self.regions.by_code.items():
            if row.get("level") != "EUPMYEONDONG" or row.get("lat") is None:
                continue
            distance = distance_km((lat, lon), (row["lat"], row["lon"]))
            if distance <= NEAREST_REGION_KM and (best is None or distance < best[0]):
                best = (distance, code)
        return best[1] if best else None

    def place_region(self, locations: list[dict[str, Any]]) -> str | None:
        """A region from address lines (most specific first), else from coordinates."""
        for place in locations:
            for address in place.get("addresses") or []:
                code = self.region_named(
                    address.get("address_2"), address.get("city"), address.get("region"),
                    address.get("state_province"),
                )  # fmt: skip
                if code:
                    return code
        for place in locations:
            code = self.region_near(*self.coordinates(place, "", []))
            if code:
                return code
        return None

    @staticmethod
    def coordinates(
        place: dict[str, Any], path: str, warnings: list[str]
    ) -> tuple[float | None, float | None]:
        lat, lon = place.get("latitude"), place.get("longitude")
        if lat is None or lon is None:
            return None, None
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return float(lat), float(lon)
        warnings.append(f"{path}/latitude: coordinates ({lat}, {lon}) are out of range: left out")
        return None, None

    @staticmethod
    def address_text(place: dict[str, Any]) -> str | None:
        for address in place.get("addresses") or []:
            parts = [address.get(k) for k in ("address_1", "address_2", "city", "state_province")]
            line = ", ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
            postal = _text(address.get("postal_code"))
            if line:
                return f"{line} {postal}" if postal else line
        return _text(place.get("name"))

    def _regions(
        self, doc: dict[str, Any], locations: list[dict[str, Any]], intake: Intake
    ) -> None:
        codes: list[str] = []
        areas: list[dict[str, Any]] = []
        for area in doc.get("service_areas") or []:
            code = self.region_named(area.get("name"))
            if code:
                codes.append(code)
            else:
                areas.append({k: area[k] for k in _AREA_KEYS if area.get(k) not in (None, "")})
        assumed = False
        if not codes:
            found = self.place_region(locations)
            codes = [found] if found else [self.default_region]
            assumed = found is None
            if assumed:
                intake.warnings.append(
                    f"no Hanaro region found: default region {self.default_region}"
                )
        intake.data["regions"] = list(dict.fromkeys(codes))
        intake.exchange["hsdsExtra"].update(areas=areas, regionsAssumed=assumed)

    def _location(self, doc: dict[str, Any], intake: Intake) -> list[dict[str, Any]]:
        at = doc.get("service_at_locations") or []
        if len(at) > 1:
            intake.warnings.append("service_at_locations: only the first is kept")
        place = at[0].get("location") if at else None
        if not place:
            intake.data["address"] = None
            intake.exchange["hsdsLocation"] = None
            return []
        path = "/service_at_locations/0/location"
        lat, lon = self.coordinates(place, path, intake.warnings)
        text = self.address_text(place)
        intake.data["address"] = {"text": text, "lat": lat, "lon": lon}
        intake.sources.update({"address.text": f"{path}/addresses/0", "address": path})
        kept = {k: place[k] for k in _LOCATION_KEYS if place.get(k) not in (None, "", [])}
        intake.exchange["hsdsLocation"] = {
            **kept,
            "service_at_location_id": at[0].get("id"),
            "text": text,
        }
        return [place]

    # -- contact, eligibility, schedule, capacity -----------------------------------------

    def _contact(self, doc: dict[str, Any], intake: Intake) -> None:
        numbers: list[tuple[str, Any]] = [
            (f"/phones/{i}/number", p.get("number")) for i, p in enumerate(doc.get("phones") or [])
        ]
        contacts = doc.get("contacts") or []
        for i, person in enumerate(contacts):
            numbers += [
                (f"/contacts/{i}/phones/{j}/number", p.get("number"))
                for j, p in enumerate(person.get("phones") or [])
            ]
        phone = None
        for path, number in numbers:
            cleaned = _phone_text(number)
            if _is_phone(cleaned):
                phone = cleaned
                break
            intake.warnings.append(f"{path}: {number!r} is not a phone number Hanaro keeps")
        first = contacts[0] if contacts else {}
        email = _text(first.get("email")) or _text(doc.get("email"))
        if email and not _is_email(email):
            intake.warnings.append(f"/email: {email!r} left out")
            email = None
        person = _text(first.get("name"))
        contact = {"phone": phone, "email": email, "person": person}
        intake.data["contact"] = contact if any(contact.values()) else None

    def _eligibility(self, doc: dict[str, Any], intake: Intake) -> None:
        ages: dict[str, int | None] = {}
        for key, source in (("minAge", "minimum_age"), ("maxAge", "maximum_age")):
            value = doc.get(source)
            if value is not None and not 0 <= value <= 150:
                intake.warnings.append(f"/{source}: {value} is out of range (0..150): left out")
                value = None
            ages[key] = round(value) if value is not None else None
        if None not in ages.values() and ages["minAge"] > ages["maxAge"]:  # type: ignore[operator]
            intake.warnings.append("/minimum_age is above /maximum_age: both left out")
            ages = {"minAge": None, "maxAge": None}
        notes = _text(doc.get("eligibility_description"))
        intake.data["eligibility"] = (
            {**ages, "notes": notes} if notes or any(ages.values()) else None
        )
        intake.sources["eligibility.notes"] = "/eligibility_description"

    def service(self, doc: dict[str, Any]) -> Intake:
        """A service record that passed the schema (its organization is handled apart)."""
        hsds_id = canonical_uuid(doc["id"]) or doc["id"]
        intake = Intake(
            hsds_id=hsds_id,
            data={"name": doc["name"], "description": _text(doc.get("description"))},
            exchange={"hsdsId": hsds_id, "hsdsExtra": {"status": doc["status"]}},
            sources={"name": "/name", "description": "/description", "schedule": "/schedules"},
        )
        intake.data["status"] = HANARO_STATUS[doc["status"]]
        self._needs(doc, intake)
        locations = self._location(doc, intake)
        self._regions(doc, locations, intake)
        self._contact(doc, intake)
        self._eligibility(doc, intake)
        schedules = [s.get("description") or s.get("notes") for s in doc.get("schedules") or []]
        intake.data["schedule"] = "\n".join(s.strip() for s in schedules if s and s.strip()) or None
        capacity = (doc.get("service_capacity") or [None])[0]
        if isinstance(capacity, dict):
            intake.data["capacity"] = {
                "total": capacity.get("maximum"),
                "available": capacity.get("available"),
            }
        return intake

    def institution(self, doc: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
        """An institution row for `upsert_institutions`: new ones are private NGOs; known
        ones keep what HSDS does not say (sector, kind, English name)."""
        hsds_id = canonical_uuid(doc["id"]) or doc["id"]
        locations = doc.get("locations") or []
        lat, lon = self.coordinates(locations[0], "/locations/0", []) if locations else (None, None)
        numbers = [_phone_text(p.get("number")) for p in doc.get("phones") or []]
        phone = next((n for n in numbers if _is_phone(n)), None)
        base = existing or {"sector": "PRIVATE", "kind": "NGO", "nameEn": None}
        address = self.address_text(locations[0]) if locations else None
        kept = None
        if locations:
            place = {k: locations[0][k] for k in _LOCATION_KEYS if locations[0].get(k)}
            kept = json.dumps({**place, "text": address}, ensure_ascii=False)
        region = self.place_region(locations) or (
            existing["regionCode"] if existing else self.default_region
        )
        return {
            "id": base.get("id"),
            "hsdsId": hsds_id,
            "name": doc["name"],
            "nameEn": base.get("nameEn"),
            "description": _text(doc.get("description")),
            "sector": base["sector"],
            "kind": base["kind"],
            "regionCode": region,
            "phone": phone or base.get("phone"),
            "address": address or base.get("address"),
            "hsdsLocation": kept or base.get("hsdsLocation"),
            "lat": lat if lat is not None else base.get("lat"),
            "lon": lon if lon is not None else base.get("lon"),
        }
