"""Reminders and the weekly digest as members see them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import discord

from bot import text
from bot.domain.events import Event
from bot.domain.languages import Language
from bot.domain.reminders import Reminder
from bot.domain.rsvps import RsvpCounts
from bot.domain.timeparse import format_offsets
from bot.i18n import BOTH_INLINE, BOTH_LINES, fixed, lines, ntr, tr
from bot.render.common import (
    CHOICE_NAME_MAX,
    COLOUR_EVENT,
    CONTENT_MAX,
    EMBED_DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    clip,
    local_time,
    message_link,
    public,
    safe,
    share_out,
    when_for,
)
from bot.render.events import counts_figures, counts_line, title_of

DIGEST_FIELDS_MAX = 25


def reminder_post(
    event: Event, counts: RsvpCounts, unreachable: Sequence[int], room: int = CONTENT_MAX
) -> str:
    """The channel post of an automatic reminder, within `room` characters. Members are
    named with mentions that the bot sends with pings switched off."""
    content = tr(
        text.REMINDER_POST,
        title=safe(title_of(event)),
        at=event.starts_at,
        counts=counts_line(event, counts),
    )
    link = message_link(event.guild_id, event.channel_id, event.message_id)
    if link:
        content += f"\n{link}"
    if unreachable:
        names = ", ".join(f"<@{user_id}>" for user_id in unreachable)
        content += "\n" + tr(text.REMINDER_UNREACHABLE, members=names)
    return clip(content, room)


def reminder_content(
    event: Event,
    counts: RsvpCounts,
    unreachable: Sequence[int],
    languages: Sequence[Language],
    tz: str,
) -> str:
    """The reminder post in the server's mode: each language in turn, Welsh first, within
    one message's 2,000 characters."""
    room = (CONTENT_MAX - len(languages) + 1) // len(languages)
    texts = public(lambda: reminder_post(event, counts, unreachable, room), languages, tz)
    return clip("\n".join(dict.fromkeys(texts)), CONTENT_MAX)


def digest_embeds(
    items: Sequence[tuple[Event, RsvpCounts]], languages: Sequence[Language], tz: str
) -> list[discord.Embed]:
    """The weekly digest in the server's mode: one embed that lists each event once, with
    its title in every language of the mode (Welsh first), so readers of either language
    see the same events. The time, place, link and counts are the same in every language
    and said once; the counts' words are said once, in the footer, with how many events
    did not fit (25 fields, or 6,000 characters) and where to find them."""
    shown = items[:DIGEST_FIELDS_MAX]
    waitlist = any(event.capacity is not None and counts.waitlist for event, counts in shown)
    languages = tuple(languages)
    legend = text.DIGEST_LEGEND_WAITLIST if waitlist else text.DIGEST_LEGEND
    legend_text = fixed(legend, languages, BOTH_LINES)
    embed = discord.Embed(title=fixed(text.DIGEST_TITLE, languages), colour=COLOUR_EVENT)
    embed.set_footer(text=legend_text)
    word = fixed(text.LIST_LINK_WORD, languages)
    total = len(embed)
    for event, counts in shown:
        details = [safe(event.place)] if event.place else []
        details.append(counts_figures(event, counts))
        link = message_link(event.guild_id, event.channel_id, event.message_id)
        if link:
            details.append(f"[{word}]({link})")
        titles = dict.fromkeys(title_of(event, language) for language in languages)
        name = share_out(
            [safe(title, links=False) for title in titles], FIELD_NAME_MAX, BOTH_INLINE
        )
        when = when_for(event.starts_at, languages, tz)
        value = clip(f"{when}\n{' · '.join(details)}", FIELD_VALUE_MAX)
        if total + len(name) + len(value) > EMBED_TOTAL_MAX:
            break
        total += len(name) + len(value)
        embed.add_field(name=name, value=value, inline=False)
    while more := len(items) - len(embed.fields):  # say how many did not fit, and where
        told = lines(public(lambda: ntr("DIGEST_MORE", more), languages, tz))
        footer = f"{legend_text}\n{told}"
        if total - len(legend_text) + len(footer) <= EMBED_TOTAL_MAX or not embed.fields:
            embed.set_footer(text=footer)
            break
        last = embed.fields[-1]
        total -= len(last.name or "") + len(last.value or "")
        embed.remove_field(-1)
    return [embed]


def before_label(offset: timedelta) -> str:
    return format_offsets([offset])


def added_reply(event: Event, reminder: Reminder) -> str:
    return tr(
        text.REMINDER_ADDED,
        before=before_label(reminder.offset),
        title=safe(event.title),
        due=reminder.due_at,
    )


def mine_choice(title: str, reminder: Reminder, tz: str) -> str:
    """One of a member's reminders as an autocomplete choice (local time: no timestamps)."""
    label = tr(
        text.REMINDER_CHOICE,
        before=before_label(reminder.offset),
        title=title,
        due=local_time(reminder.due_at, tz),
    )
    return clip(label, CHOICE_NAME_MAX)


MINE_TITLE_MAX = 100


def mine_embed(mine: Sequence[tuple[str, Reminder]]) -> discord.Embed:
    """A member's own reminders, soonest first: as many as one embed holds, then how many
    more there are (all of them stay in `/reminders cancel`'s list as you type)."""
    lines: list[str] = []
    for shown, (title, reminder) in enumerate(mine):
        line = tr(
            text.REMINDERS_MINE_LINE,
            title=clip(safe(title), MINE_TITLE_MAX),
            before=before_label(reminder.offset),
            due=reminder.due_at,
        )
        rest = len(mine) - shown - 1
        more = tr(text.REMINDERS_MINE_MORE, count=rest) if rest else ""
        if len("\n".join([*lines, line, more])) > EMBED_DESCRIPTION_MAX:
            lines.append(tr(text.REMINDERS_MINE_MORE, count=len(mine) - shown))
            break
        lines.append(line)
    return discord.Embed(title=tr(text.REMINDERS_MINE_TITLE), description="\n".join(lines))
