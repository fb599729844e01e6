"""The live inbox in GraphQL (`referralEvents`): new and changed referrals of the viewer's
institution, as they happen (the stream itself is `resolvers.referral_events`)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from enum import Enum

import strawberry
from strawberry.types import Info

from resolvers import referrals as resolve
from resolvers.context import RequestContext
from schema.permissions import SignedIn, gate
from schema.referrals import Referral, ReferralStatus

__all__ = ["ReferralSubscription"]


@strawberry.enum
class ReferralEventKind(Enum):
    CREATED = "CREATED"
    CHANGED = "CHANGED"


@strawberry.type(description="A referral your institution sent or received was created or moved.")
class ReferralEvent:
    kind: ReferralEventKind
    status: ReferralStatus = strawberry.field(description="The status the event announced.")
    referral: Referral = strawberry.field(description="The referral as it is now.")


@strawberry.type
class ReferralSubscription:
    @strawberry.subscription(
        description="New and changed referrals of your institution, as they happen "
        "(graphql-transport-ws; authenticate in connection_init).",
        extensions=[gate(SignedIn, "following referral events")],
    )
    async def referral_events(
        self, info: Info[RequestContext, None]
    ) -> AsyncGenerator[ReferralEvent, None]:
        async for event, record in resolve.watch_referrals(info.context):
            yield ReferralEvent(
                kind=ReferralEventKind(event.kind),
                status=ReferralStatus(event.status),
                referral=Referral.from_record(record),
            )
