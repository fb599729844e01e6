"""Request rate limits: a token bucket per staff member (token subject at an institution) and
per anonymous client address, so one caller cannot take the server from the others.

In-process, like the referral inbox: with several processes each keeps its own buckets, and a
shared limit would belong in the proxy in front of them."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RateLimiter"]

# Buckets kept before the full (idle) ones are dropped: addresses cannot grow memory for long.
MAX_BUCKETS = 10_000


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """At most `per_minute` requests in any minute per key, refilled continuously (a client
    may spend a minute's allowance at once, then one request every 60/per_minute seconds).
    `per_minute == 0` turns the limit off."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def retry_after(self, key: str) -> int | None:
        """Take one request from `key`'s bucket: None when allowed, else whole seconds until
        the next request would be."""
        if self.capacity <= 0:
            return None
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        else:
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return max(1, math.ceil((1.0 - bucket.tokens) / self.rate))

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled: forgetting them changes no answer."""
        for key, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.stamp) * self.rate >= self.capacity:
                del self._buckets[key]
        if len(self._buckets) >= MAX_BUCKETS:  # all busy: the oldest go
            for key in list(self._buckets)[: MAX_BUCKETS // 10]:
                del self._buckets[key]
