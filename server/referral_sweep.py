"""The periodic referral sweep: SENT referrals left unanswered past their expiry become
EXPIRED even when nobody reads them, and the live inboxes hear of it. Reads expire lazily
too, so the sweep's interval bounds only how late a subscriber learns of an expiry."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from resolvers.context import Services
from resolvers.referrals import expire_due

__all__ = ["ReferralSweep"]

log = logging.getLogger("hanaro.referrals")


class ReferralSweep:
    def __init__(self, services: Services, interval_seconds: float = 60.0) -> None:
        self.services = services
        self.interval = interval_seconds
        self._task: asyncio.Task[None] | None = None

    async def sweep(self) -> int:
        """Expire everything due; returns how many referrals expired."""
        total = 0
        while (expired := await expire_due(self.services, request_id="sweep")) > 0:
            total += expired
        return total

    async def _loop(self) -> None:
        while True:
            # First wait: reads expire lazily, and starting servers have better things to do.
            await asyncio.sleep(self.interval)
            try:
                expired = await self.sweep()
                if expired:
                    log.info("referral sweep: %d expired", expired)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # graph down: try again next time
                log.warning("referral sweep failed, will retry: %s", exc)

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="hanaro-referral-sweep")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
