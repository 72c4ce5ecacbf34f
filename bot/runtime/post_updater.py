"""Edits of the bot's own posts, coalesced and paced per channel.

Discord limits edits per channel, and much more tightly for posts older than an hour
(about 3 per 20 s, answered with 429 code 30046). A burst of changes (forty reactions in a
minute) must become a few edits, none refused, and the last edit must show the exact
current state. So a change only *touches* a post; one worker per channel takes the touched
posts one at a time, renders each from the database at that moment, and waits a gap before
the next edit in that channel. A post touched again while it is being edited is edited again
after the gap, so the final edit always follows the final change. A refresh that fails (a
5xx Discord kept answering, a locked database) is tried again after the gap, up to
`max_tries` times in all, then logged and left until the post's next change.

The gaps are measured on an injected monotonic clock and waited with an injected sleep (the
event loop's by default), so tests can drive the pacing on a clock of their own; `Pacing`
holds the bot's one choice of gaps and clock for every paced worker.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

import discord

from bot.clock import Clock, Monotonic, Sleep, loop_time

log = logging.getLogger(__name__)

Refresh = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class Pacing:
    """How far apart the bot edits its own posts in one channel, and posts celebrations, on
    which monotonic clock. Discord allows about 5 edits per 5 s per channel, but only about 3
    per 20 s of posts over an hour old (30046), and 5 new messages per 5 s per channel."""

    edit_gap_s: float = 1.0
    old_edit_gap_s: float = 7.0
    celebration_gap_s: float = 1.0
    now: Monotonic = loop_time
    sleep: Sleep = asyncio.sleep


@dataclass
class _Channel:
    pending: dict[tuple[str, int], int | None] = field(default_factory=dict)
    failures: dict[tuple[str, int], int] = field(default_factory=dict)  # failed tries in a row
    task: asyncio.Task[None] | None = None


class PostUpdater:
    def __init__(
        self,
        clock: Clock,
        *,
        gap_s: float = 1.0,
        old_gap_s: float = 7.0,
        old_after: timedelta = timedelta(hours=1),
        max_tries: int = 3,
        now: Monotonic = loop_time,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.clock = clock
        self._now = now
        self._sleep = sleep
        self.gap_s = gap_s
        self.old_gap_s = old_gap_s
        self.old_after = old_after
        self.max_tries = max_tries
        self._refreshers: dict[str, Refresh] = {}
        self._channels: dict[int, _Channel] = {}
        # When each channel may next be edited; kept after its worker finishes, so a change
        # arriving just after a quiet spell still waits out the gap.
        self._next_at: dict[int, float] = {}
        self._idle = asyncio.Event()
        self._idle.set()
        self.edits = 0  # how many refreshes ran (for tests and logs)
        self.given_up = 0  # posts left stale after max_tries failed refreshes in a row

    def register(self, kind: str, refresh: Refresh) -> None:
        """`refresh(item_id)` re-renders one post of this kind from the database."""
        self._refreshers[kind] = refresh

    def touch(self, kind: str, item_id: int, channel_id: int, message_id: int | None) -> None:
        if message_id is None:
            return
        channel = self._channels.setdefault(channel_id, _Channel())
        channel.pending[(kind, item_id)] = message_id
        self._idle.clear()
        if channel.task is None or channel.task.done():
            channel.task = asyncio.create_task(self._work(channel_id, channel))

    def _gap(self, message_id: int | None) -> float:
        if message_id is None:
            return self.gap_s
        age = self.clock() - discord.utils.snowflake_time(message_id)
        return self.old_gap_s if age >= self.old_after else self.gap_s

    async def _work(self, channel_id: int, channel: _Channel) -> None:
        try:
            while channel.pending:
                wait = self._next_at.get(channel_id, -math.inf) - self._now()
                if wait > 0:
                    await self._sleep(wait)
                key, message_id = next(iter(channel.pending.items()))
                del channel.pending[key]
                try:
                    await self._refreshers[key[0]](key[1])
                    self.edits += 1
                    channel.failures.pop(key, None)
                except Exception:
                    self._failed(channel_id, channel, key, message_id)
                self._next_at[channel_id] = self._now() + self._gap(message_id)
        finally:
            if not channel.pending and self._channels.get(channel_id) is channel:
                del self._channels[channel_id]
            now = self._now()
            for quiet in [c for c, at in self._next_at.items() if at <= now]:
                del self._next_at[quiet]  # long past: forget it, the map stays small
            if not self._channels:
                self._idle.set()

    def _failed(
        self, channel_id: int, channel: _Channel, key: tuple[str, int], message_id: int | None
    ) -> None:
        """Try a failed refresh again after the gap (behind posts already waiting), up to
        `max_tries` in a row; then leave the post until its next change."""
        (kind, item_id), tries = key, channel.failures.get(key, 0) + 1
        if tries < self.max_tries:
            channel.failures[key] = tries
            channel.pending.setdefault(key, message_id)
            log.warning(
                "could not update %s %d's post in %d (try %d of %d); trying again",
                kind, item_id, channel_id, tries, self.max_tries, exc_info=True,
            )  # fmt: skip
            return
        channel.failures.pop(key, None)
        self.given_up += 1
        log.error(
            "could not update %s %d's post in %d after %d tries; it stays as it is until it "
            "changes again",
            kind, item_id, channel_id, tries, exc_info=True,
        )  # fmt: skip

    async def drain(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109 - a bound on shutdown
        """Wait until every touched post has been edited."""
        await asyncio.wait_for(self._idle.wait(), timeout)

    async def close(self, timeout: float = 5.0) -> bool:  # noqa: ASYNC109
        """Finish what is pending if it can be done quickly, then stop. True when every post
        was left showing what the database holds (nothing pending, nothing given up)."""
        in_step = True
        try:
            await self.drain(timeout)
        except TimeoutError:
            log.warning("stopping with %d channel(s) of post updates pending", len(self._channels))
            in_step = False
        for channel in list(self._channels.values()):
            if channel.task is not None:
                channel.task.cancel()
        return in_step and self.given_up == 0
