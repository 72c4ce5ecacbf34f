"""The APScheduler adapter behind the Jobs port: real jobs on the running loop, in UTC."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.runtime.scheduling import SchedulerJobs


async def test_one_off_job_runs_and_late_jobs_still_run() -> None:
    jobs = SchedulerJobs()
    jobs.start()
    try:
        ran: list[str] = []
        done = asyncio.Event()

        async def record(name: str) -> None:
            ran.append(name)
            if len(ran) == 2:
                done.set()

        now = datetime.now(UTC)
        jobs.at("soon", now + timedelta(milliseconds=50), record, "soon")
        jobs.at("late", now - timedelta(minutes=30), record, "late")  # due while "down"
        await asyncio.wait_for(done.wait(), timeout=5)
        assert sorted(ran) == ["late", "soon"]
        assert jobs.pending() == []
    finally:
        jobs.shutdown()


async def test_replace_and_cancel() -> None:
    jobs = SchedulerJobs()
    jobs.start()
    try:

        async def nothing() -> None:
            return None

        later = datetime.now(UTC) + timedelta(hours=1)
        jobs.at("a", later, nothing)
        jobs.at("a", later + timedelta(hours=1), nothing)  # same id replaces
        assert jobs.pending() == ["a"]
        assert jobs.next_run("a") == later + timedelta(hours=1)
        assert jobs.cancel("a") is True
        assert jobs.cancel("a") is False
        with pytest.raises(ValueError, match="aware"):
            jobs.at("naive", later.replace(tzinfo=None), nothing)
    finally:
        jobs.shutdown()


async def test_weekly_job_keeps_wall_time_across_the_clock_change() -> None:
    jobs = SchedulerJobs()
    jobs.start()
    try:

        async def nothing() -> None:
            return None

        jobs.weekly("digest", "monday", time(9, 0), "Europe/London", nothing)
        trigger = jobs._scheduler.get_job("digest").trigger
        # Mondays either side of 29 March 2027: 09:00 GMT, then 09:00 BST.
        before = trigger.get_next_fire_time(None, datetime(2027, 3, 20, tzinfo=UTC))
        after = trigger.get_next_fire_time(None, datetime(2027, 3, 27, tzinfo=UTC))
        assert before.astimezone(UTC) == datetime(2027, 3, 22, 9, 0, tzinfo=UTC)
        assert after.astimezone(UTC) == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
    finally:
        jobs.shutdown()


async def test_a_burst_of_adds_wakes_the_scheduler_once() -> None:
    """At start thousands of jobs are added in one go: one pass over the jobs, not one per add
    (each pass was a callback queued on the loop: an eighth of the start-up with 30,000)."""
    jobs = SchedulerJobs()
    jobs.start()
    try:
        await asyncio.sleep(0)  # the start's own wake-up
        passes = 0
        real_pass = jobs._scheduler._process_jobs

        def counted() -> float | None:
            nonlocal passes
            passes += 1
            return real_pass()

        jobs._scheduler._process_jobs = counted  # type: ignore[method-assign]
        ran = asyncio.Event()

        async def due_now() -> None:
            ran.set()

        async def nothing() -> None:
            return None

        later = datetime.now(UTC) + timedelta(days=1)
        for n in range(1_000):
            jobs.at(f"later:{n}", later + timedelta(minutes=n), nothing)
        jobs.at("now", datetime.now(UTC), due_now)
        jobs.weekly("digest", "monday", time(9, 0), "Europe/London", nothing)
        assert len(jobs.pending()) == 1_002  # added at once, before any wake-up
        await asyncio.wait_for(ran.wait(), timeout=5)
        assert passes == 1
        assert len(jobs.pending()) == 1_001
        jobs.at("again", later, nothing)  # a later add on its own still wakes it
        for _ in range(100):
            if passes == 2:
                break
            await asyncio.sleep(0)
        assert passes == 2 and "again" in jobs.pending()
    finally:
        jobs.shutdown()


async def test_shutdown_straight_after_an_add() -> None:
    jobs = SchedulerJobs()
    jobs.start()

    async def nothing() -> None:
        return None

    jobs.at("a", datetime.now(UTC) + timedelta(hours=1), nothing)
    jobs.shutdown()
    await asyncio.sleep(0.01)
    assert not jobs._scheduler.running
