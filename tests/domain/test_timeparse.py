"""Reading typed times: table-driven, `now` injected, the clock-change days as cases."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.domain.errors import UserError
from bot.domain.timeparse import (
    canonical_zone,
    format_duration,
    format_offsets,
    parse_duration,
    parse_offsets,
    parse_time_of_day,
    parse_when,
)

LONDON = "Europe/London"
# Saturday 28 November 2026, 10:00 GMT.
SAT = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# (typed, now, zone, expected start in UTC, expected ambiguous)
WHEN_OK = [
    # plain forms, winter (GMT = UTC)
    ("2026-12-03 18:30", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("2026-12-03T18:30", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("  2026-12-03   18:30 ", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("3 Dec 6:30pm", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("3 December 2026 18:30", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("3 dec 6pm", SAT, LONDON, utc(2026, 12, 3, 18, 0), False),
    ("tomorrow 10am", SAT, LONDON, utc(2026, 11, 29, 10, 0), False),
    ("today 18:00", SAT, LONDON, utc(2026, 11, 28, 18, 0), False),
    ("next tuesday 7pm", SAT, LONDON, utc(2026, 12, 1, 19, 0), False),
    ("friday 7pm", SAT, LONDON, utc(2026, 12, 4, 19, 0), False),
    ("Sat 10:30", SAT, LONDON, utc(2026, 12, 5, 10, 30), False),
    ("noon tomorrow", SAT, LONDON, utc(2026, 11, 29, 12, 0), False),
    ("in 2 hours", SAT, LONDON, utc(2026, 11, 28, 12, 0), False),
    # day first for numeric dates
    ("05/06/2027 10:00", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),
    ("5/6/2027 10am", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),
    ("05.06.2027 10:00", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),
    ("5/6 10am", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),  # no year: the next 5 June
    ("1/12/2026 09:00", SAT, LONDON, utc(2026, 12, 1, 9, 0), False),
    # summer: BST is UTC+1
    ("2027-06-05 10:00", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),
    # Welsh month and day names
    ("1 Ebrill 2027 19:00", SAT, LONDON, utc(2027, 4, 1, 18, 0), False),
    ("dydd Gwener 7pm", SAT, LONDON, utc(2026, 12, 4, 19, 0), False),
    # spring forward, 29 March 2026: 01:00–01:59 does not exist
    ("2026-03-29 00:30", utc(2026, 3, 1), LONDON, utc(2026, 3, 29, 0, 30), False),
    ("2026-03-29 02:30", utc(2026, 3, 1), LONDON, utc(2026, 3, 29, 1, 30), False),
    ("2026-03-28 19:00", utc(2026, 3, 1), LONDON, utc(2026, 3, 28, 19, 0), False),
    ("2026-03-29 19:00", utc(2026, 3, 1), LONDON, utc(2026, 3, 29, 18, 0), False),
    # fall back, 25 October 2026: 01:00–01:59 happens twice, the first (BST) is taken
    ("2026-10-25 01:30", utc(2026, 10, 1), LONDON, utc(2026, 10, 25, 0, 30), True),
    ("2026-10-25 00:30", utc(2026, 10, 1), LONDON, utc(2026, 10, 24, 23, 30), False),
    ("2026-10-25 02:30", utc(2026, 10, 1), LONDON, utc(2026, 10, 25, 2, 30), False),
    ("2026-10-25 01:00", utc(2026, 10, 1), LONDON, utc(2026, 10, 25, 0, 0), True),
    # 2027's changes: 28 March and 31 October
    ("2027-03-28 02:00", SAT, LONDON, utc(2027, 3, 28, 1, 0), False),
    ("2027-03-28 00:59", SAT, LONDON, utc(2027, 3, 28, 0, 59), False),
    ("2027-10-31 01:59", SAT, LONDON, utc(2027, 10, 31, 0, 59), True),
    ("2027-10-31 09:00", SAT, LONDON, utc(2027, 10, 31, 9, 0), False),
    # a relative day across a change: Saturday 27 March 2027, "next sunday 9am" is BST
    ("next sunday 9am", utc(2027, 3, 27, 12, 0), LONDON, utc(2027, 3, 28, 8, 0), False),
    ("tomorrow 9am", utc(2027, 10, 30, 12, 0), LONDON, utc(2027, 10, 31, 9, 0), False),
    # the evening before a change
    ("2026-10-24 23:30", utc(2026, 10, 1), LONDON, utc(2026, 10, 24, 22, 30), False),
    # "today" read in the server zone, not UTC: 23:30 UTC on 27 Jun is 00:30 BST on 28 Jun
    ("today 18:00", utc(2027, 6, 27, 23, 30), LONDON, utc(2027, 6, 28, 17, 0), False),
    # other zones
    ("2026-12-03 18:30", SAT, "America/New_York", utc(2026, 12, 3, 23, 30), False),
    ("2026-11-01 01:30", utc(2026, 10, 1), "America/New_York", utc(2026, 11, 1, 5, 30), True),
    ("2026-12-03 18:30", SAT, "Asia/Kolkata", utc(2026, 12, 3, 13, 0), False),
    ("2027-01-10 09:00", SAT, "Australia/Sydney", utc(2027, 1, 9, 22, 0), False),
    ("2027-07-10 09:00", SAT, "Australia/Sydney", utc(2027, 7, 9, 23, 0), False),
]


@pytest.mark.parametrize(("typed", "now", "zone", "expected", "ambiguous"), WHEN_OK)
def test_parse_when(
    typed: str, now: datetime, zone: str, expected: datetime, ambiguous: bool
) -> None:
    parsed = parse_when(typed, now, zone)
    assert parsed.at == expected
    assert parsed.at.tzinfo is UTC
    assert parsed.ambiguous is ambiguous
    assert parsed.local.astimezone(UTC) == expected


# (typed, now, zone, error key)
WHEN_REFUSED = [
    ("", SAT, LONDON, "when_empty"),
    ("   ", SAT, LONDON, "when_empty"),
    ("banana", SAT, LONDON, "when_unreadable"),
    ("banana 7pm", SAT, LONDON, "when_unreadable"),
    ("12", SAT, LONDON, "when_no_time"),
    ("3 Dec", SAT, LONDON, "when_no_time"),
    ("friday", SAT, LONDON, "when_no_time"),
    ("tomorrow", SAT, LONDON, "when_no_time"),
    ("05/06/2027", SAT, LONDON, "when_no_time"),
    ("32/13/2026 10:00", SAT, LONDON, "when_unreadable"),
    ("2026-02-30 10:00", SAT, LONDON, "when_unreadable"),
    ("2026-12-03 25:00", SAT, LONDON, "when_unreadable"),
    ("x" * 500, SAT, LONDON, "when_unreadable"),
    ("today 09:00", SAT, LONDON, "when_past"),
    ("2026-11-28 10:00", SAT, LONDON, "when_past"),
    ("2025-12-03 18:30", SAT, LONDON, "when_past"),
    ("2040-01-01 10:00", SAT, LONDON, "when_too_far"),
    ("2026-03-29 01:30", utc(2026, 3, 1), LONDON, "when_nonexistent"),
    ("2026-03-29 01:00", utc(2026, 3, 1), LONDON, "when_nonexistent"),
    ("2027-03-28 01:15", SAT, LONDON, "when_nonexistent"),
    ("2026-03-08 02:30", utc(2026, 3, 1), "America/New_York", "when_nonexistent"),
    ("2026-12-03 18:30", SAT, "Mars/Olympus", "timezone_unknown"),
]


@pytest.mark.parametrize(("typed", "now", "zone", "key"), WHEN_REFUSED)
def test_parse_when_refuses(typed: str, now: datetime, zone: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_when(typed, now, zone)
    assert caught.value.key == key


def test_nonexistent_time_names_the_wall_time_and_zone() -> None:
    with pytest.raises(UserError) as caught:
        parse_when("2026-03-29 01:30", utc(2026, 3, 1), LONDON)
    assert caught.value.params["local"] == "2026-03-29 01:30"
    assert caught.value.params["tz"] == LONDON


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2h", timedelta(hours=2)),
        ("90m", timedelta(minutes=90)),
        ("1h30m", timedelta(minutes=90)),
        ("1h 30m", timedelta(minutes=90)),
        ("1.5h", timedelta(minutes=90)),
        ("2 hours", timedelta(hours=2)),
        ("45 mins", timedelta(minutes=45)),
        ("1d", timedelta(days=1)),
        ("7d", timedelta(days=7)),
        ("1 hour and 15 minutes", timedelta(minutes=75)),
    ],
)
def test_parse_duration(typed: str, expected: timedelta) -> None:
    assert parse_duration(typed) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("0m", "duration_out_of_range"),
        ("0h", "duration_out_of_range"),
        ("-1h", "duration_out_of_range"),
        ("8d", "duration_out_of_range"),
        ("7d1m", "duration_out_of_range"),
        ("", "duration_unreadable"),
        ("two hours", "duration_unreadable"),
        ("2x", "duration_unreadable"),
        ("2", "duration_unreadable"),
        ("h", "duration_unreadable"),
    ],
)
def test_parse_duration_refuses(typed: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_duration(typed)
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7d,1d,1h", (timedelta(days=7), timedelta(days=1), timedelta(hours=1))),
        ("30m", (timedelta(minutes=30),)),
        ("1h, 7d", (timedelta(days=7), timedelta(hours=1))),
        ("1d,1d,24h", (timedelta(days=1),)),
        ("2w", (timedelta(days=14),)),
        (" 1H ", (timedelta(hours=1),)),
    ],
)
def test_parse_offsets(typed: str, expected: tuple[timedelta, ...]) -> None:
    assert parse_offsets(typed) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("7x", "offsets_unreadable"),
        ("", "offsets_unreadable"),
        ("7d,,1h", "offsets_unreadable"),
        ("1.5h", "offsets_unreadable"),
        ("soon", "offsets_unreadable"),
        ("0m", "offset_out_of_range"),
        ("61d", "offset_out_of_range"),
    ],
)
def test_parse_offsets_refuses(typed: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_offsets(typed)
    assert caught.value.key == key


@pytest.mark.parametrize("text", ["7d,1d,1h", "30m", "2d,90m", "14d,1h,1m"])
def test_offsets_round_trip(text: str) -> None:
    assert format_offsets(parse_offsets(text)) == text


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(hours=2), "2h"),
        (timedelta(minutes=90), "1h30m"),
        (timedelta(minutes=45), "45m"),
        (timedelta(days=1), "1d"),
        (timedelta(hours=26), "1d2h"),
    ],
)
def test_format_duration(duration: timedelta, text: str) -> None:
    assert format_duration(duration) == text
    assert parse_duration(text) == duration


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Europe/London", LONDON),
        ("europe/london", LONDON),
        ("America/New York", "America/New_York"),
        ("UTC", "UTC"),
    ],
)
def test_canonical_zone(typed: str, expected: str) -> None:
    assert canonical_zone(typed) == expected


@pytest.mark.parametrize("typed", ["London", "Mars/Olympus", "", "GMT+25"])
def test_unknown_zone(typed: str) -> None:
    with pytest.raises(UserError) as caught:
        canonical_zone(typed)
    assert caught.value.key == "timezone_unknown"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("09:00", time(9, 0)),
        ("9am", time(9, 0)),
        ("9:30pm", time(21, 30)),
        ("21:15", time(21, 15)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("9.30 a.m.", time(9, 30)),
    ],
)
def test_parse_time_of_day(typed: str, expected: time) -> None:
    assert parse_time_of_day(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "9", "13pm", "noonish", "", "10:61"])
def test_parse_time_of_day_refuses(typed: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_time_of_day(typed)
    assert caught.value.key == "time_of_day_unreadable"
