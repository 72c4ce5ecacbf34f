"""Calendar files: read back with icalendar and with a second, independent parser (ics).

The instants are also checked a third way: dateutil's `tzical` resolves each wall time with
the file's own VTIMEZONE, as a calendar app without a zone database would (icalendar and ics
both look the TZID up by name instead). dateutil comes with icalendar and with ics.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import icalendar
import ics
import pytest
from dateutil import tz as dateutil_tz

from bot.domain.events import Event, EventStatus
from bot.render.calendar import PRODUCT, calendar_filename, event_calendar, event_uid
from tests.render.test_events import make_event

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
LONDON = "Europe/London"


def render(*events: Event, **options: object) -> bytes:
    kwargs: dict[str, object] = {"now": NOW, "tz": LONDON, **options}
    return event_calendar(list(events), **kwargs)  # type: ignore[arg-type]


def parse(data: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(data).events


def parse_ics(data: bytes) -> list[ics.Event]:
    """ics keeps events in a set: sorted by UID here so several can be compared in order."""
    return sorted(ics.Calendar(data.decode("utf-8")).events, key=lambda e: e.uid)


def ics_extra(event: ics.Event, name: str) -> str:
    [value] = [line.value for line in event.extra if line.name == name]
    return str(value)


def instant_by_vtimezone(data: bytes, prop: str) -> datetime:
    """The first VEVENT's `prop` as an instant, using only the VTIMEZONE written in the file."""
    calendar = icalendar.Calendar.from_ical(data)
    [vevent] = calendar.walk("VEVENT")
    raw = vevent[prop].to_ical()
    assert isinstance(raw, bytes)
    line = raw.decode()
    zone: tzinfo = UTC
    if not line.endswith("Z"):
        [vtimezone] = calendar.walk("VTIMEZONE")
        tzical = dateutil_tz.tzical(io.StringIO(vtimezone.to_ical().decode()))
        zone = tzical.get(vevent[prop].params["TZID"])
    wall = datetime.strptime(line.rstrip("Z"), "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    return wall.astimezone(UTC)


def test_one_event_reads_back_with_both_parsers() -> None:
    event = make_event(reminder_offsets=(timedelta(days=7), timedelta(hours=1)), sequence=3)
    data = render(event)

    [vevent] = parse(data)
    assert str(vevent["uid"]) == "event-42@copro-network-bot" == event_uid(event)
    assert vevent.decoded("dtstamp") == NOW
    assert vevent.decoded("dtstart") == event.starts_at
    assert vevent.decoded("dtend") == event.ends_at
    assert str(vevent["summary"]) == "S. Wales Network Meeting 4"
    assert str(vevent["location"]) == "United Welsh Housing, Caerphilly"
    assert str(vevent["status"]) == "CONFIRMED"
    assert vevent.decoded("sequence") == 3
    assert vevent.decoded("created") == event.created_at
    assert vevent.decoded("last-modified") == event.updated_at
    description = str(vevent["description"])
    assert "Our fourth South Wales meeting." in description
    assert "United Welsh Housing" in description
    assert "https://discord.com/channels/1/2/3" in description

    [other] = parse_ics(data)
    assert other.uid == event_uid(event)
    assert other.begin.datetime == event.starts_at
    assert other.end.datetime == event.ends_at
    assert other.name == "S. Wales Network Meeting 4"
    assert other.location == "United Welsh Housing, Caerphilly"
    assert other.description == description
    assert other.status == "CONFIRMED"
    assert ics_extra(other, "SEQUENCE") == "3"


@pytest.mark.parametrize(
    ("name", "product"),
    [(None, PRODUCT), ("Co-production network events", "-//Test//Cy")],
)
def test_calendar_header(name: str | None, product: str) -> None:
    calendar = icalendar.Calendar.from_ical(render(make_event(), name=name, product=product))
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]) == product
    assert str(calendar["calscale"]) == "GREGORIAN"
    assert str(calendar["method"]) == "PUBLISH"
    assert (str(calendar["x-wr-calname"]) if "x-wr-calname" in calendar else None) == name


@pytest.mark.parametrize(
    ("changes", "location", "in_description", "not_in_description"),
    [
        ({}, "United Welsh Housing, Caerphilly", ["Hosted by United Welsh Housing"], []),
        ({"place": None}, None, [], []),
        ({"message_id": None}, "United Welsh Housing, Caerphilly", [], ["discord.com"]),
        ({"host": None}, "United Welsh Housing, Caerphilly", [], ["Hosted by"]),
        (
            {"status": EventStatus.CANCELLED, "cancel_reason": "Storm Darragh"},
            "United Welsh Housing, Caerphilly",
            ["Storm Darragh"],
            [],
        ),
    ],
    ids=["full", "no-place", "no-post", "no-host", "cancel-reason"],
)
def test_optional_fields(
    changes: dict[str, object],
    location: str | None,
    in_description: list[str],
    not_in_description: list[str],
) -> None:
    [vevent] = parse(render(make_event(**changes)))
    assert (str(vevent["location"]) if "location" in vevent else None) == location
    description = str(vevent["description"])
    assert all(part in description for part in in_description)
    assert not any(part in description for part in not_in_description)


