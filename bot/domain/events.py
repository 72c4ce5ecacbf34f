"""Events: what an announcement is, and the pure rules for making and changing one."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.errors import UserError


class Kind(enum.StrEnum):
    MEETING = "meeting"
    SYMPOSIUM = "symposium"
    CONFERENCE = "conference"
    SEMINAR = "seminar"
    WORKSHOP = "workshop"
    VISIT = "visit"
    CAMPAIGN = "campaign"
    OTHER = "other"


class Region(enum.StrEnum):
    NORTH = "North Wales"
    MID = "Mid Wales"
    WEST = "West Wales"
    SOUTH = "South Wales"
    NATIONAL = "National"
    ONLINE = "Online"
    OTHER = "Other"


class EventStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


# Lengths members may type. Titles and places follow Discord's own Events tab (1–100), so the
# native mirror never has to cut them; descriptions leave room in a 4096-character embed.
TITLE_MAX = 100
PLACE_MAX = 100
HOST_MAX = 100
DESCRIPTION_MAX = 2000
REASON_MAX = 500
CAPACITY_MAX = 100_000
DEFAULT_DURATION = timedelta(hours=2)

# Typed in an edit, this clears an optional field.
CLEAR = "-"


@dataclass(frozen=True)
class Event:
    id: int
    guild_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str | None
    host: str | None
    region: Region | None
    kind: Kind
    description: str | None
    channel_id: int
    message_id: int | None
    status: EventStatus
    cancel_reason: str | None
    created_by: int
    created_at: datetime
    updated_at: datetime
    capacity: int | None = None
    reminder_offsets: tuple[timedelta, ...] = ()
    series_id: int | None = None
    series_number: int | None = None
    sequence: int = 0  # raised on every edit and on cancelling: calendars update, not duplicate
    native_event_id: int | None = None
    title_cy: str | None = None  # the Welsh, when the organiser gave it (migration 0020)
    description_cy: str | None = None
    attended_members: int = 0  # members who came (kept when their names are erased)
    attended_others: int = 0  # people not on Discord, as the organiser counted them
    notes_en: str | None = None  # the meeting's notes, in English and in Welsh, and a link
    notes_cy: str | None = None
    notes_link: str | None = None

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def cancelled(self) -> bool:
        return self.status is EventStatus.CANCELLED

    def has_started(self, now: datetime) -> bool:
        return now >= self.starts_at

    def has_ended(self, now: datetime) -> bool:
        return now >= self.ends_at

    def takes_rsvps(self, now: datetime) -> bool:
        """Answers are taken until the start, unless the event was cancelled."""
        return not self.cancelled and not self.has_started(now)


@dataclass(frozen=True)
class EventDraft:
    """An event's own fields as a member gave them, checked and cleaned."""

    title: str
    starts_at: datetime
    ends_at: datetime
    place: str | None = None
    host: str | None = None
    region: Region | None = None
    kind: Kind = Kind.MEETING
    description: str | None = None
    capacity: int | None = None
    reminder_offsets: tuple[timedelta, ...] = ()
    title_cy: str | None = None
    description_cy: str | None = None

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


@dataclass(frozen=True)
class EventChanges:
    """What an edit changes; None leaves a field as it is, `CLEAR` empties an optional one."""

    title: str | None = None
    starts_at: datetime | None = None
    duration: timedelta | None = None
    place: str | None = None
    host: str | None = None
    region: Region | None = None
    kind: Kind | None = None
    description: str | None = None
    capacity: int | None = None
    reminder_offsets: tuple[timedelta, ...] | None = None
    title_cy: str | None = None
    description_cy: str | None = None

    def is_empty(self) -> bool:
        return all(value is None for value in vars(self).values())


# Characters that lay out the text around them (bidirectional embeddings, overrides and
# isolates): a member's line must not turn the rest of a post around. Zero-width joiners stay:
# emoji sequences and some scripts need them.
_LAYOUT_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _plain(line: str) -> str:
    """One line in NFC (so "ŵ" typed as w + circumflex is stored as ŵ), control and layout
    characters dropped, whitespace trimmed and folded; "" when nothing in it would show."""
    kept = (
        ch
        for ch in unicodedata.normalize("NFC", line)
        if ch.isspace() or (unicodedata.category(ch) != "Cc" and ch not in _LAYOUT_CONTROLS)
    )
    text = " ".join("".join(kept).split())
    return text if _visible(text) else ""


def _visible(text: str) -> bool:
    """True when something would show: a letter, digit, punctuation mark or symbol (emoji
    included), not only zero-width characters or combining marks."""
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in text)


def clean_line(value: str | None, field: str, max_len: int) -> str | None:
    """One line of member text: trimmed, inner whitespace folded, control characters dropped.

    Nothing visible becomes None; longer than `max_len` is refused (never silently cut).
    """
    if value is None:
        return None
    text = _plain(value)
    if not text:
        return None
    if len(text) > max_len:
        raise UserError("too_long", field=field, limit=max_len, length=len(text))
    return text


