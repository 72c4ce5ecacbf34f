"""The retention rule: which months are allowed, and the cutoff on the server's calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import UserError
from bot.domain.retention import (
    RETENTION_MAX,
    check_retention,
    months_before,
    retention_cutoff,
)
from tests.support.dates import LONDON

# Month arithmetic is calendar arithmetic; these dates are the rule's own cases (month ends,
# leap days, a clock change), not test times, so they are written out.
Wall = tuple[int, int, int, int, int]  # year, month, day, hour, minute

# (wall time, months, wall time that many months before)
MONTHS_BEFORE: list[tuple[Wall, int, Wall]] = [
    ((2027, 3, 31, 10, 0), 1, (2027, 2, 28, 10, 0)),  # 31 March: February has no 31st
    ((2028, 3, 31, 10, 0), 1, (2028, 2, 29, 10, 0)),  # a leap year keeps the 29th
    ((2028, 2, 29, 23, 59), 12, (2027, 2, 28, 23, 59)),
    ((2027, 1, 15, 9, 30), 1, (2026, 12, 15, 9, 30)),  # across the new year
    ((2027, 5, 31, 0, 0), 3, (2027, 2, 28, 0, 0)),
    ((2027, 7, 31, 12, 0), 24, (2025, 7, 31, 12, 0)),
    ((2027, 10, 31, 8, 0), 120, (2017, 10, 31, 8, 0)),
]


@pytest.mark.parametrize(("wall", "months", "expected"), MONTHS_BEFORE)
def test_months_before_keeps_the_wall_time_and_clamps_the_day(
    wall: Wall, months: int, expected: Wall
) -> None:
    assert months_before(datetime(*wall), months) == datetime(*expected)


# (now in London, months, cutoff in London): the cutoff keeps the London wall time, whatever
# the offset was then (a summer "now" may have a winter cutoff and the other way round).
CUTOFFS: list[tuple[Wall, int, Wall]] = [
    ((2027, 7, 10, 14, 0), 6, (2027, 1, 10, 14, 0)),  # BST now, GMT then
    ((2027, 1, 10, 14, 0), 6, (2026, 7, 10, 14, 0)),  # GMT now, BST then
    ((2027, 4, 28, 1, 30), 1, (2027, 3, 28, 2, 30)),  # 01:30 on 28 March 2027 never was
    ((2027, 3, 31, 23, 30), 1, (2027, 2, 28, 23, 30)),
]


@pytest.mark.parametrize(("wall", "months", "expected"), CUTOFFS)
def test_cutoff_is_months_back_on_the_servers_calendar(
    wall: Wall, months: int, expected: Wall
) -> None:
    now = datetime(*wall, tzinfo=LONDON).astimezone(UTC)
    cutoff = retention_cutoff(now, months, "Europe/London")
    assert cutoff.tzinfo is UTC
    assert cutoff.astimezone(LONDON).replace(tzinfo=None) == datetime(*expected)


def test_cutoff_repeated_hour_reads_as_its_first_occurrence() -> None:
    # 01:30 happened twice on 31 October 2027 (BST, then GMT): the first is an hour earlier
    now = datetime(2027, 12, 31, 1, 30, tzinfo=LONDON)
    cutoff = retention_cutoff(now, 2, "Europe/London")
    assert cutoff == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_cutoff_in_another_zone_follows_that_calendar() -> None:
    # 00:30 on 1 March in Auckland is still 28 February in London
    now = datetime(2027, 3, 1, 0, 30, tzinfo=ZoneInfo("Pacific/Auckland"))
    cutoff = retention_cutoff(now, 1, "Pacific/Auckland")
    assert cutoff.astimezone(ZoneInfo("Pacific/Auckland")).date().isoformat() == "2027-02-01"


def test_cutoff_is_never_after_now_and_grows_with_months() -> None:
    now = datetime(2027, 8, 31, 12, 0, tzinfo=UTC)
    cutoffs = [retention_cutoff(now, months, "Europe/London") for months in range(1, 25)]
    assert all(c < now - timedelta(days=27) for c in cutoffs)
    assert cutoffs == sorted(cutoffs, reverse=True)


def test_cutoff_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        retention_cutoff(datetime(2027, 1, 1), 1, "Europe/London")


@pytest.mark.parametrize("months", [1, 24, RETENTION_MAX])
def test_allowed_months(months: int) -> None:
    assert check_retention(months) == months


@pytest.mark.parametrize("months", [0, -1, -24, RETENTION_MAX + 1, 10**6, 2**53])
def test_refused_months_say_the_rule(months: int) -> None:
    with pytest.raises(UserError) as refused:
        check_retention(months)
    assert refused.value.key == "retention_out_of_range"
    assert refused.value.params["limit"] == RETENTION_MAX
