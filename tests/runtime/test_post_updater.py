"""PostUpdater (bot/runtime/post_updater.py): touches of the bot's posts coalesce into few refreshes,
paced per channel (`gap_s`, or `old_gap_s` for posts over an hour old), and the last refresh
always follows the last touch.

The updater runs on `VirtualTime` (tests/support/fakes.py): a monotonic clock that moves only
while every task waits, so the bot's real gaps (1 s, 7 s for posts over an hour old) cost no
real time and a loaded machine cannot make a test flake. A fake refresh records the virtual
time of each call; spacing, order and counts are asserted on that clock. The bot's wall clock
is frozen (it only decides how old a post is, from the snowflake in its id).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import discord
import pytest

from bot.runtime.post_updater import Pacing, PostUpdater
from tests.fakediscord.clock import real_now
from tests.support.fakes import FakeClock, VirtualTime

NOW = real_now()
GAP = Pacing().edit_gap_s  # the bot's own gaps: virtual seconds cost nothing
OLD_GAP = Pacing().old_edit_gap_s
CHANNEL_A = 1_000
CHANNEL_B = 2_000
FRESH_POST = discord.utils.time_snowflake(NOW - timedelta(minutes=5))
OTHER_FRESH_POST = discord.utils.time_snowflake(NOW - timedelta(minutes=6))
OLD_POST = discord.utils.time_snowflake(NOW - timedelta(hours=2))


@dataclass
class Recorder:
    """A fake refresh: records (virtual time, item id, the item's version when it was rendered);
    each refresh takes `delay` virtual seconds."""

    time: VirtualTime
    delay: float = 0.0
    calls: list[tuple[float, int, int]] = field(default_factory=list)
    versions: dict[int, int] = field(default_factory=dict)  # what "the database" holds now
    during: Callable[[int], None] | None = None  # called inside the refresh (a touch mid-edit)
    fail_on: set[int] = field(default_factory=set)  # call numbers (1-based) that raise

    async def __call__(self, item_id: int) -> None:
        number = len(self.calls) + 1
        self.calls.append((self.time(), item_id, self.versions.get(item_id, 0)))
        if self.during is not None:
            self.during(item_id)
        if self.delay:
            await self.time.sleep(self.delay)
        if number in self.fail_on:
            raise RuntimeError(f"refresh {number} failed")

    def times(self, item_id: int | None = None) -> list[float]:
        return [t for t, i, _ in self.calls if item_id is None or i == item_id]


def spacings(times: list[float]) -> list[float]:
    return [round(b - a, 6) for a, b in itertools.pairwise(times)]


@pytest.fixture
def time() -> VirtualTime:
    return VirtualTime()


def paced(time: VirtualTime, **options: Any) -> PostUpdater:
    return PostUpdater(
        FakeClock(NOW), gap_s=GAP, old_gap_s=OLD_GAP, now=time, sleep=time.sleep, **options
    )


@pytest.fixture
def updater(time: VirtualTime) -> PostUpdater:
    return paced(time)


def make(updater: PostUpdater, time: VirtualTime, **options: Any) -> Recorder:
    recorder = Recorder(time, **options)
    updater.register("event", recorder)
    return recorder


async def touch_over(
    updater: PostUpdater,
    time: VirtualTime,
    seconds: float,
    every: float,
    channel_id: int = CHANNEL_A,
    message_id: int = FRESH_POST,
    item_id: int = 1,
    bump: Callable[[], Awaitable[None] | None] | None = None,
) -> int:
    """Touch one post every `every` seconds for `seconds` (a stream of changes); returns how
    many touches were made."""
    end, touches = time() + seconds, 0
    while time() < end:
        if bump is not None:
            bump()
        updater.touch("event", item_id, channel_id, message_id)
        touches += 1
        await time.sleep(every)
    return touches


async def test_touches_in_one_go_become_one_refresh(
    updater: PostUpdater, time: VirtualTime
) -> None:
    recorder = make(updater, time)
    for _ in range(100):
        updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert [i for _, i, _ in recorder.calls] == [1]
    assert updater.edits == 1


async def test_touches_while_a_refresh_is_under_way_coalesce(
    updater: PostUpdater, time: VirtualTime
) -> None:
    recorder = make(updater, time, delay=1.0)
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await time.sleep(0.3)  # inside the first refresh
    assert len(recorder.calls) == 1
    for _ in range(50):
        updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    # 51 touches: the first refresh, then one more for everything touched during it
    assert len(recorder.calls) == 2
    assert spacings(recorder.times()) == [1.0 + GAP]  # the refresh's own time, then the gap


async def test_the_last_refresh_renders_the_last_change(
    updater: PostUpdater, time: VirtualTime
) -> None:
    recorder = make(updater, time, delay=0.3)

    def change() -> None:
        recorder.versions[1] = recorder.versions.get(1, 0) + 1

    touches = await touch_over(updater, time, 5.0, 0.1, bump=change)
    await updater.drain(2)
    _, _, last_version = recorder.calls[-1]
    assert last_version == recorder.versions[1] == touches  # the final edit shows the final state
    # coalesced: one refresh per refresh-and-gap (1.3 s) over 5 s, not one per touch (50)
    assert len(recorder.calls) == 5


async def test_a_touch_during_a_refresh_causes_another_refresh(
    updater: PostUpdater, time: VirtualTime
) -> None:
    recorder = make(updater, time, delay=0.5)
    touched_inside = False

    def touch_once_inside(item_id: int) -> None:
        nonlocal touched_inside
        if not touched_inside:
            touched_inside = True
            recorder.versions[item_id] = 2  # the state changed after this refresh read it
            updater.touch("event", item_id, CHANNEL_A, FRESH_POST)

    recorder.during = touch_once_inside
    recorder.versions[1] = 1
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert [v for _, _, v in recorder.calls] == [1, 2]
    assert spacings(recorder.times()) == [0.5 + GAP]  # the refresh's own time, then the gap


async def test_edits_touched_during_refreshes_are_spaced_by_the_gap(
    updater: PostUpdater, time: VirtualTime
) -> None:
    recorder = make(updater, time, delay=0.2)
    await touch_over(updater, time, 6.0, 0.05)  # a touch lands during every refresh
    await updater.drain(2)
    # one refresh every 1.2 s (its 0.2 s, then the gap) while the touches last
    assert spacings(recorder.times()) == [0.2 + GAP] * 5  # at 0, 1.2, ... 6 s


async def test_touches_after_an_edit_finished_still_wait_the_gap(
    updater: PostUpdater, time: VirtualTime
) -> None:
    """A quiet spell between bursts: the channel's worker has run out of work, but the next
    touch, within the gap, must still wait for it."""
    recorder = make(updater, time)  # a quick edit: it is over before the next touch comes
    await touch_over(updater, time, 6.0, 0.3)  # 20 touches, 0.3 s apart
    await updater.drain(2)
    times = recorder.times()
    assert len(times) == 7  # at 0, 1, ... 6 s: one a gap, not one a touch
    assert min(spacings(times)) >= GAP


async def test_posts_over_an_hour_old_are_spaced_by_the_old_gap(
    updater: PostUpdater, time: VirtualTime
) -> None:
    recorder = make(updater, time, delay=0.2)  # longer than the touches' interval: see above
    await asyncio.gather(
        touch_over(updater, time, 21.0, 0.1, CHANNEL_A, OLD_POST, item_id=1),
        touch_over(updater, time, 21.0, 0.1, CHANNEL_B, FRESH_POST, item_id=2),
    )
    await updater.drain(2)
    old, fresh = recorder.times(1), recorder.times(2)
    assert spacings(old) == [0.2 + OLD_GAP] * 3  # at 0, 7.2, 14.4 and 21.6 s
    # the fresh post in another channel keeps the short gap
    assert spacings(fresh) == [0.2 + GAP] * (len(fresh) - 1) and len(fresh) == 19  # 0 ... 21.6 s


async def test_the_gap_after_an_edit_follows_that_post_s_age(
    updater: PostUpdater, time: VirtualTime
) -> None:
    recorder = make(updater, time)
    updater.touch("event", 1, CHANNEL_A, OLD_POST)
    updater.touch("event", 2, CHANNEL_A, FRESH_POST)
    updater.touch("event", 3, CHANNEL_A, OTHER_FRESH_POST)
    await updater.drain(2)
    assert [i for _, i, _ in recorder.calls] == [1, 2, 3]  # each post once, in touch order
    assert spacings(recorder.times()) == [OLD_GAP, GAP]


async def test_channels_are_paced_independently(updater: PostUpdater, time: VirtualTime) -> None:
    recorder = make(updater, time, delay=0.3)
    for channel, item in ((CHANNEL_A, 1), (CHANNEL_B, 2)):
        updater.touch("event", item, channel, FRESH_POST)
        updater.touch("event", item + 10, channel, OTHER_FRESH_POST)
    await updater.drain(2)
    a1, a2 = recorder.times(1)[0], recorder.times(11)[0]
    b1, b2 = recorder.times(2)[0], recorder.times(12)[0]
    assert b1 == a1  # channel B did not wait for channel A's gap
    assert spacings([a1, a2]) == spacings([b1, b2]) == [0.3 + GAP]  # each keeps its own


async def test_posts_of_several_kinds_share_their_channel_s_pacing(
    updater: PostUpdater, time: VirtualTime
) -> None:
    events = make(updater, time)
    letters = Recorder(time)
    updater.register("letter", letters)
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    updater.touch("letter", 1, CHANNEL_A, OTHER_FRESH_POST)
    await updater.drain(2)
    assert len(events.calls) == 1 and len(letters.calls) == 1
    assert spacings([events.calls[0][0], letters.calls[0][0]]) == [GAP]


async def test_a_failing_refresh_is_logged_and_later_ones_still_run(
    updater: PostUpdater, time: VirtualTime, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = make(updater, time, fail_on={1})
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    updater.touch("event", 2, CHANNEL_A, OTHER_FRESH_POST)
    with caplog.at_level(logging.WARNING, logger="bot.runtime.post_updater"):
        await updater.drain(2)
    # the failed post is tried again after the gap, behind the post already waiting
    assert [i for _, i, _ in recorder.calls] == [1, 2, 1]
    assert spacings(recorder.times()) == [GAP, GAP]
    assert updater.edits == 2 and updater.given_up == 0  # the failed refresh is not counted
    [record] = [r for r in caplog.records if r.name == "bot.runtime.post_updater"]
    assert record.levelno == logging.WARNING and record.exc_info is not None
    assert "event 1" in record.getMessage() and "try 1 of 3" in record.getMessage()


async def test_a_failed_refresh_is_retried_after_the_gap_and_shows_the_latest_state(
    updater: PostUpdater, time: VirtualTime
) -> None:
    recorder = make(updater, time, fail_on={1})
    recorder.versions[1] = 1
    updater.touch("event", 1, CHANNEL_A, OLD_POST)

    def change() -> None:
        recorder.versions[1] = 2  # a change lands while the first refresh is failing

    recorder.during = lambda item_id: change() if len(recorder.calls) == 1 else None
    await updater.drain(2)
    assert [(i, v) for _, i, v in recorder.calls] == [(1, 1), (1, 2)]  # no extra refresh
    assert spacings(recorder.times(1)) == [OLD_GAP]
    assert updater.edits == 1


async def test_retries_stop_at_the_cap_and_are_logged(
    updater: PostUpdater, time: VirtualTime, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = make(updater, time, fail_on=set(range(1, 100)))
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    with caplog.at_level(logging.WARNING, logger="bot.runtime.post_updater"):
        await updater.drain(2)
    assert len(recorder.calls) == updater.max_tries == 3
    assert spacings(recorder.times()) == [GAP, GAP]
    assert updater.edits == 0 and updater.given_up == 1
    messages = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert [level for level, _ in messages] == [logging.WARNING, logging.WARNING, logging.ERROR]
    assert "after 3 tries" in messages[-1][1] and "event 1" in messages[-1][1]
    # the post's next change earns it fresh tries
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert len(recorder.calls) == 6 and updater.given_up == 2


async def test_a_success_resets_the_count_of_failed_tries(
    updater: PostUpdater, time: VirtualTime
) -> None:
    recorder = make(updater, time, fail_on={1, 2, 4, 5})
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert len(recorder.calls) == 3 and updater.edits == 1  # failed, failed, done
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert len(recorder.calls) == 6 and updater.edits == 2 and updater.given_up == 0


async def test_a_custom_cap_of_one_try_never_retries(time: VirtualTime) -> None:
    updater = paced(time, max_tries=1)
    recorder = make(updater, time, fail_on={1})
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert len(recorder.calls) == 1 and updater.given_up == 1


async def test_a_touch_without_a_post_is_ignored(updater: PostUpdater, time: VirtualTime) -> None:
    recorder = make(updater, time)
    updater.touch("event", 1, CHANNEL_A, None)
    await updater.drain(1)
    assert recorder.calls == []


async def test_drain_waits_for_every_channel(updater: PostUpdater, time: VirtualTime) -> None:
    recorder = make(updater, time, delay=0.5)
    finished: list[int] = []
    original = recorder.__call__

    async def refresh(item_id: int) -> None:
        await original(item_id)
        finished.append(item_id)

    updater.register("event", refresh)
    for item, channel in ((1, CHANNEL_A), (2, CHANNEL_A), (3, CHANNEL_B), (4, 3_000)):
        updater.touch("event", item, channel, FRESH_POST)
    await updater.drain(2)
    assert sorted(finished) == [1, 2, 3, 4]


async def test_drain_gives_up_after_its_timeout(updater: PostUpdater) -> None:
    never = asyncio.Event()

    async def stuck(item_id: int) -> None:
        await never.wait()

    updater.register("event", stuck)
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    with pytest.raises(TimeoutError):
        await updater.drain(0.05)
    assert await updater.close(0.01) is False
    await asyncio.sleep(0)  # let the cancelled worker finish


async def test_close_finishes_quick_pending_work(updater: PostUpdater, time: VirtualTime) -> None:
    recorder = make(updater, time, delay=0.5)
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    updater.touch("event", 2, CHANNEL_B, FRESH_POST)
    assert await updater.close(1) is True  # every post left in step
    assert sorted(i for _, i, _ in recorder.calls) == [1, 2]


async def test_close_says_posts_are_out_of_step_when_one_was_given_up(
    updater: PostUpdater, time: VirtualTime
) -> None:
    make(updater, time, fail_on=set(range(1, 100)))
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert updater.given_up == 1
    assert await updater.close(1) is False


async def test_close_stops_work_that_would_take_too_long(
    updater: PostUpdater, caplog: pytest.LogCaptureFixture
) -> None:
    started = asyncio.Event()
    cancelled = asyncio.Event()
    never = asyncio.Event()

    async def stuck(item_id: int) -> None:
        started.set()
        try:
            await never.wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    updater.register("event", stuck)
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await started.wait()
    with caplog.at_level(logging.WARNING, logger="bot.runtime.post_updater"):
        # an edit was left pending; close keeps to its own bound (a hang fails wait_for)
        assert await asyncio.wait_for(updater.close(0.05), 10) is False
    await asyncio.wait_for(cancelled.wait(), 1)
    assert any("pending" in r.getMessage() for r in caplog.records)
