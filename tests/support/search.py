"""The search query, calling it, and waiting for the index to catch up with the graph."""

from __future__ import annotations

import asyncio
from typing import Any

from graph.outbox import pending_changes

SEARCH = """query($input: ResourceSearchInput!) {
  searchResources(input: $input) {
    totalCount
    hits {
      resource { id name }
      score cursor distanceKm eligibility missingFacts
      matchedNeeds { code }
      highlights { field fragments }
      reasons { code message }
    }
    facets {
      needs { code label count } kinds { value count } sectors { value count }
      regions { code name count }
    }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}"""


async def settled(runtime: Any, timeout: float = 5.0) -> None:
    """Wait until the sync loop has applied every pending resource to the index."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while await pending_changes(runtime.backends.graph, 1):
        assert loop.time() < deadline, "the search index did not catch up"
        await asyncio.sleep(0.02)


async def search(api: Any, token: str | None = None, **criteria: Any) -> dict[str, Any]:
    data = await api.ok(SEARCH, {"input": criteria}, token)
    return data["searchResources"]


def ids(result: dict[str, Any]) -> list[str]:
    return [hit["resource"]["id"] for hit in result["hits"]]


def plain(**overrides: Any) -> dict[str, Any]:
    """A resource with no eligibility rules, capacity or address unless given."""
    base: dict[str, Any] = {
        "eligibility": None,
        "capacity": None,
        "address": None,
        "description": None,
        "kind": "SERVICE",
    }
    return {**base, **overrides}
