"""Calendar files: read back with icalendar and with a second, independent parser (ics)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import icalendar
import ics
import pytest

from bot.domain.events import EventStatus
from bot.render.calendar import calendar_filename, event_calendar, event_uid
from tests.render.test_events import make_event

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
LONDON = "Europe/London"


def parse(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_one_event_reads_back_with_both_parsers() -> None:
    event = make_event(reminder_offsets=(timedelta(days=7), timedelta(hours=1)), sequence=3)
    data = event_calendar([event], now=NOW, tz=LONDON)
    [vevent] = parse(data)
    assert str(vevent["uid"]) == "event-42@copro-network-bot" == event_uid(event)
    assert vevent.decoded("dtstart") == event.starts_at
    assert vevent.decoded("dtend") == event.ends_at
    assert str(vevent["summary"]) == "S. Wales Network Meeting 4"
    assert str(vevent["location"]) == "United Welsh Housing, Caerphilly"
    assert str(vevent["status"]) == "CONFIRMED"
    assert int(vevent["sequence"]) == 3
    assert "https://discord.com/channels/1/2/3" in str(vevent["description"])
    triggers = sorted(alarm.decoded("trigger") for alarm in vevent.walk("VALARM"))
    assert triggers == [-timedelta(days=7), -timedelta(hours=1)]

    [other] = ics.Calendar(data.decode()).events
    assert other.uid == event_uid(event)
    assert other.begin.datetime == event.starts_at
    assert other.end.datetime == event.ends_at
    assert other.name == "S. Wales Network Meeting 4"
    assert len(other.alarms) == 2


def test_uid_stable_and_sequence_rises_across_edits() -> None:
    event = make_event()
    first = parse(event_calendar([event], now=NOW, tz=LONDON))[0]
    edited = replace(event, title="S. Wales Network Meeting 4 (moved)", sequence=event.sequence + 1)
    second = parse(event_calendar([edited], now=NOW, tz=LONDON))[0]
    assert first["uid"] == second["uid"]
    assert int(second["sequence"]) == int(first["sequence"]) + 1
    other = parse(event_calendar([replace(event, id=43)], now=NOW, tz=LONDON))[0]
    assert other["uid"] != first["uid"]


def test_cancelled_event_is_marked_cancelled() -> None:
    event = make_event(status=EventStatus.CANCELLED, cancel_reason="Storm", sequence=2)
    [vevent] = parse(event_calendar([event], now=NOW, tz=LONDON))
    assert str(vevent["status"]) == "CANCELLED"
    assert ics.Calendar(event_calendar([event], now=NOW, tz=LONDON).decode()).events


@pytest.mark.parametrize(
    ("starts_at", "wall"),
    [
        (datetime(2027, 10, 30, 17, 0, tzinfo=UTC), "20271030T180000"),  # BST, the day before
        (datetime(2027, 11, 1, 18, 0, tzinfo=UTC), "20271101T180000"),  # GMT, after the change
    ],
)
def test_times_either_side_of_the_clock_change(starts_at: datetime, wall: str) -> None:
    event = make_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    data = event_calendar([event], now=NOW, tz=LONDON)
    assert f"DTSTART;TZID=Europe/London:{wall}".encode() in data
    assert b"BEGIN:VTIMEZONE" in data
    assert parse(data)[0].decoded("dtstart") == starts_at
    [other] = ics.Calendar(data.decode()).events
    assert other.begin.datetime == starts_at


def test_hostile_text_round_trips() -> None:
    hostile = "Co-pro, ŵ ŷ; @everyone\nline two 🎉 <@&123>"
    event = make_event(title=hostile, place=hostile, description=hostile, host=hostile)
    data = event_calendar([event], now=NOW, tz=LONDON)
    [vevent] = parse(data)
    assert str(vevent["summary"]) == hostile and str(vevent["location"]) == hostile
    assert hostile in str(vevent["description"])
    assert ics.Calendar(data.decode()).events.pop().name == hostile


def test_several_events_and_names() -> None:
    events = [make_event(id=n, title=f"Policy Cafe {n}") for n in range(1, 4)]
    data = event_calendar(events, now=NOW, tz=LONDON, name="Co-production network events")
    assert [str(v["summary"]) for v in parse(data)] == [
        "Policy Cafe 1",
        "Policy Cafe 2",
        "Policy Cafe 3",
    ]
    assert b"X-WR-CALNAME:Co-production network events" in data
    assert calendar_filename(events[0]) == "event-1.ics"
    assert calendar_filename(None) == "copro-events.ics"
