"""Dates in Welsh words, in the server's zone: Discord's `<t:…>` markup renders in the
reader's client language, which is never Welsh, so Welsh text states the date itself.

    welsh_datetime(at, "Europe/London")  → "Dydd Iau, 3 Rhagfyr 2026 am 18:30"
    welsh_date(at, "Europe/London")      → "Dydd Iau, 3 Rhagfyr 2026"

Names come from CLDR through Babel (locale `cy`); the wall time is the zone's at that
instant, so the same instant reads an hour apart either side of a clock change.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date

WELSH = "cy"
DATETIME_PATTERN = "EEEE, d MMMM y 'am' HH:mm"
DATE_PATTERN = "EEEE, d MMMM y"


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def _capital(text: str) -> str:
    """CLDR gives "Dydd Iau" today; a day name in lower case would still start the line."""
    return text[:1].upper() + text[1:]


@cache
def _names(width: str = "wide") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """CLDR's Welsh day names (Monday first) and month names (January first), `wide`
    ("Dydd Iau", "Rhagfyr") or `abbreviated` ("Iau", "Rhag"), read once."""
    locale = Locale.parse(WELSH)
    days = locale.days["format"][width]
    months = locale.months["format"][width]
    return tuple(days[n] for n in range(7)), tuple(months[n] for n in range(1, 13))


@cache
def _line_days() -> tuple[str, ...]:
    """The wide day names as a line starts with them (see `_capital`)."""
    return tuple(_capital(day) for day in _names()[0])


def welsh_datetime(at: datetime, tz: str | ZoneInfo) -> str:
    """An aware instant as Welsh words in zone `tz`: "Dydd Iau, 3 Rhagfyr 2026 am 18:30".

    DATETIME_PATTERN written out with CLDR's names (as Babel's format_datetime gives it,
    tests/render/test_public_languages.py checks, at a fraction of the cost: every Welsh
    post states its dates so)."""
    if at.tzinfo is None:
        raise ValueError("at must be an aware datetime")
    local = at.astimezone(_zone(tz))
    months = _names()[1]
    return (
        f"{_line_days()[local.weekday()]}, {local.day} {months[local.month - 1]} {local.year} "
        f"am {local.hour:02d}:{local.minute:02d}"
    )


def welsh_date(day: date | datetime, tz: str | ZoneInfo | None = None) -> str:
    """A day in Welsh words: "Dydd Iau, 3 Rhagfyr 2026". An aware datetime is first put in
    zone `tz` (required then), so the day is the server's, not UTC's."""
    if isinstance(day, datetime):
        if day.tzinfo is None or tz is None:
            raise ValueError("a datetime needs to be aware and to come with its zone")
        day = day.astimezone(_zone(tz)).date()
    return _capital(format_date(day, DATE_PATTERN, locale=WELSH))


SHORT_PATTERN = "EEE d MMM HH:mm"
SHORT_YEAR_PATTERN = "EEE d MMM y, HH:mm"
ENGLISH_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ENGLISH_MONTHS = (
    *("Jan", "Feb", "Mar", "Apr", "May", "Jun"),
    *("Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
)


def short_datetime(at: datetime, tz: str | ZoneInfo, *, welsh: bool, year: bool = False) -> str:
    """A short local time for where no timestamp markup shows (autocomplete, buttons):
    "Thu 3 Dec 18:30" / "Iau 3 Rhag 18:30" (with `year`: "Thu 3 Dec 2026, 18:30").

    SHORT_PATTERN and SHORT_YEAR_PATTERN written out (the Welsh with CLDR's names, as
    Babel's format_datetime gives them; English without the process's locale): an
    autocomplete list states 25 of them."""
    local = at.astimezone(_zone(tz))
    days, months = _names("abbreviated") if welsh else (ENGLISH_DAYS, ENGLISH_MONTHS)
    day = f"{days[local.weekday()]} {local.day} {months[local.month - 1]}"
    clock = f"{local.hour:02d}:{local.minute:02d}"
    return f"{day} {local.year}, {clock}" if year else f"{day} {clock}"
