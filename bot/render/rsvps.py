"""Attendee lists as organisers see them: a private embed (the CSV file is in exports)."""

from __future__ import annotations

from collections.abc import Mapping

import discord

from bot import text
from bot.domain.events import Event
from bot.domain.rsvps import Rsvp, RsvpCounts, RsvpStatus
from bot.i18n import tr
from bot.render.common import (
    COLOUR_INFO,
    EMBED_TITLE_MAX,
    FIELD_VALUE_MAX,
    clip,
    safe,
    ts,
)

SECTIONS = (
    (RsvpStatus.GOING, text.ATTENDEES_GOING),
    (RsvpStatus.MAYBE, text.ATTENDEES_MAYBE),
    (RsvpStatus.CANT, text.ATTENDEES_CANT),
    (RsvpStatus.WAITLIST, text.ATTENDEES_WAITLIST),
)


def _lines(rows: list[Rsvp], numbered: bool, erased: int = 0) -> str:
    """How many the server's retention erased (counted, never named), then mentions (they
    render as names in an embed and never ping) with when each answered, as many as fit in
    one field."""
    if not rows and not erased:
        return tr(text.ATTENDEES_NONE)
    lines: list[str] = [tr(text.ATTENDEES_ERASED, count=erased)] if erased else []
    for number, row in enumerate(rows, start=1):
        prefix = f"{number}. " if numbered else ""
        line = f"{prefix}<@{row.user_id}> · {ts(row.responded_at, 'R')}"
        more = tr(text.ATTENDEES_MORE, count=len(rows) - number + 1)
        if len("\n".join([*lines, line, more])) > FIELD_VALUE_MAX:
            lines.append(more)
            break
        lines.append(line)
    return "\n".join(lines)


def attendees_embed(
    event: Event, by_status: Mapping[RsvpStatus, list[Rsvp]], counts: RsvpCounts
) -> discord.Embed:
    """Who answered, by answer; answers the server's retention erased are counted only."""
    embed = discord.Embed(
        title=clip(tr(text.ATTENDEES_TITLE, title=safe(event.title, links=False)), EMBED_TITLE_MAX),
        colour=COLOUR_INFO,
    )
    for status, heading in SECTIONS:
        if status is RsvpStatus.WAITLIST and event.capacity is None:
            continue
        rows = by_status.get(status, [])
        total = getattr(counts, status.value)
        embed.add_field(
            name=heading.format(count=total),
            value=_lines(rows, status is RsvpStatus.WAITLIST, erased=max(total - len(rows), 0)),
            inline=False,
        )
    return embed
