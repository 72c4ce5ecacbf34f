"""/network: members saying which organisation they're from, and the network's figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot import text
from bot.adapters.errors import BotView
from bot.custom_ids import (
    ORGANISATIONS_PAGE_ID,
    decode_organisations_page,
    encode_organisations_page,
)
from bot.domain.events import Region
from bot.i18n import tr
from bot.render.network import joined_reply, stats_embed
from bot.render.organisations import (
    merge_prompt,
    merged_reply,
    organisations_embed,
    saved_reply,
)
from cogs.common import (
    CONFIRMS,
    Confirm,
    Confirmed,
    PageButton,
    actor_of,
    guild_id_of,
    organisation_choices,
    private,
)
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
        return await organisation_choices(interaction, current)

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
        await private(interaction, lambda: joined_reply(profile, new))

    @app_commands.command(name="leave", description="Leave the network list")
    async def leave(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
        await self.service.leave(guild_id_of(interaction), interaction.user.id)
        await private(interaction, lambda: tr(text.NETWORK_LEFT))

    @app_commands.command(name="stats", description="How many of us, from how many organisations")
    async def stats(self, interaction: discord.Interaction) -> None:
        stats = await self.service.stats(guild_id_of(interaction))
        held = await self.bot.attendance_service.held(guild_id_of(interaction))
        await private(interaction, embed=lambda: stats_embed(stats, held))

    @app_commands.command(
        name="organisations", description="Organisations on the network list, by members"
    )
    @app_commands.describe(page="Which page of the list (20 to a page)")
    async def organisations_list(
        self, interaction: discord.Interaction, page: app_commands.Range[int, 1, 99999] = 1
    ) -> None:
        embed, view = await render_organisations(self.bot, guild_id_of(interaction), page)
        await private(interaction, embed=embed, view=view)

    @app_commands.command(
        name="organisation", description="Edit an organisation's names (organisers)"
    )
    @app_commands.describe(
        organisation="The organisation to edit",
        name="Its name",
        welsh_name="Its name in Welsh (- to clear)",
        aliases="Other spellings, comma-separated (- clears)",
    )
    @app_commands.autocomplete(organisation=organisations)
    async def organisation(
        self,
        interaction: discord.Interaction,
        organisation: app_commands.Range[str, 1, 100],
        name: app_commands.Range[str, 1, 100] | None = None,
        welsh_name: app_commands.Range[str, 1, 100] | None = None,
        aliases: app_commands.Range[str, 1, 1000] | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
        edited = await self.bot.organisation_service.edit(
            guild_id_of(interaction),
            actor_of(interaction),
            organisation,
            name=name,
            welsh_name=welsh_name,
            aliases=aliases,
        )
        await private(interaction, lambda: saved_reply(edited))

    @app_commands.command(name="merge", description="Merge a duplicate organisation (organisers)")
    @app_commands.describe(
        source="The duplicate, folded in and then gone", into="The organisation that stays"
    )
    @app_commands.rename(source="from")
    @app_commands.autocomplete(source=organisations, into=organisations)
    async def merge(
        self,
        interaction: discord.Interaction,
        source: app_commands.Range[str, 1, 100],
        into: app_commands.Range[str, 1, 100],
    ) -> None:
        service = self.bot.organisation_service
        one, other = await service.prepare_merge(
            guild_id_of(interaction), actor_of(interaction), source, into
        )

        async def merge(confirmed: discord.Interaction) -> Confirmed:
            merged = await service.merge(
                guild_id_of(confirmed), actor_of(confirmed), one.id, other.id
            )
            return Confirmed(lambda: merged_reply(merged))

        view = Confirm(interaction.user.id, CONFIRMS["merge"], merge, title=one.name)
        await view.ask(interaction, lambda: merge_prompt(one, other))


async def render_organisations(
    bot: Bot, guild_id: int, page: int
) -> tuple[Callable[[], discord.Embed], BotView | None]:
    shown = await bot.organisation_service.page(guild_id, page)
    view = OrganisationsPageButton.pager(shown.page - 1, shown.pages, lambda n: n + 1)
    return (lambda: organisations_embed(shown)), view


class OrganisationsPageButton(PageButton[int], template=ORGANISATIONS_PAGE_ID.pattern):
    """Previous/Next on the list of organisations (the 1-based page in the custom_id)."""

    encode = staticmethod(encode_organisations_page)
    decode = staticmethod(decode_organisations_page)

    async def render(self, bot: Bot, guild_id: int) -> tuple[discord.Embed, discord.ui.View | None]:
        embed, view = await render_organisations(bot, guild_id, self.target)
        return embed(), view


async def setup(bot: Bot) -> None:
    await bot.add_cog(Network(bot))
    bot.add_dynamic_items(OrganisationsPageButton)
