"""The live inbox's pub/sub: in-process, asyncio queues, one per subscription.

An event names a referral and the two institutions involved; it is queued only for
subscribers of those institutions, and the subscriber then reads the referral through the
ordinary access-checked path, so a misrouted event could still show nothing.

Replicas: a transition made through this process is published here at once; one made
through another replica reaches this process through `server/referral_follower.py`, which
reads the referrals changed in the last seconds from the graph and publishes each change
(referral id and version) that was not published here already. A subscription hears only of
changes made after it began."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
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
    at_ms: int | None = None  # when the change was made, when known (changes read back)


@dataclass(eq=False)
class Subscription:
    institution_id: str
    since_ms: int = 0  # changes made before the subscription began are not news to it
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
        # (referral id, version) -> when published here: the follower skips these. Entries
        # older than the follower's look-back are dropped (`forget_before`).
        self._published: dict[tuple[str, int], float] = {}

    def forget_before(self, moment: float) -> None:
        """Drop the record of changes published before `moment` (time.monotonic())."""
        for key in [k for k, at in self._published.items() if at < moment]:
            del self._published[key]

    @property
    def open(self) -> int:
        """Subscriptions live now (`/metrics`)."""
        return len(self._subscriptions)

    def publish(self, event: ReferralEvent) -> bool:
        """Queues the event for its institutions' subscribers, once per referral version
        (the follower may read a change back before the writer publishes it); False when
        this version was published already."""
        key = (event.referral_id, event.version)
        if key in self._published:
            return False
        self._published[key] = time.monotonic()
        for subscription in list(self._subscriptions):
            if subscription.institution_id not in event.institutions:
                continue
            if event.at_ms is not None and event.at_ms < subscription.since_ms:
                continue
            try:
                subscription.queue.put_nowait(event)
            except asyncio.QueueFull:
                subscription.overflowed = True
                log.warning("referral events: a subscriber of %s fell behind", event.institutions)
        return True

    @contextlib.contextmanager
    def subscribe(
        self, institution_id: str, holder: str = "", since_ms: int = 0
    ) -> Iterator[Subscription]:
        """Raises RATE_LIMITED when `holder` already holds `per_holder` subscriptions."""
        if self._held[holder] >= self.per_holder:
            raise HanaroError(
                ErrorCode.RATE_LIMITED,
                f"This token holds {self.per_holder} subscriptions already, the most it may "
                "(HANARO_MAX_SUBSCRIPTIONS_PER_TOKEN); close one first.",
                limit=self.per_holder,
            )
        self._held[holder] += 1
        subscription = Subscription(institution_id, since_ms)
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
