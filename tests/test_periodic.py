"""The shared runner of the server's periodic jobs: interval, wake-up, retries, stop."""

from __future__ import annotations

import asyncio

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
