"""RSVPs by reaction: the gateway's reaction and permission events, handed to the reaction
workers (bot/runtime/rsvp_workers.py) that apply them and carry out what they call for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.ext import commands

if TYPE_CHECKING:
    from bot.client import Bot


class Rsvps(commands.Cog):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.workers = bot.rsvp_workers

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.workers.take(payload, added=True)

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        self.workers.take(payload, added=False)

    @commands.Cog.listener()
    async def on_guild_channel_update(
        self, before: discord.abc.GuildChannel, after: discord.abc.GuildChannel
    ) -> None:
        self.workers.retry_where_allowed(after.guild)

    @commands.Cog.listener()
    async def on_guild_role_update(self, before: discord.Role, after: discord.Role) -> None:
        self.workers.retry_where_allowed(after.guild)

    @commands.Cog.listener()
    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        if self.bot.user is not None and after.id == self.bot.user.id:
            self.workers.retry_where_allowed(after.guild)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """A new gateway session (not a RESUME): reactions made meanwhile were never sent."""
        self.workers.new_session()


async def setup(bot: Bot) -> None:
    await bot.add_cog(Rsvps(bot))
