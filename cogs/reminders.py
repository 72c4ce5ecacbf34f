"""/reminders: a member's own reminders before events, and their reminder DM choice."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot import text
from bot.i18n import tr
from bot.render.common import safe
from bot.render.reminders import added_reply, mine_choice, mine_embed
from cogs.common import guild_id_of, private
from cogs.refs import OpenEvent

if TYPE_CHECKING:
    from bot.client import Bot


@app_commands.guild_only()
class Reminders(
    commands.GroupCog, group_name="reminders", group_description="Reminders before events"
):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.service = bot.reminder_service

    @app_commands.command(name="add", description="A DM of your own before an event")
    @app_commands.describe(
        event="The event", before="How long before the start, e.g. 30m, 2h or 1d"
    )
    async def add(self, interaction: discord.Interaction, event: OpenEvent, before: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
        reminder = await self.service.add_personal(event, interaction.user.id, before)
        await private(interaction, lambda: added_reply(event, reminder))

    @app_commands.command(name="list", description="Your own reminders")
    async def list_mine(self, interaction: discord.Interaction) -> None:
        mine = await self.service.mine(guild_id_of(interaction), interaction.user.id)
        if not mine:
            await private(interaction, lambda: tr(text.REMINDERS_MINE_EMPTY))
            return
        await private(interaction, embed=lambda: mine_embed([(m.title, m.reminder) for m in mine]))

    @app_commands.command(name="cancel", description="Cancel one of your reminders")
    @app_commands.describe(reminder="The reminder to cancel")
    async def cancel(self, interaction: discord.Interaction, reminder: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
        cancelled = await self.service.cancel_personal(
            guild_id_of(interaction), interaction.user.id, reminder
        )
        await private(interaction, lambda: tr(text.REMINDER_CANCELLED, title=safe(cancelled.title)))

    @cancel.autocomplete("reminder")
    async def my_reminders(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        guild_id = guild_id_of(interaction)
        mine = await self.service.suggest_mine(guild_id, interaction.user.id, current)
        settings = await self.bot.guild_service.settings(guild_id)
        return [
            Choice(name=mine_choice(m.title, m.reminder, settings.tz), value=str(m.reminder.id))
            for m in mine
        ]

    @app_commands.command(name="dms", description="Switch your automatic reminder DMs off or on")
    @app_commands.describe(enabled="True: DM me before events I'm going to; False: don't")
    async def dms(self, interaction: discord.Interaction, enabled: bool) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
        await self.service.set_dms(guild_id_of(interaction), interaction.user.id, enabled)
        await private(
            interaction, lambda: tr(text.REMINDER_DMS_ON) if enabled else tr(text.REMINDER_DMS_OFF)
        )


async def setup(bot: Bot) -> None:
    await bot.add_cog(Reminders(bot))
