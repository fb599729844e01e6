"""The periodic referral sweep: SENT referrals left unanswered past their expiry become
EXPIRED even when nobody reads them, and the live inboxes hear of it. Reads expire lazily
too, so the sweep's interval bounds only how late a subscriber learns of an expiry."""

from __future__ import annotations

import logging

from resolvers.context import Services
from resolvers.referrals import expire_due
from server.leases import Lease
from server.periodic import PeriodicTask

__all__ = ["ReferralSweep"]

log = logging.getLogger("hanaro.referrals")


class ReferralSweep:
    def __init__(
        self, services: Services, interval_seconds: float = 60.0, lease: Lease | None = None
    ) -> None:
        self.services = services
        # First run after one interval: reads expire lazily, and starting servers have
        # better things to do. The graph down: tried again at the next interval.
        self.runner = PeriodicTask("referral-sweep", self._run, interval_seconds, lease=lease)

    async def sweep(self) -> int:
        """Expire everything due; returns how many referrals expired."""
        total = 0
        while (expired := await expire_due(self.services, request_id="sweep")) > 0:
            total += expired
        return total

    async def _run(self) -> None:
        expired = await self.sweep()
        if expired:
            log.info("referral sweep: %d expired", expired)

    def start(self) -> None:
        self.runner.start()

    async def stop(self) -> None:
        await self.runner.stop()
