"""Events as members see them: announcement embeds, lists, autocomplete labels, replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

import discord

from bot import text
from bot.custom_ids import CALENDAR_BUTTON_ID
from bot.domain.attendance import takes_attendance
from bot.domain.events import Event, Kind, Region
from bot.domain.languages import Language
from bot.domain.rsvps import CANT_EMOJI, GOING_EMOJI, MAYBE_EMOJI, RsvpCounts
from bot.domain.series import Series
from bot.domain.timeparse import format_duration
from bot.i18n import BOTH_INLINE, BOTH_LINES, current, fixed, inline, label, lines, ntr, tr, voice
from bot.render.attendance import add_notes, attend_button, attended_line, notes_text
from bot.render.calendar import calendar_filename, event_calendar
from bot.render.common import (
    CHOICE_NAME_MAX,
    COLOUR_CANCELLED,
    COLOUR_EVENT,
    CONTENT_MAX,
    EMBED_DESCRIPTION_MAX,
    EMBED_TITLE_MAX,
    EMBED_TOTAL_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    clip,
    fit_total,
    local_time,
    message_link,
    public,
    region_name,
    safe,
    share_out,
    ts,
    when_for,
    when_markup,
)
from bot.render.exports import ExportFile

HISTORY_MAX = 10
LIST_FRAME_MAX = 300  # a list's title, filters line and footer, within a message's 6,000


BUTTON_LABEL_MAX = 80


def title_of(event: Event, language: Language | None = None) -> str:
    """The event's title in `language` (default the one being rendered): the Welsh when
    given."""
    welsh = (language or current()) is Language.CY
    return event.title_cy if welsh and event.title_cy else event.title


def description_of(event: Event) -> str | None:
    """The event's description in the language being rendered: the Welsh when given."""
    if current() is Language.CY and event.description_cy:
        return event.description_cy
    return event.description


def event_title(event: Event) -> str:
    title = safe(title_of(event), links=False)
    if event.cancelled:
        title = tr(text.EMBED_CANCELLED_TITLE, title=title)
    return clip(title, EMBED_TITLE_MAX)


def counts_line(event: Event, counts: RsvpCounts) -> str:
    """Live RSVP counts: going (of capacity), maybe, can't, and the waitlist when full."""
    line = tr(text.RSVP_COUNTS, going=going_of(event, counts), maybe=counts.maybe, cant=counts.cant)
    if event.capacity is not None and counts.waitlist:
        line += tr(text.RSVP_COUNTS_WAITLIST, waitlist=counts.waitlist)
    return line


def going_of(event: Event, counts: RsvpCounts) -> str:
    """How many are going, of the capacity when there is one ("17/40")."""
    return f"{counts.going}/{event.capacity}" if event.capacity else str(counts.going)


WAITLIST_MARK = "⏳"


def counts_figures(event: Event, counts: RsvpCounts) -> str:
    """The counts of `counts_line` without its words ("✅ 17/40 · 🤔 4 · ❌ 2"), for a list
    whose legend says them once, in every language."""
    figures = [
        f"{GOING_EMOJI} {going_of(event, counts)}",
        f"{MAYBE_EMOJI} {counts.maybe}",
        f"{CANT_EMOJI} {counts.cant}",
    ]
    if event.capacity is not None and counts.waitlist:
        figures.append(f"{WAITLIST_MARK} {counts.waitlist}")
    return " · ".join(figures)


class EventWords(NamedTuple):
    """What an event's post says of it in one language (`event_words`); the bot's own
    words and what is the same in every language (times, place, host), `event_card` says
    once."""

    language: Language
    title: str
    description: str | None
    ends: str
    attended: str | None
    counts: str | None


def event_words(
    event: Event, counts: RsvpCounts | None = None, now: datetime | None = None
) -> EventWords:
    """The post's words about `event` in the language being rendered; given `now`, an event
    over says how many attended."""
    over = now is not None and event.has_ended(now) and not event.cancelled
    ends = tr(
        text.EMBED_ENDS, end_time=ts(event.ends_at, "t"), duration=format_duration(event.duration)
    )
    return EventWords(
        language=current(),
        title=event_title(event),
        description=description_of(event),
        ends=ends,
        attended=attended_line(event) if over else None,
        counts=counts_line(event, counts) if counts is not None else None,
    )


