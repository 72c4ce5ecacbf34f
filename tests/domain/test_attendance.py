"""The attendance window, the `others` count and notes links: pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.attendance import (
    LINK_MAX,
    NOTES_MAX,
    check_attendance,
    check_others,
    clean_link,
    make_notes,
    stats_since,
    takes_attendance,
    window,
)
from bot.domain.errors import UserError
from bot.domain.events import Event, EventStatus, Kind
from tests.support.dates import LONDON, clock_change

NOW = datetime.now(UTC).replace(microsecond=0)


def meeting(starts_at: datetime, hours: float = 2, **changes: object) -> Event:
    fields: dict[str, object] = dict(
        id=7,
        guild_id=1,
        title="S. Wales Network Meeting 5",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        place=None,
        host=None,
        region=None,
        kind=Kind.MEETING,
        description=None,
        channel_id=2,
        message_id=3,
        status=EventStatus.SCHEDULED,
        cancel_reason=None,
        created_by=4,
        created_at=starts_at - timedelta(days=9),
        updated_at=starts_at - timedelta(days=9),
    )
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


def test_the_window_opens_30_minutes_before_and_closes_7_days_after_the_end() -> None:
    event = meeting(NOW + timedelta(days=3))
    shown = window(event)
    assert shown.opens == event.starts_at - timedelta(minutes=30)
    assert shown.closes == event.ends_at + timedelta(days=7)
    assert not takes_attendance(event, shown.opens - timedelta(seconds=1))
    assert takes_attendance(event, shown.opens)
    assert takes_attendance(event, event.ends_at)
    assert takes_attendance(event, shown.closes - timedelta(seconds=1))
    assert not takes_attendance(event, shown.closes)


def test_before_the_window_the_refusal_names_when_it_opens() -> None:
    event = meeting(NOW + timedelta(days=3))
    with pytest.raises(UserError) as refused:
        check_attendance(event, event.starts_at - timedelta(minutes=31))
    assert refused.value.key == "attendance_not_yet"
    assert refused.value.params["at"] == event.starts_at - timedelta(minutes=30)
    check_attendance(event, event.starts_at - timedelta(minutes=30))  # open: no refusal


def test_after_the_window_and_cancelled_events_are_refused() -> None:
    event = meeting(NOW - timedelta(days=10))
    with pytest.raises(UserError) as closed:
        check_attendance(event, NOW)
    assert closed.value.key == "attendance_closed"
    cancelled = meeting(NOW, status=EventStatus.CANCELLED)
    assert not takes_attendance(cancelled, NOW + timedelta(minutes=5))
    with pytest.raises(UserError) as refused:
        check_attendance(cancelled, NOW + timedelta(minutes=5))
    assert refused.value.key == "attendance_cancelled"


def test_the_night_the_clocks_go_forward_the_window_is_still_30_real_minutes() -> None:
    change = clock_change(NOW, forward=True)  # 01:00 GMT becomes 02:00 BST
    event = meeting(change + timedelta(minutes=15))  # 02:15 BST
    opens = window(event).opens
    assert event.starts_at - opens == timedelta(minutes=30)
    assert opens.astimezone(LONDON).strftime("%H:%M") == "00:45"  # wall clock: 90 minutes
    assert takes_attendance(event, change - timedelta(minutes=15))
    assert not takes_attendance(event, change - timedelta(minutes=16))


def test_the_night_the_clocks_go_back_7_days_is_168_hours() -> None:
    change = clock_change(NOW, forward=False)  # 02:00 BST becomes 01:00 GMT
    event = meeting(change - timedelta(hours=3), hours=2)  # ends before the change
    closes = window(event).closes
    assert closes - event.ends_at == timedelta(hours=168)
    ends_wall = event.ends_at.astimezone(LONDON)
    assert closes.astimezone(LONDON).hour == (ends_wall.hour - 1) % 24  # an hour earlier
    late = meeting(change + timedelta(minutes=10))  # in the repeated hour, second time
    assert window(late).opens == late.starts_at - timedelta(minutes=30)
    assert window(late).opens.astimezone(LONDON).fold == 0  # 01:40 BST, the first 01:40


@pytest.mark.parametrize("others", [0, 1, 250])
def test_others_take_whole_numbers_from_zero(others: int) -> None:
    assert check_others(others) == others
    assert check_others(None) is None


def test_negative_others_are_refused() -> None:
    with pytest.raises(UserError) as refused:
        check_others(-1)
    assert refused.value.key == "attendance_others_out_of_range"


@pytest.mark.parametrize(
    "link", ["https://example.org/notes", "http://copro.wales/2026/minutes?id=4#top"]
)
def test_web_links_are_kept(link: str) -> None:
    assert clean_link(f"  {link} ") == link


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "ftp://example.org/notes",
        "example.org/notes",
        "https://",
        "https://exa mple.org",
        "file:///etc/passwd",
    ],
)
def test_other_links_are_refused(link: str) -> None:
    with pytest.raises(UserError) as refused:
        clean_link(link)
    assert refused.value.key == "notes_link_bad"


def test_a_long_link_is_refused() -> None:
    with pytest.raises(UserError) as refused:
        clean_link("https://example.org/" + "a" * LINK_MAX)
    assert refused.value.key == "notes_link_too_long"


def test_notes_are_cleaned_and_both_empty_remove_them() -> None:
    notes = make_notes("  We agreed a plan.\n\n\n\nNext: March ", None, "https://example.org")
    assert notes.english == "We agreed a plan.\n\nNext: March"
    assert notes.welsh is None and notes.link == "https://example.org"
    gone = make_notes(" ", "\n", "https://example.org")
    assert gone.empty and gone.link is None
    with pytest.raises(UserError) as long:
        make_notes(None, "ŵ" * (NOTES_MAX + 1), None)
    assert long.value.key == "notes_welsh_too_long"


def test_network_stats_look_back_twelve_calendar_months() -> None:
    since = stats_since(NOW)
    assert since.year == NOW.year - 1 and since.tzinfo is NOW.tzinfo
    assert timedelta(days=364) <= NOW - since <= timedelta(days=366)
