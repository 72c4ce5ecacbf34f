"""What every cog shares: where an interaction happened and who is acting, private answers,
files, DMs owed, paged lists and the one confirmation prompt."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import discord

from bot import text
from bot.adapters.errors import BotView, guarded
from bot.adapters.gate import actor_of as actor_of  # who is acting, server-wide
from bot.adapters.gate import can_post_in as can_post_in  # where they may post
from bot.domain.errors import UserError
from bot.domain.notices import Notice
from bot.i18n import tr
from bot.render.common import safe
from bot.render.exports import ExportFile
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


def attach(*files: ExportFile | None) -> list[discord.File]:
    """Export files as Discord attachments (a missing one is left out)."""
    return [discord.File(io.BytesIO(data), name) for name, data in filter(None, files)]


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


@dataclass(frozen=True)
class Confirmed:
    """What a confirmed action answers: the reply that replaces the prompt, and the DMs it
    owes (sent after the reply)."""

    reply: str
    notices: Sequence[Notice] = ()
    view: discord.ui.View | None = None  # what the reply offers next (a poll's Announce)


@dataclass(frozen=True)
class Wording:
    """What a confirmation prompt says: its buttons, the prompt once kept and once timed
    out (`{title}`: what it was about; None: left as it is), and the error key answered to
    anyone else who clicks (None: nothing)."""

    confirm: str
    keep: str
    kept: str
    timed_out: str | None = None
    not_yours: str | None = None


CONFIRMS = {
    "cancel": Wording(
        text.BUTTON_CANCEL_CONFIRM,
        text.BUTTON_CANCEL_KEEP,
        text.EVENT_CANCEL_KEPT,
        text.EVENT_CANCEL_TIMEOUT,
        "cancel_not_yours",
    ),
    "close": Wording(
        text.BUTTON_CLOSE_CONFIRM,
        text.BUTTON_CLOSE_KEEP,
        text.LETTER_CLOSE_KEPT,
        text.LETTER_CLOSE_TIMEOUT,
        "close_not_yours",
    ),
    "forget": Wording(text.PRIVACY_FORGET_BUTTON, text.PRIVACY_KEEP_BUTTON, text.PRIVACY_KEPT),
}


class Confirm(BotView):
    """A private "are you sure?" for the member who asked: confirm runs `action`, keep leaves
    things as they are, both in place of the prompt; it answers only that member. After
    `timeout` seconds the buttons go (when the wording says what to show instead)."""

    def __init__(
        self,
        owner_id: int,
        wording: Wording,
        action: Callable[[discord.Interaction], Awaitable[Confirmed]],
        *,
        title: str = "",
        timeout: float = 300,
    ) -> None:
        super().__init__(timeout=timeout)
        self.owner_id, self.wording, self.action = owner_id, wording, action
        self.title = safe(title)
        self.message: discord.InteractionMessage | None = None
        confirm: discord.ui.Button[Confirm] = discord.ui.Button(
            label=wording.confirm, style=discord.ButtonStyle.danger
        )
        keep: discord.ui.Button[Confirm] = discord.ui.Button(
            label=wording.keep, style=discord.ButtonStyle.secondary
        )
        confirm.callback = self.confirm  # type: ignore[method-assign]
        keep.callback = self.keep  # type: ignore[method-assign]
        self.add_item(confirm)
        self.add_item(keep)

    async def ask(self, interaction: discord.Interaction, prompt: str) -> None:
        """Send the prompt with the buttons, privately (kept to be edited on timeout)."""
        await interaction.response.send_message(prompt, view=self, ephemeral=True)
        if self.wording.timed_out is not None:
            self.message = await interaction.original_response()

    async def allowed(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        if self.wording.not_yours is not None:
            await private(interaction, tr(text.ERRORS[self.wording.not_yours]))
        return False

    async def confirm(self, interaction: discord.Interaction) -> None:
        self.stop()
        await interaction.response.defer()
        done = await self.action(interaction)
        await interaction.edit_original_response(content=done.reply, view=done.view)
        await send_all(interaction.client, list(done.notices))  # type: ignore[arg-type]

    async def keep(self, interaction: discord.Interaction) -> None:
        self.stop()
        kept = tr(self.wording.kept, title=self.title)
        await interaction.response.edit_message(content=kept, view=None)

    async def on_timeout(self) -> None:
        if self.message is None or self.wording.timed_out is None:
            return
        try:
            await self.message.edit(content=tr(self.wording.timed_out, title=self.title), view=None)
        except discord.HTTPException:
            pass


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

    @classmethod
    def pager(cls, page: int, pages: int, target_of: Callable[[int], Target]) -> BotView | None:
        """Previous and Next under page `page` (0-based) of `pages`; none for a single page."""
        if pages <= 1:
            return None
        view = BotView(timeout=None)
        for label, number, disabled in (
            (tr(text.BUTTON_PREVIOUS), page - 1, page == 0),
            (tr(text.BUTTON_NEXT), page + 1, page >= pages - 1),
        ):
            view.add_item(cls(target_of(max(number, 0)), label, disabled))
        return view

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot: Bot = interaction.client  # type: ignore[assignment]
        embed, view = await self.render(bot, guild_id_of(interaction))
        await interaction.response.edit_message(embed=embed, view=view)