def test_uid_stable_and_sequence_rises_across_edits() -> None:
    event = make_event(sequence=1)
    first_data = render(event)
    assert render(event) == first_data  # pure: same event, same `now`, same bytes
    edited = replace(event, title="S. Wales Network Meeting 4 (moved)", sequence=event.sequence + 1)
    second_data = render(edited)
    [first], [second] = parse(first_data), parse(second_data)
    assert first["uid"] == second["uid"]
    assert (first.decoded("sequence"), second.decoded("sequence")) == (1, 2)
    [first_ics], [second_ics] = parse_ics(first_data), parse_ics(second_data)
    assert first_ics.uid == second_ics.uid == event_uid(event)
    assert (ics_extra(first_ics, "SEQUENCE"), ics_extra(second_ics, "SEQUENCE")) == ("1", "2")
    [other] = parse(render(replace(event, id=43)))
    assert other["uid"] != first["uid"]


@pytest.mark.parametrize(
    "offsets",
    [
        (),
        (timedelta(hours=1),),
        (timedelta(days=7), timedelta(days=1), timedelta(hours=1)),
        (timedelta(minutes=15), timedelta(0)),
        (timedelta(days=1, hours=6, minutes=30),),
    ],
    ids=["none", "one", "three", "at-start", "odd"],
)
def test_alarms_match_the_reminder_offsets(offsets: tuple[timedelta, ...]) -> None:
    event = make_event(reminder_offsets=offsets)
    data = render(event)
    expected = sorted(-offset for offset in offsets)
    [vevent] = parse(data)
    alarms = list(vevent.walk("VALARM"))
    assert sorted(alarm.decoded("trigger") for alarm in alarms) == expected
    assert all(str(alarm["action"]) == "DISPLAY" for alarm in alarms)
    assert all(str(alarm["description"]) == event.title for alarm in alarms)
    [other] = parse_ics(data)
    assert sorted(alarm.trigger for alarm in other.alarms) == expected
    assert all(type(alarm).__name__ == "DisplayAlarm" for alarm in other.alarms)


@pytest.mark.parametrize(
    ("status", "written"),
    [(EventStatus.SCHEDULED, "CONFIRMED"), (EventStatus.CANCELLED, "CANCELLED")],
)
def test_status(status: EventStatus, written: str) -> None:
    data = render(make_event(status=status, sequence=2))
    assert str(parse(data)[0]["status"]) == written
    assert parse_ics(data)[0].status == written


# Europe/London's clocks go back at 02:00 BST on Sunday 31 October 2027.
CHANGE_CASES = [
    # (start instant, wall time written in London, or None when written in UTC)
    (datetime(2027, 10, 30, 17, 0, tzinfo=UTC), "20271030T180000"),  # 18:00 BST, the day before
    (datetime(2027, 11, 1, 18, 0, tzinfo=UTC), "20271101T180000"),  # 18:00 GMT, the day after
    (datetime(2027, 10, 30, 23, 30, tzinfo=UTC), "20271031T003000"),  # 00:30 BST, that night
    (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), "20271031T013000"),  # 01:30 BST, first run
    (datetime(2027, 10, 31, 1, 30, tzinfo=UTC), None),  # 01:30 GMT, the repeated hour
    (datetime(2027, 10, 31, 2, 30, tzinfo=UTC), "20271031T023000"),  # 02:30 GMT
    (datetime(2027, 3, 28, 0, 30, tzinfo=UTC), "20270328T003000"),  # 00:30 GMT, before spring
    (datetime(2027, 3, 28, 1, 0, tzinfo=UTC), "20270328T020000"),  # 02:00 BST, clocks gone on
]


@pytest.mark.parametrize(("starts_at", "wall"), CHANGE_CASES, ids=lambda v: str(v))
def test_times_either_side_of_the_clock_change(starts_at: datetime, wall: str | None) -> None:
    event = make_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    data = render(event)
    if wall is None:
        assert f"DTSTART:{starts_at:%Y%m%dT%H%M%S}Z".encode() in data
    else:
        assert f"DTSTART;TZID=Europe/London:{wall}".encode() in data
    [vevent] = parse(data)
    [other] = parse_ics(data)
    for read in (
        vevent.decoded("dtstart"),
        other.begin.datetime,
        instant_by_vtimezone(data, "dtstart"),
    ):
        assert read.astimezone(UTC) == starts_at
    for read in (vevent.decoded("dtend"), other.end.datetime, instant_by_vtimezone(data, "dtend")):
        assert read.astimezone(UTC) == event.ends_at


