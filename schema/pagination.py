"""Relay-style connections: `edges { cursor node }`, `pageInfo`, and `totalCount` (counted
only when selected)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry

from resolvers.pagination import Page, encode_cursor

__all__ = ["Connection", "Edge", "PageInfo", "connection"]

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _total: strawberry.Private[Any]

    @strawberry.field(description="All matching records the viewer may see (costs a count).")
    async def total_count(self) -> int:
        return await self._total()


def connection(page: Page[Any], wrap: Callable[[Any], T], key: str = "id") -> Connection[T]:
    edges = [Edge(cursor=encode_cursor(item[key]), node=wrap(item)) for item in page.items]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _total=page.total,
    )
