"""Use cases for date polls: create, press an option, list, close, announce the winner.

The poll's post is reached through the `PollPoster` port and kept current through the paced
post updater (`PostTouch`, kind "poll"): a press only touches the post, so a burst of presses
becomes a few edits and the last shows the exact counts. Closing times are jobs on the Jobs
port, rebuilt from the database at every start (`plan_closings`); a poll whose time passed
while the bot was down closes then.

Order of work, as for letters: a new poll is stored first (its buttons need the id), marked
unposted, then posted, then marked posted; a post that fails removes the row again, and rows
left unposted by a stop in between are swept at the next start.

The winner is announced through the EventService's own create (series number, rota host,
reminders, the Events tab: exactly as /events create), which runs `claim` inside the
transaction that saves the event: the poll's `announced_event_id` is set there only while it
is empty, so a second press of Announce, even at the same moment, saves and posts nothing.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.events import Event
from bot.domain.guilds import Actor, require_own_channel
from bot.domain.notices import Notice
from bot.domain.polls import (
    Poll,
    PollCounts,
    PollOption,
    check_announceable,
    check_answerable,
    make_draft,
    winner,
)
from bot.domain.refs import find_ref
from bot.services.ports import Announcements, Guilds, Jobs, Notifier, PollPoster, PostTouch
from bot.stores.events import EventStore
from bot.stores.polls import PollAnswerStore, PollStore

if TYPE_CHECKING:
    from bot.services.series import SeriesService

log = logging.getLogger(__name__)

POST_KIND = "poll"
CHOICES_MAX = 25
LIST_MAX = 25
RECENTLY_CLOSED = timedelta(days=7)
PRESS_BATCH_MAX = 200  # presses applied in one transaction at most


def close_job_id(poll_id: int) -> str:
    return f"poll-close:{poll_id}"


@dataclass(frozen=True)
class PollInput:
    """What an organiser typed into /poll create (raw text)."""

    title: str | None = None
    options: str = ""
    closes: str | None = None
    series: str | None = None


@dataclass(frozen=True)
class Created:
    poll: Poll
    ambiguous: tuple[datetime, ...]  # options' local times that happen twice (first taken)


@dataclass(frozen=True)
class Shown:
    poll: Poll
    counts: PollCounts


@dataclass(frozen=True)
class Pressed:
    poll: Poll
    option: PollOption
    given: bool  # True: the answer was given; False: taken back
    choices: list[PollOption]  # every option the member has now pressed


@dataclass(frozen=True)
class Closed:
    poll: Poll
    counts: PollCounts
    now_closed: bool  # False: it had closed already (this shows it again)
    notices: list[Notice] = field(default_factory=list)  # results owed to those who pressed


@dataclass(frozen=True)
class Announced:
    poll: Poll
    event: Event | None  # None only if the event announced was removed since
    already: bool  # the winner had been announced before this press


@dataclass(frozen=True)
class _Press:
    guild_id: int
    user_id: int
    poll_id: int
    position: int
    future: asyncio.Future[Pressed]


class _AlreadyAnnounced(Exception):
    """Raised inside the event's transaction to save nothing: the poll was announced."""


