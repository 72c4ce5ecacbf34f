"""/language: a member's own language, for everything the bot says to them alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot import text
from bot.i18n import set_voice, tr
from cogs.common import guild_id_of, private

if TYPE_CHECKING:
    from bot.client import Bot

# Each language by its own name: a member who reads only one finds theirs.
LANGUAGE_CHOICES = [Choice(name="Cymraeg", value="cy"), Choice(name="English", value="en")]


class Language(commands.Cog):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    @app_commands.command(name="language", description="The language I answer you in")
    @app_commands.describe(language="Cymraeg or English")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    @app_commands.guild_only()
    async def language(self, interaction: discord.Interaction, language: Choice[str]) -> None:
        guild_id = guild_id_of(interaction)
        chosen = await self.bot.language_service.choose(
            guild_id, interaction.user.id, language.value
        )
        # The answer is already in the language just chosen.
        voice = await self.bot.language_service.voice(guild_id, interaction.user.id)
        interaction.extras["voice"] = voice
        set_voice(voice)
        name = tr(text.LANGUAGE_NAMES[chosen.value])
        await private(interaction, lambda: tr(text.LANGUAGE_SAVED, language=name))


async def setup(bot: Bot) -> None:
    await bot.add_cog(Language(bot))
