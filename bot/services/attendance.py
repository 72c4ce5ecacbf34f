"""Use cases for attendance (who came to an event) and meeting notes.

The "I was there" button is on an event's post from 30 minutes before it starts until 7
days after it ends (bot/domain/attendance.py). It appears and goes by edits at those two
moments, and the post shows "N attended" from the end: jobs on the Jobs port per event
(`plan`), planned when the event is announced, moved when its time is edited, dropped when
it is cancelled, and rebuilt from the rows at every start (`plan_all`). Each job only
touches the post: the paced post updater re-renders it from the database, like RSVP counts.

A press toggles the member's own mark. An organiser's sheet (/events attendance) lists the
going, maybe and waitlist members and anyone who marked themselves, 25 to a page; each
choice on a page is saved in one transaction: the ticked members of that page are marked,
the others of that page taken off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.clock import Clock
from bot.db import Database
from bot.domain.attendance import (
    STAYS_OPEN,
    HeldMeetings,
    Notes,
    check_attendance,
    check_others,
    clean_link,
    make_notes,
    stats_since,
    window,
)
from bot.domain.errors import UserError
from bot.domain.events import Event
from bot.domain.guilds import Actor
from bot.domain.rsvps import RsvpStatus
from bot.services.ports import Guilds, Jobs, PostTouch
from bot.stores.attendance import AttendanceStore
from bot.stores.events import EventStore
from bot.stores.rsvps import RsvpStore

log = logging.getLogger(__name__)

POST_KIND = "event"
PAGE_SIZE = 25  # a select menu's most options
LISTED = (RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.WAITLIST)


def job_ids(event_id: int) -> tuple[str, str, str]:
    """The jobs that edit an event's post: the button appears, "N attended" shows, the
    button goes."""
    return (
        f"attendance-open:{event_id}",
        f"attendance-over:{event_id}",
        f"attendance-close:{event_id}",
    )


@dataclass(frozen=True)
class Pressed:
    event: Event
    given: bool  # True: marked as there; False: taken back


@dataclass(frozen=True)
class Entry:
    user_id: int
    status: RsvpStatus | None  # None: not answered, but marked themselves as there
    there: bool
    by_organiser: bool


@dataclass(frozen=True)
class Sheet:
    """One page of an organiser's attendance sheet."""

    event: Event
    entries: list[Entry]  # this page's
    page: int  # 0-based
    pages: int
    listed: int  # members on the sheet, every page
    changed: int = 0  # marks changed by the choice just saved


