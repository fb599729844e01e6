"""One small runner for the server's periodic work (the search sync, the referral sweep, the
scheduled membership scan): each job runs on its own asyncio task, every `interval` seconds or
sooner when woken, and a failure is logged and retried later (with doubling waits up to
`max_backoff` when one is set) instead of ending the task. Stopping cancels the task and waits
for it, so nothing runs on after the server has closed its engines. Each task counts its runs
and failures for `/metrics`.

A job with a `lease` runs only while this process holds it (replicas share the graph: each
job runs in one of them, `server/leases.py`); stopping gives the lease up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from server.leases import Lease

__all__ = ["PeriodicTask"]

log = logging.getLogger("hanaro.periodic")

RELEASE_WAIT_SECONDS = 2.0


class PeriodicTask:
    def __init__(
        self,
        name: str,
        job: Callable[[], Awaitable[object]],
        interval: float,
        *,
        first_delay: float | None = None,
        max_backoff: float | None = None,
        on_error: Callable[[Exception], None] | None = None,
        lease: Lease | None = None,
    ) -> None:
        """`first_delay` defaults to one interval (a starting server has better things to do);
        `on_error` sees each failure before it is logged."""
        self.name = name
        self.job = job
        self.interval = interval
        self.first_delay = interval if first_delay is None else first_delay
        self.max_backoff = max_backoff
        self.on_error = on_error
        self.lease = lease
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self.runs = 0
        self.failures = 0
        self.last_success: float | None = None  # epoch seconds

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def wake(self) -> None:
        """Run the job now instead of at the end of the current wait."""
        self._wake.set()

    async def _wait(self, seconds: float) -> None:
        # asyncio.timeout, not wait_for: 3.11's wait_for can lose a cancellation that races
        # the event, leaving stop() waiting forever (seen in tests).
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        self._wake.clear()

    async def _loop(self) -> None:
        delay = self.first_delay
        while True:
            if delay > 0:
                await self._wait(delay)
            try:
                if self.lease is not None and not await self.lease.hold():
                    delay = self.interval
                    continue  # another replica runs it
                self.runs += 1
                await self.job()
                delay = self.interval
                self.last_success = time.time()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # an engine down: try again later
                self.failures += 1
                if self.on_error is not None:
                    self.on_error(exc)
                log.warning("%s failed, will retry: %s: %s", self.name, type(exc).__name__, exc)
                if self.max_backoff is None:
                    delay = self.interval
                else:
                    delay = min(max(delay, self.interval) * 2, self.max_backoff)

    def start(self) -> None:
        if not self.running:
            self._task = asyncio.create_task(self._loop(), name=f"hanaro-{self.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.lease is not None:
            try:
                # Bounded: a release is one short write, and a graph that is down would
                # otherwise hold the server's exit for the driver's whole retry time per job.
                async with asyncio.timeout(RELEASE_WAIT_SECONDS):
                    await self.lease.release()
            except Exception as exc:  # the graph is gone: the lease runs out by itself
                log.warning("%s: lease not released: %s", self.name, type(exc).__name__)
