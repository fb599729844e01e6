"""The field names a query selects under the current field, through fragments: a resolver
reads or audits only what was asked for (the data categories of a 360° read, the facet
aggregations of a search)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

__all__ = ["selected_names", "selected_under"]


def _fields(selections: Iterable[Any]) -> Iterable[SelectedField]:
    """The fields of one selection set, fragments flattened."""
    for item in selections:
        if isinstance(item, SelectedField):
            yield item
        elif isinstance(item, FragmentSpread | InlineFragment):
            yield from _fields(item.selections)


def selected_under(info: Info[Any, Any], child: str) -> set[str]:
    """The field names selected directly under `child` of the field being resolved (empty
    when `child` is not selected)."""
    return {
        grandchild.name
        for field in _fields(info.selected_fields[0].selections)
        if field.name == child
        for grandchild in _fields(field.selections)
    }


def _names(selections: Iterable[Any]) -> Iterable[str]:
    for field in _fields(selections):
        yield field.name
        yield from _names(field.selections)


def selected_names(info: Info[Any, Any]) -> set[str]:
    """Every field name selected at any depth under the field being resolved."""
    return set(_names(info.selected_fields[0].selections))
