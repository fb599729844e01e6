"""The need taxonomy, held in memory: it is small, read on every filter, and changes only
with a migration (the server reloads it at start)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from graph.engine import GraphEngine
from graph.needs import list_needs
from resolvers.errors import HanaroError

__all__ = ["NeedCatalog"]


@dataclass
class NeedCatalog:
    by_code: dict[str, dict[str, Any]]
    children: dict[str | None, list[str]] = field(default_factory=dict)

    @classmethod
    async def load(cls, graph: GraphEngine) -> NeedCatalog:
        rows = await list_needs(graph)
        children: dict[str | None, list[str]] = defaultdict(list)
        for row in rows:
            children[row["parent"]].append(row["code"])
        return cls({row["code"]: row for row in rows}, dict(children))

    @cached_property
    def parents(self) -> dict[str, str | None]:
        return {code: row["parent"] for code, row in self.by_code.items()}

    @property
    def terms(self) -> dict[str, list[str]]:
        """Code -> the words a search for it may use: labels and keywords (search vocabulary
        from the seed, e.g. 병원비 for 의료비)."""
        return {
            code: [row["labelKo"], row["labelEn"], *(row.get("keywords") or [])]
            for code, row in self.by_code.items()
        }

    def check(self, codes: list[str], *, field: str) -> list[str]:
        unknown = [code for code in codes if code not in self.by_code]
        if unknown:
            raise HanaroError.bad_input(
                f"{field}: unknown need code(s) {', '.join(map(repr, unknown[:5]))}; "
                "the `needs` query lists the valid codes.",
                field=field,
            )
        return codes

    def with_narrower(self, codes: list[str]) -> list[str]:
        """The codes and every need below them (a filter on 경제 also finds 채무)."""
        found: dict[str, None] = {}
        stack = list(codes)
        while stack:
            code = stack.pop()
            if code not in found:
                found[code] = None
                stack.extend(self.children.get(code, []))
        return list(found)

    def list(self, parent: str | None) -> list[dict[str, Any]]:
        if parent is not None:
            self.check([parent], field="parent")
        return [self.by_code[code] for code in sorted(self.children.get(parent, []))]
