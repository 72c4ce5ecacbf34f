"""/privacy: members seeing and erasing what the bot holds about them."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import text
from bot.errors import BotView
from bot.render.network import ReactionLeft, forgotten_reply, mydata_file
from bot.services.privacy import AnswerOnPost
from cogs.common import private, send_all
from cogs.rsvp import Rsvps

if TYPE_CHECKING:
    from bot.client import Bot


class ForgetConfirm(BotView):
    """Delete or keep, for the member who asked; answers only them."""

    def __init__(self, bot: Bot, owner_id: int) -> None:
        super().__init__(timeout=300)
        self.bot, self.owner_id = bot, owner_id
        forget: discord.ui.Button[ForgetConfirm] = discord.ui.Button(
            label=text.PRIVACY_FORGET_BUTTON, style=discord.ButtonStyle.danger
        )
        keep: discord.ui.Button[ForgetConfirm] = discord.ui.Button(
            label=text.PRIVACY_KEEP_BUTTON, style=discord.ButtonStyle.secondary
        )
        forget.callback = self.forget  # type: ignore[method-assign]
        keep.callback = self.keep  # type: ignore[method-assign]
        self.add_item(forget)
        self.add_item(keep)

    async def allowed(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner_id

    async def forget(self, interaction: discord.Interaction) -> None:
        self.stop()
        await interaction.response.defer()
        forgotten = await self.bot.privacy_service.forget(self.owner_id, interaction.guild_id)
        left = await self._take_off_reactions(forgotten.reactions)
        await interaction.edit_original_response(
            content=forgotten_reply(forgotten.removed, left), view=None
        )
        await send_all(self.bot, forgotten.notices)

    async def _take_off_reactions(self, answered: list[AnswerOnPost]) -> list[ReactionLeft]:
        """Take the member's RSVP reactions off the posts they answered on; the ones left (the
        bot may not, or Discord failed) never count again and are listed in the reply."""
        rsvps = self.bot.get_cog("Rsvps")
        assert isinstance(rsvps, Rsvps)
        left = []
        for answer in answered:
            event = answer.event
            if event.message_id is None:
                continue
            if await rsvps.take_off_now(event, self.owner_id):
                await self.bot.privacy_service.reactions_taken_off(self.owner_id, event.message_id)
                continue
            refused = event.channel_id in rsvps.refused
            left.append(
                ReactionLeft(
                    event.guild_id, event.channel_id, event.message_id, answer.emoji, refused
                )
            )
        return left

    async def keep(self, interaction: discord.Interaction) -> None:
        self.stop()
        await interaction.response.edit_message(content=text.PRIVACY_KEPT, view=None)


class Privacy(commands.GroupCog, group_name="privacy", group_description="Your data"):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    @app_commands.command(
        name="mydata", description="Everything the bot holds about you, as a file"
    )
    async def mydata(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        held = await self.bot.privacy_service.mydata(interaction.user.id)
        data = discord.File(io.BytesIO(mydata_file(held)), "my-data.json")
        await private(interaction, text.PRIVACY_MYDATA, files=[data])

    @app_commands.command(name="forget", description="Delete everything the bot holds about you")
    async def forget(self, interaction: discord.Interaction) -> None:
        view = ForgetConfirm(self.bot, interaction.user.id)
        await private(interaction, text.PRIVACY_FORGET_CONFIRM, view=view)


async def setup(bot: Bot) -> None:
    await bot.add_cog(Privacy(bot))