def event_card(event: Event, said: Sequence[EventWords], tz: str) -> discord.Embed:
    """An event's post (the announcement, and the top of /events info) in the languages of
    `said`, Welsh first: one embed, whose every field is named in each language and says
    once what is the same in all. Titles and descriptions in two languages share their
    room; the whole stays within Discord's 6,000 characters."""
    languages = tuple(words.language for words in said)

    def add(name: str, value: str, *, inline: bool = True) -> None:
        embed.add_field(name=fixed(name, languages), value=value, inline=inline)

    embed = discord.Embed(
        title=share_out([words.title for words in said], EMBED_TITLE_MAX, BOTH_INLINE),
        colour=COLOUR_CANCELLED if event.cancelled else COLOUR_EVENT,
    )
    when = when_for(event.starts_at, languages, tz)
    add(text.EMBED_WHEN, f"{when}\n{inline([words.ends for words in said])}", inline=False)
    if event.place:
        add(text.EMBED_WHERE, safe(event.place))
    if event.host:
        add(text.EMBED_HOST, safe(event.host))
    if event.region:
        add(text.EMBED_REGION, fixed(text.REGION_NAMES[event.region.value], languages))
    add(text.EMBED_KIND, fixed(text.KIND_NAMES[event.kind.value], languages))
    if event.cancelled and event.cancel_reason:
        reason = clip(safe(event.cancel_reason), FIELD_VALUE_MAX)
        add(text.EMBED_CANCELLED_REASON, reason, inline=False)
    if attended := [words.attended for words in said if words.attended]:
        add(text.ATTENDED_FIELD, inline(attended), inline=False)
    if counts := [words.counts for words in said if words.counts]:
        add(text.RSVP_FIELD, lines(counts), inline=False)
        if not event.cancelled:
            embed.set_footer(text=fixed(text.RSVP_HOW, languages, BOTH_LINES))
    descriptions = [safe(words.description) for words in said if words.description]
    if descriptions:
        room = min(EMBED_DESCRIPTION_MAX, EMBED_TOTAL_MAX - len(embed))
        embed.description = share_out(descriptions, room, DESCRIPTIONS_BETWEEN)
    return embed


def event_embed(
    event: Event, counts: RsvpCounts | None = None, *, now: datetime | None = None
) -> discord.Embed:
    """The event's post in the language being rendered (the top of /events info)."""
    return event_card(event, [event_words(event, counts, now)], voice().zone)


DESCRIPTIONS_BETWEEN = "\n\n"  # a description in each language: Welsh, a blank line, English


def announcement_content(ping_role_id: int | None) -> str | None:
    if ping_role_id is None:
        return None
    return tr(text.ANNOUNCE_PING, role=f"<@&{ping_role_id}>")


def announcement_embeds(
    event: Event,
    counts: RsvpCounts,
    languages: Sequence[Language],
    tz: str,
    *,
    now: datetime | None = None,
) -> list[discord.Embed]:
    """The announcement post in the server's mode: one embed in every language of the mode
    (see `event_card`). Given `now`, an event over shows how many attended."""
    return [event_card(event, public(lambda: event_words(event, counts, now), languages, tz), tz)]


def announcement_text(ping_role_id: int | None, languages: Sequence[Language]) -> str | None:
    """The ping above an announcement, in each language of the server's mode."""
    if ping_role_id is None:
        return None
    texts = public(lambda: announcement_content(ping_role_id) or "", languages, "UTC")
    return clip("\n".join(dict.fromkeys(texts)), CONTENT_MAX)


def welsh_missing(event: Event, languages: Sequence[Language]) -> str | None:
    """The organiser's note when the server posts in Welsh and the event lacks some Welsh."""
    if Language.CY not in languages:
        return None
    if event.title_cy and (event.description_cy or not event.description):
        return None
    return tr(text.EVENT_WELSH_MISSING)


def series_lines(event: Event, series: Series, history: Sequence[Event]) -> str:
    """ "Meeting 4 of S. Wales Network Meeting" and who hosted the meetings before."""
    lines = [tr(text.SERIES_PLACE, number=event.series_number, name=safe(series.name))]
    before = [e for e in history if (e.series_number or 0) < (event.series_number or 0)]
    for earlier in before[-HISTORY_MAX:]:
        host = safe(earlier.host) if earlier.host else tr(text.SERIES_NO_HOST)
        line = tr(
            text.SERIES_HISTORY_LINE,
            number=earlier.series_number,
            host=host,
            date=ts(earlier.starts_at, "D"),
        )
        if earlier.cancelled:
            line += " " + tr(text.SERIES_CANCELLED)
        else:
            line += " · " + attended_line(earlier)
        lines.append(line)
    return clip("\n".join(lines), FIELD_VALUE_MAX)


