"""Events as calendar files (.ics) that calendar apps import, made with the icalendar library.

Times are written in the server's zone (`DTSTART;TZID=Europe/London:…`) with a VTIMEZONE for
that zone, rather than in UTC. Why: calendar apps then show the event in the zone the
organisers meant (and say so), the file is valid RFC 5545 (every TZID has its VTIMEZONE, the
omission Outlook rejects), and the instants stay right on both sides of a clock change.
UTC (`…Z`) is the other portable choice and is used for the one thing a zone's wall time
cannot say: the second run of the hour repeated when clocks go back (01:30 GMT on
31 October 2027), which RFC 5545 reads as the first run, an hour early.

The UID is stable per event and SEQUENCE rises with every edit or cancellation, so
importing a newer file updates the entry instead of duplicating it. Alarms match the event's
reminders. Member text is escaped by the library (commas, semicolons, newlines, emoji).

A Welsh or bilingual server's calendar carries the Welsh (`languages`, the server's mode):
SUMMARY (and the alarms) in the mode's first language, DESCRIPTION in each, Welsh first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from bot import text
from bot.domain.events import Event
from bot.domain.languages import Language
from bot.i18n import current, each, speaking, tr
from bot.render.common import message_link

PRODUCT = "-//Co-pro Network Bot//EN"
UID_DOMAIN = "copro-network-bot"
ALL_EVENTS_FILENAME = "copro-events.ics"


def event_uid(event: Event) -> str:
    """The same for every file of one event, so calendars update it rather than add another."""
    return f"event-{event.id}@{UID_DOMAIN}"


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError(f"naive datetime {at!r}: calendar times must be aware")
    return at.astimezone(UTC)


def _wall(at: datetime, zone: ZoneInfo) -> datetime:
    """`at` in the server's zone, or in UTC when its wall time would be read as another instant.

    Wall times in the hour repeated when clocks go back are read as the first run (RFC 5545
    §3.3.5), so an instant in the second run is written in UTC.
    """
    local = _utc(at).astimezone(zone)
    if local.utcoffset() != local.replace(fold=0).utcoffset():
        return _utc(at)
    return local


ENGLISH = (Language.EN,)
LANGUAGES_APART = "\n\n—\n\n"  # between the Welsh and the English of a description


def _welsh(language: Language, welsh: str | None, english: str) -> str:
    return welsh if language is Language.CY and welsh else english


def _summary(event: Event, languages: Sequence[Language]) -> str:
    return _welsh(languages[0], event.title_cy, event.title)


def _description(event: Event, language: Language = Language.EN) -> str:
    parts = []
    if event.cancelled and event.cancel_reason:
        parts.append(f"{tr(text.EMBED_CANCELLED_REASON)}: {event.cancel_reason}")
    parts.append(_welsh(language, event.description_cy, event.description or ""))
    if event.host:
        parts.append(tr(text.CALENDAR_HOST, host=event.host))
    notes = _welsh(language, event.notes_cy, event.notes_en or event.notes_cy or "")
    if notes:
        parts.append(f"{tr(text.NOTES_FIELD)}: {notes}")
    if event.notes_link:
        parts.append(tr(text.NOTES_ICS_LINK, link=event.notes_link))
    link = message_link(event.guild_id, event.channel_id, event.message_id)
    if link:
        parts.append(tr(text.CALENDAR_LINK, link=link))
    return "\n\n".join(part for part in parts if part)


def _descriptions(event: Event, languages: Sequence[Language], zone: ZoneInfo) -> str:
    """The description in each language, Welsh first; a repeat is given once."""
    with speaking(languages[0], zone=zone.key):
        texts = each(lambda: _description(event, current()), languages)
    return LANGUAGES_APART.join(t for t in dict.fromkeys(texts) if t)


def _vevent(
    event: Event, now: datetime, zone: ZoneInfo, languages: Sequence[Language] = ENGLISH
) -> icalendar.Event:
    summary = _summary(event, languages)
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", _utc(now))
    vevent.add("dtstart", _wall(event.starts_at, zone))
    vevent.add("dtend", _wall(event.ends_at, zone))
    vevent.add("summary", summary)
    if event.place:
        vevent.add("location", event.place)
    description = _descriptions(event, languages, zone)
    if description:
        vevent.add("description", description)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("sequence", event.sequence)
    vevent.add("created", _utc(event.created_at))
    vevent.add("last-modified", _utc(event.updated_at))
    for offset in sorted(event.reminder_offsets, reverse=True):
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", -offset)  # relative to DTSTART
        vevent.add_component(alarm)
    return vevent


def _zone_years(events: Sequence[Event], zone: ZoneInfo) -> tuple[date, date]:
    """Whole years covering every start, end and alarm: the span the VTIMEZONE describes.

    A compact VTIMEZONE (about 20 lines a year) instead of the library's 1970–2038 default,
    which is 60 lines of dates and stops at 2038.
    """
    earliest = min(
        event.starts_at - max(event.reminder_offsets, default=timedelta(0)) for event in events
    )
    latest = max(event.ends_at for event in events)
    first = _utc(earliest).astimezone(zone).year
    last = _utc(latest).astimezone(zone).year
    return date(first, 1, 1), date(last + 1, 1, 1)


def event_calendar(
    events: Sequence[Event],
    *,
    now: datetime,
    tz: str,
    product: str = PRODUCT,
    name: str | None = None,
    refresh: timedelta | None = None,
    languages: Sequence[Language] = ENGLISH,
) -> bytes:
    """One VCALENDAR (METHOD:PUBLISH) with a VEVENT per event, in order.

    Start and end are written in zone `tz` with its VTIMEZONE (UTC only for an instant in the
    repeated hour when clocks go back): see the module's docstring for why. `now` is the
    DTSTAMP; `name`, when given, becomes X-WR-CALNAME, the name calendar apps show.
    `refresh`, for a subscribed feed, is how often calendar apps should fetch it again
    (REFRESH-INTERVAL, RFC 7986, and Outlook's X-PUBLISHED-TTL).

    The same generator serves `/events calendar` files and the live feeds (bot/web/feeds.py),
    so both carry the same UIDs, SEQUENCE, STATUS and alarms. A feed passes the time of the
    latest change as `now`, so the same content is the same bytes (and the same ETag).
    `languages` is the server's mode (see the module's docstring).
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", product)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", icalendar.vDuration(refresh))
    zone = ZoneInfo(tz)
    for event in events:
        calendar.add_component(_vevent(event, now, zone, languages or ENGLISH))
    if events:
        first, last = _zone_years(events, zone)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def calendar_filename(event: Event | None) -> str:
    """`event-12.ics` for one event, `copro-events.ics` for all upcoming."""
    return f"event-{event.id}.ics" if event is not None else ALL_EVENTS_FILENAME
