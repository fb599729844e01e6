"""Presented records -> HSDS 3.0 dicts.

Input records have been through `resolvers.resources.present`, so a withheld field is None
here and its HSDS parts are simply not made: description; phones, contacts and the service's
e-mail (contact); locations and service_at_locations (address, with the imported location
parts that follow it); schedules; service_capacity (capacity); eligibility_description,
minimum_age and maximum_age (eligibility). Internal notes are never exported. Empty values
are left out, never sent as null.

- Institution -> organization (with its phone and location)
- Resource -> service, with phones, contacts, schedules, service_areas,
  service_at_locations and their location, service_capacity (in the HSDS 3.1 shape; 3.0 has
  none) and attributes (its taxonomy terms)
- Need -> taxonomy_term of the "Hanaro needs" taxonomy (name Korean, description English)
- Region served -> service_area
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from graph.engine import Row
from hsds.ids import (
    NEEDS_TAXONOMY_ID,
    derived_uuid,
    need_term_id,
    organization_hsds_id,
    service_hsds_id,
)
from resolvers.needs import NeedCatalog
from resolvers.regions import RegionCatalog

__all__ = [
    "HSDS_STATUS",
    "NEEDS_TAXONOMY",
    "Vocabulary",
    "compact",
    "foreign_taxonomy",
    "foreign_term",
    "need_term",
    "organization",
    "service",
    "service_at_location",
]

HSDS_STATUS = {"ACTIVE": "active", "SUSPENDED": "inactive", "CLOSED": "defunct"}

NEEDS_TAXONOMY: dict[str, Any] = {
    "id": NEEDS_TAXONOMY_ID,
    "name": "Hanaro needs (하나로 욕구 분류)",
    "description": "The ten need domains of Korean welfare needs assessment and their needs. "
    "Each term's name is the Korean label (language kor); its description is the English "
    "label; its code is Hanaro's need code.",
    "version": "1",
}

_KIND_LABELS = {
    "COMMUNITY_CENTER": "community service centre (읍면동 행정복지센터)",
    "CITY_HALL": "city or county office (시군구청)",
    "PROVINCIAL_OFFICE": "provincial office (시도청)",
    "HEALTH_CENTER": "public health centre (보건소)",
    "WELFARE_CENTER": "community welfare centre (종합사회복지관)",
    "SENIOR_WELFARE_CENTER": "senior welfare centre (노인복지관)",
    "DISABILITY_WELFARE_CENTER": "disability welfare centre (장애인복지관)",
    "CHILD_CENTER": "community child centre (지역아동센터)",
    "SELF_SUFFICIENCY_CENTER": "self-sufficiency centre (지역자활센터)",
    "NGO": "non-profit organisation",
    "HOSPITAL": "hospital",
}


@dataclass
class Vocabulary:
    """What mapping needs besides the record: catalogues and the imported terms in play."""

    needs: NeedCatalog
    regions: RegionCatalog
    terms: dict[str, Row] = field(default_factory=dict)  # foreign terms by HSDS id
    taxonomies: dict[str, Row] = field(default_factory=dict)  # foreign taxonomies by HSDS id


def compact(values: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty values: HSDS documents omit a field rather than send null."""
    return {k: v for k, v in values.items() if v is not None and v != "" and v != [] and v != {}}


def need_term(code: str, vocabulary: Vocabulary) -> dict[str, Any]:
    need = vocabulary.needs.by_code[code]
    parent = need.get("parent")
    return compact(
        {
            "id": need_term_id(code),
            "code": code,
            "name": need["labelKo"],
            "description": need["labelEn"],
            "parent_id": need_term_id(parent) if parent else None,
            "taxonomy": NEEDS_TAXONOMY["name"],
            "taxonomy_id": NEEDS_TAXONOMY_ID,
            "taxonomy_detail": NEEDS_TAXONOMY,
            "language": "kor",
        }
    )


def foreign_taxonomy(row: Row) -> dict[str, Any]:
    return compact({key: row.get(key) for key in ("id", "name", "description", "uri", "version")})


