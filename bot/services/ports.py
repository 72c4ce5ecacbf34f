"""Every port a service depends on, once, with the values that cross them.

Services reach Discord, the clock-driven machinery and each other's side effects only
through these Protocols; the running bot plugs in bot/adapters/ and bot/runtime/, tests plug
in the fakes of tests/support/fakes.py. Nothing here imports Discord or APScheduler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Protocol

from bot.domain.events import Event
from bot.domain.guilds import Actor, GuildSettings
from bot.domain.letters import Letter, Tally
from bot.domain.notices import Notice
from bot.domain.polls import Poll, PollCounts
from bot.domain.rsvps import Outcome, RsvpCounts

JobFunc = Callable[..., Awaitable[Any]]


class Guilds(Protocol):
    """A server's settings and who may organise there (the GuildService, in the bot)."""

    async def settings(self, guild_id: int) -> GuildSettings: ...

    async def require_organiser(self, guild_id: int, actor: Actor) -> GuildSettings:
        """The settings, or UserError("not_organiser") when the actor may not organise."""


class Digests(Protocol):
    """Plans a server's weekly digest (the ReminderService, in the bot)."""

    def schedule_digest(self, settings: GuildSettings) -> None:
        """(Re)plan the digest job from the settings; none when off or with no channel."""


class Jobs(Protocol):
    """Everything timed. Jobs live in memory only and are rebuilt from rows at every start,
    so a job is always (id, when, coroutine function, args)."""

    def at(self, job_id: str, when: datetime, func: JobFunc, *args: Any) -> None:
        """Run `func(*args)` once at `when` (aware); replaces a job with the same id."""

    def weekly(self, job_id: str, day: str, at: time, tz: str, func: JobFunc, *args: Any) -> None:
        """Run `func(*args)` every week on `day` at the wall time `at` in zone `tz`."""

    def daily(self, job_id: str, at: time, tz: str, func: JobFunc, *args: Any) -> None:
        """Run `func(*args)` every day at the wall time `at` in zone `tz`."""

    def cancel(self, job_id: str) -> bool:
        """Remove the job if it exists; True when one was removed."""

    def pending(self) -> list[str]:
        """The ids of the jobs waiting to run."""


class PostTouch(Protocol):
    """The paced post updater, as services see it."""

    def touch(self, kind: str, item_id: int, channel_id: int, message_id: int | None) -> None:
        """Ask for a post to be re-rendered from the database soon (coalesced, paced per
        channel); the updater then calls the refresher registered for `kind` with
        `item_id`."""


class Notifier(Protocol):
    async def send(self, notice: Notice) -> bool:
        """DM the member; False when their DMs are closed (never retried, never raised)."""


class Announcer(Protocol):
    """Where announcement posts live (Discord, in the running bot)."""

    async def publish(
        self, event: Event, counts: RsvpCounts, settings: GuildSettings, *, ping: bool
    ) -> int:
        """Post the announcement in `event.channel_id`, pinging the server's role if `ping`.

        Returns the message id as soon as the message exists (the RSVP reactions come after,
        with `offer_rsvps`); raises UserError when the channel can't be posted in.
        """

    async def offer_rsvps(self, event: Event) -> None:
        """Add the three RSVP reactions under the event's post (best effort: a post without
        them still takes members' reactions)."""

    async def refresh(self, event: Event, counts: RsvpCounts) -> bool:
        """Re-render the post from `event`; False when the post no longer exists."""

    async def withdraw(self, channel_id: int, message_id: int) -> None:
        """Delete a post (best effort)."""


class ReminderPoster(Protocol):
    async def post_reminder(
        self, event: Event, counts: RsvpCounts, unreachable: Sequence[int], nonce: str
    ) -> None:
        """The channel post of an automatic reminder, naming members whose DMs failed."""

    async def post_digest(
        self, channel_id: int, items: Sequence[tuple[Event, RsvpCounts]], nonce: str
    ) -> None:
        """The weekly "Coming up in the network" post."""


@dataclass(frozen=True)
class Mirrored:
    """What the Events-tab mirror did: the native event's id, or why there is none."""

    native_event_id: int | None
    problem: str | None = None


class NativeMirror(Protocol):
    """Discord's own Events tab, kept in step with the bot's events where permitted."""

    async def sync(self, event: Event) -> Mirrored:
        """Create or update the native event (re-created if it was deleted by hand)."""

    async def cancel(self, event: Event) -> Mirrored:
        """Mark the native event cancelled."""


class LetterPoster(Protocol):
    """Where letters are posted (Discord, in the running bot)."""

    async def publish(self, letter: Letter, tally: Tally, now: datetime) -> int:
        """Post the letter with its Sign button in `letter.channel_id`; returns the message
        id; raises UserError when the channel can't be posted in."""

    async def refresh(self, letter: Letter, tally: Tally, now: datetime) -> bool:
        """Re-render the post; False when it no longer exists."""

    async def celebrate(self, letter: Letter, count: int) -> None:
        """Say in the letter's channel that it reached `count` signatures."""

    async def withdraw(self, channel_id: int, message_id: int) -> None:
        """Delete a post (best effort)."""


@dataclass(frozen=True)
class Reaction:
    """A raw RSVP reaction added or taken off, as the reaction worker hands it on."""

    added: bool
    message_id: int
    user_id: int
    emoji: str


@dataclass(frozen=True)
class Applied:
    event: Event
    outcomes: list[Outcome]
    reaction: Reaction | None = None  # the reaction they follow from (the very object given)


class Effects(Protocol):
    def follow(self, applied: Sequence[Applied]) -> None:
        """Act on what reactions applied outside the reaction worker's own batches call for
        (old reactions to take off, DMs), as for its own."""


class PollPoster(Protocol):
    """Where date polls are posted (Discord, in the running bot). `tz` is the server's zone,
    in which the option buttons' labels are written."""

    async def publish(self, poll: Poll, counts: PollCounts, tz: str, now: datetime) -> int:
        """Post the poll with a button for each option in `poll.channel_id`; returns the
        message id; raises UserError when the channel can't be posted in."""

    async def refresh(self, poll: Poll, counts: PollCounts, tz: str, now: datetime) -> bool:
        """Re-render the post; False when it no longer exists."""

    async def withdraw(self, channel_id: int, message_id: int) -> None:
        """Delete a post (best effort)."""


class AttendancePlans(Protocol):
    """The timed edits of a post taking attendance (the AttendanceService, in the bot)."""

    def plan(self, event: Event) -> None:
        """(Re)plan the edits that show and take away the post's "I was there" button and
        show its count when the event is over; none for a cancelled event."""


class Announcements(Protocol):
    """Events made from elsewhere exactly as /events create makes them (the EventService)."""

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
        """Announce an event at `starts_at` (the series' next meeting and its rota host when
        `series` names one); `claim(event)` runs inside the transaction that saves it, and
        what it raises saves and posts nothing."""
