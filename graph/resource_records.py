"""Resources as stored: graph properties cannot hold maps, so a resource is a flat node;
`to_properties` and `from_properties` convert between it and the nested record the resolvers
use, and `RESOURCE_FILTER` is the filter over the flat properties that every listing uses."""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "CONTROLLED_FIELDS",
    "RESOURCE_FILTER",
    "filter_params",
    "from_properties",
    "to_properties",
]

# Field name in the record -> visibility property on the node.
CONTROLLED_FIELDS: dict[str, str] = {
    "description": "visDescription",
    "contact": "visContact",
    "address": "visAddress",
    "capacity": "visCapacity",
    "schedule": "visSchedule",
    "eligibility": "visEligibility",
    "internalNotes": "visInternalNotes",
}

_NESTED: dict[str, dict[str, str]] = {
    "eligibility": {
        "minAge": "eligMinAge",
        "maxAge": "eligMaxAge",
        "maxIncomePercent": "eligMaxIncomePercent",
        "householdTypes": "eligHouseholdTypes",
        "disabilityRequired": "eligDisabilityRequired",
        "notes": "eligNotes",
    },
    "capacity": {"total": "capTotal", "available": "capAvailable", "updatedAt": "capUpdatedAt"},
    "contact": {"phone": "contactPhone", "email": "contactEmail", "person": "contactPerson"},
    "address": {"text": "addressText", "lat": "lat", "lon": "lon"},
}
_PLAIN = ("id", "providerId", "name", "description", "kind", "status", "schedule",
          "internalNotes", "programId", "version", "createdAt", "updatedAt", "hsdsId")  # fmt: skip
# Open Referral HSDS exchange data (see the hsds package): kept as JSON text, since properties
# cannot hold maps. `hsdsLocation` follows the `address` audience (resolvers.resources.present).
_JSON = ("hsdsLocation", "hsdsExtra")


def to_properties(record: dict[str, Any]) -> dict[str, Any]:
    """Flatten the parts of a record that are present (absent parts are left untouched by
    `SET r += props`; parts given as None clear their properties)."""
    props: dict[str, Any] = {key: record[key] for key in _PLAIN if key in record}
    for part, columns in _NESTED.items():
        if part in record:
            value = record[part] or {}
            props.update({column: value.get(key) for key, column in columns.items()})
    for key in _JSON:
        if key in record:
            value = record[key]
            props[key] = None if value is None else json.dumps(value, ensure_ascii=False)
    if "hsdsTermIds" in record:
        props["hsdsTermIds"] = list(record["hsdsTermIds"] or [])
    if "needs" in record:
        props["needCodes"] = list(record["needs"])
    if "regions" in record:
        props["servedRegionCodes"] = list(record["regions"])
    if "visibility" in record:
        visibility = record["visibility"]
        props["visListing"] = visibility["listing"]
        props["partners"] = list(visibility.get("partners", []))
        for name, column in CONTROLLED_FIELDS.items():
            props[column] = visibility["fields"][name]
    return props


def from_properties(props: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {key: props.get(key) for key in _PLAIN}
    for part, columns in _NESTED.items():
        record[part] = {key: props.get(column) for key, column in columns.items()}
    for key in _JSON:
        record[key] = json.loads(props[key]) if props.get(key) else None
    record["hsdsTermIds"] = list(props.get("hsdsTermIds") or [])
    record["needs"] = sorted(props.get("needCodes") or [])
    record["regions"] = list(props.get("servedRegionCodes") or [])
    record["visibility"] = {
        "listing": props.get("visListing", "PUBLIC"),
        "partners": list(props.get("partners") or []),
        "fields": {name: props.get(column, "OWNER") for name, column in CONTROLLED_FIELDS.items()},
    }
    return record


RESOURCE_FILTER = """($needs IS NULL OR any(code IN r.needCodes WHERE code IN $needs))
  AND ($regions IS NULL OR any(code IN r.servedRegionCodes WHERE code IN $regions))
  AND ($providers IS NULL OR r.providerId IN $providers)
  AND ($kinds IS NULL OR r.kind IN $kinds)
  AND ($statuses IS NULL OR r.status IN $statuses)
  AND ($hsdsTerms IS NULL OR any(term IN coalesce(r.hsdsTermIds, []) WHERE term IN $hsdsTerms))
  AND ($modifiedAfter IS NULL OR r.updatedAt >= $modifiedAfter)"""


FILTER_KEYS = ("needs", "regions", "providers", "kinds", "statuses", "hsdsTerms", "modifiedAfter")


def filter_params(filters: dict[str, Any]) -> dict[str, Any]:
    """`RESOURCE_FILTER`'s parameters: every key, None where the filter is not used."""
    return {key: filters.get(key) for key in FILTER_KEYS}
