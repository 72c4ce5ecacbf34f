"""The welcome panel: its text in the server's languages, its buttons' words."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot import text
from bot.domain.languages import Language
from bot.i18n import label, tr
from bot.render.common import COLOUR_INFO, fit_together, public


def welcome_embed(feed: bool) -> discord.Embed:
    """One language's panel (run once per language of the server's mode)."""
    body = tr(text.WELCOME_BODY)
    if feed:
        body += "\n\n" + tr(text.WELCOME_FEED)
    return discord.Embed(title=tr(text.WELCOME_TITLE), description=body, colour=COLOUR_INFO)


def welcome_embeds(languages: Sequence[Language], tz: str, *, feed: bool) -> list[discord.Embed]:
    """The panel in the server's mode: bilingual is Welsh, then English."""
    return fit_together(public(lambda: welcome_embed(feed), languages, tz))


def welcome_labels(languages: Sequence[Language], *, feed: bool) -> list[tuple[str, str]]:
    """(action, words) of each button, in order; the language buttons each in their own."""
    labels = [
        ("cy", text.WELCOME_BUTTON_CY),
        ("en", text.WELCOME_BUTTON_EN),
        ("join", label(text.BUTTON_WELCOME_JOIN, languages)),
        ("ping", label(text.BUTTON_WELCOME_PING, languages)),
    ]
    if feed:
        labels.append(("feed", label(text.BUTTON_WELCOME_FEED, languages)))
    return labels
