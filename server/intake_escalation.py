"""The periodic intake escalation: URGENT intakes nobody picked up in time join the queues of
the responsible 주민센터 and 시청, even when nobody reads them. Timed by `services.clock`."""

from __future__ import annotations

import logging

from resolvers.context import Services
from resolvers.intake_workflow import escalate_due
from server.leases import Lease
from server.periodic import PeriodicTask

__all__ = ["IntakeEscalation"]

log = logging.getLogger("hanaro.intakes")


class IntakeEscalation:
    def __init__(
        self, services: Services, interval_seconds: float = 60.0, lease: Lease | None = None
    ) -> None:
        self.services = services
        self.runner = PeriodicTask(
            "intake-escalation", self.run_once, interval_seconds, lease=lease
        )

    async def run_once(self) -> int:
        """Escalate everything due now; returns how many intakes escalated."""
        escalated = await escalate_due(self.services)
        if escalated:
            log.info("intake escalation: %d escalated", escalated)
        return escalated

    def start(self) -> None:
        self.runner.start()

    async def stop(self) -> None:
        await self.runner.stop()