def foreign_term(row: Row, vocabulary: Vocabulary) -> dict[str, Any]:
    taxonomy = vocabulary.taxonomies.get(row.get("taxonomyId") or "")
    return compact(
        {
            "id": row["id"],
            "code": row.get("code"),
            "name": row["name"],
            "description": row.get("description"),
            "parent_id": row.get("parentId"),
            "taxonomy": row.get("taxonomy"),
            "taxonomy_id": row.get("taxonomyId"),
            "taxonomy_detail": foreign_taxonomy(taxonomy) if taxonomy else None,
            "language": row.get("language"),
            "term_uri": row.get("termUri"),
        }
    )


def _status(record: dict[str, Any]) -> str:
    """The HSDS status; an imported status is kept while it still says the same."""
    kept = (record.get("hsdsExtra") or {}).get("status")
    mapped = HSDS_STATUS[record["status"]]
    if kept and _HANARO_STATUS.get(kept) == record["status"]:
        return kept
    return mapped


_HANARO_STATUS = {
    "active": "ACTIVE",
    "inactive": "SUSPENDED",
    "temporarily closed": "SUSPENDED",
    "defunct": "CLOSED",
}


def service_basic(record: dict[str, Any], provider: Row | None) -> dict[str, Any]:
    """The one-to-one fields of a service (list items, organizations' service arrays)."""
    eligibility = record["eligibility"] or {}
    contact = record["contact"] or {}
    return compact(
        {
            "id": service_hsds_id(record),
            "organization_id": organization_hsds_id(provider) if provider else None,
            "name": record["name"],
            "description": record["description"],
            "email": contact.get("email"),
            "status": _status(record),
            "eligibility_description": eligibility.get("notes"),
            "minimum_age": eligibility.get("minAge"),
            "maximum_age": eligibility.get("maxAge"),
            "last_modified": record["updatedAt"],
        }
    )


def location(record: dict[str, Any], *, full: bool) -> dict[str, Any] | None:
    """The resource's place, if it has one the viewer may see. An imported location keeps its
    id, name and address lines while the address text is still the one imported."""
    address = record["address"] or {}
    text, lat, lon = address.get("text"), address.get("lat"), address.get("lon")
    if not text and lat is None:
        return None
    kept = record.get("hsdsLocation") or {}
    same = kept.get("text") == text
    rid = record["id"]
    return compact(
        {
            "id": kept.get("id") or derived_uuid("location", rid),
            "location_type": kept.get("location_type") or "physical",
            "name": kept.get("name") or text,
            "alternate_name": kept.get("alternate_name"),
            "description": kept.get("description") if same else None,
            "latitude": lat,
            "longitude": lon,
            "addresses": kept.get("addresses") if same and full else None,
        }
    )


def service_at_location(
    record: dict[str, Any], provider: Row | None, *, full: bool, nested: bool = False
) -> dict[str, Any] | None:
    """The service at its location; `nested`: as an item of a service's array (no service)."""
    place = location(record, full=full)
    if place is None:
        return None
    kept = record.get("hsdsLocation") or {}
    sid = service_hsds_id(record)
    item = {"id": kept.get("service_at_location_id") or derived_uuid("sal", record["id"])}
    if not nested:
        item.update(service_id=sid, location_id=place["id"])
    item["location"] = place
    if not nested:
        item["service"] = service_basic(record, provider)
    return item


def _phones_and_contacts(record: dict[str, Any]) -> dict[str, Any]:
    contact = record["contact"] or {}
    rid = record["id"]
    phones = [{"id": derived_uuid("phone", rid), "number": contact.get("phone")}]
    people = compact(
        {
            "id": derived_uuid("contact", rid),
            "name": contact.get("person"),
            "email": contact.get("email"),
        }
    )
    return {
        "phones": phones if contact.get("phone") else [],
        "contacts": [people] if len(people) > 1 else [],
    }


def _service_areas(record: dict[str, Any], vocabulary: Vocabulary) -> list[dict[str, Any]]:
    extra = record.get("hsdsExtra") or {}
    sid = service_hsds_id(record)
    areas = [{**area, "service_id": sid} for area in extra.get("areas") or []]
    if extra.get("regionsAssumed"):
        return areas
    for code in record["regions"]:
        region = vocabulary.regions.by_code.get(code)
        if region is None:
            continue
        areas.append(
            compact(
                {
                    "id": derived_uuid("service_area", record["id"], code),
                    "service_id": sid,
                    "name": region["name"],
                    "description": region.get("nameEn"),
                }
            )
        )
    return areas


