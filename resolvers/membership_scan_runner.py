"""The one membership scan task of a server and its status (state, trigger, progress), kept
apart from the access rules so the long-lived services can hold it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from resolvers.errors import HanaroError
from resolvers.stamps import iso_now

__all__ = ["ScanJob", "ScanRunner", "ScanStatus"]

log = logging.getLogger("hanaro.membership")

# A scan job takes a progress callback (recipients done, last id) and returns its counts.
ScanJob = Callable[[Callable[[int, str], None]], Awaitable[dict[str, int]]]


@dataclass(frozen=True)
class ScanStatus:
    """IDLE (never ran here), RUNNING, FINISHED or FAILED, with what the last scan did."""

    state: str = "IDLE"
    trigger: str | None = None  # API | SCHEDULE
    region: str | None = None
    started_by: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    scanned: int = 0
    recommendations: int = 0
    error: str | None = None
    schedule_minutes: int | None = None


class ScanRunner:
    """Holds the one scan task of this server and its status."""

    def __init__(self) -> None:
        self.status = ScanStatus()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def set_schedule(self, minutes: int | None) -> None:
        self.status = replace(self.status, schedule_minutes=minutes or None)

    def launch(
        self,
        job: ScanJob,
        *,
        trigger: str,
        region: str | None,
        started_by: str,
    ) -> asyncio.Task[None]:
        """Start `job(progress)` on its own task; the caller has checked `running`."""
        self.status = ScanStatus(
            state="RUNNING",
            trigger=trigger,
            region=region,
            started_by=started_by,
            started_at=iso_now(),
            schedule_minutes=self.status.schedule_minutes,
        )

        def progress(done: int, _last: str) -> None:
            self.status = replace(self.status, scanned=done)

        async def run() -> None:
            try:
                result = await job(progress)
            except asyncio.CancelledError:
                self.status = replace(
                    self.status, state="FAILED", finished_at=iso_now(), error="stopped"
                )
                raise
            except Exception as exc:  # the graph down: the next scan resumes where this stopped
                log.warning("membership scan failed: %s: %s", type(exc).__name__, exc)
                message = exc.message if isinstance(exc, HanaroError) else type(exc).__name__
                self.status = replace(
                    self.status, state="FAILED", finished_at=iso_now(), error=message
                )
                return
            self.status = replace(
                self.status,
                state="FINISHED",
                finished_at=iso_now(),
                scanned=result["scanned"],
                recommendations=result["recommendations"],
            )
            log.info(
                "membership scan of %s: %d recipients, %d recommendations",
                region or "every region",
                result["scanned"],
                result["recommendations"],
            )

        self._task = asyncio.create_task(run(), name="hanaro-membership-scan")
        return self._task

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
