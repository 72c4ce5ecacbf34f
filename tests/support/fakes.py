"""Small plain fakes for unit tests: a clock that stands still (the stand-in's `FakeClock`), a
monotonic clock for pacing (`VirtualTime`), a Jobs port that can be stepped, and an announcer
that records posts. mypy holds each fake to the port it stands for (the checks at the end of
this file), so a fake that drifts from its port fails the type check."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from bot.clock import Clock, Monotonic, Sleep
from bot.domain.errors import UserError
from bot.domain.events import Event
from bot.domain.guilds import GuildSettings
from bot.domain.notices import Notice
from bot.domain.rsvps import RsvpCounts
from bot.services.ports import (
    Announcer,
    JobFunc,
    Jobs,
    Mirrored,
    NativeMirror,
    Notifier,
    PostTouch,
    ReminderPoster,
)
from tests.fakediscord.clock import FakeClock

__all__ = ["FakeClock"]  # re-exported: the one test clock, for unit and e2e tests alike


@dataclass
class FakeJob:
    when: datetime | None
    func: JobFunc
    args: tuple[Any, ...]
    weekly: tuple[str, time, str] | None = None
    daily: tuple[time, str] | None = None


class FakeJobs:
    """The Jobs port in memory; `run_due(now)` runs the one-off jobs due by `now`."""

    def __init__(self) -> None:
        self.jobs: dict[str, FakeJob] = {}

    def at(self, job_id: str, when: datetime, func: JobFunc, *args: Any) -> None:
        if when.tzinfo is None:
            raise ValueError("job times must be aware datetimes")
        self.jobs[job_id] = FakeJob(when, func, args)

    def weekly(self, job_id: str, day: str, at: time, tz: str, func: JobFunc, *args: Any) -> None:
        self.jobs[job_id] = FakeJob(None, func, args, (day, at, tz))

    def daily(self, job_id: str, at: time, tz: str, func: JobFunc, *args: Any) -> None:
        self.jobs[job_id] = FakeJob(None, func, args, daily=(at, tz))

    def cancel(self, job_id: str) -> bool:
        return self.jobs.pop(job_id, None) is not None

    def pending(self) -> list[str]:
        return list(self.jobs)

    def one_offs(self) -> list[str]:
        """The waiting jobs that run once (reminders, closings), not the weekly or daily."""
        return [job_id for job_id, job in self.jobs.items() if job.when is not None]

    def run_times(self) -> list[datetime]:
        """When the waiting one-off jobs run, in order."""
        return sorted(job.when for job in self.jobs.values() if job.when is not None)

    async def run_due(self, now: datetime) -> list[str]:
        due = sorted(
            (job.when, job_id)
            for job_id, job in self.jobs.items()
            if job.when is not None and job.when <= now
        )
        for _, job_id in due:
            job = self.jobs.pop(job_id)
            await job.func(*job.args)
        return [job_id for _, job_id in due]


@dataclass
class Post:
    channel_id: int
    event: Event
    ping_role_id: int | None
    counts: RsvpCounts = field(default_factory=RsvpCounts)


@dataclass
class FakePostTouch:
    """Records which posts were touched for a paced update."""

    touched: list[tuple[str, int]] = field(default_factory=list)

    def touch(self, kind: str, item_id: int, channel_id: int, message_id: int | None) -> None:
        self.touched.append((kind, item_id))


@dataclass
class FakeAnnouncer:
    """Records announcement posts; `deleted` and `forbidden` simulate Discord's answers."""

    posts: dict[int, Post] = field(default_factory=dict)
    forbidden_channels: set[int] = field(default_factory=set)
    withdrawn: list[int] = field(default_factory=list)
    offered: list[int] = field(default_factory=list)  # posts the RSVP reactions went under
    reminders: list[tuple[int, RsvpCounts, list[int], str]] = field(default_factory=list)
    digests: list[tuple[int, list[tuple[str, RsvpCounts]]]] = field(default_factory=list)
    next_id: int = 1000

    async def publish(
        self, event: Event, counts: RsvpCounts, settings: GuildSettings, *, ping: bool
    ) -> int:
        if event.channel_id in self.forbidden_channels:
            raise UserError("cannot_post", channel=f"<#{event.channel_id}>")
        self.next_id += 1
        self.posts[self.next_id] = Post(
            event.channel_id, event, settings.ping_role_id if ping else None, counts
        )
        return self.next_id

    async def offer_rsvps(self, event: Event) -> None:
        assert event.message_id in self.posts
        self.offered.append(event.message_id)

    async def refresh(self, event: Event, counts: RsvpCounts) -> bool:
        if event.message_id not in self.posts:
            return False
        self.posts[event.message_id].event = event
        self.posts[event.message_id].counts = counts
        return True

    async def withdraw(self, channel_id: int, message_id: int) -> None:
        self.posts.pop(message_id, None)
        self.withdrawn.append(message_id)

    async def post_reminder(
        self, event: Event, counts: RsvpCounts, unreachable: Sequence[int], nonce: str
    ) -> None:
        if nonce not in {r[3] for r in self.reminders}:  # Discord drops a repeated nonce
            self.reminders.append((event.id, counts, list(unreachable), nonce))

    async def post_digest(
        self, channel_id: int, items: Sequence[tuple[Event, RsvpCounts]], nonce: str
    ) -> None:
        self.digests.append((channel_id, [(e.title, c) for e, c in items]))