def _attributes(record: dict[str, Any], vocabulary: Vocabulary) -> list[dict[str, Any]]:
    sid = service_hsds_id(record)
    items = []
    for code in record["needs"]:
        if code in vocabulary.needs.by_code:
            term_id = need_term_id(code)
            items.append(
                {
                    "id": derived_uuid("attribute", record["id"], term_id),
                    "link_id": sid,
                    "link_entity": "service",
                    "taxonomy_term_id": term_id,
                    "taxonomy_term": need_term(code, vocabulary),
                }
            )
    for kept in (record.get("hsdsExtra") or {}).get("attributes") or []:
        row = vocabulary.terms.get(kept.get("taxonomy_term_id") or "")
        items.append(
            compact(
                {
                    **kept,
                    "link_id": sid,
                    "link_entity": "service",
                    "taxonomy_term": foreign_term(row, vocabulary) if row else None,
                }
            )
        )
    return items


def _capacity(record: dict[str, Any]) -> list[dict[str, Any]]:
    capacity = record["capacity"] or {}
    if capacity.get("total") is None and capacity.get("available") is None:
        return []
    unit = {"id": derived_uuid("unit", "places"), "name": "places"}
    return [
        compact(
            {
                "id": derived_uuid("capacity", record["id"]),
                "service_id": service_hsds_id(record),
                "unit_id": unit["id"],
                "unit": unit,
                "available": capacity.get("available"),
                "maximum": capacity.get("total"),
                "updated": capacity.get("updatedAt"),
            }
        )
    ]


def service(record: dict[str, Any], provider: Row | None, vocabulary: Vocabulary) -> dict[str, Any]:
    """The fully nested service."""
    at_location = service_at_location(record, provider, full=True, nested=True)
    schedule = record["schedule"]
    return compact(
        {
            **service_basic(record, provider),
            "organization": organization_basic(provider, vocabulary) if provider else None,
            **_phones_and_contacts(record),
            "schedules": [{"id": derived_uuid("schedule", record["id"]), "description": schedule}]
            if schedule
            else [],
            "service_areas": _service_areas(record, vocabulary),
            "service_at_locations": [at_location] if at_location else [],
            "service_capacity": _capacity(record),
            "attributes": _attributes(record, vocabulary),
        }
    )


def _organization_description(row: Row, vocabulary: Vocabulary) -> str:
    if row.get("description"):
        return row["description"]
    kind = _KIND_LABELS.get(row.get("kind") or "", "institution")
    region = vocabulary.regions.by_code.get(row.get("regionCode") or "")
    place = f" in {region['name']} ({region.get('nameEn')})" if region else ""
    sector = (row.get("sector") or "").lower()
    return f"{row['name']}: {kind}{place}, {sector} sector."


def organization_basic(row: Row, vocabulary: Vocabulary) -> dict[str, Any]:
    """The one-to-one fields of an organization (institutions are a public directory)."""
    return compact(
        {
            "id": organization_hsds_id(row),
            "name": row["name"],
            "alternate_name": row.get("nameEn"),
            "description": _organization_description(row, vocabulary),
        }
    )


def organization(
    row: Row,
    services: list[dict[str, Any]],
    vocabulary: Vocabulary,
    *,
    full_services: bool,
) -> dict[str, Any]:
    """The fully nested organization with the services the viewer may see."""
    iid = row["id"]
    oid = organization_hsds_id(row)
    place = None
    if row.get("address") or row.get("lat") is not None:
        kept = json.loads(row["hsdsLocation"]) if row.get("hsdsLocation") else {}
        same = kept.get("text") == row.get("address")
        place = compact(
            {
                "id": kept.get("id") or derived_uuid("org_location", iid),
                "location_type": kept.get("location_type") or "physical",
                "organization_id": oid,
                "name": kept.get("name") or row.get("address") or row["name"],
                "alternate_name": kept.get("alternate_name"),
                "description": kept.get("description") if same else None,
                "latitude": row.get("lat"),
                "longitude": row.get("lon"),
                "addresses": kept.get("addresses") if same else None,
            }
        )
    phone = row.get("phone")
    return compact(
        {
            **organization_basic(row, vocabulary),
            "phones": [{"id": derived_uuid("org_phone", iid), "number": phone}] if phone else [],
            "locations": [place] if place else [],
            "services": [
                service(r, row, vocabulary) if full_services else service_basic(r, row)
                for r in services
            ],
        }
    )
