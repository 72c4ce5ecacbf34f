"""The Jobs port (bot/services/ports.py) over APScheduler 3.11.

The database is the truth for anything timed: jobs live in memory only and are rebuilt from
rows at every start, so a job is always (id, when, coroutine function, args). Services never
import APScheduler; tests hand them a fake that can be stepped.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, time
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_PAUSED, STATE_RUNNING
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from bot.domain.guilds import DAYS
from bot.services.ports import JobFunc

log = logging.getLogger(__name__)


class SchedulerJobs:
    """The Jobs port over APScheduler's AsyncIOScheduler, all in UTC, no job stores on disk.

    `misfire_grace_time=None`: a job due while the loop was busy still runs, and the job
    itself decides from its row whether it is still worth doing.

    A running APScheduler wakes itself after every job added (a callback queued on the loop,
    then a pass over the due jobs); 30,000 jobs rebuilt at start queued 30,000 wake-ups, an
    eighth of the start-up time. So adds made in one stretch of code hold job processing and
    wake the scheduler once, on the loop's next turn: a job is never run later than it
    would have been, since each add's own wake-up waited for that turn too.
    """

    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )

    def start(self) -> None:
        """Start on the running event loop (call from setup_hook)."""
        self._scheduler.start()

    @property
    def running(self) -> bool:
        """Started and not shut down (holding its wake-ups for a moment counts as running)."""
        return self._scheduler.state in (STATE_RUNNING, STATE_PAUSED)

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def _hold_wakeups(self) -> None:
        if self._scheduler.state == STATE_RUNNING:
            self._scheduler.pause()
            asyncio.get_running_loop().call_soon(self._wake)

    def _wake(self) -> None:
        if self._scheduler.state == STATE_PAUSED:
            self._scheduler.resume()  # one wake-up for every job added meanwhile

    def at(self, job_id: str, when: datetime, func: JobFunc, *args: Any) -> None:
        if when.tzinfo is None:
            raise ValueError("job times must be aware datetimes")
        self._hold_wakeups()
        self._scheduler.add_job(
            func,
            DateTrigger(run_date=when.astimezone(UTC)),
            args=args,
            id=job_id,
            replace_existing=True,
        )

    def weekly(self, job_id: str, day: str, at: time, tz: str, func: JobFunc, *args: Any) -> None:
        trigger = CronTrigger(
            day_of_week=DAYS.index(day), hour=at.hour, minute=at.minute, timezone=tz
        )
        self._hold_wakeups()
        self._scheduler.add_job(func, trigger, args=args, id=job_id, replace_existing=True)

    def daily(self, job_id: str, at: time, tz: str, func: JobFunc, *args: Any) -> None:
        trigger = CronTrigger(hour=at.hour, minute=at.minute, timezone=tz)
        self._hold_wakeups()
        self._scheduler.add_job(func, trigger, args=args, id=job_id, replace_existing=True)

    def cancel(self, job_id: str) -> bool:
        try:
            self._scheduler.remove_job(job_id)
        except JobLookupError:
            return False
        return True

    def pending(self) -> list[str]:
        return [job.id for job in self._scheduler.get_jobs()]

    def next_run(self, job_id: str) -> datetime | None:
        job = self._scheduler.get_job(job_id)
        return None if job is None else job.next_run_time
