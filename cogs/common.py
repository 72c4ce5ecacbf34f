"""What every cog reads off an interaction: where it happened and who is acting."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import discord
from discord.app_commands import Choice

from bot.domain.errors import UserError
from bot.domain.notices import Notice
from bot.errors import guarded
from bot.gate import actor_of as actor_of  # who is acting, server-wide
from bot.gate import can_post_in as can_post_in  # where they may post
from bot.render.events import choice_label
from bot.services.reminders import DMS_IN_FLIGHT

if TYPE_CHECKING:
    from bot.client import Bot


def guild_id_of(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise UserError("guild_only")
    return interaction.guild_id


async def private(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    files: list[discord.File] | None = None,
) -> None:
    """Answer privately, whether or not the interaction was deferred."""
    extra: dict[str, Any] = {}
    if embed is not None:
        extra["embed"] = embed
    if view is not None:
        extra["view"] = view
    if files:
        extra["files"] = files
    if interaction.response.is_done():
        await interaction.followup.send(content or "", ephemeral=True, **extra)
    else:
        await interaction.response.send_message(content, ephemeral=True, **extra)


NAMES_FETCH_MAX = 100


async def member_names(interaction: discord.Interaction, user_ids: list[int]) -> dict[int, str]:
    """Display names for a list of members: cached ones, then up to a hundred fetched."""
    names: dict[int, str] = {}
    guild = interaction.guild
    fetched = 0
    for user_id in dict.fromkeys(user_ids):
        member = guild.get_member(user_id) if guild else None
        if member is None and guild is not None and fetched < NAMES_FETCH_MAX:
            fetched += 1
            try:
                member = await guild.fetch_member(user_id)
            except discord.HTTPException:
                member = None
        if member is not None:
            names[user_id] = member.display_name
    return names


async def send_all(bot: Bot, notices: list[Notice]) -> None:
    """DMs owed after a reply, several in flight at once (the notifier keeps them within
    Discord's global limit); closed DMs are logged by the notifier, never raised."""
    owed = iter(notices)

    async def send_each() -> None:  # the workers share `owed`: each notice is taken once
        for notice in owed:
            await bot.notifier.send(notice)

    await asyncio.gather(*(send_each() for _ in range(min(DMS_IN_FLIGHT, len(notices)))))


async def event_choices(
    bot: Bot, interaction: discord.Interaction, current: str, *, everything: bool
) -> list[Choice[str]]:
    """Autocomplete for an `event` option: upcoming events (or every event), soonest first."""
    guild_id = guild_id_of(interaction)
    settings = await bot.guild_service.settings(guild_id)
    events = await bot.event_service.suggest(
        guild_id, current, include_past=everything, include_cancelled=everything
    )
    return [Choice(name=choice_label(e, settings.tz), value=str(e.id)) for e in events]


Target = TypeVar("Target")


class PageButton(discord.ui.DynamicItem[discord.ui.Button[Any]], Generic[Target], template=r"(?!)"):
    """Previous/Next on a paged list; stateless (the page is in the custom_id), so it works
    after a restart. A subclass names its custom_id `template` and codec, and `render`s a page;
    the base's template matches nothing, so only subclasses are ever dispatched."""

    @staticmethod
    def encode(target: Any) -> str:  # pragma: no cover - every subclass has one
        raise NotImplementedError

    @staticmethod
    def decode(custom_id: str) -> Any:  # pragma: no cover - every subclass has one
        raise NotImplementedError

    def __init__(self, target: Target, label: str = "", disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=type(self).encode(target),
                disabled=disabled,
            )
        )
        self.target = target

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> PageButton[Target]:
        target = cls.decode(match.string)
        if target is None:
            raise ValueError(f"bad page id {match.string!r}")
        return cls(target)

    async def render(
        self, bot: Bot, guild_id: int
    ) -> tuple[discord.Embed, discord.ui.View | None]:  # pragma: no cover - every subclass has one
        raise NotImplementedError

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot: Bot = interaction.client  # type: ignore[assignment]
        embed, view = await self.render(bot, guild_id_of(interaction))
        await interaction.response.edit_message(embed=embed, view=view)
