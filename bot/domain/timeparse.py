"""Reading the times, durations and zones members type: pure functions handed `now`.

Every time a member types is read as wall time in the server's zone and stored in UTC. A
wall time the clocks skip (spring) is refused; one that happens twice (autumn) is taken as
the first and flagged, so the reply can say so.

How `parse_when` reads text, in order:

1. `in 2 hours`, `in 90 mins`, `in 1h30m`: exactly that long after `now` (hours and minutes
   only; `in 3 days` has no time of day).
2. Strict forms, read here without dateparser: `YYYY-MM-DD HH:MM`, `YYYY-MM-DDTHH:MM` and
   day-first `DD/MM/YYYY HH:MM` (also `.` or `-` between the numbers), the time also as
   `7pm` or `6:30pm`. A strict form with an impossible date or time is refused outright.
3. Anything else goes to dateparser (English and Welsh, day-first, dates from the future,
   relative to `now` as a wall time in the server zone), and the answer is checked against
   the text: it must carry a clock time (`18:30`, `6pm`, `6:30pm`, `noon`, `midday`,
   `midnight`) and that clock time must be the one dateparser read; a named weekday must be
   the weekday of the date; a bare number (`12`) is not a date.

What the relative words mean (dateparser's reading, pinned by the tests):

- A weekday on that same weekday means next week: on a Friday, `friday 7pm` and
  `next friday 7pm` are both seven days ahead, even before 7pm. `today 7pm`, `tonight 7pm`
  or `this friday 7pm` mean today.
- A date without a year is its next occurrence: on 4 December after 18:00, `4 Dec 6pm` is
  4 December next year. `today 18:00` after 18:00 is in the past and refused.
- A clock time alone (`7pm`) is the next one: today if it is still ahead, else tomorrow.
- `midnight` is 00:00 at the start of the day named: `friday midnight` is the night
  between Thursday and Friday.
- A zone in the text (`7pm GMT`, `18:30Z`, `+01:00`) is accepted only when it agrees with
  the server zone's clock at that moment; abbreviations are ambiguous (dateparser reads
  `IST` as Israel), so one that disagrees is refused rather than guessed at.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import dateparser

from bot.domain.errors import UserError

AHEAD_YEARS = 5
DURATION_MAX = timedelta(days=7)
OFFSET_MIN = timedelta(minutes=1)
OFFSET_MAX = timedelta(days=60)
# An event's or a server's reminder times (SPEC, "Limits that hold everywhere").
REMINDERS_MAX = 6
REMINDER_MIN = timedelta(minutes=5)
REMINDER_MAX = timedelta(days=28)
TEXT_MAX = 100

LANGUAGES = ["en", "cy"]
# RETURN_AS_TIMEZONE_AWARE is left at its default on purpose: the answer is naive (the wall
# time, zoned here) when the text names no zone and aware when it does, so a zone typed in the
# text is checked rather than silently dropped (False would drop it). RELATIVE_BASE is added
# per call: `now` as a naive wall time in the server zone.
DATEPARSER_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "future"}

# am/pm, English and Welsh (y bore / yr hwyr, yr prynhawn).
_AM = r"a\.?m\.?|y\.?b\.?"
_PM = r"p\.?m\.?|y\.?[hp]\.?"
# A clock time: 18:30 (also 6:30pm), or 6pm / 6.30pm / 6:30 pm. A dotted time needs am/pm,
# or `05.06` (5 June) would be a time.
_CLOCK = (
    r"(?P<H>\d{1,2})(?:(?P<colon>:)(?P<M>\d{2})|\.(?P<DM>\d{2}))?(?::\d{2})?"
    rf"\s*(?:(?P<am>{_AM})|(?P<pm>{_PM}))?"
)
CLOCK_TIME = re.compile(rf"(?<![\w:.]){_CLOCK}(?![\w:])", re.IGNORECASE)
STRICT = [
    # 2026-12-03 18:30, 2026-12-03T18:30, 2026-12-03 6:30pm
    re.compile(
        rf"(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?:T|,?\s+(?:at\s+)?){_CLOCK}", re.I
    ),
    # 05/06/2027 10:00, 5.6.2027 10am, 5-6-2027 18:30 (day first)
    re.compile(
        rf"(?P<d>\d{{1,2}})(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}),?\s+(?:at\s+)?{_CLOCK}",
        re.I,
    ),
]
# Words for a clock time, turned into one before dateparser sees them.
NAMED_TIMES = [
    (re.compile(r"\b(?:noon|midday|mid-day|canol dydd|hanner dydd)\b", re.I), "12:00"),
    (re.compile(r"\b(?:midnight|hanner nos)\b", re.I), "00:00"),
]
# Welsh "Awst" (August): dateparser reads it as the zone AWST (UTC+8) and refuses the date.
WELSH_AUGUST = re.compile(r"\bawst\b", re.I)
# Welsh read as English before dateparser sees it: dateparser reads one language a text, so
# "yfory 10yb" (Welsh word, Welsh am) passes but "dydd Mawrth nesaf 7yh" and "yfory am
# 10yb" do not. "nos Iau 7" (Thursday night) and "heno 7" (tonight) take a bare hour as pm.
_WELSH_DAY_NAMES = {
    "monday": "llun|lun",
    "tuesday": "mawrth|fawrth",
    "wednesday": "mercher|fercher",
    "thursday": "iau",
    "friday": "gwener|wener",
    "saturday": "sadwrn",
    "sunday": "sul",
}
_WELSH_DAY = {name: day for day, names in _WELSH_DAY_NAMES.items() for name in names.split("|")}
WELSH_WEEKDAY = re.compile(rf"\b(?:(d?dydd)|nos)\s+({'|'.join(_WELSH_DAY)})(\s+nesaf)?\b", re.I)
_WELSH_MONTH_NAMES = {
    "january": "ionawr|ion",
    "february": "chwefror|chwef",
    "march": "mawrth",
    "april": "ebrill|ebr",
    "may": "mai",
    "june": "mehefin|meh",
    "july": "gorffennaf|gorff",
    "september": "medi",
    "october": "hydref",
    "november": "tachwedd|tach",
    "december": "rhagfyr|rhag",
}
_WELSH_MONTH = {
    name: month for month, names in _WELSH_MONTH_NAMES.items() for name in names.split("|")
}
WELSH_MONTH = re.compile(rf"\b({'|'.join(_WELSH_MONTH)})\b", re.I)
WELSH_WORDS = [
    (re.compile(r"\byfory\b", re.I), "tomorrow"),
    (re.compile(r"\bheddiw\b", re.I), "today"),
    (re.compile(r"\bheno\b", re.I), "today"),
    # "am 7yh" is "at 7pm"; after a number ("10 am") it is English.
    (re.compile(r"(?<!\d)(?<!\d\s)\bam\s+(?=\d)", re.I), "at "),
    (re.compile(r"(?<=\d)\s*y\.?b\.?(?![\w.])", re.I), "am"),
    (re.compile(r"(?<=\d)\s*y\.?[hp]\.?(?![\w.])", re.I), "pm"),
]
WELSH_EVENING = re.compile(r"\b(?:nos|heno)\b", re.I)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# A bare hour (7, 7:30) not followed by am/pm, a month or another number (a day of the month).
BARE_HOUR = re.compile(
    rf"(?<![\w:./-])(\d{{1,2}})(:\d{{2}})?(?![\w:./-])(?!\s*(?:am|pm|{_MONTHS}|\d)\b)", re.I
)


def _welsh_to_english(text: str) -> str:
    """Welsh day, month and time words as English: "nos Iau 7" → "thursday 7pm"."""
    evening = WELSH_EVENING.search(text) is not None
    text = WELSH_WEEKDAY.sub(lambda m: ("next " if m[3] else "") + _WELSH_DAY[m[2].lower()], text)
    text = WELSH_MONTH.sub(lambda m: _WELSH_MONTH[m[1].lower()], text)
    for pattern, replacement in WELSH_WORDS:
        text = pattern.sub(replacement, text)
    if evening:
        text = BARE_HOUR.sub(
            lambda m: f"{m[1]}{m[2] or ''}pm" if 1 <= int(m[1]) <= 11 else m[0], text
        )
    return text


WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS = {
    **{name[:3]: day for day, name in enumerate(WEEKDAY_NAMES)},
    **{
        name: day
        for day, name in enumerate(("llun", "mawrth", "mercher", "iau", "gwener", "sadwrn", "sul"))
    },
}
# English names alone; Welsh ones only after "dydd" ("Mawrth" alone is also March).
WEEKDAY = re.compile(
    r"\b(?:(mon(?:day)?|tues?(?:day)?|wed(?:nesday|s)?|thu(?:rs?)?(?:day)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)|dydd\s+(llun|mawrth|mercher|iau|gwener|sadwrn|sul))\b",
    re.I,
)
# ISO's `T` between date and time, and `Z` for UTC, spelt so dateparser and CLOCK_TIME see them.
ISO_T = re.compile(r"(?<=\d)T(?=\d)")
ISO_Z = re.compile(r"(?<=\d)Z\b")
JUNK_AFTER_CLOCK = re.compile(r"[\d\s,]*")

UNIT = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 60),
    **dict.fromkeys(("d", "day", "days"), 1440),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 10080),
}
# At most six digits an amount: anything longer is a typo, and unbounded numbers overflow.
AMOUNT = re.compile(r"(?<![\d.])(\d{1,6}(?:\.\d{1,3})?)\s*([a-z]+)")
OFFSET = re.compile(r"(\d{1,6})\s*([a-z]+)")
HUGE_NUMBER = re.compile(r"\d{7,}")  # an amount past six digits: out of range, whatever unit
OFFSET_SEPARATOR = re.compile(r",|\band\b", re.I)
IN_AMOUNT = re.compile(r"in\s+(.+)", re.I)
TIME_OF_DAY = re.compile(rf"{_CLOCK}|(?P<named>noon|midday|midnight)", re.I)


@dataclass(frozen=True)
class ParsedWhen:
    at: datetime  # aware, UTC
    ambiguous: bool  # the local time happened twice (autumn) and the first was taken
    local: datetime  # aware, in the server zone: what was understood


# ---------------------------------------------------------------------------- zones


@cache
def _all_zones() -> tuple[str, ...]:
    """Every zone a server may choose: not the system's "localtime" or tzdata's "Factory"."""
    return tuple(sorted(zoneinfo.available_timezones() - {"localtime", "Factory"}))


@cache
def _zones_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in _all_zones()}


def canonical_zone(zone: str) -> str:
    """The proper IANA name for `zone` (any case, spaces for underscores)."""
    key = zone.strip().replace(" ", "_").lower()
    name = _zones_by_lower().get(key)
    if name is None:
        raise UserError("timezone_unknown", zone=zone.strip()[:TEXT_MAX])
    return name


def zones_matching(text: str, limit: int = 25) -> list[str]:
    """Zone names containing `text` (any case, spaces for underscores), those starting
    with it first, then alphabetically; at most `limit`."""
    needle = text.strip().lower().replace(" ", "_")
    found = [zone for zone in _all_zones() if needle in zone.lower()]
    found.sort(key=lambda zone: (not zone.lower().startswith(needle), zone))
    return found[:limit]


def parse_zone(zone: str) -> ZoneInfo:
    """The zone an IANA name (any case) names; `timezone_unknown` otherwise."""
    return ZoneInfo(canonical_zone(zone))


# ---------------------------------------------------------------------------- start times


def _clock(match: re.Match[str]) -> tuple[int, int] | None:
    """The (hour, minute) of a `_CLOCK` match, or None when it is not a time of day."""
    hour = int(match["H"])
    minute_text = match["M"] or match["DM"]
    meridian = "am" if match["am"] else "pm" if match["pm"] else ""
    if not meridian and not match["colon"]:
        return None  # a bare number, or a dotted pair: not a clock time on its own
    minute = int(minute_text or 0)
    if meridian:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridian == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def localise(naive: datetime, zone: ZoneInfo, typed: str) -> tuple[datetime, bool]:
    """Attach the zone to a wall time: refuse one the clocks skip, take the first of two."""
    first = naive.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise UserError(
            "when_nonexistent", text=typed, local=f"{naive:%Y-%m-%d %H:%M}", tz=zone.key
        )
    second = naive.replace(tzinfo=zone, fold=1)
    return first, first.utcoffset() != second.utcoffset()


def _years_later(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _in_amount(typed: str) -> timedelta | None:
    """`in 2 hours` / `in 90m` / `in 1h30m` as a length of time; None for anything else."""
    match = IN_AMOUNT.fullmatch(typed)
    if match is None:
        return None
    amounts = _amounts(match[1])
    if amounts is None or any(UNIT[unit] >= UNIT["d"] for _, unit in amounts):
        return None
    return timedelta(minutes=round(sum(number * UNIT[unit] for number, unit in amounts)))


def _strict(typed: str, shown: str) -> datetime | None:
    """A strict numeric form read here; None when the text is not one."""
    for pattern in STRICT:
        match = pattern.fullmatch(typed)
        if match is None:
            continue
        clock = _clock(match)
        if clock is None and not match["colon"] and not (match["am"] or match["pm"]):
            continue  # `2026-12-03 18` is not a strict form; let the fallback judge it
        try:
            if clock is None:
                raise ValueError
            return datetime(  # noqa: DTZ001 - a wall time, zoned by the caller
                int(match["y"]), int(match["m"]), int(match["d"]), *clock
            )
        except ValueError:
            raise UserError("when_unreadable", text=shown) from None
    return None


def _free_text(typed: str, shown: str, local_now: datetime) -> datetime:
    """Free text through dateparser, checked against the text; naive or (zone named) aware."""
    text = ISO_Z.sub(" UTC", ISO_T.sub(" ", typed))
    for pattern, replacement in NAMED_TIMES:
        text = pattern.sub(replacement, text)
    text = _welsh_to_english(WELSH_AUGUST.sub("August", text))
    # Whole English weekday names: dateparser misses "weds", "thur", "thurs".
    text = WEEKDAY.sub(lambda m: WEEKDAY_NAMES[WEEKDAYS[m[1][:3].lower()]] if m[1] else m[0], text)
    clocks = {clock for m in CLOCK_TIME.finditer(text) if (clock := _clock(m)) is not None}
    rest = CLOCK_TIME.sub(lambda m: " " if _clock(m) else m[0], text)
    if rest.strip() and JUNK_AFTER_CLOCK.fullmatch(rest):
        raise UserError("when_unreadable", text=shown)  # "12", "1200", "12 10am"
    try:
        found = dateparser.parse(
            text,
            languages=LANGUAGES,
            settings={**DATEPARSER_SETTINGS, "RELATIVE_BASE": local_now},
        )
    except (ValueError, OverflowError, TypeError):
        found = None
    if found is None:
        raise UserError("when_unreadable", text=shown)
    if not clocks:
        raise UserError("when_no_time", text=shown)
    if (found.hour, found.minute) not in clocks:
        raise UserError("when_unreadable", text=shown)  # dateparser read some other time
    for match in WEEKDAY.finditer(text):
        named = match[1][:3] if match[1] else match[2]
        if WEEKDAYS[named.lower()] != found.weekday():
            raise UserError("when_unreadable", text=shown)  # "Friday 3 Dec" on a Thursday
    return found.replace(second=0, microsecond=0)


def parse_when(text: str, now: datetime, tz: str) -> ParsedWhen:
    """A start time typed by a member, read as wall time in zone `tz`; `now` is aware."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    typed = " ".join(text.split())
    if not typed:
        raise UserError("when_empty")
    shown = typed[:TEXT_MAX]
    if len(typed) > TEXT_MAX:
        raise UserError("when_unreadable", text=shown)
    zone = parse_zone(tz)
    now = now.astimezone(UTC)

    ambiguous = False
    soon = _in_amount(typed)
    if soon is not None:
        at = now + soon
        local = at.astimezone(zone)
    else:
        found = _strict(typed, shown)
        if found is None:
            local_now = now.astimezone(zone).replace(tzinfo=None)
            found = _free_text(typed, shown, local_now)
        try:
            if found.tzinfo is None:
                local, ambiguous = localise(found, zone, shown)
                at = local.astimezone(UTC)
            else:
                at = found.astimezone(UTC)
                local = at.astimezone(zone)
                if local.utcoffset() != found.utcoffset():
                    raise UserError("when_unreadable", text=shown)  # a zone not the server's
        except OverflowError:
            raise UserError("when_unreadable", text=shown) from None  # year 1 or 9999

    if at <= now:
        raise UserError("when_past", text=shown, at=at)
    if at > _years_later(now, AHEAD_YEARS):
        raise UserError("when_too_far", text=shown, at=at)
    return ParsedWhen(at=at, ambiguous=ambiguous, local=local)


