"""Relay-style cursors over id order: a cursor is the opaque form of the last id seen."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from resolvers.errors import HanaroError

__all__ = ["Page", "PageRequest", "decode_cursor", "encode_cursor", "page_request"]

T = TypeVar("T")
_PREFIX = "after:"


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode((_PREFIX + key).encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith(_PREFIX) or len(text) > 200:
        raise HanaroError.bad_input(
            "after is not a cursor this API returned; pass a pageInfo.endCursor value.",
            field="after",
        )
    return text[len(_PREFIX) :]


@dataclass(frozen=True)
class PageRequest:
    first: int
    after: str  # the last key already seen ("" = from the start)

    @property
    def limit(self) -> int:
        """One more than asked, to learn whether a next page exists."""
        return self.first + 1


def page_request(first: int, after: str | None, max_page_size: int) -> PageRequest:
    if not 0 <= first <= max_page_size:
        raise HanaroError.bad_input(
            f"first must be between 0 and {max_page_size}; got {first}.", field="first"
        )
    return PageRequest(first, decode_cursor(after) if after else "")


@dataclass
class Page(Generic[T]):
    """One page of records; `total` is counted only when a client asks for totalCount."""

    items: list[T]
    has_next: bool
    has_previous: bool
    total: Any  # a zero-argument coroutine function returning int

    @classmethod
    def from_rows(cls, rows: list[T], request: PageRequest, total: Any) -> Page[T]:
        return cls(rows[: request.first], len(rows) > request.first, bool(request.after), total)

    @classmethod
    def empty(cls, request: PageRequest) -> Page[T]:
        """What a viewer who may not list anything gets: no records, counted as none."""
        return cls([], False, bool(request.after), _none)


async def _none() -> int:
    return 0