class PollService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        guilds: Guilds,
        series: SeriesService,
        events: Announcements,
        poster: PollPoster,
        posts: PostTouch,
        jobs: Jobs,
        notifier: Notifier,
    ) -> None:
        self.db = db
        self.clock = clock
        self.guilds = guilds
        self.series = series
        self.events = events
        self.poster = poster
        self.posts = posts
        self.jobs = jobs
        self.notifier = notifier
        self.store = PollStore(db)
        self.answers = PollAnswerStore(db)
        self.event_store = EventStore(db)
        self._presses: list[_Press] = []  # presses waiting for the worker, in order
        self._pressing: asyncio.Task[None] | None = None

    # --- reading -------------------------------------------------------------------------

    async def resolve(self, guild_id: int, text: str) -> Poll:
        """The poll a `poll` option names: an autocomplete id, or an exact unique title."""
        async with self.db.reading():
            return await find_ref(guild_id, text, self.store, "poll")

    async def _own(self, guild_id: int, poll_id: int) -> Poll:
        """The server's poll `poll_id` (a button's), inside a unit of work the caller holds."""
        poll = await self.store.get(poll_id)
        if poll is None or poll.guild_id != guild_id or poll.message_id is None:
            raise UserError("poll_not_found", text=str(poll_id))
        return poll

    async def suggest(self, guild_id: int, text: str) -> list[Poll]:
        """Polls for autocomplete: titles containing `text`, open ones first, newest first."""
        async with self.db.reading():
            return await self.store.search(guild_id, text.strip()[:100], CHOICES_MAX)

    async def list_open(self, guild_id: int) -> tuple[list[Shown], int]:
        """The server's open polls with their counts, and how many are open."""
        now = self.clock()
        async with self.db.reading():
            polls = await self.store.list_open(guild_id, now, LIST_MAX)
            total = await self.store.count_open(guild_id, now)
            shown = [Shown(poll, await self.answers.counts(poll.id)) for poll in polls]
        return shown, total

    async def info(self, poll: Poll) -> Shown:
        async with self.db.reading():
            return Shown(poll, await self.answers.counts(poll.id))

    # --- creating ------------------------------------------------------------------------

    async def create(
        self,
        guild_id: int,
        actor: Actor,
        typed: PollInput,
        channel_id: int | None,
        *,
        can_post_there: bool = True,
    ) -> Created:
        """/poll create: every check first (organiser, channel, title, each option, the
        closing time, the series), then the poll is saved and posted."""
        settings = await self.guilds.require_organiser(guild_id, actor)
        require_own_channel(channel_id, can_post_there)
        now = self.clock()
        draft = make_draft(
            title=typed.title, options=typed.options, closes=typed.closes, now=now, tz=settings.tz
        )
        series = await self.series.resolve(guild_id, typed.series) if typed.series else None
        target = channel_id or settings.announcements_channel_id
        if target is None:
            raise UserError("no_announcements_channel")
        async with self.db.transaction():
            poll_id = await self.store.insert(
                guild_id, draft, target, series.id if series else None, actor.user_id, now
            )
            poll = await self.store.get(poll_id)
        assert poll is not None
        try:
            message_id = await self.poster.publish(poll, PollCounts({}, 0), settings.tz, now)
        except BaseException:
            await self._discard(poll)
            raise
        try:
            async with self.db.transaction():
                await self.store.set_message(poll_id, message_id)
        except BaseException:
            await self.poster.withdraw(target, message_id)
            await self._discard(poll)
            raise
        poll = replace(poll, message_id=message_id)
        self._plan_close(poll)
        log.info("poll %d created in guild %d by %d", poll_id, guild_id, actor.user_id)
        return Created(poll, draft.ambiguous)

    async def _discard(self, poll: Poll) -> None:
        try:
            async with self.db.transaction():
                await self.store.delete(poll.id)
        except Exception:
            log.exception("could not discard unposted poll %d; swept at the next start", poll.id)

    async def sweep_unposted(self) -> int:
        """At start: remove polls saved whose post never went out. Returns how many."""
        async with self.db.transaction():
            unposted = await self.store.list_unposted()
            for poll in unposted:
                await self.store.delete(poll.id)
        for poll in unposted:
            log.warning(
                "removed poll %d (guild %d): saved but never posted", poll.id, poll.guild_id
            )
        return len(unposted)

    # --- answering -----------------------------------------------------------------------

    async def press(self, guild_id: int, user_id: int, poll_id: int, position: int) -> Pressed:
        """A member pressed an option: given if they had not, taken back if they had.

        Presses arriving together are applied in one transaction, in the order they came
        (a burst of hundreds a second would otherwise spend most of its time committing);
        each press still gets its own answer, or its own refusal."""
        future: asyncio.Future[Pressed] = asyncio.get_running_loop().create_future()
        self._presses.append(_Press(guild_id, user_id, poll_id, position, future))
        if self._pressing is None or self._pressing.done():
            self._pressing = asyncio.create_task(self._apply_presses())
        return await asyncio.shield(future)

    async def _apply_presses(self) -> None:
        """Take the presses waiting, a batch at a time, until none is left."""
        while self._presses:
            batch = self._presses[:PRESS_BATCH_MAX]
            del self._presses[:PRESS_BATCH_MAX]
            try:
                outcomes = await self._apply(batch)
            except Exception as error:  # the whole batch: a locked or read-only database
                for item in batch:
                    if not item.future.done():
                        item.future.set_exception(error)
                continue
            touched: dict[int, Poll] = {}
            for item, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, Pressed):
                    touched[outcome.poll.id] = outcome.poll
                    if not item.future.done():
                        item.future.set_result(outcome)
                elif not item.future.done():
                    item.future.set_exception(outcome)
            for poll in touched.values():
                self._touch(poll)

    async def _apply(self, batch: list[_Press]) -> list[Pressed | UserError]:
        """The batch's presses in order, each toggling the member's answer as it stands after
        the presses before it; stored as what they add up to, in a few statements."""
        now = self.clock()
        outcomes: list[Pressed | UserError] = []
        async with self.db.transaction():
            polls = {
                poll_id: await self.store.get(poll_id) for poll_id in {p.poll_id for p in batch}
            }
            members: dict[int, set[int]] = {p.poll_id: set() for p in batch}
            for item in batch:
                members[item.poll_id].add(item.user_id)
            before = {
                poll_id: await self.answers.choices_of(poll_id, sorted(users))
                for poll_id, users in members.items()
            }
            now_chosen = {
                poll_id: {user: set(ps) for user, ps in by_user.items()}
                for poll_id, by_user in before.items()
            }
            for item in batch:
                poll = polls[item.poll_id]
                try:
                    if poll is None or poll.guild_id != item.guild_id or poll.message_id is None:
                        raise UserError("poll_not_found", text=str(item.poll_id))
                    option = check_answerable(poll, item.position, now)
                except UserError as error:
                    outcomes.append(error)
                    continue
                chosen = now_chosen[item.poll_id].setdefault(item.user_id, set())
                given = item.position not in chosen
                chosen ^= {item.position}
                choices = [o for o in poll.options if o.position in chosen]
                outcomes.append(Pressed(poll, option, given, choices))
            for poll_id, chosen_by in now_chosen.items():
                old = {(u, p) for u, ps in before[poll_id].items() for p in ps}
                new = {(u, p) for u, ps in chosen_by.items() for p in ps}
                await self.answers.apply(poll_id, sorted(new - old), sorted(old - new), now)
        return outcomes

    # --- closing -------------------------------------------------------------------------

    async def prepare_close(self, guild_id: int, actor: Actor, poll: Poll) -> Shown:
        """Check a close may go ahead (or show a closed poll again), before confirming."""
        await self.guilds.require_organiser(guild_id, actor)
        async with self.db.reading():
            current = await self._own(guild_id, poll.id)
            counts = await self.answers.counts(poll.id)
        return Shown(current, counts)

    async def close(self, guild_id: int, actor: Actor, poll_id: int) -> Closed:
        """Stop answers and mark the winner; a poll closed already is shown as it closed."""
        await self.guilds.require_organiser(guild_id, actor)
        now = self.clock()
        async with self.db.reading():
            await self._own(guild_id, poll_id)
        closed = await self._close(poll_id, now, now)
        assert closed is not None
        if closed.now_closed:
            log.info("poll %d closed by %d", poll_id, actor.user_id)
        return closed

    async def _close(self, poll_id: int, at: datetime, now: datetime) -> Closed | None:
        """Close as of `at` with its winner (once); the results owed to those who pressed."""
        async with self.db.transaction():
            poll = await self.store.get(poll_id)
            if poll is None:
                return None
            counts = await self.answers.counts(poll_id)
            if poll.closed_at is not None:
                return Closed(poll, counts, now_closed=False)
            best = winner(poll.options, counts)
            await self.store.close(poll_id, at, best.position if best else None, now)
            closed = await self.store.get(poll_id)
            members = await self.answers.members(poll_id)
        assert closed is not None
        self.jobs.cancel(close_job_id(poll_id))
        self._touch(closed)
        return Closed(closed, counts, now_closed=True, notices=result_notices(closed, members))

    async def close_due(self, poll_id: int) -> bool:
        """The closing job: close the poll if its time has come (a late or repeated run is
        harmless), tell those who pressed and the organiser; True when this run closed it."""
        now = self.clock()
        async with self.db.reading():
            poll = await self.store.get(poll_id)
        if poll is None or poll.closed_at is not None or poll.closes_at is None:
            return False
        if now < poll.closes_at:
            log.info("poll %d's closing job ran early; it closes later", poll_id)
            return False
        closed = await self._close(poll_id, poll.closes_at, now)
        if closed is None or not closed.now_closed:
            return False
        log.info("poll %d closed at its closing time", poll_id)
        owed = [*closed.notices, organiser_notice(closed.poll)]
        for notice in owed:
            await self.notifier.send(notice)
        return True

    async def plan_closings(self) -> int:
        """At start: a job for each poll still to close; polls whose time passed while the
        bot was down close now. Returns how many closed now."""
        now = self.clock()
        async with self.db.reading():
            polls = await self.store.list_closing()
        closed = 0
        for poll in polls:
            assert poll.closes_at is not None
            if poll.closes_at <= now:
                closed += await self.close_due(poll.id)
            else:
                self._plan_close(poll)
        return closed

    def _plan_close(self, poll: Poll) -> None:
        job_id = close_job_id(poll.id)
        if poll.closes_at is None or poll.closed_at is not None:
            self.jobs.cancel(job_id)
        else:
            self.jobs.at(job_id, poll.closes_at, self.close_due, poll.id)

    # --- announcing ----------------------------------------------------------------------

    async def announce(self, guild_id: int, actor: Actor, poll_id: int) -> Announced:
        """Announce the winner as an event, as /events create would: the poll's title, or
        the series' next meeting with its rota host, at the winning time; once."""
        settings = await self.guilds.require_organiser(guild_id, actor)
        now = self.clock()
        async with self.db.reading():
            poll = await self._own(guild_id, poll_id)
        if poll.closed_at is None and poll.is_closed(now):  # its job is late: close it now
            await self.close_due(poll_id)
            async with self.db.reading():
                poll = await self._own(guild_id, poll_id)
        if poll.announced_event_id is not None:
            return await self._announced(poll)
        option = check_announceable(poll, now)
        channel_id = None if settings.announcements_channel_id else poll.channel_id

        async def claim(event: Event) -> None:
            if not await self.store.claim_announcement(poll.id, event.id, now):
                raise _AlreadyAnnounced

        try:
            event = await self.events.create_at(
                guild_id,
                actor,
                title=None if poll.series_id else poll.title,
                series=str(poll.series_id) if poll.series_id else None,
                channel_id=channel_id,
                starts_at=option.starts_at,
                claim=claim,
            )
        except (_AlreadyAnnounced, UserError) as error:
            # A press at the same moment as another: its series number, or the poll, was
            # taken by the other press, whose announcement stands.
            async with self.db.reading():
                poll = await self._own(guild_id, poll_id)
            if poll.announced_event_id is None:
                raise error from None
            return await self._announced(poll)
        log.info("poll %d announced as event %d by %d", poll.id, event.id, actor.user_id)
        return Announced(replace(poll, announced_event_id=event.id), event, False)

    async def announced_event(self, poll: Poll) -> Event | None:
        """The event the poll's winner was announced as, if any (and still there)."""
        if poll.announced_event_id is None:
            return None
        async with self.db.reading():
            return await self.event_store.get(poll.announced_event_id)

    async def _announced(self, poll: Poll) -> Announced:
        assert poll.announced_event_id is not None
        async with self.db.reading():
            event = await self.event_store.get(poll.announced_event_id)
        return Announced(poll, event, already=True)

    # --- the post ------------------------------------------------------------------------

    def _touch(self, poll: Poll) -> None:
        self.posts.touch(POST_KIND, poll.id, poll.channel_id, poll.message_id)

    async def recent_posts(self) -> list[Poll]:
        """Polls whose post may still be read: open ones, and those closed in the last week."""
        async with self.db.reading():
            return await self.store.list_posted_since(self.clock() - RECENTLY_CLOSED)

    async def refresh_post(self, poll_id: int) -> None:
        """Re-render one poll's post from the database (the post updater calls this)."""
        async with self.db.reading():
            poll = await self.store.get(poll_id)
            counts = await self.answers.counts(poll_id)
        if poll is None or poll.message_id is None:
            return
        settings = await self.guilds.settings(poll.guild_id)
        await self.poster.refresh(poll, counts, settings.tz, self.clock())


def result_notices(poll: Poll, members: list[int]) -> list[Notice]:
    """The result, for everyone who pressed an option."""
    best = poll.winner
    if best is None:
        return []
    return [
        Notice(
            user_id,
            "poll_result",
            {"title": poll.title, "at": best.starts_at},
            nonce=f"poll{poll.id}-result",
            guild_id=poll.guild_id,
        )
        for user_id in members
    ]


def organiser_notice(poll: Poll) -> Notice:
    """The organiser's word that their poll closed by its time, and how to announce it."""
    best = poll.winner
    if best is None:
        return Notice(
            poll.created_by,
            "poll_closed_no_winner",
            {"title": poll.title},
            guild_id=poll.guild_id,
        )
    return Notice(
        poll.created_by,
        "poll_closed_organiser",
        {"title": poll.title, "at": best.starts_at},
        nonce=f"poll{poll.id}-closed",
        guild_id=poll.guild_id,
    )
