"""Reading typed times: table-driven, `now` injected, the clock-change days as cases."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import UserError
from bot.domain.timeparse import (
    ParsedWhen,
    canonical_zone,
    format_duration,
    format_offsets,
    parse_duration,
    parse_offsets,
    parse_reminder_offsets,
    parse_time_of_day,
    parse_when,
    parse_zone,
    zones_matching,
)

LONDON = "Europe/London"
NEW_YORK = "America/New_York"
KOLKATA = "Asia/Kolkata"
SYDNEY = "Australia/Sydney"


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# Saturday 28 November 2026, 10:00 GMT (= UTC).
SAT = utc(2026, 11, 28, 10, 0)
# Friday 4 December 2026 at noon and at 20:00 GMT.
FRI_NOON = utc(2026, 12, 4, 12, 0)
FRI_EVENING = utc(2026, 12, 4, 20, 0)
# Before each clock change.
MAR_2026 = utc(2026, 3, 1, 12, 0)
OCT_2026 = utc(2026, 10, 1, 12, 0)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def days(n: int) -> timedelta:
    return timedelta(days=n)


# (typed, now, zone, expected start in UTC, expected ambiguous)
WHEN_OK = [
    # strict forms, winter (GMT = UTC)
    ("2026-12-03 18:30", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("2026-12-03T18:30", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("  2026-12-03   18:30 ", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("2026-12-03 6:30pm", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("2026-12-03 12am", SAT, LONDON, utc(2026, 12, 3, 0, 0), False),
    ("2026-12-03 12pm", SAT, LONDON, utc(2026, 12, 3, 12, 0), False),
    ("2026-12-03 at 18:30", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    # day first for numeric dates: 05/06 is 5 June
    ("05/06/2027 10:00", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),
    ("5/6/2027 10am", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),
    ("05.06.2027 10:00", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),
    ("5-6-2027 10:00", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),
    ("05/06/27 10:00", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),
    ("5/6 10am", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),  # no year: the next 5 June
    ("1/12/2026 09:00", SAT, LONDON, utc(2026, 12, 1, 9, 0), False),
    ("3/12 7pm", SAT, LONDON, utc(2026, 12, 3, 19, 0), False),
    # words
    ("3 Dec 6:30pm", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("3 December 2026 18:30", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("3 dec 6pm", SAT, LONDON, utc(2026, 12, 3, 18, 0), False),
    ("Dec 3 7pm", SAT, LONDON, utc(2026, 12, 3, 19, 0), False),
    ("3rd December 7pm", SAT, LONDON, utc(2026, 12, 3, 19, 0), False),
    ("Thursday 3 December 7pm", SAT, LONDON, utc(2026, 12, 3, 19, 0), False),
    ("thurs 3 dec 7pm", SAT, LONDON, utc(2026, 12, 3, 19, 0), False),
    ("5th June 2027, 7pm", SAT, LONDON, utc(2027, 6, 5, 18, 0), False),
    ("June 5th at 7.30pm", SAT, LONDON, utc(2027, 6, 5, 18, 30), False),
    # a date without a year is its next occurrence
    ("1 Nov 6pm", SAT, LONDON, utc(2027, 11, 1, 18, 0), False),
    ("4 Dec 6pm", FRI_NOON, LONDON, utc(2026, 12, 4, 18, 0), False),  # later today
    ("4 Dec 6pm", FRI_EVENING, LONDON, utc(2027, 12, 4, 18, 0), False),  # today's has gone
    # relative to a frozen now (Saturday 28 Nov 10:00)
    ("tomorrow 10am", SAT, LONDON, utc(2026, 11, 29, 10, 0), False),
    ("tomorrow at 7pm", SAT, LONDON, utc(2026, 11, 29, 19, 0), False),
    ("today 18:00", SAT, LONDON, utc(2026, 11, 28, 18, 0), False),
    ("next tuesday 7pm", SAT, LONDON, utc(2026, 12, 1, 19, 0), False),
    ("friday 7pm", SAT, LONDON, utc(2026, 12, 4, 19, 0), False),
    ("on friday at 7pm", SAT, LONDON, utc(2026, 12, 4, 19, 0), False),
    ("Sat 10:30", SAT, LONDON, utc(2026, 12, 5, 10, 30), False),  # Saturday on a Saturday
    ("weds 7pm", SAT, LONDON, utc(2026, 12, 2, 19, 0), False),
    ("noon tomorrow", SAT, LONDON, utc(2026, 11, 29, 12, 0), False),
    ("midday tomorrow", SAT, LONDON, utc(2026, 11, 29, 12, 0), False),
    ("tomorrow midnight", SAT, LONDON, utc(2026, 11, 29, 0, 0), False),  # 00:00 starting it
    ("12pm tomorrow", SAT, LONDON, utc(2026, 11, 29, 12, 0), False),
    ("12am tomorrow", SAT, LONDON, utc(2026, 11, 29, 0, 0), False),
    ("in 2 hours", SAT, LONDON, utc(2026, 11, 28, 12, 0), False),
    ("in 90 mins", SAT, LONDON, utc(2026, 11, 28, 11, 30), False),
    # a weekday on that weekday is next week's; "today" / "this friday" is today's
    ("friday 7pm", FRI_NOON, LONDON, utc(2026, 12, 11, 19, 0), False),
    ("next friday 7pm", FRI_NOON, LONDON, utc(2026, 12, 11, 19, 0), False),
    ("this friday 7pm", FRI_NOON, LONDON, utc(2026, 12, 4, 19, 0), False),
    ("today 7pm", FRI_NOON, LONDON, utc(2026, 12, 4, 19, 0), False),
    ("tonight 7pm", FRI_NOON, LONDON, utc(2026, 12, 4, 19, 0), False),
    # a clock time alone is the next one
    ("7pm", FRI_NOON, LONDON, utc(2026, 12, 4, 19, 0), False),
    ("7pm", FRI_EVENING, LONDON, utc(2026, 12, 5, 19, 0), False),
    # summer: BST is UTC+1
    ("2027-06-05 10:00", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),
    ("tomorrow 10am", utc(2027, 6, 4, 12, 0), LONDON, utc(2027, 6, 5, 9, 0), False),
    # Welsh month and day names, and y.b./y.h. for am/pm
    ("1 Ebrill 2027 19:00", SAT, LONDON, utc(2027, 4, 1, 18, 0), False),
    ("3 Rhagfyr 19:00", SAT, LONDON, utc(2026, 12, 3, 19, 0), False),
    ("18:30 3 Awst", SAT, LONDON, utc(2027, 8, 3, 17, 30), False),  # not the zone AWST
    ("dydd Gwener 7pm", SAT, LONDON, utc(2026, 12, 4, 19, 0), False),
    ("dydd Mawrth 7pm", SAT, LONDON, utc(2026, 12, 1, 19, 0), False),
    ("yfory 10am", SAT, LONDON, utc(2026, 11, 29, 10, 0), False),
    ("7yh yfory", SAT, LONDON, utc(2026, 11, 29, 19, 0), False),
    ("canol dydd yfory", SAT, LONDON, utc(2026, 11, 29, 12, 0), False),
    # a zone in the text is kept when it is the server zone's at that moment
    ("2026-12-03 18:30 GMT", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("2026-12-03T18:30Z", SAT, LONDON, utc(2026, 12, 3, 18, 30), False),
    ("2027-06-05 10:00 BST", SAT, LONDON, utc(2027, 6, 5, 9, 0), False),
    # spring forward, Sunday 29 March 2026: 01:00–01:59 does not exist
    ("2026-03-29 00:30", MAR_2026, LONDON, utc(2026, 3, 29, 0, 30), False),
    ("2026-03-29 00:59", MAR_2026, LONDON, utc(2026, 3, 29, 0, 59), False),
    ("2026-03-29 02:00", MAR_2026, LONDON, utc(2026, 3, 29, 1, 0), False),
    ("2026-03-29 02:30", MAR_2026, LONDON, utc(2026, 3, 29, 1, 30), False),
    ("2026-03-29 19:00", MAR_2026, LONDON, utc(2026, 3, 29, 18, 0), False),
    ("2026-03-28 19:00", MAR_2026, LONDON, utc(2026, 3, 28, 19, 0), False),  # evening before
    ("2026-03-28 23:30", MAR_2026, LONDON, utc(2026, 3, 28, 23, 30), False),  # still GMT
    # "in 1 hour" counts real time: 00:30 GMT + 1h is 02:30 BST, not the missing 01:30
    ("in 1 hour", utc(2026, 3, 29, 0, 30), LONDON, utc(2026, 3, 29, 1, 30), False),
    # fall back, Sunday 25 October 2026: 01:00–01:59 happens twice, the first (BST) is taken
    ("2026-10-25 00:30", OCT_2026, LONDON, utc(2026, 10, 24, 23, 30), False),
    ("2026-10-25 01:00", OCT_2026, LONDON, utc(2026, 10, 25, 0, 0), True),
    ("2026-10-25 01:30", OCT_2026, LONDON, utc(2026, 10, 25, 0, 30), True),
    ("2026-10-25 01:59", OCT_2026, LONDON, utc(2026, 10, 25, 0, 59), True),
    ("2026-10-25 02:00", OCT_2026, LONDON, utc(2026, 10, 25, 2, 0), False),
    ("2026-10-25 02:30", OCT_2026, LONDON, utc(2026, 10, 25, 2, 30), False),
    ("2026-10-24 23:30", OCT_2026, LONDON, utc(2026, 10, 24, 22, 30), False),  # evening before
    ("25/10/2026 1:30am", OCT_2026, LONDON, utc(2026, 10, 25, 0, 30), True),
    # naming the zone picks the occurrence, so nothing is ambiguous
    ("2026-10-25 01:30 BST", OCT_2026, LONDON, utc(2026, 10, 25, 0, 30), False),
    ("2026-10-25 01:30 GMT", OCT_2026, LONDON, utc(2026, 10, 25, 1, 30), False),
    # 2027's changes: 28 March and 31 October
    ("2027-03-28 00:30", SAT, LONDON, utc(2027, 3, 28, 0, 30), False),
    ("2027-03-28 02:30", SAT, LONDON, utc(2027, 3, 28, 1, 30), False),
    ("2027-03-27 20:00", SAT, LONDON, utc(2027, 3, 27, 20, 0), False),  # evening before
    ("2027-10-31 00:30", SAT, LONDON, utc(2027, 10, 30, 23, 30), False),
    ("2027-10-31 01:30", SAT, LONDON, utc(2027, 10, 31, 0, 30), True),
    ("2027-10-31 02:30", SAT, LONDON, utc(2027, 10, 31, 2, 30), False),
    ("2027-10-30 20:00", SAT, LONDON, utc(2027, 10, 30, 19, 0), False),  # evening before
    # relative days across a change
    ("next sunday 9am", utc(2027, 3, 27, 12, 0), LONDON, utc(2027, 3, 28, 8, 0), False),
    ("next sunday 9am", utc(2027, 10, 30, 12, 0), LONDON, utc(2027, 10, 31, 9, 0), False),
    ("tomorrow 9am", utc(2026, 3, 28, 12, 0), LONDON, utc(2026, 3, 29, 8, 0), False),
    ("sunday 1:30am", utc(2026, 10, 23, 12, 0), LONDON, utc(2026, 10, 25, 0, 30), True),
    # "today" is read in the server zone: 23:30 UTC on 27 June is 00:30 BST on 28 June
    ("today 18:00", utc(2027, 6, 27, 23, 30), LONDON, utc(2027, 6, 28, 17, 0), False),
    # exactly five years ahead is allowed
    ("2031-11-28 10:00", SAT, LONDON, utc(2031, 11, 28, 10, 0), False),
    # New York: EST (UTC-5), EDT from Sunday 8 March 2026, back to EST Sunday 1 November
    ("2026-12-03 18:30", SAT, NEW_YORK, utc(2026, 12, 3, 23, 30), False),
    ("2026-03-08 01:30", MAR_2026, NEW_YORK, utc(2026, 3, 8, 6, 30), False),
    ("2026-03-08 03:30", MAR_2026, NEW_YORK, utc(2026, 3, 8, 7, 30), False),
    ("2026-07-04 21:00", MAR_2026, NEW_YORK, utc(2026, 7, 5, 1, 0), False),
    ("2026-11-01 01:30", OCT_2026, NEW_YORK, utc(2026, 11, 1, 5, 30), True),
    ("2026-11-01 02:30", OCT_2026, NEW_YORK, utc(2026, 11, 1, 7, 30), False),
    # between London's and New York's autumn changes (25 Oct to 1 Nov) the gap is 4 hours
    ("2026-10-28 12:00", OCT_2026, NEW_YORK, utc(2026, 10, 28, 16, 0), False),
    ("tomorrow 9am", utc(2026, 12, 3, 23, 30), NEW_YORK, utc(2026, 12, 4, 14, 0), False),
    # Kolkata: UTC+5:30 all year
    ("2026-12-03 18:30", SAT, KOLKATA, utc(2026, 12, 3, 13, 0), False),
    ("2027-06-05 18:30", SAT, KOLKATA, utc(2027, 6, 5, 13, 0), False),
    # Sydney: summer time (UTC+11) in January, standard (UTC+10) in July; back on 5 Apr 2026
    ("2027-01-10 09:00", SAT, SYDNEY, utc(2027, 1, 9, 22, 0), False),
    ("2027-07-10 09:00", SAT, SYDNEY, utc(2027, 7, 9, 23, 0), False),
    ("2026-04-05 02:30", MAR_2026, SYDNEY, utc(2026, 4, 4, 15, 30), True),
]


@pytest.mark.parametrize(("typed", "now", "zone", "expected", "ambiguous"), WHEN_OK)
def test_parse_when(
    typed: str, now: datetime, zone: str, expected: datetime, ambiguous: bool
) -> None:
    parsed = parse_when(typed, now, zone)
    assert parsed.at == expected
    assert parsed.at.tzinfo is UTC
    assert parsed.ambiguous is ambiguous
    # (`==` across zones is always False for a wall time that happens twice: PEP 495)
    assert parsed.local.astimezone(UTC) == expected
    assert isinstance(parsed.local.tzinfo, ZoneInfo)
    assert parsed.local.tzinfo.key == zone


# (typed, now, zone, error key)
WHEN_REFUSED = [
    ("", SAT, LONDON, "when_empty"),
    ("   ", SAT, LONDON, "when_empty"),
    ("\n\t", SAT, LONDON, "when_empty"),
    # junk, including junk dateparser alone would accept
    ("banana", SAT, LONDON, "when_unreadable"),
    ("banana 7", SAT, LONDON, "when_unreadable"),
    ("banana 7pm", SAT, LONDON, "when_unreadable"),
    ("12", SAT, LONDON, "when_unreadable"),
    ("7", SAT, LONDON, "when_unreadable"),
    ("1200", SAT, LONDON, "when_unreadable"),
    ("12 10am", SAT, LONDON, "when_unreadable"),
    ("25:00", SAT, LONDON, "when_unreadable"),
    ("sunday 25:00", SAT, LONDON, "when_unreadable"),
    ("32/13/2026 10:00", SAT, LONDON, "when_unreadable"),
    ("31/11/2026 10:00", SAT, LONDON, "when_unreadable"),
    ("2026-02-30 10:00", SAT, LONDON, "when_unreadable"),
    ("2026-12-03 25:00", SAT, LONDON, "when_unreadable"),
    ("2026-12-03 18:60", SAT, LONDON, "when_unreadable"),
    ("2026-12-03 13pm", SAT, LONDON, "when_unreadable"),
    ("7pm-9pm friday", SAT, LONDON, "when_unreadable"),
    ("nos Wener", SAT, LONDON, "when_no_time"),  # Friday night, but at what time?
    ("x" * 500, SAT, LONDON, "when_unreadable"),
    # a weekday that is not the date's: 3 December 2026 is a Thursday
    ("Friday 3 December 7pm", SAT, LONDON, "when_unreadable"),
    ("Sat 3 Dec 7pm", SAT, LONDON, "when_unreadable"),
    # a zone that is not the server zone's at that moment
    ("2027-06-05 10:00 GMT", SAT, LONDON, "when_unreadable"),
    ("7pm EST", SAT, LONDON, "when_unreadable"),
    ("2026-12-03 18:30 +05:00", SAT, LONDON, "when_unreadable"),
    # a year whose time overflows when converted
    ("31/12/9999 23:30", SAT, NEW_YORK, "when_unreadable"),
    # dates without a time of day
    ("3 Dec", SAT, LONDON, "when_no_time"),
    ("friday", SAT, LONDON, "when_no_time"),
    ("tomorrow", SAT, LONDON, "when_no_time"),
    ("tonight", SAT, LONDON, "when_no_time"),
    ("yfory", SAT, LONDON, "when_no_time"),
    ("in 3 days", SAT, LONDON, "when_no_time"),
    ("05/06/2027", SAT, LONDON, "when_no_time"),
    ("05.06", SAT, LONDON, "when_no_time"),
    ("3 Dec 18.30", SAT, LONDON, "when_no_time"),  # a dotted time needs am/pm
    # past
    ("today 09:00", SAT, LONDON, "when_past"),
    ("today 18:00", utc(2026, 12, 4, 19, 0), LONDON, "when_past"),  # already 19:00 GMT
    ("today 18:00", utc(2027, 6, 4, 18, 0), LONDON, "when_past"),  # already 19:00 BST
    ("2026-11-28 10:00", SAT, LONDON, "when_past"),  # exactly now
    ("2025-12-03 18:30", SAT, LONDON, "when_past"),
    ("in 0 mins", SAT, LONDON, "when_past"),
    # too far
    ("2031-11-28 10:01", SAT, LONDON, "when_too_far"),
    ("2040-01-01 10:00", SAT, LONDON, "when_too_far"),
    ("31/12/9999 23:30", SAT, LONDON, "when_too_far"),
    # the hour the clocks skip
    ("2026-03-29 01:00", MAR_2026, LONDON, "when_nonexistent"),
    ("2026-03-29 01:30", MAR_2026, LONDON, "when_nonexistent"),
    ("29/3/2026 1:30am", MAR_2026, LONDON, "when_nonexistent"),
    ("sunday 1:30am", utc(2026, 3, 27, 12, 0), LONDON, "when_nonexistent"),
    ("2027-03-28 01:30", SAT, LONDON, "when_nonexistent"),
    ("2026-03-08 02:30", MAR_2026, NEW_YORK, "when_nonexistent"),
    ("2026-10-04 02:30", MAR_2026, SYDNEY, "when_nonexistent"),
    # an unknown server zone
    ("2026-12-03 18:30", SAT, "Mars/Olympus", "timezone_unknown"),
]


@pytest.mark.parametrize(("typed", "now", "zone", "key"), WHEN_REFUSED)
def test_parse_when_refuses(typed: str, now: datetime, zone: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_when(typed, now, zone)
    assert caught.value.key == key


def test_refusals_quote_the_text_tidied_and_cut() -> None:
    with pytest.raises(UserError) as caught:
        parse_when("  banana \n split ", SAT, LONDON)
    assert caught.value.params == {"text": "banana split"}
    with pytest.raises(UserError) as caught:
        parse_when("x" * 500, SAT, LONDON)
    assert caught.value.params == {"text": "x" * 100}


def test_empty_has_no_params() -> None:
    with pytest.raises(UserError) as caught:
        parse_when(" ", SAT, LONDON)
    assert caught.value.params == {}


def test_past_and_too_far_carry_the_moment() -> None:
    with pytest.raises(UserError) as caught:
        parse_when("today 09:00", SAT, LONDON)
    assert caught.value.params == {"text": "today 09:00", "at": utc(2026, 11, 28, 9, 0)}
    with pytest.raises(UserError) as caught:
        parse_when("2040-01-01 10:00", SAT, LONDON)
    assert caught.value.params == {"text": "2040-01-01 10:00", "at": utc(2040, 1, 1, 10, 0)}


def test_nonexistent_time_names_the_wall_time_and_zone() -> None:
    with pytest.raises(UserError) as caught:
        parse_when("29 March 2026 1:30am", MAR_2026, LONDON)
    assert caught.value.params == {
        "text": "29 March 2026 1:30am",
        "local": "2026-03-29 01:30",
        "tz": LONDON,
    }


def test_unknown_zone_is_named() -> None:
    with pytest.raises(UserError) as caught:
        parse_when("tomorrow 10am", SAT, "Narnia/Cair_Paravel")
    assert caught.value.params == {"zone": "Narnia/Cair_Paravel"}


def test_ambiguous_local_is_the_first_the_summer_one() -> None:
    parsed = parse_when("2026-10-25 01:30", OCT_2026, LONDON)
    assert parsed == ParsedWhen(
        at=utc(2026, 10, 25, 0, 30),
        ambiguous=True,
        local=datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo(LONDON)),
    )
    assert parsed.local.fold == 0
    assert parsed.local.utcoffset() == hours(1)
    assert parsed.local.tzname() == "BST"


def test_local_is_the_wall_time_understood() -> None:
    parsed = parse_when("5/6 10am", SAT, LONDON)
    assert parsed.local.replace(tzinfo=None) == datetime(2027, 6, 5, 10, 0)
    assert parsed.local.tzname() == "BST"


def test_now_in_another_offset_is_the_same_moment() -> None:
    summer = ZoneInfo(LONDON)
    now = datetime(2026, 11, 28, 10, 0, tzinfo=summer)  # 10:00 GMT, given in London time
    assert parse_when("today 18:00", now, LONDON).at == utc(2026, 11, 28, 18, 0)


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("tomorrow 10am", datetime(2026, 11, 28, 10, 0), LONDON)


def test_zone_name_in_any_case() -> None:
    assert parse_when("2026-12-03 18:30", SAT, "america/new_york").at == utc(2026, 12, 3, 23, 30)


# ---------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2h", hours(2)),
        ("90m", minutes(90)),
        ("1h30m", minutes(90)),
        ("1h 30m", minutes(90)),
        ("1.5h", minutes(90)),
        ("2 hours", hours(2)),
        ("2 hrs", hours(2)),
        ("45 mins", minutes(45)),
        ("1 minute", minutes(1)),
        ("1d", days(1)),
        ("7d", days(7)),
        ("1w", days(7)),
        ("6d23h59m", days(7) - minutes(1)),
        (" 2H ", hours(2)),
        ("1 hour and 15 minutes", minutes(75)),
        ("1 hour, 15 minutes", minutes(75)),
    ],
)
def test_parse_duration(typed: str, expected: timedelta) -> None:
    assert parse_duration(typed) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("0m", "duration_out_of_range"),
        ("0h", "duration_out_of_range"),
        ("0.001h", "duration_out_of_range"),  # rounds to no minutes
        ("-1h", "duration_out_of_range"),
        ("- 30m", "duration_out_of_range"),
        ("8d", "duration_out_of_range"),
        ("7d1m", "duration_out_of_range"),
        ("2w", "duration_out_of_range"),
        ("99999999999999999999999d", "duration_out_of_range"),
        ("", "duration_unreadable"),
        ("   ", "duration_unreadable"),
        ("-", "duration_unreadable"),
        ("-banana", "duration_unreadable"),
        ("two hours", "duration_unreadable"),
        ("2x", "duration_unreadable"),
        ("2", "duration_unreadable"),
        ("1h30", "duration_unreadable"),
        ("h", "duration_unreadable"),
        ("2h!", "duration_unreadable"),
    ],
)
def test_parse_duration_refuses(typed: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_duration(typed)
    assert caught.value.key == key
    assert caught.value.params == {"text": typed.strip()}


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (hours(2), "2h"),
        (minutes(90), "1h30m"),
        (minutes(45), "45m"),
        (days(1), "1d"),
        (hours(26), "1d2h"),
        (days(1) + minutes(5), "1d5m"),
        (days(7), "7d"),
    ],
)
def test_format_duration(duration: timedelta, text: str) -> None:
    assert format_duration(duration) == text
    assert parse_duration(text) == duration


def test_format_duration_of_what_90m_reads_as() -> None:
    assert format_duration(parse_duration("90m")) == "1h30m"


# ---------------------------------------------------------------------------- reminder offsets


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7d,1d,1h", (days(7), days(1), hours(1))),
        ("30m", (minutes(30),)),
        ("2h, 1d", (days(1), hours(2))),
        ("1h, 7d", (days(7), hours(1))),
        ("1d,1d,24h", (days(1),)),
        ("1d,1440m,24h", (days(1),)),
        ("2w", (days(14),)),
        ("1w,7d", (days(7),)),
        (" 1H ", (hours(1),)),
        ("7 days, 1 day and 1 hour", (days(7), days(1), hours(1))),
        ("30 mins", (minutes(30),)),
        ("1m", (minutes(1),)),
        ("60d", (days(60),)),
    ],
)
def test_parse_offsets(typed: str, expected: tuple[timedelta, ...]) -> None:
    assert parse_offsets(typed) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("7x", "offsets_unreadable"),
        ("", "offsets_unreadable"),
        ("  ", "offsets_unreadable"),
        ("7d,,1h", "offsets_unreadable"),
        ("7d,1h,", "offsets_unreadable"),
        ("1.5h", "offsets_unreadable"),
        ("1h30m", "offsets_unreadable"),  # one amount per reminder
        ("soon", "offsets_unreadable"),
        ("7", "offsets_unreadable"),
        ("-1h", "offsets_unreadable"),
        ("0m", "offset_out_of_range"),
        ("1d,0h", "offset_out_of_range"),
        ("61d", "offset_out_of_range"),
        ("9w", "offset_out_of_range"),
        ("99999999999999999999999d", "offset_out_of_range"),
    ],
)
def test_parse_offsets_refuses(typed: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_offsets(typed)
    assert caught.value.key == key
    assert caught.value.params == {"text": typed.strip()}


# An event's or a server's reminder times: at most six, each from 5 minutes to 28 days, none
# twice. (typed, what it reads as) or (typed, the refusal's key).
REMINDERS_OK = [
    ("7d,1d,1h", (days(7), days(1), hours(1))),
    ("1h, 7d", (days(7), hours(1))),
    ("5m", (minutes(5),)),
    ("28d", (days(28),)),
    ("4w", (days(28),)),
    ("7d,3d,1d,6h,1h,30m", (days(7), days(3), days(1), hours(6), hours(1), minutes(30))),
    ("28d, 1 day and 5 mins", (days(28), days(1), minutes(5))),
]
REMINDERS_REFUSED = [
    ("7d,3d,1d,6h,2h,1h,30m", "offsets_too_many"),
    (",".join(f"{n}m" for n in range(5, 1300)), "offsets_too_many"),
    ("1h," * 7 + "1h", "offsets_too_many"),  # eight pieces, however they collapse
    ("4m", "reminders_out_of_range"),
    ("0m", "reminders_out_of_range"),
    ("29d", "reminders_out_of_range"),
    ("5w", "reminders_out_of_range"),
    ("1d,40321m", "reminders_out_of_range"),
    ("99999999999999999999d", "reminders_out_of_range"),
    ("1d,24h", "offsets_repeated"),
    ("7d,7d,1h", "offsets_repeated"),
    ("1w, 7 days", "offsets_repeated"),
    ("7x", "offsets_unreadable"),
    ("", "offsets_unreadable"),
    ("1h,", "offsets_unreadable"),
    ("1.5h", "offsets_unreadable"),
]


@pytest.mark.parametrize(("typed", "expected"), REMINDERS_OK)
def test_parse_reminder_offsets(typed: str, expected: tuple[timedelta, ...]) -> None:
    assert parse_reminder_offsets(typed) == expected


@pytest.mark.parametrize(("typed", "key"), REMINDERS_REFUSED, ids=lambda v: str(v)[:24])
def test_parse_reminder_offsets_refuses_with_the_rule(typed: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_reminder_offsets(typed)
    assert caught.value.key == key
    assert caught.value.params["text"] == typed.strip()[:100]


def test_the_refusals_name_the_count_and_the_repeat() -> None:
    with pytest.raises(UserError) as many:
        parse_reminder_offsets(",".join(f"{n}m" for n in range(5, 1300)))
    assert many.value.params["count"] == 1295 and many.value.params["limit"] == 6
    with pytest.raises(UserError) as twice:
        parse_reminder_offsets("7d, 1 day,24   h")
    assert twice.value.params["same"] == ("1 day", "24 h")  # joined by the renderer


@pytest.mark.parametrize("text", ["7d,1d,1h", "30m", "2d,90m", "14d,1h,1m", "60d", "1d,23h"])
def test_offsets_round_trip(text: str) -> None:
    assert format_offsets(parse_offsets(text)) == text


@pytest.mark.parametrize(
    ("offsets", "text"),
    [
        ([hours(1), days(7), days(1)], "7d,1d,1h"),
        ([hours(24), days(1)], "1d"),
        ([minutes(90)], "90m"),
        ([days(14)], "14d"),
        ([], ""),
    ],
)
def test_format_offsets(offsets: list[timedelta], text: str) -> None:
    assert format_offsets(offsets) == text


# ---------------------------------------------------------------------------- zones


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Europe/London", LONDON),
        ("europe/london", LONDON),
        (" EUROPE/LONDON ", LONDON),
        ("America/New York", NEW_YORK),
        ("asia/kolkata", KOLKATA),
        ("UTC", "UTC"),
    ],
)
def test_canonical_zone(typed: str, expected: str) -> None:
    assert canonical_zone(typed) == expected
    assert parse_zone(typed) == ZoneInfo(expected)
    assert parse_zone(typed).key == expected


@pytest.mark.parametrize(
    "typed", ["London", "Mars/Olympus", "", "GMT+25", "localtime", "../../etc/passwd"]
)
def test_unknown_zone(typed: str) -> None:
    for read in (canonical_zone, parse_zone):
        with pytest.raises(UserError) as caught:
            read(typed)
        assert caught.value.key == "timezone_unknown"


@pytest.mark.parametrize(
    ("typed", "first", "every"),
    [
        ("london", LONDON, "london"),
        ("new york", NEW_YORK, "new_york"),
        ("EUROPE/", "Europe/Amsterdam", "europe/"),
        ("kolk", KOLKATA, "kolk"),
    ],
)
def test_zones_matching_puts_names_starting_so_first(typed: str, first: str, every: str) -> None:
    found = zones_matching(typed)
    assert found[0] == first
    assert all(every in zone.lower() for zone in found)
    assert 1 <= len(found) <= 25


def test_zones_matching_keeps_to_the_limit_and_finds_nothing_unknown() -> None:
    assert len(zones_matching("")) == 25
    europe = zones_matching("Europe/")
    assert europe == sorted(europe)
    assert zones_matching("Mars/Olympus") == []
    assert zones_matching("factory") == zones_matching("localtime") == []  # not choosable
    assert zones_matching("a", limit=3) == ["Africa/Abidjan", "Africa/Accra", "Africa/Addis_Ababa"]


# ---------------------------------------------------------------------------- time of day


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("09:00", time(9, 0)),
        ("9:00", time(9, 0)),
        ("9am", time(9, 0)),
        ("9 am", time(9, 0)),
        ("9:30pm", time(21, 30)),
        ("21:15", time(21, 15)),
        ("00:00", time(0, 0)),
        ("12am", time(0, 0)),
        ("12:30am", time(0, 30)),
        ("12pm", time(12, 0)),
        ("9.30 a.m.", time(9, 30)),
        ("7yh", time(19, 0)),
        ("noon", time(12, 0)),
        ("Midnight", time(0, 0)),
    ],
)
def test_parse_time_of_day(typed: str, expected: time) -> None:
    assert parse_time_of_day(typed) == expected


@pytest.mark.parametrize(
    "typed", ["25:00", "9", "13pm", "0am", "noonish", "", "10:61", "9:5", "9.30", "tomorrow"]
)
def test_parse_time_of_day_refuses(typed: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_time_of_day(typed)
    assert caught.value.key == "time_of_day_unreadable"


@pytest.mark.parametrize(
    ("call", "key"),
    [
        (lambda: parse_duration("9" * 400 + "h"), "duration_out_of_range"),
        (lambda: parse_duration("9" * 5000), "duration_unreadable"),
        (lambda: parse_offsets("9" * 5000 + "m"), "offset_out_of_range"),
        (lambda: parse_when("in 99999999 hours", SAT, LONDON), "when_unreadable"),
        (lambda: parse_when("in 999999 hours", SAT, LONDON), "when_too_far"),
    ],
)
def test_huge_numbers_are_refused_not_overflowed(call, key: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError) as caught:
        call()
    assert caught.value.key == key