def test_the_two_meetings_of_the_brief_give_their_utc_instants() -> None:
    """30 October 2027 18:00 London is 17:00Z (BST); 1 November 2027 18:00 London is 18:00Z."""
    london = ZoneInfo(LONDON)
    before = datetime(2027, 10, 30, 18, 0, tzinfo=london)
    after = datetime(2027, 11, 1, 18, 0, tzinfo=london)
    events = [
        make_event(id=1, starts_at=before, ends_at=before + timedelta(hours=2)),
        make_event(id=2, starts_at=after, ends_at=after + timedelta(hours=2)),
    ]
    data = render(*events)
    expected = [datetime(2027, 10, 30, 17, 0, tzinfo=UTC), datetime(2027, 11, 1, 18, 0, tzinfo=UTC)]
    assert [v.decoded("dtstart").astimezone(UTC) for v in parse(data)] == expected
    assert [e.begin.datetime.astimezone(UTC) for e in parse_ics(data)] == expected


# (text, whether ics 0.7 reads it back): ics unescapes `\\n` in the wrong order, so a
# backslash typed before an "n" comes back as a newline there; icalendar and the wire are
# still checked for that case.
HOSTILE = [
    ("Co-pro, ŵ ŷ; @everyone\nline two 🎉 <@&123>", True),
    ("Caffi'r Bont; Llanrwst, Conwy", True),
    ("C:\\Users\\ŵ, a\\;b\\,c — backslashes kept", True),
    ("a\\nb — a typed backslash-n", False),
    ("END:VEVENT\nBEGIN:VEVENT\nUID:evil@example", True),
    ("ŵ🎉" * 60, True),  # long enough that line folding lands inside multi-byte characters
    ("@here 👩🏽‍🤝‍👩🏻 «quotes» \"double\" 'single'\r\nCRLF", True),
]


@pytest.mark.parametrize(("hostile", "ics_reads"), HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_round_trips(hostile: str, ics_reads: bool) -> None:
    event = make_event(title=hostile, place=hostile, description=hostile, host=hostile)
    data = render(event)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded in octets
    data.decode("utf-8")  # no character cut in half by folding
    assert data.split(b"\r\n").count(b"BEGIN:VEVENT") == 1  # no line of member text escapes
    hostile = hostile.replace("\r\n", "\n")  # icalendar writes a line break as one \n
    [vevent] = parse(data)
    assert str(vevent["summary"]) == hostile
    assert str(vevent["location"]) == hostile
    assert str(vevent["description"]).startswith(hostile)
    assert str(vevent["uid"]) == event_uid(event)
    [other] = parse_ics(data)
    assert other.uid == event_uid(event)
    if ics_reads:
        assert other.name == hostile
        assert other.location == hostile
        assert other.description is not None and other.description.startswith(hostile)


def test_several_events_in_one_calendar() -> None:
    starts = [
        datetime(2026, 12, 3, 18, 30, tzinfo=UTC),
        datetime(2027, 6, 10, 9, 0, tzinfo=UTC),
        datetime(2030, 1, 15, 13, 0, tzinfo=UTC),
    ]
    events = [
        make_event(
            id=n,
            title=f"Policy Cafe {n}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            sequence=n,
            reminder_offsets=(timedelta(days=1),) * (n - 1),
        )
        for n, start in enumerate(starts, start=1)
    ]
    data = render(*events, name="Co-production network events")
    calendar = icalendar.Calendar.from_ical(data)
    assert len(calendar.walk("VTIMEZONE")) == 1
    vevents = parse(data)
    assert [str(v["summary"]) for v in vevents] == [
        "Policy Cafe 1",
        "Policy Cafe 2",
        "Policy Cafe 3",
    ]
    assert len({str(v["uid"]) for v in vevents}) == 3
    assert [v.decoded("dtstart") for v in vevents] == starts
    assert [v.decoded("sequence") for v in vevents] == [1, 2, 3]
    assert [len(list(v.walk("VALARM"))) for v in vevents] == [0, 1, 2]
    others = parse_ics(data)
    assert [e.uid for e in others] == [event_uid(e) for e in events]
    assert [e.begin.datetime for e in others] == starts
    for event in events:  # each start right by the file's own VTIMEZONE, years apart
        single = render(event)
        assert instant_by_vtimezone(single, "dtstart") == event.starts_at


def test_stamps_are_utc() -> None:
    london_now = NOW.astimezone(ZoneInfo(LONDON))
    data = render(make_event(), now=london_now)
    assert f"DTSTAMP:{NOW:%Y%m%dT%H%M%S}Z".encode() in data
    assert b"CREATED:20261128T183000Z" in data and b"LAST-MODIFIED:20261128T183000Z" in data
    with pytest.raises(ValueError, match="naive"):
        render(make_event(), now=datetime(2026, 11, 28, 10, 0))


@pytest.mark.parametrize(
    ("event", "filename"),
    [(make_event(id=12), "event-12.ics"), (None, "copro-events.ics")],
)
def test_calendar_filename(event: Event | None, filename: str) -> None:
    assert calendar_filename(event) == filename
