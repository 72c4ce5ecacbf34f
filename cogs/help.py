"""/help: what the bot does and its commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.render.guilds import help_embed
from cogs.common import private

if TYPE_CHECKING:
    from bot.client import Bot


class Help(commands.Cog):
    @app_commands.command(name="help", description="What the bot does and its commands")
    async def help(self, interaction: discord.Interaction) -> None:
        await private(interaction, embed=lambda: help_embed())


async def setup(bot: Bot) -> None:
    await bot.add_cog(Help())
