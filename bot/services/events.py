"""Use cases for events: announce, list, look up, edit and cancel.

The announcement post is reached through the `Announcer` port, so this module never touches
Discord and tests can hand it a fake. The order of work keeps the database whole: a new
event is saved first (marked unposted), then announced, then marked posted; if the post
cannot be made the row is removed again, and rows left unposted by a stop in between are
swept at the next start. An edit is stored first and the post re-rendered from the stored
row.

The first second counts: a post's id is saved the moment the post exists, before the three
RSVP reactions are offered under it, and the same unit of work takes the reactions members
made before that (`RsvpService.adopt_in_tx`). A post whose id cannot be saved is taken down
again, so no post is left up that the database does not know.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.events import (
    REASON_MAX,
    Event,
    EventChanges,
    EventStatus,
    Kind,
    Region,
    apply_changes,
    check_cancellable,
    clean_line,
    make_draft,
    what_changed,
)
from bot.domain.guilds import Actor, GuildSettings, require_own_channel
from bot.domain.languages import Language
from bot.domain.notices import Notice
from bot.domain.refs import find_ref
from bot.domain.reminders import Reminder
from bot.domain.rsvps import REMINDED, RsvpCounts, notice_for
from bot.domain.series import Series, host_for, meeting_title
from bot.domain.timeparse import parse_duration, parse_reminder_offsets, parse_when
from bot.services.ports import Announcer, AttendancePlans, Guilds, Mirrored, NativeMirror
from bot.stores.events import EventFilter, EventStore
from bot.stores.guilds import GuildStore
from bot.stores.organisations import OrganisationStore
from bot.stores.rsvps import RsvpStore
from bot.stores.series import SeriesStore

if TYPE_CHECKING:
    from bot.services.reminders import ReminderService
    from bot.services.rsvps import RsvpService
    from bot.services.series import SeriesService

log = logging.getLogger(__name__)

PAGE_SIZE = 10
CHOICES_MAX = 25
CALENDAR_MAX = 500
RECENT_POSTS = timedelta(days=7)  # how long after an event its post is kept up to date


@dataclass(frozen=True)
class EventInput:
    """What a member typed into /events create or edit (raw text, choices already typed)."""

    when: str | None = None
    title: str | None = None
    where: str | None = None
    host: str | None = None
    region: Region | None = None
    kind: Kind | None = None
    duration: str | None = None
    description: str | None = None
    capacity: int | None = None
    reminders: str | None = None
    series: str | None = None
    title_cy: str | None = None
    description_cy: str | None = None


@dataclass(frozen=True)
class Details:
    event: Event
    counts: RsvpCounts
    series: Series | None
    history: list[Event]  # the series' meetings, in number order


@dataclass(frozen=True)
class Calendar:
    """Events for a calendar file, and the server's zone (the file's times are local)."""

    events: list[Event]
    tz: str
    at: datetime  # when it was made (the file's DTSTAMP)
    languages: tuple[Language, ...] = (Language.EN,)  # the server's mode: the file's Welsh


@dataclass(frozen=True)
class Created:
    event: Event
    ambiguous_local: datetime | None  # set when the typed time happened twice (autumn)


@dataclass(frozen=True)
class Edited:
    event: Event
    changes: tuple[str, ...]
    reposted: bool
    ambiguous_local: datetime | None
    notices: list[Notice] = field(default_factory=list)  # DMs the edit owes members


@dataclass(frozen=True)
class Cancelled:
    event: Event
    notices: list[Notice]  # DMs owed to those who said going or maybe


@dataclass(frozen=True)
class Page:
    events: list[Event]
    page: int  # 0-based
    pages: int
    total: int


class EventService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        guilds: Guilds,
        series: SeriesService,
        announcer: Announcer,
        rsvps: RsvpService,
        reminders: ReminderService,
        mirror: NativeMirror,
        attendance: AttendancePlans | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.guilds = guilds
        self.series = series
        self.announcer = announcer
        self.rsvps = rsvps
        self.reminders = reminders
        self.mirror = mirror
        self.attendance = attendance  # the timed edits of posts taking attendance
        self.store = EventStore(db)
        self.organisations = OrganisationStore(db)
        self.series_store = SeriesStore(db)
        self.guild_store = GuildStore(db)
        self.rsvp_store = RsvpStore(db)

    # --- reading -------------------------------------------------------------------------

    async def resolve(self, guild_id: int, text: str) -> Event:
        """The event an `event` option names: an autocomplete id, or an exact unique title."""
        async with self.db.reading():
            return await find_ref(guild_id, text, self.store, "event")

    async def details(self, event: Event) -> Details:
        async with self.db.reading():
            counts = await self.rsvp_store.counts(event.id)
            series = await self.series_store.get(event.series_id) if event.series_id else None
            history = await self.store.in_series(series.id) if series else []
        return Details(event, counts, series, history)

    async def by_post(self, guild_id: int, message_id: int) -> Event:
        """The event an announcement post belongs to (for its buttons)."""
        async with self.db.reading():
            event = await self.store.get_by_message(message_id)
        if event is None or event.guild_id != guild_id:
            raise UserError("event_not_found", text=str(message_id))
        return event

    async def for_calendar(self, guild_id: int, event: Event | None) -> Calendar:
        """One event (any state, so a cancellation reaches calendars), or all upcoming."""
        settings = await self.guilds.settings(guild_id)
        if event is not None:
            return Calendar([event], settings.tz, self.clock(), settings.language.languages)
        async with self.db.reading():
            events = await self.store.list_upcoming(
                guild_id, self.clock(), EventFilter(), CALENDAR_MAX
            )
        return Calendar(events, settings.tz, self.clock(), settings.language.languages)

    async def post_calendar(self, guild_id: int, message_id: int) -> Calendar:
        """The event an announcement post belongs to, for its calendar button."""
        return await self.for_calendar(guild_id, await self.by_post(guild_id, message_id))

    async def suggest(
        self, guild_id: int, text: str, *, include_past: bool, include_cancelled: bool
    ) -> list[Event]:
        """Events for autocomplete whose titles contain `text`: those not yet over, soonest
        first; then, with `include_past`, those over, the latest first."""
        now = self.clock()
        needle = text.strip()[:100]
        statuses = [EventStatus.SCHEDULED]
        if include_cancelled:
            statuses.append(EventStatus.CANCELLED)
        async with self.db.reading():
            found = await self.store.search(guild_id, needle, now, statuses, CHOICES_MAX)
            if include_past and len(found) < CHOICES_MAX:
                found += await self.store.search_past(
                    guild_id, needle, now, statuses, CHOICES_MAX - len(found)
                )
        return found

    async def open_posts(self) -> list[Event]:
        """Every server's events that take RSVPs, soonest first (for reconciliation)."""
        async with self.db.reading():
            return await self.store.list_open_posts(self.clock())

    async def recent_posts(self) -> list[Event]:
        """Events whose post may still be read: not yet over, or over in the last week, of
        any status (a cancellation shows on its post), soonest first."""
        async with self.db.reading():
            return await self.store.list_posted_since(self.clock() - RECENT_POSTS)

    async def list_events(
        self,
        guild_id: int,
        page: int,
        *,
        past: bool = False,
        region: Region | None = None,
        kind: Kind | None = None,
    ) -> Page:
        """A page of the server's events not yet over, soonest first, or with `past` of
        those over, the latest first; a page past the end gives the last."""
        now = self.clock()
        where = EventFilter(region=region, kind=kind)
        store = self.store
        count, listing = (
            (store.count_past, store.list_past)
            if past
            else (store.count_upcoming, store.list_upcoming)
        )
        async with self.db.reading():
            total = await count(guild_id, now, where)
            page = _clamp_page(page, total)
            events = await listing(guild_id, now, where, PAGE_SIZE, page * PAGE_SIZE)
        return Page(events, page, _pages(total), total)

    # --- changing ------------------------------------------------------------------------

    async def create(
        self,
        guild_id: int,
        actor: Actor,
        typed: EventInput,
        channel_id: int | None,
        *,
        can_post_there: bool = True,
        starts_at: datetime | None = None,
        claim: Callable[[Event], Awaitable[None]] | None = None,
    ) -> Created:
        """`can_post_there`: whether the organiser may see and send in `channel_id` (a
        Discord fact the cog reads). `starts_at`: a start already read (a date poll's
        winning option) in place of `typed.when`. `claim` runs inside the transaction that
        saves the event, with the event: what raises there saves and announces nothing (a
        poll records its announcement so, once)."""
        settings = await self.guilds.require_organiser(guild_id, actor)
        require_own_channel(channel_id, can_post_there)
        now = self.clock()
        when = parse_when(typed.when or "", now, settings.tz) if starts_at is None else None
        start = when.at if when is not None else starts_at
        assert start is not None
        series = await self.series.resolve(guild_id, typed.series) if typed.series else None
        number = series.next_number if series else None
        draft = make_draft(
            title=typed.title or (meeting_title(series, series.next_number) if series else None),
            starts_at=start,
            duration=parse_duration(typed.duration) if typed.duration else None,
            place=typed.where,
            host=typed.host or (host_for(series, series.next_number) if series else None),
            region=typed.region or (series.region if series else None),
            kind=typed.kind,
            description=typed.description,
            capacity=typed.capacity,
            reminder_offsets=(
                parse_reminder_offsets(typed.reminders)
                if typed.reminders
                else settings.reminder_offsets
            ),
            title_cy=typed.title_cy,
            description_cy=typed.description_cy,
        )
        target = channel_id or settings.announcements_channel_id
        if target is None:
            raise UserError("no_announcements_channel")
        async with self.db.transaction():  # saved first: nothing is announced that isn't kept
            numbered = None
            if series is not None and number is not None:
                if not await self.series_store.take_number(series.id, number):
                    raise UserError("series_busy", name=series.name)
                numbered = (series.id, number)
            event_id = await self.store.insert(
                guild_id, draft, target, actor.user_id, now, numbered
            )
            await self.organisations.link_host(guild_id, event_id, draft.host, now)
            event = await self.store.get(event_id)
            assert event is not None
            planned = await self.reminders.plan_in_tx(event, now)
            if claim is not None:
                await claim(event)
        try:
            message_id = await self.announcer.publish(event, RsvpCounts(), settings, ping=True)
            event = await self._keep_post(event, message_id)
        except BaseException:
            await self._discard(event)
            raise
        await self._offer_rsvps(event)
        self.reminders.schedule(planned)
        event = await self._mirror(event, self.mirror.sync)
        self._plan_attendance(event)
        log.info("event %d created in guild %d by %d", event_id, guild_id, actor.user_id)
        return Created(event, when.local if when is not None and when.ambiguous else None)

    async def create_at(
        self,
        guild_id: int,
        actor: Actor,
        *,
        title: str | None,
        series: str | None,
        channel_id: int | None,
        starts_at: datetime,
        claim: Callable[[Event], Awaitable[None]] | None = None,
    ) -> Event:
        """An event at a time already read (a date poll's winner), made exactly as
        /events create makes one (the `Announcements` port)."""
        typed = EventInput(title=title, series=series)
        created = await self.create(
            guild_id, actor, typed, channel_id, starts_at=starts_at, claim=claim
        )
        return created.event

    async def _discard(self, event: Event) -> None:
        """Undo a create whose post never went out. If even that fails, the row stays marked
        unposted and `sweep_unposted` removes it at the next start."""
        try:
            async with self.db.transaction():
                await self._forget_unposted(event)
        except Exception:
            log.exception("could not discard unposted event %d; swept at the next start", event.id)

    async def _forget_unposted(self, event: Event) -> None:
        await self.store.delete(event.id)
        if event.series_id is not None and event.series_number is not None:
            await self.series_store.release_number(event.series_id, event.series_number)

    async def sweep_unposted(self) -> int:
        """At start: remove events saved whose post never went out (the bot stopped between
        saving and posting, so the organiser was never told it worked). Returns how many."""
        async with self.db.reading():
            unposted = await self.store.list_unposted()
        if not unposted:
            return 0
        async with self.db.transaction():
            for event in await self.store.list_unposted():
                await self._forget_unposted(event)
        for event in unposted:
            log.warning(
                "removed event %d (%r, guild %d): saved but never announced",
                event.id,
                event.title,
                event.guild_id,
            )
        return len(unposted)

    async def edit(self, guild_id: int, actor: Actor, event: Event, typed: EventInput) -> Edited:
        settings = await self.guilds.require_organiser(guild_id, actor)
        now = self.clock()
        when = parse_when(typed.when, now, settings.tz) if typed.when is not None else None
        changes = EventChanges(
            title=typed.title,
            starts_at=when.at if when else None,
            duration=parse_duration(typed.duration) if typed.duration else None,
            place=typed.where,
            host=typed.host,
            region=typed.region,
            kind=typed.kind,
            description=typed.description,
            capacity=typed.capacity,
            reminder_offsets=parse_reminder_offsets(typed.reminders) if typed.reminders else None,
            title_cy=typed.title_cy,
            description_cy=typed.description_cy,
        )
        schedule: list[Reminder] = []
        unschedule: list[int] = []
        async with self.db.transaction():
            current = await self.store.get(event.id)
            assert current is not None
            draft = apply_changes(current, changes, now)
            changed = what_changed(current, draft)
            if changed:
                await self.store.update(event.id, draft, now)
            if "host" in changed:
                await self.organisations.link_host(guild_id, event.id, draft.host, now)
            updated = await self.store.get(event.id)
            assert updated is not None
            if "time" in changed or "reminders" in changed:
                schedule, unschedule = await self.reminders.replan_in_tx(updated, now)
            told = await self._told_of_change(updated, changed)
        self.reminders.unschedule(unschedule)
        self.reminders.schedule(schedule)
        notices = told
        if "capacity" in changed:  # a raised capacity moves waiting members up
            promoted = await self.rsvps.rebalance(event.id)
            notices += [n for o in promoted if (n := notice_for(updated, o)) is not None]
        reposted = False
        if changed:
            updated, reposted = await self._show(updated, settings)
            updated = await self._mirror(updated, self.mirror.sync)
            self._plan_attendance(updated)
        ambiguous = when.local if when and when.ambiguous else None
        return Edited(updated, changed, reposted, ambiguous, notices)

    async def prepare_cancel(
        self, guild_id: int, actor: Actor, event: Event, reason: str | None
    ) -> tuple[Event, str | None]:
        """Check a cancellation may go ahead, before asking the organiser to confirm.

        Returns the event and the cleaned reason to confirm.
        """
        await self.guilds.require_organiser(guild_id, actor)
        check_cancellable(event, self.clock())
        return event, clean_line(reason, "reason", REASON_MAX)

    async def cancel(
        self, guild_id: int, actor: Actor, event_id: int, reason: str | None
    ) -> Cancelled:
        settings = await self.guilds.require_organiser(guild_id, actor)
        now = self.clock()
        reason = clean_line(reason, "reason", REASON_MAX)
        async with self.db.transaction():
            event = await self.store.get(event_id)
            if event is None or event.guild_id != guild_id:
                raise UserError("event_not_found", text=str(event_id))
            check_cancellable(event, now)
            await self.store.cancel(event_id, reason, now)
            cancelled = await self.store.get(event_id)
            assert cancelled is not None
            dropped = await self.reminders.cancel_in_tx(event_id, now)
            told = await self._told(cancelled, "event_cancelled", reason=reason or "")
        self.reminders.unschedule(dropped)
        cancelled, _ = await self._show(cancelled, settings)
        if cancelled.native_event_id is not None:
            cancelled = await self._mirror(cancelled, self.mirror.cancel)
        self._plan_attendance(cancelled)
        log.info("event %d cancelled by %d", event_id, actor.user_id)
        return Cancelled(cancelled, told)

    def _plan_attendance(self, event: Event) -> None:
        if self.attendance is not None:
            self.attendance.plan(event)

    async def _told(self, event: Event, key: str, **params: object) -> list[Notice]:
        """DMs for everyone who said going or maybe (inside the caller's unit of work)."""
        members = await self.rsvp_store.members(event.id, REMINDED)
        fields = {"title": event.title, "title_cy": event.title_cy, "at": event.starts_at, **params}
        if event.place:
            fields.setdefault("place", event.place)
        return [Notice(user_id, key, fields, guild_id=event.guild_id) for user_id in members]

    async def _told_of_change(self, event: Event, changed: tuple[str, ...]) -> list[Notice]:
        if "time" in changed:
            return await self._told(event, "event_moved")
        if "place" in changed:
            return await self._told(event, "event_place_changed", place=event.place or "—")
        return []

    async def _mirror(self, event: Event, step: Callable[[Event], Awaitable[Mirrored]]) -> Event:
        """Mirror into the Events tab; never fails the organiser's command. Records the link,
        and why the mirror is off if it is."""
        try:
            result = await step(event)
        except Exception:
            log.exception("could not mirror event %d into the Events tab", event.id)
            return event
        async with self.db.transaction():
            if result.native_event_id != event.native_event_id:
                await self.store.set_native(event.id, result.native_event_id)
            await self.guild_store.set(event.guild_id, self.clock(), mirror_problem=result.problem)
        return replace(event, native_event_id=result.native_event_id)

    async def suggest_hosts(self, guild_id: int, text: str) -> list[str]:
        """Host organisations already known here: past hosts, then series rotas."""
        needle = text.strip()[:100]
        async with self.db.reading():
            known = await self.store.hosts(guild_id, needle, CHOICES_MAX)
            for series in await self.series_store.search(guild_id, "", CHOICES_MAX):
                known.extend(h for h in series.hosts if needle.lower() in h.lower())
        seen: dict[str, str] = {}
        for host in known:
            seen.setdefault(" ".join(host.casefold().split()), host)
        return list(seen.values())[:CHOICES_MAX]

    async def refresh_post(self, event_id: int) -> None:
        """Re-render one announcement from the database (the post updater calls this).

        A post deleted by hand stays deleted until the next /events edit posts it again.
        """
        async with self.db.reading():
            event = await self.store.get(event_id)
            counts = await self.rsvp_store.counts(event_id)
        if event is not None:
            await self.announcer.refresh(event, counts)

    async def _show(self, event: Event, settings: GuildSettings) -> tuple[Event, bool]:
        """Bring the post in line with the stored event; re-post it if it was deleted.

        Returns the event (with its new post's id when it had to be posted again) and
        whether it was re-posted.
        """
        async with self.db.reading():
            counts = await self.rsvp_store.counts(event.id)
        if event.message_id is not None and await self.announcer.refresh(event, counts):
            return event, False
        message_id = await self.announcer.publish(event, counts, settings, ping=False)
        event = await self._keep_post(event, message_id)
        await self._offer_rsvps(event)
        return event, True

    async def _keep_post(self, event: Event, message_id: int) -> Event:
        """Save the id of the post just made for `event`, with the reactions members made on
        it before (in one unit of work); a post whose id can't be saved is taken down again.
        Returns the event with its post."""
        posted = replace(event, message_id=message_id)
        try:
            async with self.db.transaction():
                await self.store.set_message(event.id, message_id)
                early = await self.rsvps.adopt_in_tx(posted)
        except BaseException:
            await self.announcer.withdraw(event.channel_id, message_id)
            raise
        self.rsvps.adopted(posted, early)
        return posted

    async def _offer_rsvps(self, event: Event) -> None:
        if not event.cancelled:
            await self.announcer.offer_rsvps(event)


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def _clamp_page(page: int, total: int) -> int:
    return min(max(page, 0), _pages(total) - 1)
