"""/network: members saying which organisation they're from, and the network's figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot import text
from bot.domain.events import Region
from bot.i18n import tr
from bot.render.common import CHOICE_NAME_MAX, clip
from bot.render.network import joined_reply, stats_embed
from cogs.common import guild_id_of, private
from cogs.events import REGION_CHOICES

if TYPE_CHECKING:
    from bot.client import Bot


@app_commands.guild_only()
class Network(commands.GroupCog, group_name="network", group_description="The network's members"):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.service = bot.network_service

    async def organisations(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        names = await self.service.organisations(guild_id_of(interaction), current)
        return [Choice(name=clip(n, CHOICE_NAME_MAX), value=n[:100]) for n in names]

    @app_commands.command(name="join", description="Join the network list, or change your details")
    @app_commands.describe(
        organisation="The organisation you work for or with", region="Where you mostly work"
    )
    @app_commands.choices(region=REGION_CHOICES)
    @app_commands.autocomplete(organisation=organisations)
    async def join(
        self,
        interaction: discord.Interaction,
        organisation: app_commands.Range[str, 1, 100],
        region: Choice[str] | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
        profile, new = await self.service.join(
            guild_id_of(interaction),
            interaction.user.id,
            organisation,
            Region(region.value) if region else None,
        )
        await private(interaction, joined_reply(profile, new))

    @app_commands.command(name="leave", description="Leave the network list")
    async def leave(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
        await self.service.leave(guild_id_of(interaction), interaction.user.id)
        await private(interaction, tr(text.NETWORK_LEFT))

    @app_commands.command(name="stats", description="How many of us, from how many organisations")
    async def stats(self, interaction: discord.Interaction) -> None:
        stats = await self.service.stats(guild_id_of(interaction))
        await private(interaction, embed=stats_embed(stats))


async def setup(bot: Bot) -> None:
    await bot.add_cog(Network(bot))