def clean_block(value: str | None, field: str, max_len: int) -> str | None:
    """Several lines of member text: trimmed, runs of blank lines folded to one."""
    if value is None:
        return None
    kept: list[str] = []
    for line in map(_plain, value.replace("\r\n", "\n").split("\n")):
        if line or (kept and kept[-1]):
            kept.append(line)
    text = "\n".join(kept).strip()
    if not text:
        return None
    if len(text) > max_len:
        raise UserError("too_long", field=field, limit=max_len, length=len(text))
    return text


def make_draft(
    *,
    title: str | None,
    starts_at: datetime,
    duration: timedelta | None,
    place: str | None = None,
    host: str | None = None,
    region: Region | None = None,
    kind: Kind | None = None,
    description: str | None = None,
    capacity: int | None = None,
    reminder_offsets: tuple[timedelta, ...] = (),
    title_cy: str | None = None,
    description_cy: str | None = None,
) -> EventDraft:
    """A new event's fields, cleaned; a missing title is refused with how to give one."""
    clean_title = clean_line(title, "title", TITLE_MAX)
    if clean_title is None:
        raise UserError("title_missing")
    return EventDraft(
        title=clean_title,
        starts_at=starts_at,
        ends_at=starts_at + (duration or DEFAULT_DURATION),
        place=clean_line(place, "where", PLACE_MAX),
        host=clean_line(host, "host", HOST_MAX),
        region=region,
        kind=kind or Kind.MEETING,
        description=clean_block(description, "description", DESCRIPTION_MAX),
        capacity=check_capacity(capacity),
        reminder_offsets=reminder_offsets,
        title_cy=clean_line(title_cy, "title_cy", TITLE_MAX),
        description_cy=clean_block(description_cy, "description_cy", DESCRIPTION_MAX),
    )


def check_capacity(capacity: int | None) -> int | None:
    if capacity is not None and not 1 <= capacity <= CAPACITY_MAX:
        raise UserError("capacity_out_of_range", limit=CAPACITY_MAX)
    return capacity


def _optional(value: str | None, current: str | None, clean: str | None) -> str | None:
    if value is None:
        return current
    if value.strip() == CLEAR:
        return None
    return clean


def apply_changes(event: Event, changes: EventChanges, now: datetime) -> EventDraft:
    """The event's fields after an edit, checked as a whole.

    Refused: an edit that changes nothing, editing a cancelled or finished event, and
    moving the start into the past. The duration is kept when only the start moves.
    """
    if changes.is_empty():
        raise UserError("edit_nothing")
    if event.cancelled:
        raise UserError("event_cancelled_already", title=event.title)
    if event.has_ended(now):
        raise UserError("event_over", title=event.title)
    starts_at = changes.starts_at or event.starts_at
    duration = changes.duration or event.duration
    title = event.title
    if changes.title is not None:
        title = clean_line(changes.title, "title", TITLE_MAX) or event.title
    return EventDraft(
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + duration,
        place=_optional(changes.place, event.place, clean_line(changes.place, "where", PLACE_MAX)),
        host=_optional(changes.host, event.host, clean_line(changes.host, "host", HOST_MAX)),
        region=changes.region or event.region,
        kind=changes.kind or event.kind,
        description=_optional(
            changes.description,
            event.description,
            clean_block(changes.description, "description", DESCRIPTION_MAX),
        ),
        capacity=check_capacity(changes.capacity) or event.capacity,
        reminder_offsets=(
            event.reminder_offsets if changes.reminder_offsets is None else changes.reminder_offsets
        ),
        title_cy=_optional(
            changes.title_cy, event.title_cy, clean_line(changes.title_cy, "title_cy", TITLE_MAX)
        ),
        description_cy=_optional(
            changes.description_cy,
            event.description_cy,
            clean_block(changes.description_cy, "description_cy", DESCRIPTION_MAX),
        ),
    )


def _compared(fields: Event | EventDraft) -> dict[str, object]:
    return {
        "title": fields.title,
        "time": (fields.starts_at, fields.ends_at),
        "place": fields.place,
        "host": fields.host,
        "region": fields.region,
        "kind": fields.kind,
        "description": fields.description,
        "capacity": fields.capacity,
        "reminders": fields.reminder_offsets,
        "title_cy": fields.title_cy,
        "description_cy": fields.description_cy,
    }


def what_changed(event: Event, draft: EventDraft) -> tuple[str, ...]:
    """Names of the fields an edit really changes, in a stable order."""
    before, after = _compared(event), _compared(draft)
    return tuple(name for name in before if before[name] != after[name])


def check_cancellable(event: Event, now: datetime) -> None:
    if event.cancelled:
        raise UserError("event_cancelled_already", title=event.title)
    if event.has_ended(now):
        raise UserError("event_over", title=event.title)
