"""Suggestions as you type (`suggest`): needs, institutions and resource names that match a
prefix, for a search box that asks on every keystroke.

Each kind comes from where it is read anyway, with the rule that applies there: needs from
the taxonomy in memory and institutions from their names held in memory
(`resolvers.institution_names`; both public: the `needs` and `institutions` queries show them
to anyone); resource names from the index, behind the viewer's listing and only while active,
then re-read from the graph under the same listing condition (one round trip), so a name the
viewer may no longer see is never suggested, even while the index lags.

Order (`rank`): a match of the whole label before a match of a later word, then the shorter
label, then needs before institutions before resources, then the label and the id."""

from __future__ import annotations

from typing import Any

from graph.suggestions import listed_active_names
from resolvers.context import RequestContext
from resolvers.errors import HanaroError
from resolvers.search import search_errors, searcher
from resolvers.validation import check_text
from search.suggestions import suggested_resources
from vocabulary.suggestions import Prefix, match_position, parse_prefix

__all__ = ["KINDS", "MAX_FIRST", "MAX_PREFIX_LENGTH", "rank", "suggest"]

MAX_FIRST = 20
MAX_PREFIX_LENGTH = 50
# Kinds in the order they come when their labels match equally well.
KINDS = ("NEED", "INSTITUTION", "RESOURCE")
# Resource names asked of the index beyond `first`, for those the graph re-check drops.
_SLACK = 5

Rank = tuple[bool, int, int, str, str]


def rank(kind: str, ident: str, labels: list[str | None], prefix: Prefix) -> Rank | None:
    """How well the best of a record's `labels` matches (smaller is better), or None."""
    best: Rank | None = None
    for label in labels:
        if not label:
            continue
        lowered = label.lower()
        position = match_position(lowered, prefix)
        if position is None:
            continue
        key = (position > 0, len(lowered), KINDS.index(kind), lowered, ident)
        best = key if best is None or key < best else best
    return best


def _check(prefix: str, first: int) -> Prefix:
    if not 1 <= first <= MAX_FIRST:
        raise HanaroError.bad_input(
            f"first must be between 1 and {MAX_FIRST}; got {first}.", field="first"
        )
    text = check_text(prefix, field="prefix", max_length=MAX_PREFIX_LENGTH, required=True)
    return parse_prefix(text or "")


def _needs(ctx: RequestContext, prefix: Prefix) -> list[tuple[Rank, dict[str, Any]]]:
    found = []
    for code, need in ctx.services.needs.by_code.items():
        key = rank("NEED", code, [need["labelKo"], need["labelEn"]], prefix)
        if key is not None:
            item = {"kind": "NEED", "id": code, "label": need["labelKo"]}
            found.append((key, {**item, "labelEn": need["labelEn"]}))
    return found


async def _institutions(
    ctx: RequestContext, prefix: Prefix, first: int
) -> list[tuple[Rank, dict[str, Any]]]:
    names = await ctx.services.institution_names.current(ctx.graph, ctx.services.clock())
    found = []
    for ident in names.index.best(prefix, first) if names.index else []:
        row = names.rows[ident]
        key = rank("INSTITUTION", ident, [row["name"], row["nameEn"]], prefix)
        if key is not None:
            item = {"kind": "INSTITUTION", "id": ident, "label": row["name"]}
            found.append((key, {**item, "labelEn": row["nameEn"]}))
    return found


async def _resources(
    ctx: RequestContext, prefix: Prefix, first: int
) -> list[tuple[Rank, dict[str, Any]]]:
    services = ctx.services
    with search_errors():
        ids = await suggested_resources(
            services.search, services.search_alias, prefix, searcher(ctx.viewer), first + _SLACK
        )
    names = await listed_active_names(ctx.graph, ctx.access, ids)
    found = []
    for ident, name in names.items():
        # The name as the graph has it now: a renamed resource matches by its new name.
        key = rank("RESOURCE", ident, [name], prefix)
        if key is not None:
            found.append((key, {"kind": "RESOURCE", "id": ident, "label": name, "labelEn": None}))
    return found


async def suggest(ctx: RequestContext, prefix: str, first: int) -> list[dict[str, Any]]:
    """Up to `first` (1..20) suggestions for `prefix` (1..50 characters after trimming), best
    first (see the module's docstring). Search engine down: UNAVAILABLE."""
    wanted = _check(prefix, first)
    institutions = await _institutions(ctx, wanted, first)
    ranked = [*_needs(ctx, wanted), *institutions, *await _resources(ctx, wanted, first)]
    ranked.sort(key=lambda pair: pair[0])
    return [item for _, item in ranked[:first]]
