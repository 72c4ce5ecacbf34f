"""Nothing kept without a reason: once an event has been over, or a letter or date poll
closed, for longer than its server's retention, who answered or signed is erased and the
counts stay.

Runs once at start and daily after (a job on the Jobs port); a run that finds nothing old
changes nothing, so running it twice is harmless.
"""

from __future__ import annotations

import logging
from datetime import time

from bot.clock import Clock
from bot.db import Database
from bot.domain.retention import retention_cutoff
from bot.services.ports import Jobs
from bot.stores.guilds import GuildStore
from bot.stores.retention import Erased, RetentionStore

log = logging.getLogger(__name__)

JOB_ID = "retention"
DAILY_AT = time(3, 17)  # UTC: a quiet hour, away from the digest's whole hours


class RetentionService:
    def __init__(self, db: Database, clock: Clock, jobs: Jobs) -> None:
        self.db = db
        self.clock = clock
        self.jobs = jobs
        self.guilds = GuildStore(db)
        self.store = RetentionStore(db)

    def plan(self) -> None:
        """The daily run."""
        self.jobs.daily(JOB_ID, DAILY_AT, "UTC", self.erase_expired)

    async def erase_expired(self) -> Erased:
        """Erase what each server keeps longer than its retention; the rows erased."""
        now = self.clock()
        async with self.db.reading():
            servers = await self.guilds.with_content()
        total = Erased()
        for settings in servers:
            cutoff = retention_cutoff(now, settings.retention_months, settings.tz)
            async with self.db.transaction():  # one server at a time: short units of work
                erased = await self.store.erase_events(settings.guild_id, cutoff)
                erased += await self.store.erase_letters(settings.guild_id, cutoff)
                erased += await self.store.erase_polls(settings.guild_id, cutoff)
            total += erased
        async with self.db.transaction():
            dropped = await self.store.drop_finished_deliveries()
        total += Erased(deliveries=dropped)
        log.info(
            "retention: erased %d answers, %d personal reminders, %d reminder deliveries, "
            "%d signatures, %d date poll answers and %d attendance marks past their servers' "
            "retention",
            total.rsvps,
            total.reminders,
            total.deliveries,
            total.signatures,
            total.poll_answers,
            total.attendance,
        )
        return total
