"""PostUpdater (bot/post_updater.py): touches of the bot's posts coalesce into few refreshes,
paced per channel (`gap_s`, or `old_gap_s` for posts over an hour old), and the last refresh
always follows the last touch.

A fake refresh function records the loop time of each call; the bot's clock is frozen (it only
decides how old a post is, from the snowflake in its id). Gaps are tiny so the file runs fast,
and timing assertions are lower bounds on spacing and bounds on counts, never exact times.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.post_updater import PostUpdater
from tests.support.fakes import FakeClock

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
GAP = 0.03
OLD_GAP = 0.09
SLACK = 0.005  # loop timer granularity; spacing is asserted as a lower bound minus this
CHANNEL_A = 1_000
CHANNEL_B = 2_000
FRESH_POST = discord.utils.time_snowflake(NOW - timedelta(minutes=5))
OTHER_FRESH_POST = discord.utils.time_snowflake(NOW - timedelta(minutes=6))
OLD_POST = discord.utils.time_snowflake(NOW - timedelta(hours=2))


@dataclass
class Recorder:
    """A fake refresh: records (loop time, item id, the item's version when it was rendered)."""

    delay: float = 0.0
    calls: list[tuple[float, int, int]] = field(default_factory=list)
    versions: dict[int, int] = field(default_factory=dict)  # what "the database" holds now
    during: Callable[[int], None] | None = None  # called inside the refresh (a touch mid-edit)
    fail_on: set[int] = field(default_factory=set)  # call numbers (1-based) that raise

    async def __call__(self, item_id: int) -> None:
        number = len(self.calls) + 1
        self.calls.append(
            (asyncio.get_running_loop().time(), item_id, self.versions.get(item_id, 0))
        )
        if self.during is not None:
            self.during(item_id)
        if self.delay:
            await asyncio.sleep(self.delay)
        if number in self.fail_on:
            raise RuntimeError(f"refresh {number} failed")

    def times(self, item_id: int | None = None) -> list[float]:
        return [t for t, i, _ in self.calls if item_id is None or i == item_id]


def spacings(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


@pytest.fixture
def updater() -> PostUpdater:
    return PostUpdater(FakeClock(NOW), gap_s=GAP, old_gap_s=OLD_GAP)


def make(updater: PostUpdater, **options: object) -> Recorder:
    recorder = Recorder(**options)  # type: ignore[arg-type]
    updater.register("event", recorder)
    return recorder


async def touch_over(
    updater: PostUpdater,
    seconds: float,
    every: float,
    channel_id: int = CHANNEL_A,
    message_id: int = FRESH_POST,
    item_id: int = 1,
    bump: Callable[[], Awaitable[None] | None] | None = None,
) -> None:
    """Touch one post every `every` seconds for `seconds` (a stream of changes)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while loop.time() < end:
        if bump is not None:
            bump()
        updater.touch("event", item_id, channel_id, message_id)
        await asyncio.sleep(every)


async def test_touches_in_one_go_become_one_refresh(updater: PostUpdater) -> None:
    recorder = make(updater)
    for _ in range(100):
        updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert [i for _, i, _ in recorder.calls] == [1]
    assert updater.edits == 1


async def test_touches_while_a_refresh_is_under_way_coalesce(updater: PostUpdater) -> None:
    recorder = make(updater, delay=0.03)
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await asyncio.sleep(0.01)  # inside the first refresh
    for _ in range(50):
        updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    # 51 touches: the first refresh, then one more for everything touched during it
    assert len(recorder.calls) == 2


async def test_the_last_refresh_renders_the_last_change(updater: PostUpdater) -> None:
    recorder = make(updater, delay=0.01)

    def change() -> None:
        recorder.versions[1] = recorder.versions.get(1, 0) + 1

    await touch_over(updater, 0.15, 0.003, bump=change)
    await updater.drain(2)
    _, _, last_version = recorder.calls[-1]
    assert last_version == recorder.versions[1]  # the final edit shows the final state
    assert len(recorder.calls) < 0.15 / GAP + 3  # coalesced, not one per touch


async def test_a_touch_during_a_refresh_causes_another_refresh(updater: PostUpdater) -> None:
    recorder = make(updater, delay=0.02)
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
    [spacing] = spacings(recorder.times())
    assert spacing >= 0.02 + GAP - SLACK  # the refresh's own time, then the gap


async def test_edits_touched_during_refreshes_are_spaced_by_the_gap(
    updater: PostUpdater,
) -> None:
    recorder = make(updater, delay=0.01)
    await touch_over(updater, 0.2, 0.002)  # a touch lands during every refresh
    await updater.drain(2)
    times = recorder.times()
    assert 3 <= len(times) <= 0.2 / GAP + 2
    assert min(spacings(times)) >= GAP - SLACK


async def test_touches_after_an_edit_finished_still_wait_the_gap(updater: PostUpdater) -> None:
    """A quiet spell between bursts: the channel's worker has run out of work, but the next
    touch, within the gap, must still wait for it."""
    recorder = make(updater)  # a quick edit: it is over before the next touch comes
    await touch_over(updater, 0.2, 0.01)
    await updater.drain(2)
    times = recorder.times()
    assert len(times) <= 0.2 / GAP + 2  # ~7 edits, not ~20
    assert min(spacings(times)) >= GAP - SLACK


async def test_posts_over_an_hour_old_are_spaced_by_the_old_gap(updater: PostUpdater) -> None:
    recorder = make(updater, delay=0.005)  # longer than the touches' interval: see above
    await asyncio.gather(
        touch_over(updater, 0.25, 0.001, CHANNEL_A, OLD_POST, item_id=1),
        touch_over(updater, 0.25, 0.001, CHANNEL_B, FRESH_POST, item_id=2),
    )
    await updater.drain(2)
    old, fresh = recorder.times(1), recorder.times(2)
    assert 2 <= len(old) <= 0.25 / OLD_GAP + 2
    assert min(spacings(old)) >= OLD_GAP - SLACK
    assert len(fresh) > len(old)  # the fresh post in another channel keeps the short gap
    assert min(spacings(fresh)) >= GAP - SLACK


async def test_the_gap_after_an_edit_follows_that_post_s_age(updater: PostUpdater) -> None:
    recorder = make(updater)
    updater.touch("event", 1, CHANNEL_A, OLD_POST)
    updater.touch("event", 2, CHANNEL_A, FRESH_POST)
    updater.touch("event", 3, CHANNEL_A, OTHER_FRESH_POST)
    await updater.drain(2)
    assert [i for _, i, _ in recorder.calls] == [1, 2, 3]  # each post once, in touch order
    after_old, after_fresh = spacings(recorder.times())
    assert after_old >= OLD_GAP - SLACK
    assert after_fresh >= GAP - SLACK


async def test_channels_are_paced_independently(updater: PostUpdater) -> None:
    recorder = make(updater, delay=0.01)
    for channel, item in ((CHANNEL_A, 1), (CHANNEL_B, 2)):
        updater.touch("event", item, channel, FRESH_POST)
        updater.touch("event", item + 10, channel, OTHER_FRESH_POST)
    await updater.drain(2)
    a1, a2 = recorder.times(1)[0], recorder.times(11)[0]
    b1, b2 = recorder.times(2)[0], recorder.times(12)[0]
    assert abs(b1 - a1) < GAP  # channel B did not wait for channel A's gap
    assert a2 - a1 >= GAP - SLACK and b2 - b1 >= GAP - SLACK  # but each channel keeps its own


async def test_posts_of_several_kinds_share_their_channel_s_pacing(updater: PostUpdater) -> None:
    events = make(updater)
    letters = Recorder()
    updater.register("letter", letters)
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    updater.touch("letter", 1, CHANNEL_A, OTHER_FRESH_POST)
    await updater.drain(2)
    assert len(events.calls) == 1 and len(letters.calls) == 1
    assert letters.calls[0][0] - events.calls[0][0] >= GAP - SLACK


async def test_a_failing_refresh_is_logged_and_later_ones_still_run(
    updater: PostUpdater, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = make(updater, fail_on={1})
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    updater.touch("event", 2, CHANNEL_A, OTHER_FRESH_POST)
    with caplog.at_level(logging.WARNING, logger="bot.post_updater"):
        await updater.drain(2)
    # the failed post is tried again after the gap, behind the post already waiting
    assert [i for _, i, _ in recorder.calls] == [1, 2, 1]
    assert min(spacings(recorder.times())) >= GAP - SLACK
    assert updater.edits == 2 and updater.given_up == 0  # the failed refresh is not counted
    [record] = [r for r in caplog.records if r.name == "bot.post_updater"]
    assert record.levelno == logging.WARNING and record.exc_info is not None
    assert "event 1" in record.getMessage() and "try 1 of 3" in record.getMessage()


async def test_a_failed_refresh_is_retried_after_the_gap_and_shows_the_latest_state(
    updater: PostUpdater,
) -> None:
    recorder = make(updater, fail_on={1})
    recorder.versions[1] = 1
    updater.touch("event", 1, CHANNEL_A, OLD_POST)

    def change() -> None:
        recorder.versions[1] = 2  # a change lands while the first refresh is failing

    recorder.during = lambda item_id: change() if len(recorder.calls) == 1 else None
    await updater.drain(2)
    assert [(i, v) for _, i, v in recorder.calls] == [(1, 1), (1, 2)]  # no extra refresh
    assert recorder.times(1)[1] - recorder.times(1)[0] >= OLD_GAP - SLACK
    assert updater.edits == 1


async def test_retries_stop_at_the_cap_and_are_logged(
    updater: PostUpdater, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = make(updater, fail_on=set(range(1, 100)))
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    with caplog.at_level(logging.WARNING, logger="bot.post_updater"):
        await updater.drain(2)
    assert len(recorder.calls) == updater.max_tries == 3
    assert min(spacings(recorder.times())) >= GAP - SLACK
    assert updater.edits == 0 and updater.given_up == 1
    messages = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert [level for level, _ in messages] == [logging.WARNING, logging.WARNING, logging.ERROR]
    assert "after 3 tries" in messages[-1][1] and "event 1" in messages[-1][1]
    # the post's next change earns it fresh tries
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert len(recorder.calls) == 6 and updater.given_up == 2


async def test_a_success_resets_the_count_of_failed_tries(updater: PostUpdater) -> None:
    recorder = make(updater, fail_on={1, 2, 4, 5})
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert len(recorder.calls) == 3 and updater.edits == 1  # failed, failed, done
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert len(recorder.calls) == 6 and updater.edits == 2 and updater.given_up == 0


async def test_a_custom_cap_of_one_try_never_retries() -> None:
    updater = PostUpdater(FakeClock(NOW), gap_s=GAP, old_gap_s=OLD_GAP, max_tries=1)
    recorder = make(updater, fail_on={1})
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert len(recorder.calls) == 1 and updater.given_up == 1


async def test_a_touch_without_a_post_is_ignored(updater: PostUpdater) -> None:
    recorder = make(updater)
    updater.touch("event", 1, CHANNEL_A, None)
    await updater.drain(1)
    assert recorder.calls == []


async def test_drain_waits_for_every_channel(updater: PostUpdater) -> None:
    recorder = make(updater, delay=0.02)
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
    await updater.close(0.01)
    await asyncio.sleep(0.01)  # let the cancelled worker finish


async def test_close_finishes_quick_pending_work(updater: PostUpdater) -> None:
    recorder = make(updater, delay=0.01)
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    updater.touch("event", 2, CHANNEL_B, FRESH_POST)
    assert await updater.close(1) is True  # every post left in step
    assert sorted(i for _, i, _ in recorder.calls) == [1, 2]


async def test_close_says_posts_are_out_of_step_when_one_was_given_up(
    updater: PostUpdater,
) -> None:
    make(updater, fail_on=set(range(1, 100)))
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await updater.drain(2)
    assert updater.given_up == 1
    assert await updater.close(1) is False


async def test_close_stops_work_that_would_take_too_long(
    updater: PostUpdater, caplog: pytest.LogCaptureFixture
) -> None:
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def stuck(item_id: int) -> None:
        started.set()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    updater.register("event", stuck)
    updater.touch("event", 1, CHANNEL_A, FRESH_POST)
    await started.wait()
    loop = asyncio.get_running_loop()
    before = loop.time()
    with caplog.at_level(logging.WARNING, logger="bot.post_updater"):
        assert await updater.close(0.05) is False  # an edit was left pending
    assert loop.time() - before < 1
    await asyncio.wait_for(cancelled.wait(), 1)
    assert any("pending" in r.getMessage() for r in caplog.records)
