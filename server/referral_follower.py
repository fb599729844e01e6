"""Referral events across replicas: every replica with live `referralEvents` subscribers reads,
every `HANARO_EVENT_POLL_MS`, the referrals changed in the last LOOK_BACK_MS from the graph
and publishes each change (id, version) it has not published itself, so a subscriber
connected to one replica hears of a transition made through another.

Why the graph and not a broker: the graph already holds every change, committed with it, so
nothing is published that did not happen and nothing that happened is missed while a replica
restarts; no other service to run. The look-back covers writes that commit later than the
time they carry and clocks of replicas a little apart; a change seen twice is published once.
A replica without subscribers reads nothing."""

from __future__ import annotations

import logging
import time
from datetime import datetime

from graph.referrals import referrals_changed_since
from resolvers.context import Services
from resolvers.referral_events import ReferralEvent
from resolvers.stamps import iso_at
from server.periodic import PeriodicTask

__all__ = ["LOOK_BACK_MS", "ReferralFollower"]

log = logging.getLogger("hanaro.referrals")

LOOK_BACK_MS = 5_000
PAGE = 1_000


def _ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp() * 1000)


class ReferralFollower:
    def __init__(self, services: Services, interval_ms: int) -> None:
        self.services = services
        self.runner = PeriodicTask(
            "referral-events", self.poll, interval_ms / 1000, first_delay=0, max_backoff=5.0
        )

    async def poll(self) -> int:
        """One read; returns how many changes it published."""
        events = self.services.referral_events
        # A change published here more than a look-back ago will not be read again.
        events.forget_before(time.monotonic() - 2 * LOOK_BACK_MS / 1000)
        if not events.subscriber_count:
            return 0
        since = iso_at(self.services.clock() - LOOK_BACK_MS)
        published = 0
        for row in await referrals_changed_since(self.services.graph, since, PAGE):
            published += events.publish(
                ReferralEvent(
                    kind="CREATED" if row["version"] == 1 else "CHANGED",
                    referral_id=row["id"],
                    status=row["status"],
                    version=row["version"],
                    institutions=frozenset({row["fromInstitutionId"], row["toInstitutionId"]}),
                    at_ms=_ms(row["updatedAt"]),
                )
            )
        return published

    def start(self) -> None:
        self.runner.start()

    async def stop(self) -> None:
        await self.runner.stop()