def info_embed(
    event: Event,
    counts: RsvpCounts | None = None,
    series: Series | None = None,
    history: Sequence[Event] = (),
    *,
    now: datetime | None = None,
) -> discord.Embed:
    embed = event_embed(event, counts, now=now)
    add_notes(embed, event)
    if series is not None and event.series_number is not None:
        embed.add_field(
            name=tr(text.SERIES_FIELD), value=series_lines(event, series, history), inline=False
        )
    link = message_link(event.guild_id, event.channel_id, event.message_id)
    created = tr(text.INFO_CREATED, user_id=event.created_by, created=ts(event.created_at, "D"))
    embed.add_field(
        name="\u200b",
        value=f"{created}\n{tr(text.LIST_LINK, link=link) if link else tr(text.NO_POST_LINK)}",
        inline=False,
    )
    return fit_total(embed)


def list_entry(event: Event, room: int = FIELD_NAME_MAX + FIELD_VALUE_MAX) -> tuple[str, str]:
    """One event in a list: (field name, field value), within `room` characters together
    (a page of them must fit in one message): the place and host are cut first, never the
    time or the link."""
    name = clip(safe(title_of(event), links=False), min(FIELD_NAME_MAX, room // 3))
    link = message_link(event.guild_id, event.channel_id, event.message_id)
    after = [tr(text.LIST_LINK, link=link)] if link else []
    member = []
    if event.place:
        member.append(safe(event.place))
    if event.host:
        member.append(tr(text.EMBED_HOST) + " " + safe(event.host))
    notes = notes_text(event)
    if notes:
        member.append(tr(text.NOTES_FIELD) + ": " + notes)
    fixed = " · ".join([when_markup(event.starts_at), *after])
    spare = min(FIELD_VALUE_MAX, room - len(name)) - len(fixed) - len(" · ") * len(member)
    if member and sum(map(len, member)) > spare:
        member = [clip(part, max(spare // len(member), 1)) for part in member]
    parts = [when_markup(event.starts_at), *member, *after]
    return name, clip(" · ".join(parts), FIELD_VALUE_MAX)


def filters_label(region: Region | None, kind: Kind | None) -> str:
    parts = []
    if region is not None:
        parts.append(region_name(region))
    if kind is not None:
        parts.append(tr(text.KIND_NAMES[kind.value]).lower())
    return ", ".join(parts)


def list_embed(
    *,
    past: bool,
    events: list[Event],
    page: int,
    pages: int,
    total: int,
    region: Region | None,
    kind: Kind | None,
) -> discord.Embed:
    filters = filters_label(region, kind)
    embed = discord.Embed(
        title=tr(text.PAST_TITLE) if past else tr(text.UPCOMING_TITLE), colour=COLOUR_EVENT
    )
    if not events:
        empty = tr(text.LIST_EMPTY_PAST) if past else tr(text.LIST_EMPTY_UPCOMING)
        embed.description = empty.format(filters=f" ({filters})" if filters else "")
        return embed
    if filters:
        embed.description = tr(text.LIST_FILTERED, filters=filters)
    room = (EMBED_TOTAL_MAX - LIST_FRAME_MAX) // len(events)
    for event in events:
        name, value = list_entry(event, room)
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=ntr("LIST_PAGE", total, page=page + 1, pages=pages))
    return embed


def choice_label(event: Event, tz: str) -> str:
    """An autocomplete choice: the local start (choices can't show timestamps) and title."""
    label = f"{local_time(event.starts_at, tz, year=True)} · {event.title}"
    if event.cancelled:
        label = f"{tr(text.CHOICE_CANCELLED)} {label}"
    return clip(label, CHOICE_NAME_MAX)


def calendar_button(languages: Sequence[Language] | None = None) -> discord.ui.Button[Any]:
    return discord.ui.Button(
        label=clip(label(text.BUTTON_CALENDAR, languages), BUTTON_LABEL_MAX),
        style=discord.ButtonStyle.secondary,
        custom_id=CALENDAR_BUTTON_ID,
        emoji="📅",
    )


def post_view(
    languages: Sequence[Language] | None = None,
    *,
    event: Event | None = None,
    now: datetime | None = None,
) -> discord.ui.View:
    """The announcement's buttons: the event as a calendar file and, while attendance is
    taken (`event` and `now` given), "I was there".

    Clicks are answered by the persistent view registered in cogs/events.py; this one only
    carries the components, so it is stopped before sending (else discord.py would route
    the post's clicks to it).
    """
    view = discord.ui.View(timeout=None)
    view.add_item(calendar_button(languages))
    if event is not None and now is not None and takes_attendance(event, now):
        view.add_item(attend_button(event.id, languages))
    view.stop()
    return view


def created_reply(
    event: Event, ambiguous_local: datetime | None, posted_in: Sequence[Language] = ()
) -> str:
    """`posted_in`: the server's mode, for a note when the post lacks Welsh it shows."""
    link = message_link(event.guild_id, event.channel_id, event.message_id) or tr(text.NO_POST_LINK)
    reply = tr(
        text.EVENT_CREATED,
        title=safe(event.title),
        when=event.starts_at,
        link=link,
    )
    if ambiguous_local is not None:
        reply += "\n" + tr(text.EVENT_CREATED_AMBIGUOUS, local=f"{ambiguous_local:%H:%M}")
    if note := welsh_missing(event, posted_in):
        reply += "\n" + note
    return reply


def edited_reply(
    event: Event,
    changes: tuple[str, ...],
    reposted: bool,
    ambiguous_local: datetime | None,
    posted_in: Sequence[Language] = (),
) -> str:
    link = message_link(event.guild_id, event.channel_id, event.message_id) or tr(text.NO_POST_LINK)
    if not changes:
        return tr(text.ERRORS["edit_nothing"])
    names = ", ".join(tr(text.CHANGE_NAMES[name]) for name in changes)
    reply = tr(text.EVENT_EDITED, title=safe(event.title), changes=names, link=link)
    if reposted:
        reply += "\n" + tr(text.EVENT_REPOSTED, link=link)
    if ambiguous_local is not None:
        reply += "\n" + tr(text.EVENT_CREATED_AMBIGUOUS, local=f"{ambiguous_local:%H:%M}")
    if note := welsh_missing(event, posted_in):
        reply += "\n" + note
    return reply


def calendar_reply(
    events: Sequence[Event], tz: str, now: datetime, languages: Sequence[Language] = ()
) -> tuple[str, ExportFile | None]:
    """/events calendar's answer: what the file holds, and the file (none without events)."""
    if not events:
        return tr(text.CALENDAR_NONE), None
    one = events[0] if len(events) == 1 else None
    data = event_calendar(
        events,
        now=now,
        tz=tz,
        name=None if one else tr(text.CALENDAR_NAME),
        languages=languages or (Language.EN,),
    )
    message = (
        tr(text.CALENDAR_ONE, title=safe(one.title)) if one else ntr("CALENDAR_ALL", len(events))
    )
    return message, (calendar_filename(one), data)


def cancel_prompt(event: Event, reason: str | None) -> str:
    prompt = tr(text.EVENT_CANCEL_CONFIRM, title=safe(event.title), when=event.starts_at)
    if reason:
        prompt += "\n" + tr(text.EVENT_CANCEL_CONFIRM_REASON, reason=safe(reason))
    return prompt


def cancelled_reply(event: Event) -> str:
    link = message_link(event.guild_id, event.channel_id, event.message_id) or tr(text.NO_POST_LINK)
    return tr(text.EVENT_CANCELLED, title=safe(event.title), link=link)


def rota_label(hosts: Sequence[str], room: int) -> str:
    """A series' hosts in turn within `room` characters: as many as fit, then how many more."""
    if not hosts:
        return tr(text.SERIES_NO_ROTA)
    names = [safe(host) for host in hosts]
    for shown in range(len(names), 0, -1):
        label = ", ".join(names[:shown])
        if shown < len(names):
            label = tr(text.SERIES_ROTA_MORE, hosts=label, count=len(names) - shown)
        if len(label) <= room:
            return label
    return clip(tr(text.SERIES_ROTA_MORE, hosts=names[0], count=len(names) - 1), room)


def series_saved(series: Series, created: bool) -> str:
    """The organiser's reply: the rota (of up to 20 long names) is cut to fit one message."""
    template = tr(text.SERIES_CREATED) if created else tr(text.SERIES_UPDATED)
    fields = {"name": safe(series.name), "next": series.next_number}
    room = CONTENT_MAX - len(template.format(**fields, rota=""))
    return clip(template.format(**fields, rota=rota_label(series.hosts, room)), CONTENT_MAX)
