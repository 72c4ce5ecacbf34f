"""Held: reactions kept for a message not known (yet) as a post, in order, for a while."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from bot.domain.held import Held
from tests.support.fakes import FakeClock

KEEP = timedelta(minutes=2)


@pytest.fixture
def at(clock: FakeClock) -> Callable[[float], datetime]:
    """`seconds` after the test clock's now."""
    return lambda seconds: clock() + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("held", "take", "taken_at", "expected", "left"),
    [
        # in the order they came, only the message's own
        ([(1, "a", 0), (2, "b", 1), (1, "c", 2)], 1, 3, ["a", "c"], 1),
        # nothing for a message never held
        ([(1, "a", 0)], 9, 1, [], 1),
        # older than `keep` when taken: aged out
        ([(1, "a", 0), (1, "b", 100)], 1, 121, ["b"], 0),
        # exactly `keep` old still counts
        ([(1, "a", 0)], 1, 120, ["a"], 0),
        # over the limit (3): the oldest go first, whatever their message
        ([(1, "a", 0), (2, "b", 1), (1, "c", 2), (1, "d", 3)], 1, 4, ["c", "d"], 1),
    ],
)
def test_take(
    held: list[tuple[int, str, float]],
    take: int,
    taken_at: float,
    expected: list[str],
    left: int,
    at: Callable[[float], datetime],
) -> None:
    early: Held[str] = Held(KEEP, limit=3)
    for message_id, item, seconds in held:
        early.hold(message_id, item, at(seconds))
    assert early.take(take, at(taken_at)) == expected
    assert len(early) == left
    assert early.take(take, at(taken_at)) == []  # taken once


def test_holding_ages_out_the_old_ones(at: Callable[[float], datetime]) -> None:
    early: Held[str] = Held(KEEP, limit=100)
    early.hold(1, "a", at(0))
    early.hold(2, "b", at(200))
    assert len(early) == 1
    assert early.take(1, at(200)) == []
