"""Dates in Welsh words, in the server's zone: Discord's `<t:…>` markup renders in the
reader's client language, which is never Welsh, so Welsh text states the date itself.

    welsh_datetime(at, "Europe/London")  → "Dydd Iau, 3 Rhagfyr 2026 am 18:30"
    welsh_date(at, "Europe/London")      → "Dydd Iau, 3 Rhagfyr 2026"

Names come from CLDR through Babel (locale `cy`); the wall time is the zone's at that
instant, so the same instant reads an hour apart either side of a clock change.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

WELSH = "cy"
DATETIME_PATTERN = "EEEE, d MMMM y 'am' HH:mm"
DATE_PATTERN = "EEEE, d MMMM y"


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def _capital(text: str) -> str:
    """CLDR gives "Dydd Iau" today; a day name in lower case would still start the line."""
    return text[:1].upper() + text[1:]


def welsh_datetime(at: datetime, tz: str | ZoneInfo) -> str:
    """An aware instant as Welsh words in zone `tz`: "Dydd Iau, 3 Rhagfyr 2026 am 18:30"."""
    if at.tzinfo is None:
        raise ValueError("at must be an aware datetime")
    local = at.astimezone(_zone(tz))
    return _capital(format_datetime(local, DATETIME_PATTERN, tzinfo=local.tzinfo, locale=WELSH))


def welsh_date(day: date | datetime, tz: str | ZoneInfo | None = None) -> str:
    """A day in Welsh words: "Dydd Iau, 3 Rhagfyr 2026". An aware datetime is first put in
    zone `tz` (required then), so the day is the server's, not UTC's."""
    if isinstance(day, datetime):
        if day.tzinfo is None or tz is None:
            raise ValueError("a datetime needs to be aware and to come with its zone")
        day = day.astimezone(_zone(tz)).date()
    return _capital(format_date(day, DATE_PATTERN, locale=WELSH))
