"""/privacy: members seeing and erasing what the bot holds about them."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import text
from bot.i18n import tr
from bot.render.network import ReactionLeft, forgotten_reply, mydata_file
from bot.services.privacy import AnswerOnPost
from cogs.common import CONFIRMS, Confirm, Confirmed, private

if TYPE_CHECKING:
    from bot.client import Bot


async def forget(bot: Bot, owner_id: int, guild_id: int | None) -> Confirmed:
    """Erase what the bot holds about the member, then take their RSVP reactions off."""
    forgotten = await bot.privacy_service.forget(owner_id, guild_id)
    left = await _take_off_reactions(bot, owner_id, forgotten.reactions)
    return Confirmed(lambda: forgotten_reply(forgotten.removed, left), forgotten.notices)


async def _take_off_reactions(
    bot: Bot, owner_id: int, answered: list[AnswerOnPost]
) -> list[ReactionLeft]:
    """Take the member's RSVP reactions off the posts they answered on; the ones left (the
    bot may not, or Discord failed) never count again and are listed in the reply."""
    workers = bot.rsvp_workers
    left = []
    for answer in answered:
        event = answer.event
        if event.message_id is None:
            continue
        if await workers.take_off_now(event, owner_id):
            await bot.privacy_service.reactions_taken_off(owner_id, event.message_id)
            continue
        refused = event.channel_id in workers.refused
        left.append(
            ReactionLeft(event.guild_id, event.channel_id, event.message_id, answer.emoji, refused)
        )
    return left


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
        await private(interaction, lambda: tr(text.PRIVACY_MYDATA), files=[data])

    @app_commands.command(name="forget", description="Delete everything the bot holds about you")
    async def forget(self, interaction: discord.Interaction) -> None:
        owner_id = interaction.user.id
        view = Confirm(
            owner_id,
            CONFIRMS["forget"],
            lambda confirmed: forget(self.bot, owner_id, confirmed.guild_id),
        )
        await view.ask(interaction, lambda: tr(text.PRIVACY_FORGET_CONFIRM))


async def setup(bot: Bot) -> None:
    await bot.add_cog(Privacy(bot))
