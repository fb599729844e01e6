"""Regions (시도 / 시군구 / 읍면동), held in memory like the need taxonomy."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from graph.engine import GraphEngine
from graph.regions import list_regions
from resolvers.errors import HanaroError

__all__ = ["RegionCatalog"]


@dataclass
class RegionCatalog:
    by_code: dict[str, dict[str, Any]]
    children: dict[str | None, list[str]] = field(default_factory=dict)

    @classmethod
    async def load(cls, graph: GraphEngine) -> RegionCatalog:
        rows = await list_regions(graph)
        children: dict[str | None, list[str]] = defaultdict(list)
        for row in rows:
            children[row["parent"]].append(row["code"])
        return cls({row["code"]: row for row in rows}, dict(children))

    @cached_property
    def parents(self) -> dict[str, str | None]:
        return {code: row["parent"] for code, row in self.by_code.items()}

    def check(self, codes: list[str], *, field: str) -> list[str]:
        unknown = [code for code in codes if code not in self.by_code]
        if unknown:
            raise HanaroError.bad_input(
                f"{field}: unknown region code(s) {', '.join(map(repr, unknown[:5]))}; "
                "the `regions` query lists the valid codes.",
                field=field,
            )
        return codes

    def ancestors(self, code: str) -> list[str]:
        """The region and every region above it."""
        chain: list[str] = []
        current: str | None = code
        while current is not None and current in self.by_code and current not in chain:
            chain.append(current)
            current = self.by_code[current]["parent"]
        return chain

    def descendants(self, code: str) -> list[str]:
        found: list[str] = []
        stack = [code]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(self.children.get(current, []))
        return found

    def overlapping(self, codes: list[str]) -> list[str]:
        """Codes a served-region list must contain to serve somewhere in `codes`: a resource
        serving 제주시 serves 한림읍, and a filter on 제주시 finds one serving 한림읍."""
        found: dict[str, None] = {}
        for code in codes:
            found.update(dict.fromkeys(self.ancestors(code)))
            found.update(dict.fromkeys(self.descendants(code)))
        return list(found)

    def list(self, parent: str | None) -> list[dict[str, Any]]:
        if parent is not None:
            self.check([parent], field="parent")
        return [self.by_code[code] for code in sorted(self.children.get(parent, []))]
