"""The per-member sliding window: what is served, what a refusal's wait says, what is kept."""

from __future__ import annotations

import random

import pytest

from bot.domain.ratelimit import RateLimiter, RateLimits, retry_after_s

LIMITS = RateLimits()  # the bot's own figures: 10 (member) and 30 (organiser) in any 10 s


def run(times: list[float], limit: int, limits: RateLimits = LIMITS) -> list[float]:
    """One member's uses at `times`: the wait each got (0.0 = served)."""
    limiter = RateLimiter(limits.window_s, limits.most)
    return [limiter.take(1, t, limit) for t in times]


@pytest.mark.parametrize(
    ("times", "limit", "served", "first_wait"),
    [
        # ten at once are served, the eleventh waits the whole window
        ([0.0] * 11, 10, 10, 10.0),
        ([0.0] * 100, 10, 10, 10.0),
        ([0.0] * 100, 30, 30, 10.0),
        # one a second, for a minute: never refused (ten in any ten seconds)
        ([float(t) for t in range(60)], 10, 60, None),
        # ten a second for a member: ten served, then refused until the first leaves
        ([t / 10 for t in range(20)], 10, 10, 9.0),
        # a burst of ten, then one more just before and just after the first leaves
        ([0.0] * 10 + [9.999, 10.0], 10, 11, 0.001),
        # uses half a second apart, organiser: 30 served in the first 15 s... and on
        ([t / 2 for t in range(120)], 30, 120, None),
        # four a second, member: ten served, then from 10 s on one as each of those leaves
        ([t / 4 for t in range(44)], 10, 14, 7.5),
    ],
    ids=[
        "eleven at once",
        "a hundred at once, member",
        "a hundred at once, organiser",
        "one a second",
        "ten a second",
        "the edge of the window",
        "organiser twice a second",
        "member four a second",
    ],
)
def test_what_is_served(
    times: list[float], limit: int, served: int, first_wait: float | None
) -> None:
    waits = run(times, limit)
    assert sum(1 for w in waits if w == 0.0) == served
    refused = [w for w in waits if w > 0.0]
    if first_wait is None:
        assert refused == []
    else:
        assert refused[0] == pytest.approx(first_wait)


@pytest.mark.parametrize("limit", [LIMITS.member, LIMITS.organiser])
def test_any_schedule_within_the_limit_is_always_served(limit: int) -> None:
    """However the uses fall, if no `window_s` holds more than `limit` of them, every one is
    served (SPEC: at least 10 / 30 in any 10 s are always served)."""
    rng = random.Random(15)
    for _ in range(200):
        times: list[float] = []
        t = 0.0
        while len(times) < 200:
            t += rng.choice([0.0, 0.0, 0.01, 0.3, 1.0, 2.5, 9.99, 10.0, 11.0])
            window = [x for x in times if x > t - LIMITS.window_s]
            if len(window) < limit:
                times.append(t)
        assert all(w == 0.0 for w in run(times, limit)), times


def test_a_refused_use_is_not_counted_and_its_wait_is_exact() -> None:
    limiter = RateLimiter(10.0, 30)
    for _ in range(10):
        assert limiter.take(7, 100.0, 10) == 0.0
    for t in (101.0, 102.0, 105.0):  # hammering on does not push the wait back
        assert limiter.take(7, t, 10) == pytest.approx(110.0 - t)
    assert limiter.take(7, 109.99, 10) == pytest.approx(0.01)
    assert limiter.take(7, 110.0, 10) == 0.0  # the wait named is enough
    for _ in range(9):  # the ten at 100 left together: ten more now
        assert limiter.take(7, 110.0, 10) == 0.0
    assert limiter.take(7, 110.0, 10) == pytest.approx(10.0)


def test_members_have_their_own_windows_and_an_organiser_the_larger_one() -> None:
    limiter = RateLimiter(10.0, 30)
    for _ in range(10):
        assert limiter.take(1, 0.0, 10) == 0.0
    assert limiter.take(1, 0.0, 10) > 0.0
    assert limiter.take(2, 0.0, 10) == 0.0  # someone else is not held up
    for _ in range(20):  # the same member, as an organiser: twenty more
        assert limiter.take(1, 0.0, 30) == 0.0
    assert limiter.take(1, 0.0, 30) == pytest.approx(10.0)


def test_members_whose_uses_left_the_window_are_forgotten() -> None:
    limiter = RateLimiter(10.0, 30)
    for member in range(10_000):
        limiter.take(member, member / 1000, 10)  # ten thousand members over ten seconds
    assert len(limiter) == 10_000
    limiter.take(1, 15.0, 10)
    assert len(limiter) == 4_999 + 1  # those after 5 s (5.001 to 9.999), and the one now
    limiter.take(2, 100.0, 10)
    assert len(limiter) == 1


def test_a_member_holds_no_more_than_the_largest_limit() -> None:
    limiter = RateLimiter(10.0, 30)
    for _ in range(1000):
        limiter.take(1, 0.0, 30)
    assert len(limiter._served[1]) == 30


@pytest.mark.parametrize(
    ("wait", "seconds"),
    [(0.0001, 1), (0.5, 1), (1.0, 1), (1.2, 2), (9.9999, 10), (10.0, 10)],
)
def test_retry_after_is_a_whole_number_of_seconds_at_least_one(wait: float, seconds: int) -> None:
    assert retry_after_s(wait) == seconds


@pytest.mark.parametrize(("window", "most", "limit"), [(0, 10, 1), (10, 0, 1), (10, 10, 11)])
def test_nonsense_is_refused(window: float, most: int, limit: int) -> None:
    with pytest.raises(ValueError):
        RateLimiter(window, most).take(1, 0.0, limit)
