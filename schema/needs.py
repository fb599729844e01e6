"""The need taxonomy (욕구) in GraphQL."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers.context import RequestContext

__all__ = ["Need", "NeedQuery"]


@strawberry.federation.type(keys=["code"], description="A need (욕구) from the taxonomy.")
class Need:
    code: strawberry.ID
    label_ko: str
    label_en: str
    parent_code: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, row: dict[str, Any]) -> Need:
        return cls(
            code=strawberry.ID(row["code"]),
            label_ko=row["labelKo"],
            label_en=row["labelEn"],
            parent_code=row["parent"],
        )

    @classmethod
    def by_code(cls, info: Info[RequestContext, None], code: str) -> Need:
        return cls.from_record(info.context.services.needs.by_code[code])

    @classmethod
    def by_codes(cls, info: Info[RequestContext, None], codes: Iterable[str]) -> list[Need]:
        """In the order given; codes the taxonomy no longer has are left out."""
        catalog = info.context.services.needs.by_code
        return [cls.from_record(catalog[c]) for c in codes if c in catalog]

    @strawberry.field(description="The broader need, or null for a top-level domain.")
    def parent(self, info: Info[RequestContext, None]) -> Need | None:
        if self.parent_code is None:
            return None
        return Need.by_code(info, self.parent_code)

    @strawberry.field(description="The narrower needs.")
    def children(self, info: Info[RequestContext, None]) -> list[Need]:
        return [Need.from_record(row) for row in info.context.services.needs.list(self.code)]

    @classmethod
    def resolve_reference(cls, info: Info[RequestContext, None], code: str) -> Need | None:
        """`_entities`: read from the in-memory need taxonomy, like every other need lookup;
        an unknown code resolves to null, no graph round trip."""
        row = info.context.services.needs.by_code.get(code)
        return cls.from_record(row) if row else None


@strawberry.type
class NeedQuery:
    @strawberry.field(
        description="Needs under `parent` (a need code), or the top-level domains without it."
    )
    def needs(self, info: Info[RequestContext, None], parent: str | None = None) -> list[Need]:
        return [Need.from_record(row) for row in info.context.services.needs.list(parent)]