@dataclass
class FakeNotifier:
    """Records DMs; members in `closed` have their DMs closed. Repeated nonces are dropped."""

    sent: list[Notice] = field(default_factory=list)
    closed: set[int] = field(default_factory=set)
    fail_after: int | None = None  # raise after this many sends (a crash mid-delivery)

    async def send(self, notice: Notice) -> bool:
        if self.fail_after is not None and len(self.sent) >= self.fail_after:
            raise RuntimeError("process died")
        if notice.user_id in self.closed:
            return False
        if notice.nonce is None or notice.nonce not in {n.nonce for n in self.sent}:
            self.sent.append(notice)
        return True


@dataclass
class FakeMirror:
    """The Events tab: `allowed` False stands for a missing Manage Events permission."""

    allowed: bool = True
    natives: dict[int, tuple[str, bool]] = field(default_factory=dict)  # id -> (name, cancelled)
    next_id: int = 5000

    async def sync(self, event: Event) -> Mirrored:
        if not self.allowed:
            return Mirrored(event.native_event_id, "no Manage Events")
        native_id = event.native_event_id
        if native_id not in self.natives:
            self.next_id += 1
            native_id = self.next_id
        self.natives[native_id] = (event.title, False)
        return Mirrored(native_id)

    async def cancel(self, event: Event) -> Mirrored:
        if event.native_event_id in self.natives:
            self.natives[event.native_event_id] = (event.title, True)
        return Mirrored(event.native_event_id)


class VirtualTime:
    """A monotonic clock (`now`, seconds) and a `sleep` on it, for paced workers under test.

    Time passes only while every task is waiting: `sleep(d)` parks its caller until `now + d`,
    and once the event loop has nothing else to run the earliest sleeper is woken with `now`
    moved to its wake time. So gaps of minutes cost no real time, and spacing is exact.
    `slept` records every sleep asked for."""

    IDLE_TURNS = 20  # loop turns without a wake-up that count as "every task is waiting"

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.slept: list[float] = []
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._count = itertools.count()
        self._ticker: asyncio.Task[None] | None = None

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        wake = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._count), wake))
        if self._ticker is None or self._ticker.done():
            self._ticker = asyncio.create_task(self._tick())
        await wake

    async def _tick(self) -> None:
        while self._sleepers:
            for _ in range(self.IDLE_TURNS):
                await asyncio.sleep(0)
            at, _, wake = heapq.heappop(self._sleepers)
            if not wake.done():  # a cancelled sleeper is passed over
                self.now = max(self.now, at)
                wake.set_result(None)


if TYPE_CHECKING:  # a fake that drifts from its port fails mypy here, not in a lucky test
    _jobs: Jobs = FakeJobs()
    _post_touch: PostTouch = FakePostTouch()
    _announcer: Announcer = FakeAnnouncer()
    _reminder_poster: ReminderPoster = FakeAnnouncer()
    _notifier: Notifier = FakeNotifier()
    _mirror: NativeMirror = FakeMirror()
    _clock: Clock = FakeClock()
    _monotonic: Monotonic = VirtualTime()
    _sleep: Sleep = VirtualTime().sleep
