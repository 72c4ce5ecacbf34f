"""Attendance and meeting notes: the pure rules.

Attendance is taken from 30 minutes before an event starts until 7 days after it ends (real
elapsed time: on the night the clocks change the window is still exactly 30 minutes, and 7
days is 168 hours); a cancelled event takes none. Notes are an English and a Welsh paragraph
and an optional http(s) link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from bot.domain.errors import UserError
from bot.domain.events import CAPACITY_MAX, Event, clean_block
from bot.domain.retention import months_before

OPENS_BEFORE = timedelta(minutes=30)
STAYS_OPEN = timedelta(days=7)
NOTES_MAX = 1000  # each language's paragraph (a modal field holds up to 4,000)
LINK_MAX = 500
STATS_MONTHS = 12  # /network stats: meetings held in the last year


@dataclass(frozen=True)
class HeldMeetings:
    """Meetings held in a span (scheduled events over by its end) and who came to them."""

    meetings: int
    attended: int
    organisations: int = 0  # organisation records of the network-list members who came


def stats_since(now: datetime) -> datetime:
    """The start of /network stats' span: the same moment STATS_MONTHS months earlier."""
    return months_before(now, STATS_MONTHS)


@dataclass(frozen=True)
class Window:
    opens: datetime
    closes: datetime

    def holds(self, now: datetime) -> bool:
        return self.opens <= now < self.closes


def window(event: Event) -> Window:
    """When attendance is taken for `event`: [start - 30 min, end + 7 days)."""
    return Window(event.starts_at - OPENS_BEFORE, event.ends_at + STAYS_OPEN)


def takes_attendance(event: Event, now: datetime) -> bool:
    """Whether the post carries the "I was there" button now."""
    return not event.cancelled and window(event).holds(now)


def check_attendance(event: Event, now: datetime) -> None:
    """Refused with the rule: a cancelled event, before the window opens, after it closes."""
    if event.cancelled:
        raise UserError("attendance_cancelled", title=event.title)
    shown = window(event)
    if now < shown.opens:
        raise UserError("attendance_not_yet", title=event.title, at=shown.opens)
    if now >= shown.closes:
        raise UserError("attendance_closed", title=event.title, at=shown.closes)


def attended(event: Event) -> int:
    """Everyone who came: members (kept after their names are erased) and others."""
    return event.attended_members + event.attended_others


def check_others(others: int | None) -> int | None:
    """People not on Discord: a whole number from 0."""
    if others is not None and not 0 <= others <= CAPACITY_MAX:
        raise UserError("attendance_others_out_of_range", others=others, limit=CAPACITY_MAX)
    return others


def clean_link(link: str | None) -> str | None:
    """A notes link: an http or https address with a host, at most LINK_MAX characters."""
    if link is None or not link.strip():
        return None
    value = link.strip()
    if len(value) > LINK_MAX:
        raise UserError("notes_link_too_long", limit=LINK_MAX, length=len(value))
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(ch.isspace() or ord(ch) < 32 for ch in value)
    ):
        raise UserError("notes_link_bad", text=value[:100])
    return value


@dataclass(frozen=True)
class Notes:
    english: str | None
    welsh: str | None
    link: str | None

    @property
    def empty(self) -> bool:
        return self.english is None and self.welsh is None


def make_notes(english: str | None, welsh: str | None, link: str | None) -> Notes:
    """The notes as typed, cleaned; both paragraphs empty removes the notes (and the link)."""
    notes = Notes(
        _paragraph(english, "notes_english_too_long"),
        _paragraph(welsh, "notes_welsh_too_long"),
        clean_link(link),
    )
    return Notes(None, None, None) if notes.empty else notes


def _paragraph(value: str | None, key: str) -> str | None:
    try:
        return clean_block(value, "notes", NOTES_MAX)
    except UserError as error:
        raise UserError(key, limit=NOTES_MAX, length=error.params.get("length", 0)) from None
