"""Events as calendar files (.ics) that calendar apps import, made with the icalendar library.

Times are written in the server's zone with its VTIMEZONE, so a calendar app shows the
wall time organisers meant and the instants stay right across the clock change. The UID is
stable per event and SEQUENCE rises with every edit or cancellation, so re-importing a
file updates the entry instead of duplicating it. Alarms match the event's reminders.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar

from bot import text
from bot.domain.events import Event
from bot.render.common import message_link

PRODUCT = "-//Co-pro Network Bot//EN"
UID_DOMAIN = "copro-network-bot"


def event_uid(event: Event) -> str:
    return f"event-{event.id}@{UID_DOMAIN}"


def _description(event: Event) -> str:
    parts = [event.description or ""]
    if event.host:
        parts.append(text.CALENDAR_HOST.format(host=event.host))
    link = message_link(event.guild_id, event.channel_id, event.message_id)
    if link:
        parts.append(text.CALENDAR_LINK.format(link=link))
    return "\n\n".join(part for part in parts if part)


def _vevent(event: Event, now: datetime, zone: ZoneInfo) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", now)
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    vevent.add("summary", event.title)
    if event.place:
        vevent.add("location", event.place)
    description = _description(event)
    if description:
        vevent.add("description", description)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("sequence", event.sequence)
    vevent.add("created", event.created_at)
    vevent.add("last-modified", event.updated_at)
    for offset in sorted(event.reminder_offsets, reverse=True):
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.title)
        alarm.add("trigger", -offset)
        vevent.add_component(alarm)
    return vevent


def event_calendar(
    events: Sequence[Event],
    *,
    now: datetime,
    tz: str,
    product: str = PRODUCT,
    name: str | None = None,
) -> bytes:
    """One VCALENDAR with a VEVENT per event, times in zone `tz` with its VTIMEZONE."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", product)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    zone = ZoneInfo(tz)
    for event in events:
        calendar.add_component(_vevent(event, now, zone))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_filename(event: Event | None) -> str:
    return f"event-{event.id}.ics" if event is not None else "copro-events.ics"
