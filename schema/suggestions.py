"""`suggest`: suggestions as you type, for a search box (see `resolvers.suggestions`)."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import suggestions as resolve
from resolvers.context import RequestContext

__all__ = ["Suggestion", "SuggestionKind", "SuggestionQuery"]


@strawberry.enum(description="What a suggestion names.")
class SuggestionKind(Enum):
    NEED = "NEED"
    INSTITUTION = "INSTITUTION"
    RESOURCE = "RESOURCE"


@strawberry.type(description="One completion of what is being typed.")
class Suggestion:
    kind: SuggestionKind
    id: strawberry.ID = strawberry.field(
        description="The need's code, the institution's id or the resource's id."
    )
    label: str = strawberry.field(
        description="What to show: the need's Korean label, the institution's name or the "
        "resource's name."
    )
    label_en: str | None = strawberry.field(
        description="The need's English label or the institution's English name; null for "
        "resources and for institutions without one."
    )

    @classmethod
    def from_record(cls, row: dict[str, Any]) -> Suggestion:
        return cls(
            kind=SuggestionKind(row["kind"]),
            id=strawberry.ID(row["id"]),
            label=row["label"],
            label_en=row["labelEn"],
        )


@strawberry.type
class SuggestionQuery:
    @strawberry.field(
        description="Needs, institutions and resources whose label (Korean or English, any "
        "case) or one of its words begins with `prefix` (1-50 characters; a trailing initial "
        "consonant such as 도시ㄹ matches any syllable it begins), among what the viewer may "
        "read: resources only while active. Best first: whole-label matches, then shorter "
        "labels, then needs, institutions, resources. `first`: 1-20. Search engine down: "
        "UNAVAILABLE."
    )
    async def suggest(
        self, info: Info[RequestContext, None], prefix: str, first: int = 10
    ) -> list[Suggestion]:
        rows = await resolve.suggest(info.context, prefix, first)
        return [Suggestion.from_record(row) for row in rows]
