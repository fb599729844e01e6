"""The live inbox's pub/sub: in-process, asyncio queues, one per subscription.

An event names a referral and the two institutions involved; it is queued only for
subscribers of those institutions, and the subscriber then reads the referral through the
ordinary access-checked path, so a misrouted event could still show nothing.

One server process only: with several processes behind a load balancer a transition in one
would not reach subscribers connected to another, so `publish` would have to go through a
broker (Redis pub/sub, NATS, Postgres LISTEN) that every process listens to."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from resolvers.errors import ErrorCode, HanaroError

__all__ = ["ReferralEvent", "ReferralEvents", "Subscription"]

log = logging.getLogger("hanaro.referrals")


@dataclass(frozen=True)
class ReferralEvent:
    kind: str  # CREATED or CHANGED
    referral_id: str
    status: str
    version: int
    institutions: frozenset[str]


@dataclass(eq=False)
class Subscription:
    institution_id: str
    queue: asyncio.Queue[ReferralEvent] = field(default_factory=lambda: asyncio.Queue(256))
    # Set when the queue overflowed: the subscriber fell behind and must reload its inbox.
    overflowed: bool = False


class ReferralEvents:
    """`per_holder`: how many subscriptions one token (staff member at an institution) may
    hold at once (`HANARO_MAX_SUBSCRIPTIONS_PER_TOKEN`): each holds a queue and a socket."""

    def __init__(self, per_holder: int = 5) -> None:
        self._subscriptions: set[Subscription] = set()
        self.per_holder = per_holder
        self._held: Counter[str] = Counter()

    @property
    def open(self) -> int:
        """Subscriptions live now (`/metrics`)."""
        return len(self._subscriptions)

    def publish(self, event: ReferralEvent) -> None:
        for subscription in list(self._subscriptions):
            if subscription.institution_id not in event.institutions:
                continue
            try:
                subscription.queue.put_nowait(event)
            except asyncio.QueueFull:
                subscription.overflowed = True
                log.warning("referral events: a subscriber of %s fell behind", event.institutions)

    @contextlib.contextmanager
    def subscribe(self, institution_id: str, holder: str = "") -> Iterator[Subscription]:
        """Raises RATE_LIMITED when `holder` already holds `per_holder` subscriptions."""
        if self._held[holder] >= self.per_holder:
            raise HanaroError(
                ErrorCode.RATE_LIMITED,
                f"This token holds {self.per_holder} subscriptions already, the most it may "
                "(HANARO_MAX_SUBSCRIPTIONS_PER_TOKEN); close one first.",
                limit=self.per_holder,
            )
        self._held[holder] += 1
        subscription = Subscription(institution_id)
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)
            self._held[holder] -= 1
            if self._held[holder] <= 0:
                del self._held[holder]

    @property
    def subscriber_count(self) -> int:
        return len(self._subscriptions)
