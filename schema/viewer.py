"""`viewer`: who the bearer token says the caller is."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

import vocabulary.access as vocabulary
from resolvers import institutions as resolve_institutions
from resolvers.context import RequestContext
from schema.institutions import Institution

__all__ = ["Role", "Viewer", "ViewerQuery"]


Role = strawberry.enum(vocabulary.Role, description="Every role a token may carry.")


@strawberry.type(description="The caller, as the bearer token says; anonymous without one.")
class Viewer:
    anonymous: bool
    subject: str | None
    roles: list[Role]
    institution_id: strawberry.Private[str | None]

    @strawberry.field(description="The viewer's institution, when it exists.")
    async def institution(self, info: Info[RequestContext, None]) -> Institution | None:
        if self.institution_id is None:
            return None
        row = await resolve_institutions.load_institution(info.context, self.institution_id)
        return Institution.from_record(row) if row else None


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="Who the token says I am.")
    def viewer(self, info: Info[RequestContext, None]) -> Viewer:
        viewer = info.context.viewer
        return Viewer(
            anonymous=viewer.anonymous,
            subject=viewer.subject,
            roles=[Role(r) for r in sorted(viewer.roles)],
            institution_id=viewer.institution_id,
        )
