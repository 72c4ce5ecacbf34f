"""Date polls as members see them: the post, its buttons' labels, lists and replies.

Every time is a Discord timestamp (each reader sees it in their own zone), except the
buttons' labels, which Discord shows as plain text: those are written in the server's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot import text
from bot.domain.events import Event
from bot.domain.languages import Language
from bot.domain.polls import Poll, PollCounts, PollOption
from bot.i18n import current, inline, ntr, tr
from bot.i18n.dates import short_datetime
from bot.render.common import (
    CHOICE_NAME_MAX,
    COLOUR_CANCELLED,
    EMBED_TITLE_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    clip,
    fit_together,
    local_time,
    message_link,
    public,
    safe,
    ts,
    when_markup,
)

COLOUR_POLL = discord.Colour(0xD4A017)
BUTTON_LABEL_MAX = 80


def link(poll: Poll) -> str:
    return message_link(poll.guild_id, poll.channel_id, poll.message_id) or tr(text.NO_POST_LINK)


def answered(counts: PollCounts) -> str:
    """ "3 members" """
    return ntr("MEMBER_WORDS", counts.members)


def option_time(option: PollOption, tz: str) -> str:
    """The option's time as plain text in the server's zone, in the language being
    rendered: "Thu 10 Dec 18:30", "Iau 10 Rhag 18:30" (never strftime's English in Welsh)."""
    if current() is Language.CY:
        return short_datetime(option.starts_at, tz, welsh=True)
    return option.starts_at.astimezone(ZoneInfo(tz)).strftime(text.POLL_LOCAL_FORMAT)


def option_label(option: PollOption, tz: str, languages: Sequence[Language] | None = None) -> str:
    """A button's label: "1. Thu 10 Dec 18:30", in the server's zone; with `languages` the
    time in each ("1. Iau 10 Rhag 18:30 · Thu 10 Dec 18:30")."""
    local = (
        inline(public(lambda: option_time(option, tz), languages, tz))
        if languages
        else option_time(option, tz)
    )
    return clip(tr(text.POLL_BUTTON_LABEL, number=option.position, local=local), BUTTON_LABEL_MAX)


def option_lines(poll: Poll, counts: PollCounts) -> str:
    lines = []
    for option in poll.options:
        template = (
            text.POLL_OPTION_WINNER
            if option.position == poll.winner_position
            else text.POLL_OPTION_LINE
        )
        lines.append(
            tr(
                template,
                number=option.position,
                at=option.starts_at,
                count=counts.of(option.position),
            )
        )
    return "\n".join(lines)


def poll_title(poll: Poll, now: datetime) -> str:
    title = safe(poll.title, links=False)
    if poll.is_closed(now):
        title = tr(text.POLL_CLOSED_TITLE, title=title)
    return clip(title, EMBED_TITLE_MAX)


def poll_embed(poll: Poll, counts: PollCounts, now: datetime) -> discord.Embed:
    closed = poll.is_closed(now)
    if not closed:
        head = tr(text.POLL_HOW)
    elif poll.winner is not None:
        head = tr(
            text.POLL_CLOSED_WINNER,
            closed_rel=ts(poll.closed_at or now, "R"),
            at=poll.winner.starts_at,
        )
    else:
        head = tr(text.POLL_CLOSED_NONE, closed_rel=ts(poll.closed_at or now, "R"))
    embed = discord.Embed(
        title=poll_title(poll, now),
        description=f"{head}\n\n{option_lines(poll, counts)}",
        colour=COLOUR_CANCELLED if closed else COLOUR_POLL,
    )
    embed.add_field(name=tr(text.POLL_ANSWERED), value=answered(counts), inline=True)
    if not closed:
        closes = when_markup(poll.closes_at) if poll.closes_at else tr(text.POLL_OPEN_UNTIL_CLOSED)
        embed.add_field(name=tr(text.POLL_CLOSES), value=closes, inline=True)
    footer = tr(text.POLL_FOOTER_CLOSED) if closed else tr(text.POLL_FOOTER_OPEN)
    embed.set_footer(text=footer.format(id=poll.id))
    return embed


def poll_embeds(
    poll: Poll, counts: PollCounts, now: datetime, languages: Sequence[Language], tz: str
) -> list[discord.Embed]:
    """The poll's post in the server's mode: an embed per language, Welsh first, within
    6,000 characters together."""
    return fit_together(public(lambda: poll_embed(poll, counts, now), languages, tz))


def choice_label(poll: Poll, now: datetime) -> str:
    """An autocomplete choice: plain text."""
    label = poll.title
    if poll.is_closed(now):
        label = f"{label} {tr(text.POLL_CHOICE_CLOSED)}"
    return clip(label, CHOICE_NAME_MAX)


# --- replies -------------------------------------------------------------------------------


def created_reply(poll: Poll, ambiguous: Sequence[datetime]) -> str:
    reply = ntr("POLL_CREATED", len(poll.options), title=safe(poll.title), link=link(poll))
    if poll.closes_at is not None:
        reply += "\n" + tr(
            text.POLL_CREATED_CLOSES,
            at=poll.closes_at,
        )
    if ambiguous:
        shown = ", ".join(local_time(local, str(local.tzinfo)) for local in ambiguous)
        reply += "\n" + tr(text.POLL_CREATED_AMBIGUOUS, locals=shown)
    return reply


def pressed_reply(
    poll: Poll, option: PollOption, given: bool, choices: Sequence[PollOption]
) -> str:
    template = text.POLL_PRESSED_GIVEN if given else text.POLL_PRESSED_TAKEN_BACK
    reply = tr(template, at=option.starts_at)
    title = safe(poll.title)
    if choices:
        times = ", ".join(ts(o.starts_at, "F") for o in choices)
        reply += "\n" + tr(text.POLL_PRESSED_CHOICES, title=title, times=times)
    else:
        reply += "\n" + tr(text.POLL_PRESSED_NONE, title=title)
    return reply


def close_prompt(poll: Poll, counts: PollCounts) -> str:
    return tr(text.POLL_CLOSE_CONFIRM, title=safe(poll.title), answered=answered(counts))


def closed_reply(
    poll: Poll, counts: PollCounts, *, now_closed: bool, event_link: str | None
) -> str:
    """What /poll close answers: the result, and whether Announce is still to press."""
    title = safe(poll.title)
    best = poll.winner
    if best is None:
        template = text.POLL_CLOSED_REPLY_NONE if now_closed else text.POLL_WAS_CLOSED_NONE
        return tr(template, title=title)
    template = text.POLL_CLOSED_REPLY if now_closed else text.POLL_WAS_CLOSED
    reply = tr(
        template,
        title=title,
        at=best.starts_at,
        count=counts.of(best.position),
        members=counts.members,
    )
    if poll.announced_event_id is not None:
        if event_link is not None:
            reply += "\n" + tr(text.POLL_ANNOUNCED_ALREADY_LINE, link=event_link)
    else:
        reply += "\n" + tr(text.POLL_ANNOUNCE_HOW, button=text.BUTTON_POLL_ANNOUNCE)
    return reply


def event_link(event: Event) -> str:
    return message_link(event.guild_id, event.channel_id, event.message_id) or tr(text.NO_POST_LINK)


def announced_reply(poll: Poll, event: Event | None, *, already: bool) -> str:
    if event is None:
        return tr(text.POLL_ANNOUNCED_GONE, title=safe(poll.title))
    if already:
        return tr(text.POLL_ANNOUNCED_BEFORE, title=safe(poll.title), link=event_link(event))
    return tr(
        text.POLL_ANNOUNCED_REPLY,
        title=safe(event.title),
        when=event.starts_at,
        link=event_link(event),
    )


def list_embed(shown: Sequence[tuple[Poll, PollCounts]], total: int) -> discord.Embed:
    embed = discord.Embed(title=tr(text.POLLS_TITLE), colour=COLOUR_POLL)
    if not shown:
        embed.description = tr(text.POLLS_EMPTY)
        return embed
    for poll, counts in shown:
        closes = (
            tr(text.POLLS_CLOSES, at_rel=ts(poll.closes_at, "R"))
            if poll.closes_at
            else tr(text.POLLS_NO_CLOSE)
        )
        post = message_link(poll.guild_id, poll.channel_id, poll.message_id)
        value = tr(
            text.POLLS_LINE,
            times=ntr("POLL_TIME_WORDS", len(poll.options)),
            answered=answered(counts),
            closes=closes,
            link=f" · {post}" if post else "",
        )
        embed.add_field(
            name=clip(safe(poll.title, links=False), FIELD_NAME_MAX),
            value=clip(value, FIELD_VALUE_MAX),
            inline=False,
        )
    if total > len(shown):
        embed.set_footer(text=tr(text.POLLS_MORE, count=total - len(shown)))
    return embed