class AttendanceService:
    def __init__(
        self, db: Database, clock: Clock, guilds: Guilds, posts: PostTouch, jobs: Jobs
    ) -> None:
        self.db = db
        self.clock = clock
        self.guilds = guilds
        self.posts = posts
        self.jobs = jobs
        self.store = AttendanceStore(db)
        self.events = EventStore(db)
        self.rsvps = RsvpStore(db)

    # --- the post's timed edits ----------------------------------------------------------

    def plan(self, event: Event) -> None:
        """(Re)plan the post's edits: at start - 30 min, at the end, at end + 7 days; those
        passed or of a cancelled event are dropped."""
        now = self.clock()
        shown = window(event)
        for job_id, when in zip(
            job_ids(event.id), (shown.opens, event.ends_at, shown.closes), strict=True
        ):
            if event.cancelled or event.message_id is None or when <= now:
                self.jobs.cancel(job_id)
            else:
                self.jobs.at(job_id, when, self.post_due, event.id)

    async def plan_all(self) -> int:
        """At start: the edits still to come of every event taking attendance now or later.
        Returns how many events have some."""
        async with self.db.reading():
            ids = await self.store.taking(self.clock(), int(STAYS_OPEN.total_seconds()))
            events = [e for i in ids if (e := await self.events.get(i)) is not None]
        for event in events:
            self.plan(event)
        return len(events)

    async def post_due(self, event_id: int) -> None:
        """A job: the post's button or count changes now; re-render it (paced)."""
        async with self.db.reading():
            event = await self.events.get(event_id)
        if event is not None:
            self._touch(event)

    def _touch(self, event: Event) -> None:
        self.posts.touch(POST_KIND, event.id, event.channel_id, event.message_id)

    # --- members ---------------------------------------------------------------------------

    async def press(self, guild_id: int, user_id: int, event_id: int) -> Pressed:
        """The "I was there" button: marks the member, or takes the mark back."""
        now = self.clock()
        async with self.db.transaction():
            event = await self._own(guild_id, event_id)
            check_attendance(event, now)
            if await self.store.has(event.id, user_id):
                await self.store.unmark(event.id, [user_id])
                given = False
            else:
                await self.store.mark(event.id, [user_id], now, by_organiser=False)
                given = True
        self._touch(event)
        return Pressed(event, given)

    async def _own(self, guild_id: int, event_id: int) -> Event:
        event = await self.events.get(event_id)
        if event is None or event.guild_id != guild_id:
            raise UserError("event_not_found", text=str(event_id))
        return event

    async def there(self, event_id: int) -> set[int]:
        """The members marked as there (for the attendees file)."""
        async with self.db.reading():
            return set(await self.store.members(event_id))

    # --- organisers ------------------------------------------------------------------------

    async def open_sheet(
        self, guild_id: int, actor: Actor, event: Event, others: int | None
    ) -> Sheet:
        """/events attendance: the sheet's first page; `others` (people not on Discord) is
        saved first. Refused, with nothing stored, outside the window."""
        await self.guilds.require_organiser(guild_id, actor)
        others = check_others(others)
        now = self.clock()
        async with self.db.transaction():
            current = await self._own(guild_id, event.id)
            check_attendance(current, now)
            if others is not None and others != current.attended_others:
                await self.store.set_others(current.id, others)
                self._touch(current)
            return await self._sheet(current.id, 0)

    async def page(self, guild_id: int, actor: Actor, event_id: int, page: int) -> Sheet:
        await self.guilds.require_organiser(guild_id, actor)
        async with self.db.reading():
            await self._own(guild_id, event_id)
            return await self._sheet(event_id, page)

    async def tick(
        self,
        guild_id: int,
        actor: Actor,
        event_id: int,
        page: int,
        shown: list[int],
        ticked: list[int],
    ) -> Sheet:
        """A choice in the sheet's menu: of the members `shown` in it, the `ticked` ones
        came and the others did not (one transaction)."""
        await self.guilds.require_organiser(guild_id, actor)
        now = self.clock()
        async with self.db.transaction():
            event = await self._own(guild_id, event_id)
            check_attendance(event, now)
            listed = {entry.user_id for entry in await self._entries(event_id)}
            came = [u for u in dict.fromkeys(ticked) if u in shown and u in listed]
            away = [u for u in dict.fromkeys(shown) if u not in came and u in listed]
            changed = await self.store.mark(event_id, came, now, by_organiser=True)
            changed += await self.store.unmark(event_id, away)
            sheet = await self._sheet(event_id, page)
        if changed:
            self._touch(event)
        log.info("attendance of event %d: %d marks changed by %d", event_id, changed, actor.user_id)
        return Sheet(sheet.event, sheet.entries, sheet.page, sheet.pages, sheet.listed, changed)

    async def _entries(self, event_id: int) -> list[Entry]:
        there = await self.store.members(event_id)
        entries: list[Entry] = []
        seen: set[int] = set()
        for status in LISTED:
            for user_id in await self.rsvps.members(event_id, [status]):
                seen.add(user_id)
                entries.append(Entry(user_id, status, user_id in there, there.get(user_id, False)))
        entries += [
            Entry(user_id, None, True, by_organiser)
            for user_id, by_organiser in sorted(there.items())
            if user_id not in seen
        ]
        return entries

    async def _sheet(self, event_id: int, page: int) -> Sheet:
        event = await self.events.get(event_id)
        assert event is not None
        entries = await self._entries(event_id)
        pages = max(1, -(-len(entries) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        shown = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        return Sheet(event, shown, page, pages, len(entries))

    # --- notes -----------------------------------------------------------------------------

    async def prepare_notes(
        self, guild_id: int, actor: Actor, event: Event, link: str | None
    ) -> tuple[Event, str | None]:
        """Before the form opens: the organiser may, the link given is a web address."""
        await self.guilds.require_organiser(guild_id, actor)
        cleaned = clean_link(link)
        async with self.db.reading():
            current = await self._own(guild_id, event.id)
        return current, cleaned if link is not None else current.notes_link

    async def save_notes(
        self,
        guild_id: int,
        actor: Actor,
        event_id: int,
        english: str | None,
        welsh: str | None,
        link: str | None,
    ) -> tuple[Event, Notes, bool]:
        """The form's notes saved (both paragraphs empty: removed); whether they changed."""
        await self.guilds.require_organiser(guild_id, actor)
        notes = make_notes(english, welsh, link)
        now = self.clock()
        async with self.db.transaction():
            await self._own(guild_id, event_id)
            changed = await self.store.set_notes(event_id, notes, now)
            event = await self.events.get(event_id)
        assert event is not None
        if changed:
            log.info("notes of event %d saved by %d", event_id, actor.user_id)
        return event, notes, changed

    # --- the network ------------------------------------------------------------------------

    async def held(self, guild_id: int) -> HeldMeetings:
        """Meetings held in the last 12 months and their attendance (/network stats)."""
        now = self.clock()
        async with self.db.reading():
            return await self.store.held(guild_id, stats_since(now), now)
