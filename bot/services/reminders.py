"""Use cases for reminders: plan them with events, deliver each exactly once, catch up on
start, members' own reminders, and the weekly digest.

The `reminders` table is the truth; the Jobs port holds one in-memory job per pending row
and is rebuilt from the table at every start. Delivery claims the row first (a second
attempt finds it taken), sends every message with a nonce derived from the reminder and
the recipient (Discord drops a repeat within minutes), records each recipient, then marks
the row sent. A row found claimed at start is retried only inside the nonce window.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.events import Event
from bot.domain.guilds import DAYS, GuildSettings
from bot.domain.notices import Notice
from bot.domain.reminders import (
    CHANNEL,
    DIGEST_AHEAD,
    NONCE_WINDOW,
    Reminder,
    ReminderStatus,
    catch_up,
    check_personal_room,
    due_times,
    nonce,
)
from bot.domain.rsvps import REMINDED
from bot.domain.timeparse import parse_offsets
from bot.services.ports import Jobs, Notifier, ReminderPoster
from bot.stores.events import EventStore
from bot.stores.guilds import GuildStore
from bot.stores.reminders import ReminderStore
from bot.stores.rsvps import RsvpStore

log = logging.getLogger(__name__)

# A reminder's DMs go out this many at a time. One after another, each waits for Discord's
# answers (open the channel, send): at a 100 ms round trip 500 members took 100 s, five
# times the floor Discord's global limit sets. The notifier keeps to that limit's pace.
DMS_IN_FLIGHT = 16
CHOICES_MAX = 25  # Discord shows at most 25 autocomplete choices


@dataclass(frozen=True)
class MyReminder:
    reminder: Reminder
    title: str
    starts_at: datetime


def job_id(reminder_id: int) -> str:
    return f"reminder:{reminder_id}"


def digest_job_id(guild_id: int) -> str:
    return f"digest:{guild_id}"


def previous_weekly(now: datetime, day: str, at: time, tz: str) -> datetime:
    """The last wall-clock occurrence of `day` at `at` in `tz` at or before `now`."""
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    days_back = (local.weekday() - DAYS.index(day)) % 7
    candidate_date = (local - timedelta(days=days_back)).date()
    candidate = datetime.combine(candidate_date, at, zone)
    if candidate > now:
        candidate = datetime.combine(candidate_date - timedelta(days=7), at, zone)
    return candidate


class ReminderService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        jobs: Jobs,
        notifier: Notifier,
        poster: ReminderPoster,
    ) -> None:
        self.db = db
        self.clock = clock
        self.jobs = jobs
        self.notifier = notifier
        self.poster = poster
        self.store = ReminderStore(db)
        self.events = EventStore(db)
        self.rsvps = RsvpStore(db)
        self.guilds = GuildStore(db)

    # --- planning (inside the caller's transaction) ----------------------------------------

    async def plan_in_tx(self, event: Event, now: datetime) -> list[Reminder]:
        """Pending automatic reminders for a new event at its offsets still ahead."""
        planned = []
        for offset, due in due_times(event.starts_at, event.reminder_offsets, now):
            reminder = await self.store.insert(event.id, None, offset, due, now)
            if reminder is not None:
                planned.append(reminder)
        return planned

    async def replan_in_tx(self, event: Event, now: datetime) -> tuple[list[Reminder], list[int]]:
        """After a change of start or of the event's reminder times: move pending reminders
        (skipping those now past), drop automatic ones at times no longer wanted, and add
        those whose time has come round again. Returns (to schedule, to unschedule)."""
        schedule, unschedule = [], []
        for reminder in await self.store.pending_for_event(event.id):
            due = event.starts_at - reminder.offset
            if not reminder.personal and reminder.offset not in event.reminder_offsets:
                await self.store.finish(
                    reminder.id, ReminderStatus.CANCELLED, now, was=ReminderStatus.PENDING
                )
                unschedule.append(reminder.id)
            elif due <= now:
                await self.store.finish(
                    reminder.id, ReminderStatus.SKIPPED, now, was=ReminderStatus.PENDING
                )
                unschedule.append(reminder.id)
            else:
                await self.store.move(reminder.id, due)
                schedule.append(
                    Reminder(
                        reminder.id,
                        event.id,
                        reminder.user_id,
                        reminder.offset,
                        due,
                        ReminderStatus.PENDING,
                    )
                )
        schedule.extend(await self.plan_in_tx(event, now))
        return schedule, unschedule

    async def cancel_in_tx(self, event_id: int, now: datetime) -> list[int]:
        return await self.store.cancel_for_event(event_id, now)

    def schedule(self, reminders: Sequence[Reminder]) -> None:
        for reminder in reminders:
            self.jobs.at(job_id(reminder.id), reminder.due_at, self.deliver, reminder.id)

    def unschedule(self, reminder_ids: Sequence[int]) -> None:
        for reminder_id in reminder_ids:
            self.jobs.cancel(job_id(reminder_id))

    # --- delivery --------------------------------------------------------------------------

    async def deliver(self, reminder_id: int) -> None:
        """The job: claim, send to everyone owed it, mark sent. A second call is a no-op."""
        now = self.clock()
        async with self.db.transaction():
            reminder = await self.store.get(reminder_id)
            if reminder is None or reminder.status is not ReminderStatus.PENDING:
                return
            event = await self.events.get(reminder.event_id)
            if event is None or event.cancelled:
                await self.store.finish(
                    reminder_id, ReminderStatus.CANCELLED, now, was=ReminderStatus.PENDING
                )
                return
            if event.has_started(now):
                await self.store.finish(
                    reminder_id, ReminderStatus.SKIPPED, now, was=ReminderStatus.PENDING
                )
                log.info("reminder %d skipped: event %d has started", reminder_id, event.id)
                return
            if not await self.store.claim(reminder_id, now):
                return
        await self._send(reminder, event)

    async def _send(self, reminder: Reminder, event: Event) -> None:
        async with self.db.reading():
            done = await self.store.delivered_to(reminder.id)
            if reminder.user_id is not None:
                recipients = [reminder.user_id]
            else:
                members = await self.rsvps.members(event.id, REMINDED)
                off = await self.store.dms_off(event.guild_id, members)
                recipients = [m for m in members if m not in off]
            counts = await self.rsvps.counts(event.id)
        params: dict[str, object] = {
            "title": event.title,
            "title_cy": event.title_cy,
            "at": event.starts_at,
        }
        key = "reminder_personal" if reminder.personal else "reminder_auto"
        owed = iter([user_id for user_id in recipients if user_id not in done])
        failures: list[Exception] = []

        async def dm_each() -> None:  # the workers share `owed`: each member is taken once
            for user_id in owed:
                if failures:
                    return
                notice = Notice(
                    user_id,
                    key,
                    params,
                    nonce=nonce(reminder.id, user_id),
                    guild_id=event.guild_id,
                )
                try:
                    outcome = "sent" if await self.notifier.send(notice) else "dm_closed"
                    async with self.db.transaction():
                        await self.store.record_delivery(
                            reminder.id, user_id, outcome, self.clock()
                        )
                except Exception as exc:  # not a refused DM (that is False): stop them all
                    failures.append(exc)
                    return
                done[user_id] = outcome

        # The others finish the DM in hand (and record it) rather than being cancelled inside
        # a unit of work; the row stays claimed, to be finished by a retry.
        await asyncio.gather(*(dm_each() for _ in range(min(DMS_IN_FLIGHT, len(recipients)))))
        if failures:
            raise failures[0]
        if not reminder.personal and CHANNEL not in done:
            unreachable = [u for u in recipients if done.get(u) == "dm_closed"]
            await self.poster.post_reminder(event, counts, unreachable, nonce(reminder.id, CHANNEL))
            async with self.db.transaction():
                await self.store.record_delivery(reminder.id, CHANNEL, "sent", self.clock())
        async with self.db.transaction():
            await self.store.finish(
                reminder.id, ReminderStatus.SENT, self.clock(), was=ReminderStatus.CLAIMED
            )
        log.info("reminder %d for event %d delivered", reminder.id, event.id)

    async def retry(self, reminder_id: int) -> None:
        """Finish a delivery that a stopped process had claimed (inside the nonce window)."""
        async with self.db.reading():
            reminder = await self.store.get(reminder_id)
            event = await self.events.get(reminder.event_id) if reminder else None
        if reminder is None or event is None or reminder.status is not ReminderStatus.CLAIMED:
            return
        await self._send(reminder, event)

    async def rebuild(self) -> dict[str, int]:
        """At start: jobs for every pending reminder; catch up on those missed while down."""
        now = self.clock()
        tally = {"scheduled": 0, "late": 0, "skipped": 0, "retried": 0, "failed": 0}
        future: list[Reminder] = []
        late: list[Reminder] = []
        retry: list[Reminder] = []
        async with self.db.transaction():
            for reminder in await self.store.with_status(ReminderStatus.CLAIMED):
                claimed_at = reminder.claimed_at or now
                if now - claimed_at <= NONCE_WINDOW:
                    retry.append(reminder)
                else:
                    await self.store.finish(
                        reminder.id, ReminderStatus.FAILED, now, was=ReminderStatus.CLAIMED
                    )
                    log.warning(
                        "reminder %d was claimed at %s and never finished; marked failed",
                        reminder.id,
                        claimed_at.isoformat(),
                    )
                    tally["failed"] += 1
            missed: dict[int, list[Reminder]] = defaultdict(list)
            for reminder in await self.store.with_status(ReminderStatus.PENDING):
                if reminder.due_at > now:
                    future.append(reminder)
                else:
                    missed[reminder.event_id].append(reminder)
            for event_id, reminders in missed.items():
                event = await self.events.get(event_id)
                if event is None:
                    continue
                send, skip = catch_up(reminders, event.starts_at, event.cancelled, now)
                late.extend(send)
                for reminder in skip:
                    await self.store.finish(
                        reminder.id, ReminderStatus.SKIPPED, now, was=ReminderStatus.PENDING
                    )
                    log.info(
                        "reminder %d (event %d) missed while down; skipped", reminder.id, event_id
                    )
                tally["skipped"] += len(skip)
        self.schedule(future)
        for reminder in late:
            self.jobs.at(job_id(reminder.id), now, self.deliver, reminder.id)
        for reminder in retry:
            self.jobs.at(job_id(reminder.id), now, self.retry, reminder.id)
        tally.update(scheduled=len(future), late=len(late), retried=len(retry))
        log.info(
            "reminders ready: %(scheduled)d scheduled, %(late)d sent late, %(skipped)d skipped, "
            "%(retried)d retried, %(failed)d failed",
            tally,
        )
        return tally

    # --- members' own reminders ------------------------------------------------------------

    async def add_personal(self, event: Event, user_id: int, before: str) -> Reminder:
        offsets = parse_offsets(before)
        if len(offsets) != 1:
            raise UserError("reminder_one_offset")
        now = self.clock()
        if event.cancelled:
            raise UserError("event_cancelled_already", title=event.title)
        due = event.starts_at - offsets[0]
        if due <= now:
            raise UserError("reminder_too_late", title=event.title, at=event.starts_at)
        async with self.db.transaction():  # counted and added in one: two adds can't race
            reminder = await self.store.insert(event.id, user_id, offsets[0], due, now)
            if reminder is None:
                raise UserError("reminder_duplicate", title=event.title)
            for_event, upcoming = await self.store.personal_counts(
                event.guild_id, event.id, user_id, now
            )
            check_personal_room(event.title, for_event, upcoming)  # refused: rolled back
        self.schedule([reminder])
        return reminder

    async def mine(self, guild_id: int, user_id: int) -> list[MyReminder]:
        async with self.db.reading():
            rows = await self.store.personal_for_user(guild_id, user_id, self.clock())
        return [MyReminder(r, title, starts_at) for r, title, starts_at in rows]

    async def suggest_mine(self, guild_id: int, user_id: int, text: str) -> list[MyReminder]:
        """The member's reminders for autocomplete: events whose titles contain `text`."""
        needle = text.strip().lower()
        mine = await self.mine(guild_id, user_id)
        return [m for m in mine if not needle or needle in m.title.lower()][:CHOICES_MAX]

    async def cancel_personal(self, guild_id: int, user_id: int, ref: str) -> MyReminder:
        mine = await self.mine(guild_id, user_id)
        found = next((m for m in mine if str(m.reminder.id) == ref.strip()), None)
        if found is None:
            raise UserError("reminder_not_found")
        async with self.db.transaction():
            await self.store.cancel_personal(found.reminder.id, user_id, self.clock())
        self.unschedule([found.reminder.id])
        return found

    async def set_dms(self, guild_id: int, user_id: int, enabled: bool) -> None:
        async with self.db.transaction():
            await self.store.set_dms(guild_id, user_id, enabled, self.clock())

    # --- the weekly digest -----------------------------------------------------------------

    def schedule_digest(self, settings: GuildSettings) -> None:
        self.jobs.cancel(digest_job_id(settings.guild_id))
        if settings.digest_enabled and settings.announcements_channel_id is not None:
            self.jobs.weekly(
                digest_job_id(settings.guild_id),
                settings.digest_day,
                settings.digest_time,
                settings.tz,
                self.post_digest,
                settings.guild_id,
            )

    async def rebuild_digests(self) -> None:
        now = self.clock()
        async with self.db.reading():
            servers = await self.guilds.with_digest()
            last = {s.guild_id: await self.guilds.last_digest_at(s.guild_id) for s in servers}
        for settings in servers:
            self.schedule_digest(settings)
            due = previous_weekly(now, settings.digest_day, settings.digest_time, settings.tz)
            posted = last[settings.guild_id]
            if posted is not None and posted < due:
                log.info(
                    "weekly digest for server %d due %s was missed while down; skipped",
                    settings.guild_id,
                    due.isoformat(),
                )

    async def post_digest(self, guild_id: int) -> bool:
        """The cron job: the coming week's events with going counts; nothing if none."""
        now = self.clock()
        async with self.db.transaction():
            settings = await self.guilds.get(guild_id)
            channel_id = settings.announcements_channel_id
            if not settings.digest_enabled or channel_id is None:
                return False
            due = previous_weekly(now, settings.digest_day, settings.digest_time, settings.tz)
            if now - due > timedelta(hours=1):
                log.info("weekly digest for server %d ran late (due %s); skipped", guild_id, due)
                return False
            events = await self.events.starting_between(guild_id, now, now + DIGEST_AHEAD)
            items = [(event, await self.rsvps.counts(event.id)) for event in events]
            if not await self.guilds.claim_digest(guild_id, due, now):
                return False
        if not items:
            log.info("weekly digest for server %d: nothing coming up; not posted", guild_id)
            return False
        await self.poster.post_digest(channel_id, items, nonce(int(due.timestamp()), guild_id))
        return True
