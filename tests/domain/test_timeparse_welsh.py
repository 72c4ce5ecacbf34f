"""Welsh times typed by members (SPEC, "Languages"), read relative to a clock built from now.

Welsh words are read as their English before dateparser sees them: "dydd Mawrth nesaf" is
next Tuesday, "yfory" tomorrow, "heno" tonight, "yb"/"yh"/"yp" am/pm, "am 7yh" at 7pm, and
"nos Iau 7" (Thursday night) takes a bare hour as the evening's.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.domain.errors import UserError
from bot.domain.timeparse import parse_when
from tests.support.dates import LONDON, TZ, at_local, clock_change, local_date, on_day
from tests.support.fakes import FakeClock

TUESDAY, THURSDAY, FRIDAY, SATURDAY = 1, 3, 4, 5


def weekday_after_today(now: datetime, weekday: int, at: str) -> datetime:
    """`weekday` strictly after today (on that weekday itself, a week on), at `at` local."""
    today = local_date(now)
    ahead = (weekday - today.weekday() - 1) % 7 + 1
    return on_day(today + timedelta(days=ahead), at)


def next_date(now: datetime, month: int, day: int, at: str) -> datetime:
    """The next `day` `month` at `at` local that is still ahead of now."""
    year = local_date(now).year
    moment = on_day(date(year, month, day), at)
    return moment if moment > now else on_day(date(year + 1, month, day), at)


@pytest.fixture(params=range(7), ids=lambda k: f"today+{k}d")
def now(clock: FakeClock, request: pytest.FixtureRequest) -> datetime:
    """The real now and each of the six days after it: every weekday is "today" once."""
    return clock() + timedelta(days=request.param)


def test_next_tuesday_evening(now: datetime) -> None:
    parsed = parse_when("dydd Mawrth nesaf 7yh", now, TZ)
    assert parsed.at == weekday_after_today(now, TUESDAY, "19:00")


def test_tomorrow_morning(now: datetime) -> None:
    assert parse_when("yfory 10yb", now, TZ).at == at_local(now, days=1, at="10:00")
    assert parse_when("yfory am 10yb", now, TZ).at == at_local(now, days=1, at="10:00")
    assert parse_when("yfory 10 y.b.", now, TZ).at == at_local(now, days=1, at="10:00")


def test_a_welsh_date_and_time(now: datetime) -> None:
    assert parse_when("3 Rhagfyr 18:30", now, TZ).at == next_date(now, 12, 3, "18:30")
    assert parse_when("3 Rhag 6:30yh", now, TZ).at == next_date(now, 12, 3, "18:30")
    assert parse_when("18:30 3 Awst", now, TZ).at == next_date(now, 8, 3, "18:30")


def test_thursday_night_takes_a_bare_hour_as_the_evening(now: datetime) -> None:
    thursday_seven = weekday_after_today(now, THURSDAY, "19:00")
    assert parse_when("nos Iau 7", now, TZ).at == thursday_seven
    assert parse_when("nos Iau 7yh", now, TZ).at == thursday_seven
    assert parse_when("nos Iau 19:00", now, TZ).at == thursday_seven
    assert parse_when("nos Iau 7:30", now, TZ).at == thursday_seven + timedelta(minutes=30)


@pytest.mark.parametrize(
    ("typed", "weekday", "at"),
    [
        ("nos Wener 7yh", FRIDAY, "19:00"),  # mutated after "nos"
        ("nos Fawrth 8", TUESDAY, "20:00"),
        ("ddydd Iau nesaf 19:00", THURSDAY, "19:00"),  # "dydd" mutated after a preposition
        ("dydd Sadwrn am 2yp", SATURDAY, "14:00"),  # yp: yr prynhawn, the afternoon
        ("dydd Mawrth 7pm", TUESDAY, "19:00"),  # Welsh and English together
    ],
)
def test_other_welsh_weekday_forms(now: datetime, typed: str, weekday: int, at: str) -> None:
    assert parse_when(typed, now, TZ).at == weekday_after_today(now, weekday, at)


def test_tonight(clock: FakeClock) -> None:
    now = at_local(clock(), days=1, at="12:00")  # midday: tonight is still ahead
    assert parse_when("heno 9", now, TZ).at == at_local(now, at="21:00")
    assert parse_when("heno 11yh", now, TZ).at == at_local(now, at="23:00")


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("nos Wener", "when_no_time"),  # Friday night, but at what time?
        ("nos Sul 12", "when_no_time"),  # midday or midnight? Not guessed
        ("yfory", "when_no_time"),
        ("dydd Mawrth nesaf", "when_no_time"),
    ],
)
def test_refusals(now: datetime, typed: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_when(typed, now, TZ)
    assert caught.value.key == key


def test_a_welsh_date_too_far_ahead(now: datetime) -> None:
    typed = f"3 Rhagfyr {local_date(now).year + 6} 18:30"
    with pytest.raises(UserError) as caught:
        parse_when(typed, now, TZ)
    assert caught.value.key == "when_too_far"


def test_english_am_after_a_number_is_still_am(now: datetime) -> None:
    assert parse_when("10 am tomorrow", now, TZ).at == at_local(now, days=1, at="10:00")


def test_welsh_across_the_spring_clock_change(clock: FakeClock) -> None:
    change = clock_change(clock(), forward=True)
    eve = change - timedelta(days=1)  # the Saturday before: "yfory" is the Sunday of the change
    parsed = parse_when("yfory 10yb", eve, TZ)
    assert parsed.at == at_local(eve, days=1, at="10:00")
    assert parsed.local.utcoffset() == timedelta(hours=1)  # summer time by then
    assert parsed.local.tzinfo == LONDON or str(parsed.local.tzinfo) == TZ
