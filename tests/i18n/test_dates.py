"""Dates in Welsh words, in the server's zone, either side of the clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.i18n import welsh_date, welsh_datetime
from tests.support.dates import LONDON, TZ, clock_change, next_weekday, on_day
from tests.support.fakes import FakeClock

WELSH_DAYS = (
    "Dydd Llun",
    "Dydd Mawrth",
    "Dydd Mercher",
    "Dydd Iau",
    "Dydd Gwener",
    "Dydd Sadwrn",
    "Dydd Sul",
)
WELSH_MONTHS = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)


def expected(local: datetime) -> str:
    return (
        f"{WELSH_DAYS[local.weekday()]}, {local.day} {WELSH_MONTHS[local.month - 1]} "
        f"{local.year} am {local:%H:%M}"
    )


def test_the_spec_s_example() -> None:
    # A fixed date to format, never compared with now.
    at = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    assert welsh_datetime(at, TZ) == "Dydd Iau, 3 Rhagfyr 2026 am 18:30"
    assert welsh_date(at, TZ) == "Dydd Iau, 3 Rhagfyr 2026"
    assert welsh_date(date(2027, 8, 1)) == "Dydd Sul, 1 Awst 2027"


@pytest.mark.parametrize("weekday", range(7))
def test_every_day_name(clock: FakeClock, weekday: int) -> None:
    at = next_weekday(clock(), weekday, at="09:05")
    assert welsh_datetime(at, TZ) == expected(at.astimezone(LONDON))
    assert welsh_datetime(at, TZ).startswith(WELSH_DAYS[weekday] + ", ")


@pytest.mark.parametrize("forward", [True, False])
def test_either_side_of_a_clock_change(clock: FakeClock, forward: bool) -> None:
    change = clock_change(clock(), forward=forward)
    before, after = change - timedelta(minutes=30), change + timedelta(minutes=30)
    for moment in (before, after):
        assert welsh_datetime(moment, TZ) == expected(moment.astimezone(LONDON))
    # An hour apart in UTC; the wall clock says two hours apart in spring, none in autumn.
    shown_before = before.astimezone(LONDON).replace(tzinfo=None)
    shown_after = after.astimezone(LONDON).replace(tzinfo=None)
    assert shown_after - shown_before == timedelta(hours=2 if forward else 0)
    assert welsh_datetime(after, TZ).endswith("am 02:30" if forward else "am 01:30")


def test_the_day_is_the_server_s_not_utc_s(clock: FakeClock) -> None:
    # 00:30 in London in summer is 23:30 UTC the day before.
    summer = clock_change(clock(), forward=True) + timedelta(days=30)
    at = on_day(summer.astimezone(LONDON).date(), "00:30")
    assert at.astimezone(UTC).date() == at.astimezone(LONDON).date() - timedelta(days=1)
    local_day = at.astimezone(LONDON)
    assert welsh_date(at, TZ).endswith(
        f"{local_day.day} {WELSH_MONTHS[local_day.month - 1]} {local_day.year}"
    )
    assert welsh_datetime(at, LONDON).endswith("am 00:30")


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError):
        welsh_datetime(datetime(2026, 12, 3, 18, 30), TZ)
    with pytest.raises(ValueError):
        welsh_date(datetime(2026, 12, 3, 18, 30, tzinfo=UTC))  # a datetime needs its zone
