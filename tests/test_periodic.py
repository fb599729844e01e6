"""The shared runner of the server's periodic jobs: interval, wake-up, retries, stop."""

from __future__ import annotations

import asyncio

from server import periodic
from server.leases import Lease
from server.periodic import PeriodicTask


async def test_runs_every_interval_and_at_once_when_woken():
    runs: list[float] = []
    loop = asyncio.get_running_loop()

    async def job() -> None:
        runs.append(loop.time())

    task = PeriodicTask("probe", job, interval=30.0, first_delay=0)
    task.start()
    try:
        await asyncio.sleep(0.05)
        assert len(runs) == 1  # first_delay=0: at once, then not before 30 s
        task.wake()
        await asyncio.sleep(0.05)
        assert len(runs) == 2
    finally:
        await task.stop()
    assert not task.running


async def test_a_failing_job_is_retried_and_reported_not_ended():
    errors: list[str] = []
    calls = 0

    async def job() -> None:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise ConnectionError("engine down")

    task = PeriodicTask(
        "flaky",
        job,
        interval=0.01,
        first_delay=0,
        max_backoff=0.04,
        on_error=lambda e: errors.append(str(e)),
    )
    task.start()
    try:
        async with asyncio.timeout(5):
            while calls < 4:
                await asyncio.sleep(0.01)
    finally:
        await task.stop()
    assert errors == ["engine down", "engine down"]


async def test_first_run_waits_one_interval_by_default():
    runs = 0

    async def job() -> None:
        nonlocal runs
        runs += 1

    task = PeriodicTask("slow", job, interval=10.0)
    task.start()
    await asyncio.sleep(0.05)
    await task.stop()
    assert runs == 0


class _UnansweredLease(Lease):
    """A lease whose graph never answers its release (a Neo4j that is down keeps the driver
    retrying for its whole retry time)."""

    def __init__(self) -> None:
        super().__init__(graph=None, name="probe", holder="h", ttl_seconds=3.0)  # type: ignore[arg-type]
        self.release_started = asyncio.Event()

    async def hold(self) -> bool:
        return True

    async def release(self) -> None:
        self.release_started.set()
        await asyncio.Event().wait()


async def test_stopping_does_not_wait_on_a_graph_that_does_not_answer(monkeypatch, caplog):
    monkeypatch.setattr(periodic, "RELEASE_WAIT_SECONDS", 0.2)
    lease = _UnansweredLease()

    async def job() -> None:
        pass

    task = PeriodicTask("leased", job, interval=30.0, first_delay=0, lease=lease)
    task.start()
    await asyncio.sleep(0.05)
    # Bounded by the test too: a stop that waited on the release would fail here, not hang.
    async with asyncio.timeout(5):
        await task.stop()
    assert lease.release_started.is_set() and not task.running
    assert "leased: lease not released: TimeoutError" in caplog.text
