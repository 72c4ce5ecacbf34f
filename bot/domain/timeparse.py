"""Reading the times, durations and zones members type: pure functions handed `now`.

Every time a member types is read as wall time in the server's zone and stored in UTC. A
wall time the clocks skip (spring) is refused; one that happens twice (autumn) is taken as
the first and flagged, so the reply can say so.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import dateparser

from bot.domain.errors import UserError

MAX_AHEAD = timedelta(days=5 * 366)
DURATION_MAX = timedelta(days=7)
OFFSET_MIN = timedelta(minutes=1)
OFFSET_MAX = timedelta(days=60)
TEXT_MAX = 100

ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[ T]+(?P<H>\d{1,2})[:.](?P<M>\d{2})")
# A clock time: 18:30, 6:30pm, 6pm, 6.30pm, 10 am, noon, midday, midnight; or "in 2 hours".
CLOCK_TIME = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{1,2}(?:[.:]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])"
    r"|\b(?:noon|midday|midnight|canol dydd|hanner nos)\b"
    r"|\bin\s+\d+\s*(?:h|hrs?|hours?|m|mins?|minutes?)\b",
    re.IGNORECASE,
)
UNIT = {
    "m": 1,
    "min": 1,
    "mins": 1,
    "minute": 1,
    "minutes": 1,
    "h": 60,
    "hr": 60,
    "hrs": 60,
    "hour": 60,
    "hours": 60,
    "d": 1440,
    "day": 1440,
    "days": 1440,
    "w": 10080,
    "week": 10080,
    "weeks": 10080,
}
AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
OFFSET = re.compile(r"(\d+)\s*([mhdw])")
TIME_OF_DAY = re.compile(
    r"(?P<H>\d{1,2})(?:[:.](?P<M>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?", re.IGNORECASE
)


@dataclass(frozen=True)
class ParsedWhen:
    at: datetime  # aware, UTC
    ambiguous: bool  # the local time happened twice (autumn) and the first was taken
    local: datetime  # aware, in the server zone: what was understood


def parse_zone(zone: str) -> ZoneInfo:
    return ZoneInfo(canonical_zone(zone))


@cache
def _zones_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def canonical_zone(zone: str) -> str:
    """The proper IANA name for `zone` (any case, spaces for underscores)."""
    key = zone.strip().replace(" ", "_").lower()
    name = _zones_by_lower().get(key)
    if name is None:
        raise UserError("timezone_unknown", zone=zone.strip()[:TEXT_MAX])
    return name


def localise(naive: datetime, zone: ZoneInfo, typed: str) -> tuple[datetime, bool]:
    """Attach the zone to a wall time: refuse one the clocks skip, take the first of two."""
    first = naive.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise UserError(
            "when_nonexistent", text=typed, local=f"{naive:%Y-%m-%d %H:%M}", tz=zone.key
        )
    second = naive.replace(tzinfo=zone, fold=1)
    return first, first.utcoffset() != second.utcoffset()


def _parse_naive(text: str, local_now: datetime) -> datetime | None:
    match = ISO.fullmatch(text)
    if match:
        try:
            return datetime(  # noqa: DTZ001 - a wall time, zoned by the caller
                int(match["y"]), int(match["m"]), int(match["d"]), int(match["H"]), int(match["M"])
            )
        except ValueError:
            return None
    return dateparser.parse(
        text,
        languages=["en", "cy"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": local_now,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


def parse_when(text: str, now: datetime, tz: str) -> ParsedWhen:
    """A start time typed by a member, read in zone `tz`; `now` is aware."""
    typed = " ".join(text.split())
    if not typed:
        raise UserError("when_empty")
    shown = typed[:TEXT_MAX]
    if len(typed) > TEXT_MAX:
        raise UserError("when_unreadable", text=shown)
    zone = parse_zone(tz)
    local_now = now.astimezone(zone).replace(tzinfo=None)
    try:
        naive = _parse_naive(typed, local_now)
    except (ValueError, OverflowError):
        naive = None
    if naive is None:
        raise UserError("when_unreadable", text=shown)
    if not ISO.fullmatch(typed) and not CLOCK_TIME.search(typed):
        raise UserError("when_no_time", text=shown)
    naive = naive.replace(second=0, microsecond=0, tzinfo=None)
    local, ambiguous = localise(naive, zone, shown)
    at = local.astimezone(UTC)
    if at <= now:
        raise UserError("when_past", text=shown, at=at)
    if at - now > MAX_AHEAD:
        raise UserError("when_too_far", text=shown, at=at)
    return ParsedWhen(at=at, ambiguous=ambiguous, local=local)


def _amounts(text: str) -> list[tuple[float, str]] | None:
    compact = text.strip().lower().replace(" and ", " ").replace(",", " ")
    if not compact:
        return None
    parts = AMOUNT.findall(compact)
    rest = AMOUNT.sub("", compact).strip()
    if not parts or rest or any(unit not in UNIT for _, unit in parts):
        return None
    return [(float(number), unit) for number, unit in parts]


def parse_duration(text: str) -> timedelta:
    """How long an event lasts: `2h`, `90m`, `1h30m`, `1.5h`, `2 hours`; more than 0, at most 7d."""
    shown = text.strip()[:TEXT_MAX]
    if shown.startswith("-"):
        raise UserError("duration_out_of_range", text=shown)
    amounts = _amounts(text)
    if amounts is None:
        raise UserError("duration_unreadable", text=shown)
    minutes = sum(number * UNIT[unit] for number, unit in amounts)
    duration = timedelta(minutes=round(minutes))
    if duration <= timedelta(0) or duration > DURATION_MAX:
        raise UserError("duration_out_of_range", text=shown)
    return duration


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    """Reminder offsets before a start: `7d,1d,1h`, `30m`; sorted largest first, no repeats."""
    shown = text.strip()[:TEXT_MAX]
    pieces = [piece.strip().lower() for piece in text.split(",")]
    if not text.strip() or any(not OFFSET.fullmatch(piece) for piece in pieces):
        raise UserError("offsets_unreadable", text=shown)
    offsets = set()
    for piece in pieces:
        match = OFFSET.fullmatch(piece)
        assert match is not None
        offset = timedelta(minutes=int(match[1]) * UNIT[match[2]])
        if not OFFSET_MIN <= offset <= OFFSET_MAX:
            raise UserError("offset_out_of_range", text=shown)
        offsets.add(offset)
    return tuple(sorted(offsets, reverse=True))


def _largest_unit(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    for unit, size in (("d", 1440), ("h", 60)):
        if minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def format_offsets(offsets: Iterable[timedelta]) -> str:
    """The canonical text of reminder offsets, e.g. `7d,1d,1h`; round-trips with parse."""
    return ",".join(_largest_unit(offset) for offset in sorted(offsets, reverse=True))


def format_duration(duration: timedelta) -> str:
    """`2h`, `1h30m`, `45m`, `1d`, `1d2h`."""
    minutes = int(duration.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
    return "".join(parts) or "0m"


def parse_time_of_day(text: str) -> time:
    """A wall time of day: `09:00`, `9am`, `9:30pm`, `21:15`."""
    match = TIME_OF_DAY.fullmatch(text.strip())
    if match is None:
        raise UserError("time_of_day_unreadable", text=text.strip()[:TEXT_MAX])
    hour, minute = int(match["H"]), int(match["M"] or 0)
    ampm = (match["ampm"] or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise UserError("time_of_day_unreadable", text=text.strip()[:TEXT_MAX])
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    elif match["M"] is None:
        raise UserError("time_of_day_unreadable", text=text.strip()[:TEXT_MAX])
    if hour > 23 or minute > 59:
        raise UserError("time_of_day_unreadable", text=text.strip()[:TEXT_MAX])
    return time(hour, minute)
