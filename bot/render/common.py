"""Small pure helpers every renderer uses: timestamps, safe member text, clean cuts, links."""

from __future__ import annotations

from datetime import datetime

import discord

ELLIPSIS = "…"

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
CONTENT_MAX = 2000
CHOICE_NAME_MAX = 100

COLOUR_EVENT = discord.Colour(0x2E8B57)
COLOUR_CANCELLED = discord.Colour(0x808080)
COLOUR_INFO = discord.Colour(0x3B6EA5)


def ts(at: datetime, style: str = "F") -> str:
    """Discord timestamp markup: every reader sees it in their own zone and language."""
    return f"<t:{int(at.timestamp())}:{style}>"


def when_markup(at: datetime) -> str:
    return f"{ts(at, 'F')} ({ts(at, 'R')})"


def clip(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, at a word boundary where one is near."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def safe(text: str) -> str:
    """Member text made harmless: no @everyone/@here, role or user mention can fire."""
    return discord.utils.escape_mentions(text)


def message_link(guild_id: int, channel_id: int, message_id: int | None) -> str | None:
    if message_id is None:
        return None
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def embed_size_ok(*embeds: discord.Embed) -> bool:
    """True when the embeds together respect every Discord limit (used by tests and asserts)."""
    total = 0
    for embed in embeds:
        if len(embed.title or "") > EMBED_TITLE_MAX:
            return False
        if len(embed.description or "") > EMBED_DESCRIPTION_MAX:
            return False
        if len(embed.fields) > EMBED_FIELDS_MAX:
            return False
        for field in embed.fields:
            if len(field.name or "") > FIELD_NAME_MAX or len(field.value or "") > FIELD_VALUE_MAX:
                return False
        if len(embed.footer.text or "") > FOOTER_MAX:
            return False
        total += len(embed)
    return total <= EMBED_TOTAL_MAX and len(embeds) <= 10
