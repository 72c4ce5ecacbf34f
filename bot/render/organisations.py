"""Organisation records as members see them: the paged list, an edit's reply, a merge."""

from __future__ import annotations

import discord

from bot import text
from bot.domain.organisations import Merged, Organisation, OrganisationPage
from bot.i18n import current, ntr, tr
from bot.render.common import (
    CHOICE_NAME_MAX,
    COLOUR_INFO,
    EMBED_DESCRIPTION_MAX,
    clip,
    fit_total,
    safe,
)


def shown(organisation: Organisation) -> str:
    """The record's name in the language being spoken (its Welsh name in Welsh)."""
    return organisation.shown(current())


def choice_name(organisation: Organisation) -> str:
    """An autocomplete entry: the name in the reader's language, the other one after it."""
    name = shown(organisation)
    other = organisation.welsh_name if name == organisation.name else organisation.name
    if other and other != name:
        name = f"{name} · {other}"
    return clip(name, CHOICE_NAME_MAX)


def organisations_embed(page: OrganisationPage) -> discord.Embed:
    embed = discord.Embed(title=tr(text.ORGANISATIONS_TITLE), colour=COLOUR_INFO)
    if not page.rows:
        embed.description = tr(text.ORGANISATIONS_EMPTY)
        return embed
    lines = []
    for row in page.rows:
        line = tr(
            text.ORGANISATIONS_LINE,
            name=safe(shown(row.organisation)),
            members=ntr("MEMBER_WORDS", row.members),
        )
        others = [n for n in row.organisation.names() if n != shown(row.organisation)]
        if others:
            line += " · " + tr(text.ORGANISATIONS_ALSO, names=safe(", ".join(others)))
        lines.append(clip(line, 300))
    embed.description = clip("\n".join(lines), EMBED_DESCRIPTION_MAX)
    embed.set_footer(
        text=tr(
            text.ORGANISATIONS_FOOTER,
            page=page.page,
            pages=page.pages,
            organisations=ntr("LETTER_ORGANISATION_WORDS", page.total),
        )
    )
    return fit_total(embed)


def saved_reply(organisation: Organisation) -> str:
    lines = [tr(text.ORGANISATION_SAVED, name=safe(organisation.name))]
    if organisation.welsh_name:
        lines.append(tr(text.ORGANISATION_WELSH, welsh=safe(organisation.welsh_name)))
    if organisation.aliases:
        lines.append(tr(text.ORGANISATION_ALIASES, aliases=safe(", ".join(organisation.aliases))))
    return "\n".join(lines)


def merge_prompt(source: Organisation, into: Organisation) -> str:
    return tr(text.ORGANISATION_MERGE_PROMPT, source=safe(shown(source)), into=safe(shown(into)))


def merged_reply(merged: Merged) -> str:
    return tr(
        text.ORGANISATION_MERGED,
        source=safe(merged.from_name),
        into=safe(shown(merged.into)),
        members=ntr("MEMBER_WORDS", merged.members),
        signatures=ntr("LETTER_SIGNATURE_WORDS", merged.signatures),
        events=ntr("ORGANISATION_EVENT_WORDS", merged.events),
    )
