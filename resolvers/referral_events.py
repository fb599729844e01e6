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
from collections.abc import Iterator
from dataclasses import dataclass, field

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
    def __init__(self) -> None:
        self._subscriptions: set[Subscription] = set()

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
    def subscribe(self, institution_id: str) -> Iterator[Subscription]:
        subscription = Subscription(institution_id)
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscriptions)