# ---------------------------------------------------------------------------- durations


def _amounts(text: str) -> list[tuple[float, str]] | None:
    """`1h 30m`, `2 hours and 15 minutes` as (number, unit) pairs; None if anything is left."""
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
    if HUGE_NUMBER.search(text) and _amounts(HUGE_NUMBER.sub("1", text)) is not None:
        raise UserError("duration_out_of_range", text=shown)
    if shown.startswith("-"):
        if _amounts(shown[1:]) is None:
            raise UserError("duration_unreadable", text=shown)
        raise UserError("duration_out_of_range", text=shown)
    amounts = _amounts(text)
    if amounts is None:
        raise UserError("duration_unreadable", text=shown)
    minutes = round(sum(number * UNIT[unit] for number, unit in amounts))
    if not 0 < minutes <= DURATION_MAX // timedelta(minutes=1):
        raise UserError("duration_out_of_range", text=shown)
    return timedelta(minutes=minutes)


def format_duration(duration: timedelta) -> str:
    """`2h`, `1h30m`, `45m`, `1d`, `1d2h`: reads back with `parse_duration`."""
    minutes = int(duration // timedelta(minutes=1))
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
    return "".join(parts) or "0m"


# ---------------------------------------------------------------------------- reminder offsets


def _offset_pieces(text: str, out_of_range: str) -> list[tuple[str, int]]:
    """Each comma- (or "and"-) separated piece as typed, with its minutes; `out_of_range`
    names the refusal for an amount too big to be a reminder time."""
    shown = text.strip()[:TEXT_MAX]
    if HUGE_NUMBER.search(text) and OFFSET.fullmatch(HUGE_NUMBER.sub("1", text).strip().lower()):
        raise UserError(out_of_range, text=shown)
    pieces = []
    for piece in OFFSET_SEPARATOR.split(text.lower()):
        match = OFFSET.fullmatch(piece.strip())
        if match is None or match[2] not in UNIT:
            raise UserError("offsets_unreadable", text=shown)
        pieces.append((" ".join(piece.split()), int(match[1]) * UNIT[match[2]]))
    return pieces


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    """Times before a start: `7d,1d,1h`, `30m`, `2h, 1d`; largest first, no repeats.

    Pieces are separated by commas (or "and"); each is one whole amount of m, h, d or w
    (`30 mins`, `2 hours`, `1 week` also read). Each must be at least 1 minute and at most
    60 days. This is how a member's own `/reminders add before` and stored times are read;
    times typed for an event or a server follow `parse_reminder_offsets`.
    """
    shown = text.strip()[:TEXT_MAX]
    minutes_each = [minutes for _, minutes in _offset_pieces(text, "offset_out_of_range")]
    low, high = OFFSET_MIN // timedelta(minutes=1), OFFSET_MAX // timedelta(minutes=1)
    if any(not low <= minutes <= high for minutes in minutes_each):
        raise UserError("offset_out_of_range", text=shown)
    return tuple(timedelta(minutes=m) for m in sorted(set(minutes_each), reverse=True))


def reminder_offsets_problem(offsets: Sequence[timedelta]) -> str | None:
    """Why an event's or a server's reminder times break the rule (at most six, each from 5
    minutes to 28 days, none twice), as the refusal's key; None when they keep it."""
    if len(offsets) > REMINDERS_MAX:
        return "offsets_too_many"
    if any(not REMINDER_MIN <= offset <= REMINDER_MAX for offset in offsets):
        return "reminders_out_of_range"
    if len(set(offsets)) != len(offsets):
        return "offsets_repeated"
    return None


def parse_reminder_offsets(text: str) -> tuple[timedelta, ...]:
    """The reminder times of an event or a server (`reminders:` on /events create and edit,
    /setup reminders): read like `parse_offsets`, then held to the rule: at most six, each
    from 5 minutes to 28 days before the start, and no time given twice (`1d,24h`). Largest
    first. Bounded work: a long list is refused, never planned."""
    shown = text.strip()[:TEXT_MAX]
    pieces = _offset_pieces(text, "reminders_out_of_range")
    offsets = [timedelta(minutes=minutes) for _, minutes in pieces]
    problem = reminder_offsets_problem(offsets)
    if problem == "offsets_too_many":
        raise UserError(problem, text=shown, count=len(offsets), limit=REMINDERS_MAX)
    if problem == "offsets_repeated":
        seen: dict[int, list[str]] = {}
        for typed, minutes in pieces:
            seen.setdefault(minutes, []).append(typed)
        twice = next(typed for typed in seen.values() if len(typed) > 1)
        # The typed pieces: the renderer joins them with its language's "and".
        raise UserError(problem, text=shown, same=tuple(twice))
    if problem is not None:
        raise UserError(problem, text=shown)
    return tuple(sorted(offsets, reverse=True))


def _largest_unit(offset: timedelta) -> str:
    minutes = int(offset // timedelta(minutes=1))
    for unit, size in (("d", 1440), ("h", 60)):
        if minutes and minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def format_offsets(offsets: Iterable[timedelta]) -> str:
    """The canonical text of reminder offsets, e.g. `7d,1d,1h`; reads back with parse_offsets."""
    return ",".join(_largest_unit(offset) for offset in sorted(set(offsets), reverse=True))


# ---------------------------------------------------------------------------- time of day


def parse_time_of_day(text: str) -> time:
    """A wall time of day: `09:00`, `9am`, `9:30pm`, `21:15`, `noon`, `midnight`."""
    typed = " ".join(text.split())
    match = TIME_OF_DAY.fullmatch(typed)
    if match is not None and match["named"]:
        return time(0, 0) if match["named"].lower() == "midnight" else time(12, 0)
    clock = _clock(match) if match is not None else None
    if clock is None:
        raise UserError("time_of_day_unreadable", text=typed[:TEXT_MAX])
    return time(*clock)
