"""Attendance and meeting notes as members see them: the post's "I was there" button and
count, the organiser's attendance sheet, the notes under an event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import discord

from bot import text
from bot.custom_ids import SheetPage, encode_attend, encode_sheet_select
from bot.domain.attendance import attended
from bot.domain.events import Event
from bot.i18n import Language, current, label, ntr, tr
from bot.render.common import FIELD_VALUE_MAX, clip, safe

SELECT_LABEL_MAX = 100  # a select option's label


def attend_button(
    event_id: int, languages: Sequence[Language] | None = None
) -> discord.ui.Button[Any]:
    """The post's "I was there · Roeddwn i yno" button (answered by the /events cog's
    listener from its custom_id alone, so it works after a restart)."""
    return discord.ui.Button(
        label=label(text.BUTTON_ATTENDED, languages),
        style=discord.ButtonStyle.success,
        custom_id=encode_attend(event_id),
        emoji="🙋",
    )


def attended_line(event: Event) -> str:
    """ "12 attended": members and people not on Discord."""
    return ntr("ATTENDED_COUNT", attended(event))


def pressed_reply(event: Event, given: bool) -> str:
    template = text.ATTENDANCE_MARKED if given else text.ATTENDANCE_UNMARKED
    return tr(template, title=safe(event.title))


def notes_text(event: Event) -> str | None:
    """The notes in the language being rendered (the other language's when only that was
    given), with their link; None without notes."""
    first, second = (
        (event.notes_cy, event.notes_en) if current() == "cy" else (event.notes_en, event.notes_cy)
    )
    paragraph = first or second
    if paragraph is None and event.notes_link is None:
        return None
    parts = [safe(paragraph)] if paragraph else []
    if event.notes_link:
        parts.append(tr(text.NOTES_LINK, link=event.notes_link))
    return clip("\n".join(parts), FIELD_VALUE_MAX)


def add_notes(embed: discord.Embed, event: Event) -> None:
    notes = notes_text(event)
    if notes is not None:
        embed.add_field(name=tr(text.NOTES_FIELD), value=notes, inline=False)


def notes_reply(event: Event, removed: bool, changed: bool) -> str:
    title = safe(event.title)
    if not changed:
        return tr(text.NOTES_UNCHANGED, title=title)
    return tr(text.NOTES_REMOVED if removed else text.NOTES_SAVED, title=title)


def sheet_content(event: Event, listed: int, page: int, pages: int, saved: bool) -> str:
    if not listed:
        return tr(text.ATTENDANCE_SHEET_EMPTY, title=safe(event.title))
    lines = [tr(text.ATTENDANCE_SHEET, title=safe(event.title)), attended_line(event)]
    if pages > 1:
        lines.append(ntr("LIST_PAGE", listed, page=page + 1, pages=pages))
    if saved:
        lines.append(tr(text.ATTENDANCE_SAVED))
    return "\n".join(lines)


def sheet_select(
    event_id: int,
    page: int,
    entries: Sequence[tuple[int, str | None, bool]],
    names: Mapping[int, str],
) -> discord.ui.Select[Any]:
    """One page's menu: each member (name · what they answered), ticked when marked there.
    `entries`: (user id, RSVP status or None, there)."""
    select: discord.ui.Select[Any] = discord.ui.Select(
        custom_id=encode_sheet_select(SheetPage(event_id, page)),
        placeholder=tr(text.ATTENDANCE_PLACEHOLDER),
        min_values=0,
        max_values=len(entries),
    )
    for user_id, status, there in entries:
        name = names.get(user_id) or tr(text.ATTENDANCE_UNKNOWN_MEMBER, user_id=user_id)
        said = tr(text.ATTENDANCE_STATUS[status or "none"])
        select.add_option(
            label=clip(f"{name} · {said}", SELECT_LABEL_MAX),
            value=str(user_id),
            default=there,
        )
    return select
