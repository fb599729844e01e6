"""The resource documents the index holds: what the search needs of a resource, with every
ancestor need and region code and the visibility settings it must apply."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from search.analysis import analyse_many
from search.audiences import AUDIENCE_NAMES, audience_tokens, withheld_from
from vocabulary.suggestions import word_starts

__all__ = [
    "DOCUMENT_FORMAT",
    "Vocabulary",
    "name_keys",
    "resource_document",
    "with_ancestors",
]

# The shape of the documents, kept in the mapping's `_meta` so that `search.index.ensure_index`
# can tell an index written by an older version: the audience checks exclude what
# `withheldFrom` names, so a document without it would be withheld from no one.
# 3: `morph.*` (analysed Korean terms); 4: the name fields of suggestions (`name_keys`).
DOCUMENT_FORMAT = 4


@dataclass(frozen=True)
class Vocabulary:
    """What documents take from the taxonomies: parents (to index every ancestor code) and
    the words of each need (so "병원비" finds a resource for 의료비)."""

    need_parents: Mapping[str, str | None]
    region_parents: Mapping[str, str | None]
    need_terms: Mapping[str, list[str]] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """A digest of everything documents take from the taxonomies, kept in the mapping's
        `_meta` beside the document format: a seed that changes a need's words or a parent
        changes it, and `server.runtime` rebuilds the index at the next start."""
        content = [self.need_parents, self.region_parents, self.need_terms]
        text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def with_ancestors(codes: Iterable[str], parents: Mapping[str, str | None]) -> list[str]:
    """The codes and every code above them, each once, in a stable order."""
    seen: dict[str, None] = {}
    for code in codes:
        current: str | None = code
        while current is not None and current not in seen:
            seen[current] = None
            current = parents.get(current)
    return list(seen)


def name_keys(name: str) -> dict[str, Any]:
    """What suggestions match and rank a name by (`search.suggestions`): the name lower-cased,
    the rest of it from each word start on (a keyword prefix query then matches words, as
    `vocabulary.suggestions` defines them) and its length."""
    key = name.lower()
    return {
        "nameKey": key,
        "nameStarts": [key[k:] for k in word_starts(key)],
        "nameLength": len(key),
    }


def resource_document(record: Mapping[str, Any], vocabulary: Vocabulary) -> dict[str, Any]:
    """Everything the search needs, including the visibility settings it must apply."""
    eligibility = record.get("eligibility") or {}
    address = record.get("address") or {}
    capacity = record.get("capacity") or {}
    location = None
    if address.get("lat") is not None and address.get("lon") is not None:
        location = {"lat": address["lat"], "lon": address["lon"]}
    visibility = record["visibility"]
    see = {
        name: audience_tokens(
            audience, record["providerId"], record["regions"], visibility["partners"]
        )
        for name, audience in visibility["fields"].items()
    }
    see_listing = audience_tokens(
        visibility["listing"], record["providerId"], record["regions"], visibility["partners"]
    )
    need_terms = " ".join(
        term for code in record["needs"] for term in vocabulary.need_terms.get(code, [])
    )
    texts = {
        "name": record["name"],
        "description": record.get("description"),
        "eligibilityNotes": eligibility.get("notes"),
        "needTerms": need_terms,
    }
    return {
        "id": record["id"],
        "name": record["name"],
        "nameSort": record["name"],
        **name_keys(record["name"]),
        "description": record.get("description"),
        "eligibilityNotes": eligibility.get("notes"),
        "kind": record["kind"],
        "status": record["status"],
        "providerId": record["providerId"],
        "providerSector": record.get("providerSector"),
        "providerKind": record.get("providerKind"),
        "needs": record["needs"],
        "needsWithAncestors": with_ancestors(record["needs"], vocabulary.need_parents),
        # The first need is the resource's main one (what it is for; the others it helps with).
        "primaryNeeds": with_ancestors(record["needs"][:1], vocabulary.need_parents),
        "needCount": len(record["needs"]),
        "needTerms": need_terms,
        "morph": dict(zip(texts, analyse_many(list(texts.values())), strict=True)),
        "regions": record["regions"],
        "regionsWithAncestors": with_ancestors(record["regions"], vocabulary.region_parents),
        "minAge": eligibility.get("minAge"),
        "maxAge": eligibility.get("maxAge"),
        "maxIncomePercent": eligibility.get("maxIncomePercent"),
        "householdTypes": eligibility.get("householdTypes") or [],
        "disabilityRequired": bool(eligibility.get("disabilityRequired")),
        "capacityAvailable": capacity.get("available"),
        "location": location,
        "seeListing": see_listing,
        "see": see,
        "withheldFrom": {
            name: withheld_from(see_listing if name == "listing" else see.get(name, []))
            for name in AUDIENCE_NAMES
        },
        "version": record["version"],
        "updatedAt": record.get("updatedAt"),
    }
