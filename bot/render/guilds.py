"""Server settings and help as members see them."""

from __future__ import annotations

from datetime import datetime

import discord

from bot import text
from bot.domain.guilds import GuildSettings
from bot.domain.timeparse import format_offsets
from bot.i18n import ntr, tr
from bot.render.common import (
    COLOUR_INFO,
    ELLIPSIS,
    FIELD_VALUE_MAX,
    escape_markdown,
    local_time,
)


def _channel(channel_id: int | None) -> str:
    return f"<#{channel_id}>" if channel_id else tr(text.SETUP_NOT_SET)


def _role(role_id: int | None, unset: str) -> str:
    return f"<@&{role_id}>" if role_id else unset


def offsets_label(settings: GuildSettings, limit: int = FIELD_VALUE_MAX) -> str:
    """The server's reminder times as code, within `limit`: a long list (stored before the
    rule of six) is cut after its last whole time, and "…" shows the cut."""
    shown = format_offsets(settings.reminder_offsets)
    room = limit - 2  # the backticks
    if len(shown) > room:
        shown = shown[: room - len(ELLIPSIS)]
        shown = shown[: shown.rfind(",") + 1] + ELLIPSIS
    return "`" + shown + "`"


def _zone(settings: GuildSettings) -> str:
    """The zone's name as written: the underscores in America/Port_of_Spain are not italics."""
    return escape_markdown(settings.tz)


def _digest_when(settings: GuildSettings) -> dict[str, str]:
    return {
        "day": tr(text.DAY_NAMES[settings.digest_day]),
        "time": f"{settings.digest_time:%H:%M}",
        "tz": _zone(settings),
    }


def digest_label(settings: GuildSettings) -> str:
    if not settings.digest_enabled:
        return tr(text.SETUP_DIGEST_OFF)
    return tr(text.SETUP_DIGEST_ON, **_digest_when(settings))


def settings_embed(settings: GuildSettings) -> discord.Embed:
    embed = discord.Embed(title=tr(text.SETUP_TITLE), colour=COLOUR_INFO)
    embed.add_field(name=tr(text.SETUP_CHANNEL), value=_channel(settings.announcements_channel_id))
    embed.add_field(
        name=tr(text.SETUP_ORGANISER_ROLE),
        value=_role(settings.organiser_role_id, tr(text.SETUP_NOT_SET))
        + "\n"
        + tr(text.SETUP_ORGANISERS_NOTE),
    )
    embed.add_field(
        name=tr(text.SETUP_PING_ROLE), value=_role(settings.ping_role_id, tr(text.SETUP_NO_PING))
    )
    embed.add_field(name=tr(text.SETUP_TIMEZONE), value=_zone(settings))
    embed.add_field(name=tr(text.SETUP_REMINDERS), value=offsets_label(settings))
    embed.add_field(name=tr(text.SETUP_DIGEST), value=digest_label(settings))
    embed.add_field(
        name=tr(text.SETUP_RETENTION),
        value=ntr("SETUP_RETENTION_VALUE", settings.retention_months),
        inline=False,
    )
    mirror = (
        tr(text.SETUP_MIRROR_OFF, problem=settings.mirror_problem)
        if settings.mirror_problem
        else tr(text.SETUP_MIRROR_ON)
    )
    embed.add_field(name=tr(text.SETUP_MIRROR), value=mirror, inline=False)
    embed.add_field(
        name=tr(text.SETUP_LANGUAGE), value=tr(text.MODE_NAMES[settings.language.value])
    )
    return embed


def timezone_saved(settings: GuildSettings, now: datetime) -> str:
    """Saved, with the time there now in the reader's language ("Mon 7 Dec 15:40")."""
    return tr(text.SETUP_SAVED_TIMEZONE, tz=_zone(settings), local=local_time(now, settings.tz))


def redrawing(posts: int) -> str:
    """The line under a saved language or zone: the posts being redrawn in it (none: "")."""
    return ntr("SETUP_REDRAWING", posts) if posts else ""


def digest_saved(settings: GuildSettings) -> str:
    if not settings.digest_enabled:
        return tr(text.SETUP_SAVED_DIGEST_OFF)
    return tr(text.SETUP_SAVED_DIGEST_ON, **_digest_when(settings))


def help_embed() -> discord.Embed:
    embed = discord.Embed(
        title=tr(text.HELP_TITLE), description=tr(text.HELP_INTRO), colour=COLOUR_INFO
    )
    embed.add_field(name=tr(text.HELP_EVERYONE), value=tr(text.HELP_EVERYONE_LINES), inline=False)
    embed.add_field(
        name=tr(text.HELP_ORGANISERS), value=tr(text.HELP_ORGANISER_LINES), inline=False
    )
    embed.add_field(name=tr(text.HELP_LETTERS), value=tr(text.HELP_LETTER_LINES), inline=False)
    embed.add_field(name=tr(text.HELP_POLLS), value=tr(text.HELP_POLL_LINES), inline=False)
    embed.add_field(
        name=tr(text.HELP_ATTENDANCE), value=tr(text.HELP_ATTENDANCE_LINES), inline=False
    )
    embed.add_field(name=tr(text.HELP_LANGUAGES), value=tr(text.HELP_LANGUAGE_LINES), inline=False)
    embed.add_field(name=tr(text.HELP_NETWORK), value=tr(text.HELP_NETWORK_LINES), inline=False)
    embed.add_field(name=tr(text.HELP_ADMINS), value=tr(text.HELP_ADMIN_LINES), inline=False)
    embed.set_footer(text=tr(text.HELP_FOOTER))
    return embed
