"""A per-address limit on public crisis reports (a sliding hour, in memory, per server
process): enough to stop one client flooding a 주민센터's queue. A shared limiter of the
hardening work may replace it; the report workflow only calls `admit`."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

__all__ = ["ReportLimiter"]

WINDOW_SECONDS = 3600.0
MAX_ADDRESSES = 100_000


class ReportLimiter:
    def __init__(self, per_hour: int = 10, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_hour = per_hour
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}

    def admit(self, address: str) -> bool:
        """Count one report from `address`; False when it is over the limit (not counted)."""
        now = self.clock()
        times = self._seen.setdefault(address, deque())
        while times and now - times[0] >= WINDOW_SECONDS:
            times.popleft()
        if len(times) >= self.per_hour:
            return False
        times.append(now)
        if len(self._seen) > MAX_ADDRESSES:  # forget addresses quiet for a whole window
            for key in [k for k, v in self._seen.items() if now - v[-1] >= WINDOW_SECONDS]:
                del self._seen[key]
        return True
