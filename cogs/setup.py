"""/setup: the server's settings, for server managers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot import text
from bot.adapters.errors import speak_to
from bot.domain.guilds import DAYS, GuildSettings
from bot.domain.languages import Language
from bot.domain.retention import RETENTION_DEFAULT, RETENTION_MAX
from bot.domain.timeparse import zones_matching
from bot.i18n import ntr, tr
from bot.render.guilds import (
    digest_saved,
    offsets_label,
    redrawing,
    settings_embed,
    timezone_saved,
)
from cogs.common import actor_of, guild_id_of, private
from cogs.welcome import post_panel

if TYPE_CHECKING:
    from bot.client import Bot

Setter = Callable[..., Awaitable[GuildSettings]]  # a GuildService.set_… (guild, actor, value…)
DAY_CHOICES = [Choice(name=day.capitalize(), value=day) for day in DAYS]
MODE_CHOICES = [
    Choice(name="English", value="en"),
    Choice(name="Cymraeg", value="cy"),
    Choice(name="Dwyieithog · Bilingual", value="bilingual"),
]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Setup(
    commands.GroupCog, group_name="setup", group_description="The bot's settings for this server"
):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.service = bot.guild_service

    async def _redraw(self, interaction: discord.Interaction) -> int:
        """Redraw the server's posts that can still change, in its new language or zone."""
        return sum(await self.bot.redraw_posts(guild_id_of(interaction)))

    async def _save(
        self, interaction: discord.Interaction, setter: Setter, *values: Any, **options: Any
    ) -> GuildSettings:
        """Save a setting as the member who asked; a write may wait for the database, so the
        reply is deferred first."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        return await setter(guild_id_of(interaction), actor_of(interaction), *values, **options)

    @app_commands.command(name="show", description="Show the bot's settings for this server")
    async def show(self, interaction: discord.Interaction) -> None:
        settings = await self.service.show(guild_id_of(interaction), actor_of(interaction))
        await private(interaction, embed=lambda: settings_embed(settings))

    @app_commands.command(name="channel", description="Where new events are announced")
    @app_commands.describe(announcements="The channel for event announcements")
    async def channel(
        self, interaction: discord.Interaction, announcements: discord.TextChannel
    ) -> None:
        me = interaction.guild.me if interaction.guild else None
        perms = announcements.permissions_for(me) if me else None
        can_post = perms is None or (
            perms.view_channel and perms.send_messages and perms.embed_links
        )
        await self._save(interaction, self.service.set_channel, announcements.id, can_post=can_post)
        await private(
            interaction, lambda: tr(text.SETUP_SAVED_CHANNEL, channel=announcements.mention)
        )

    @app_commands.command(name="organiser-role", description="The role whose members may organise")
    @app_commands.describe(role="Members with this role can create and manage events and letters")
    async def organiser_role(self, interaction: discord.Interaction, role: discord.Role) -> None:
        await self._save(interaction, self.service.set_organiser_role, role.id)
        await private(interaction, lambda: tr(text.SETUP_SAVED_ORGANISER_ROLE, role=role.mention))

    @app_commands.command(
        name="ping-role", description="The role pinged when an event is announced"
    )
    @app_commands.describe(role="The role to ping; leave empty for no ping")
    async def ping_role(
        self, interaction: discord.Interaction, role: discord.Role | None = None
    ) -> None:
        await self._save(interaction, self.service.set_ping_role, role.id if role else None)
        await private(
            interaction,
            lambda: (
                tr(text.SETUP_SAVED_PING_ROLE, role=role.mention)
                if role
                else tr(text.SETUP_SAVED_NO_PING)
            ),
        )

    @app_commands.command(name="timezone", description="The time zone that typed times are read in")
    @app_commands.describe(zone="An IANA zone name, e.g. Europe/London")
    async def timezone(self, interaction: discord.Interaction, zone: str) -> None:
        settings = await self._save(interaction, self.service.set_timezone, zone)
        # Welsh posts give dates in words in the server's zone; English ones only markup.
        welsh = Language.CY in settings.language.languages
        redrawn = await self._redraw(interaction) if welsh else 0
        await private(
            interaction,
            lambda: "\n".join(
                filter(None, [timezone_saved(settings, self.bot.clock()), redrawing(redrawn)])
            ),
        )

    @timezone.autocomplete("zone")
    async def zone_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        return [Choice(name=zone, value=zone) for zone in zones_matching(current)]

    @app_commands.command(name="reminders", description="Default reminder times before each event")
    @app_commands.describe(offsets="Times before the start, e.g. 7d,1d,1h or 30m")
    async def reminders(self, interaction: discord.Interaction, offsets: str) -> None:
        settings = await self._save(interaction, self.service.set_reminders, offsets)
        await private(
            interaction, lambda: tr(text.SETUP_SAVED_REMINDERS, offsets=offsets_label(settings))
        )

    @app_commands.command(name="digest", description="The weekly 'Coming up in the network' digest")
    @app_commands.describe(
        enabled="Post the digest every week",
        day="The day it posts (default Monday)",
        time="The time it posts, e.g. 09:00 (default 09:00)",
    )
    @app_commands.choices(day=DAY_CHOICES)
    async def digest(
        self,
        interaction: discord.Interaction,
        enabled: bool,
        day: Choice[str] | None = None,
        time: str | None = None,
    ) -> None:
        settings = await self._save(
            interaction, self.service.set_digest, enabled, day.value if day else None, time
        )
        await private(interaction, lambda: digest_saved(settings))

    @app_commands.command(name="language", description="The language of the server's public posts")
    @app_commands.describe(
        mode="en, cy or bilingual (Welsh first); also for members who haven't chosen with /language"
    )
    @app_commands.choices(mode=MODE_CHOICES)
    async def language(self, interaction: discord.Interaction, mode: Choice[str]) -> None:
        settings = await self._save(interaction, self.service.set_language, mode.value)
        interaction.extras.pop("voice", None)  # a member who hasn't chosen now reads the new mode
        await speak_to(interaction)
        redrawn = await self._redraw(interaction)
        await private(
            interaction,
            lambda: "\n".join(
                filter(
                    None,
                    [
                        tr(
                            text.SETUP_SAVED_LANGUAGE,
                            mode=tr(text.MODE_NAMES[settings.language.value]),
                        ),
                        redrawing(redrawn),
                    ],
                )
            ),
        )

    @app_commands.command(
        name="retention", description="How long who answered or signed is kept after the end"
    )
    @app_commands.describe(
        months=f"Whole months after an event ends or a letter closes (1 to {RETENTION_MAX}, "
        f"default {RETENTION_DEFAULT})"
    )
    async def retention(self, interaction: discord.Interaction, months: int) -> None:
        settings = await self._save(interaction, self.service.set_retention, months)
        await private(interaction, lambda: ntr("SETUP_SAVED_RETENTION", settings.retention_months))

    @app_commands.command(
        name="welcome", description="Post or move the welcome panel (server managers)"
    )
    @app_commands.describe(channel="The channel for the welcome panel")
    async def welcome(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        await post_panel(interaction, channel)  # cogs/welcome.py: the panel and its buttons


async def setup(bot: Bot) -> None:
    await bot.add_cog(Setup(bot))
