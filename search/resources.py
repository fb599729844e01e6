"""The resource index: mapping and analysers, documents, bulk apply, and rebuild-and-swap.

Korean text is analysed with a 2-gram `ngram` tokenizer so that "도시락배달" matches
"도시락 배달" (on osmem the `cjk` analyser did not, see DESIGN.md); with
`HANARO_SEARCH_NORI` a `nori` subfield is added where the cluster has `analysis-nori`."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from elasticsearch import AsyncElasticsearch, NotFoundError
from elasticsearch.helpers import async_bulk

__all__ = [
    "apply_resource_documents",
    "ensure_index",
    "index_body",
    "rebuild_index",
    "resource_document",
    "with_ancestors",
]

_TEXT_FIELDS = ("name", "description", "eligibilityNotes")


def index_body(*, nori: bool = False) -> dict[str, Any]:
    def text_field() -> dict[str, Any]:
        fields: dict[str, Any] = {"en": {"type": "text", "analyzer": "english"}}
        if nori:
            fields["nori"] = {"type": "text", "analyzer": "nori"}
        return {"type": "text", "analyzer": "hanaro_bigram", "fields": fields}

    properties: dict[str, Any] = {name: text_field() for name in _TEXT_FIELDS}
    properties.update(
        {
            "id": {"type": "keyword"},
            "nameSort": {"type": "keyword"},
            "kind": {"type": "keyword"},
            "status": {"type": "keyword"},
            "providerId": {"type": "keyword"},
            "providerSector": {"type": "keyword"},
            "providerKind": {"type": "keyword"},
            "needs": {"type": "keyword"},
            "needsWithAncestors": {"type": "keyword"},
            "regions": {"type": "keyword"},
            "regionsWithAncestors": {"type": "keyword"},
            "minAge": {"type": "integer"},
            "maxAge": {"type": "integer"},
            "maxIncomePercent": {"type": "integer"},
            "householdTypes": {"type": "keyword"},
            "disabilityRequired": {"type": "boolean"},
            "capacityAvailable": {"type": "integer"},
            "location": {"type": "geo_point"},
            "visListing": {"type": "keyword"},
            "visFields": {"type": "object", "enabled": False},
            "partners": {"type": "keyword"},
            "version": {"type": "long"},
            "updatedAt": {"type": "keyword"},
        }
    )
    return {
        "settings": {
            "analysis": {
                "tokenizer": {
                    "hanaro_bigram": {
                        "type": "ngram",
                        "min_gram": 2,
                        "max_gram": 2,
                        "token_chars": ["letter", "digit"],
                    }
                },
                "analyzer": {
                    "hanaro_bigram": {
                        "type": "custom",
                        "tokenizer": "hanaro_bigram",
                        "filter": ["lowercase"],
                    }
                },
            }
        },
        "mappings": {"properties": properties},
    }


def with_ancestors(codes: Iterable[str], parents: Mapping[str, str | None]) -> list[str]:
    """The codes and every code above them, each once, in a stable order."""
    seen: dict[str, None] = {}
    for code in codes:
        current: str | None = code
        while current is not None and current not in seen:
            seen[current] = None
            current = parents.get(current)
    return list(seen)


def resource_document(
    record: Mapping[str, Any],
    need_parents: Mapping[str, str | None],
    region_parents: Mapping[str, str | None],
) -> dict[str, Any]:
    """Everything the search needs, including the visibility settings it must apply."""
    eligibility = record.get("eligibility") or {}
    address = record.get("address") or {}
    capacity = record.get("capacity") or {}
    location = None
    if address.get("lat") is not None and address.get("lon") is not None:
        location = {"lat": address["lat"], "lon": address["lon"]}
    visibility = record["visibility"]
    return {
        "id": record["id"],
        "name": record["name"],
        "nameSort": record["name"],
        "description": record.get("description"),
        "eligibilityNotes": eligibility.get("notes"),
        "kind": record["kind"],
        "status": record["status"],
        "providerId": record["providerId"],
        "providerSector": record.get("providerSector"),
        "providerKind": record.get("providerKind"),
        "needs": record["needs"],
        "needsWithAncestors": with_ancestors(record["needs"], need_parents),
        "regions": record["regions"],
        "regionsWithAncestors": with_ancestors(record["regions"], region_parents),
        "minAge": eligibility.get("minAge"),
        "maxAge": eligibility.get("maxAge"),
        "maxIncomePercent": eligibility.get("maxIncomePercent"),
        "householdTypes": eligibility.get("householdTypes") or [],
        "disabilityRequired": bool(eligibility.get("disabilityRequired")),
        "capacityAvailable": capacity.get("available"),
        "location": location,
        "visListing": visibility["listing"],
        "visFields": visibility["fields"],
        "partners": visibility["partners"],
        "version": record["version"],
        "updatedAt": record.get("updatedAt"),
    }


async def ensure_index(client: AsyncElasticsearch, alias: str, *, nori: bool = False) -> str:
    """Make sure `alias` points at an index; create a fresh one when it does not."""
    try:
        current = await client.indices.get_alias(name=alias)
        return next(iter(current.body))
    except NotFoundError:
        name = f"{alias}-{time.time_ns()}"
        await client.indices.create(index=name, body=index_body(nori=nori))
        await client.indices.put_alias(index=name, name=alias)
        return name


async def apply_resource_documents(
    client: AsyncElasticsearch,
    index: str,
    documents: list[dict[str, Any]],
    deleted_ids: list[str],
    *,
    refresh: bool = True,
) -> None:
    """Index the current state of resources and delete the ones that are gone. Idempotent:
    documents carry the whole state, and an older version never overwrites a newer one
    (external versioning)."""
    actions: list[dict[str, Any]] = [
        {
            "_op_type": "index",
            "_index": index,
            "_id": doc["id"],
            "version": doc["version"],
            "version_type": "external_gte",
            "_source": doc,
        }
        for doc in documents
    ]
    actions += [{"_op_type": "delete", "_index": index, "_id": rid} for rid in deleted_ids]
    if not actions:
        return
    _, errors = await async_bulk(
        client, actions, refresh=refresh, raise_on_error=False, raise_on_exception=True
    )
    real = [
        e
        for e in errors  # type: ignore[union-attr]
        if next(iter(e.values())).get("status") not in (404, 409)
    ]
    if real:
        raise RuntimeError(f"bulk indexing failed for {len(real)} documents: {real[:3]}")


async def rebuild_index(
    client: AsyncElasticsearch,
    alias: str,
    batches: Any,
    *,
    nori: bool = False,
) -> tuple[str, int]:
    """Build a new index from `batches` (an async iterator of document lists), then move the
    alias to it in one `update_aliases` call, so searches never see a missing or half index."""
    name = f"{alias}-{time.time_ns()}"
    await client.indices.create(index=name, body=index_body(nori=nori))
    total = 0
    async for documents in batches:
        await apply_resource_documents(client, name, documents, [], refresh=False)
        total += len(documents)
    await client.indices.refresh(index=name)
    try:
        old = list((await client.indices.get_alias(name=alias)).body)
    except NotFoundError:
        old = []
    actions: list[dict[str, Any]] = [{"remove": {"index": i, "alias": alias}} for i in old]
    actions.append({"add": {"index": name, "alias": alias}})
    await client.indices.update_aliases(actions=actions)
    for index in old:
        await client.indices.delete(index=index)
    return name, total
