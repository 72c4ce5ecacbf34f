"""/reminders: a member's own reminders before events, and their reminder DM choice."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot import text
from bot.render.common import CHOICE_NAME_MAX, clip, safe, ts
from bot.render.reminders import before_label, mine_embed
from cogs.common import event_choices, guild_id_of, private

if TYPE_CHECKING:
    from bot.client import Bot


@app_commands.guild_only()
class Reminders(
    commands.GroupCog, group_name="reminders", group_description="Reminders before events"
):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.service = bot.reminder_service

    async def upcoming_event(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        return await event_choices(self.bot, interaction, current, everything=False)

    @app_commands.command(name="add", description="A DM of your own before an event")
    @app_commands.describe(
        event="The event", before="How long before the start, e.g. 30m, 2h or 1d"
    )
    @app_commands.autocomplete(event=upcoming_event)
    async def add(self, interaction: discord.Interaction, event: str, before: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
        found = await self.bot.event_service.resolve(guild_id_of(interaction), event)
        reminder = await self.service.add_personal(found, interaction.user.id, before)
        await private(
            interaction,
            text.REMINDER_ADDED.format(
                before=before_label(reminder.offset),
                title=safe(found.title),
                due_full=ts(reminder.due_at, "F"),
            ),
        )

    @app_commands.command(name="list", description="Your own reminders")
    async def list_mine(self, interaction: discord.Interaction) -> None:
        mine = await self.service.mine(guild_id_of(interaction), interaction.user.id)
        if not mine:
            await private(interaction, text.REMINDERS_MINE_EMPTY)
            return
        await private(interaction, embed=mine_embed([(m.title, m.reminder) for m in mine]))

    @app_commands.command(name="cancel", description="Cancel one of your reminders")
    @app_commands.describe(reminder="The reminder to cancel")
    async def cancel(self, interaction: discord.Interaction, reminder: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
        cancelled = await self.service.cancel_personal(
            guild_id_of(interaction), interaction.user.id, reminder
        )
        await private(interaction, text.REMINDER_CANCELLED.format(title=safe(cancelled.title)))

    @cancel.autocomplete("reminder")
    async def my_reminders(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        mine = await self.service.mine(guild_id_of(interaction), interaction.user.id)
        needle = current.strip().lower()
        settings = await self.bot.guild_service.settings(guild_id_of(interaction))
        zone = ZoneInfo(settings.tz)
        choices = []
        for m in mine:
            if needle and needle not in m.title.lower():
                continue
            due = m.reminder.due_at.astimezone(zone)
            label = f"{before_label(m.reminder.offset)} before {m.title} · {due:%a %-d %b %H:%M}"
            choices.append(Choice(name=clip(label, CHOICE_NAME_MAX), value=str(m.reminder.id)))
        return choices[:25]

    @app_commands.command(name="dms", description="Switch your automatic reminder DMs off or on")
    @app_commands.describe(enabled="True: DM me before events I'm going to; False: don't")
    async def dms(self, interaction: discord.Interaction, enabled: bool) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
        await self.service.set_dms(guild_id_of(interaction), interaction.user.id, enabled)
        await private(interaction, text.REMINDER_DMS_ON if enabled else text.REMINDER_DMS_OFF)


async def setup(bot: Bot) -> None:
    await bot.add_cog(Reminders(bot))
