"""The DM side of the Notifier port: the pace that keeps a fan-out under Discord's limit."""

from __future__ import annotations

import asyncio

from bot.adapters.notify import Pace
from tests.support.fakes import VirtualTime


async def test_callers_at_once_start_one_gap_apart_in_turn() -> None:
    time = VirtualTime()
    pace = Pace(4.0, now=time, sleep=time.sleep)
    order: list[int] = []

    async def caller(n: int) -> None:
        await pace.wait()
        order.append(n)

    await asyncio.gather(*(caller(n) for n in range(4)))
    assert time.slept == [0.25, 0.5, 0.75]  # the first starts at once
    assert order == [0, 1, 2, 3]


async def test_no_wait_once_a_gap_has_passed_and_no_saving_up() -> None:
    time = VirtualTime()
    pace = Pace(10.0, now=time, sleep=time.sleep)
    await pace.wait()
    time.now += 0.05
    await pace.wait()  # half a gap later: waits the other half
    assert time.slept == [0.05]
    time.now += 60  # a quiet minute earns no burst: the next two are still a gap apart
    await pace.wait()
    await pace.wait()
    assert time.slept == [0.05, 0.1]
