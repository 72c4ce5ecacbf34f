"""What every cog shares: where an interaction happened and who is acting, private answers,
files, DMs owed, paged lists and the one confirmation prompt."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import discord
from discord import app_commands

from bot import text
from bot.adapters.errors import BotView, guarded
from bot.adapters.gate import actor_of as actor_of  # who is acting, server-wide
from bot.adapters.gate import can_post_in as can_post_in  # where they may post
from bot.adapters.gate import payload_of as payload_of  # the interaction's raw data
from bot.domain.errors import UserError
from bot.domain.notices import Notice
from bot.i18n import each, label, said, tr
from bot.render.common import clip, fit_together, safe
from bot.render.exports import ExportFile
from bot.render.organisations import choice_name
from bot.services.reminders import DMS_IN_FLIGHT

if TYPE_CHECKING:
    from bot.client import Bot


def custom_id_of(interaction: discord.Interaction) -> str:
    """The custom_id of the button, menu or form this interaction is about ("" if none)."""
    return str(payload_of(interaction).get("custom_id", ""))


def form_values(interaction: discord.Interaction) -> dict[str, str]:
    """A form submission's text inputs by custom_id."""
    return _text_inputs(list(payload_of(interaction).get("components") or []))


def _text_inputs(components: list[Any]) -> dict[str, str]:
    """Text inputs by custom_id, in action rows or labels."""
    found: dict[str, str] = {}
    for component in components:
        if not isinstance(component, dict):
            continue
        if component.get("type") == 1:
            found.update(_text_inputs(component.get("components") or []))
        elif component.get("type") == 18:
            found.update(_text_inputs([component.get("component")]))
        elif component.get("type") == 4 and isinstance(component.get("custom_id"), str):
            found[component["custom_id"]] = str(component.get("value") or "")
    return found


def guild_id_of(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise UserError("guild_only")
    return interaction.guild_id


Said = str | Callable[[], str] | None  # a text, or its renderer (run in each language)
Shown = discord.Embed | Callable[[], discord.Embed] | None


async def private(
    interaction: discord.Interaction,
    content: Said = None,
    *,
    embed: Shown = None,
    view: discord.ui.View | None = None,
    files: list[discord.File] | None = None,
) -> None:
    """Answer privately, whether or not the interaction was deferred. A renderer (a
    callable) is run in each of the member's languages (bot.i18n.Voice): a member reading
    both gets the Welsh, then the English (embeds: one each, within Discord's limits)."""
    if callable(content):
        content = said(content)
    extra: dict[str, Any] = {}
    if callable(embed):
        extra["embeds"] = fit_together(each(embed))
    elif embed is not None:
        extra["embed"] = embed
    if view is not None:
        extra["view"] = view
    if files:
        extra["files"] = files
    if interaction.response.is_done():
        await interaction.followup.send(content or "", ephemeral=True, **extra)
    else:
        await interaction.response.send_message(content, ephemeral=True, **extra)


async def organisation_choices(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Known organisations for any option that takes one: the name in the member's language
    shown, the record's name given (it matches the record whatever the language)."""
    bot: Bot = interaction.client  # type: ignore[assignment]
    found = await bot.organisation_service.suggest(guild_id_of(interaction), current)
    return [app_commands.Choice(name=choice_name(o), value=o.name[:100]) for o in found]


async def rota_choices(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Known organisations for the last of a comma-separated list (a series' `hosts`): the
    list so far, then the one chosen."""
    before, _, last = current.rpartition(",")
    choices = await organisation_choices(interaction, last.strip())
    head = f"{before.strip()}, " if before.strip() else ""
    return [
        app_commands.Choice(name=clip(head + c.name, 100), value=(head + c.value)[:100])
        for c in choices
        if len(head + c.value) <= 100
    ]


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

    reply: Said  # a renderer is run in each of the member's languages
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
    "merge": Wording(
        text.BUTTON_MERGE_CONFIRM,
        text.BUTTON_MERGE_KEEP,
        text.ORGANISATION_MERGE_KEPT,
        text.ORGANISATION_MERGE_TIMEOUT,
        "merge_not_yours",
    ),
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
        # Made while answering the member, so in their languages; kept for the timeout,
        # which runs outside any interaction.
        gone = wording.timed_out
        self.timed_out = said(lambda: tr(gone, title=self.title)) if gone else None
        confirm: discord.ui.Button[Confirm] = discord.ui.Button(
            label=label(wording.confirm), style=discord.ButtonStyle.danger
        )
        keep: discord.ui.Button[Confirm] = discord.ui.Button(
            label=label(wording.keep), style=discord.ButtonStyle.secondary
        )
        confirm.callback = self.confirm  # type: ignore[method-assign]
        keep.callback = self.keep  # type: ignore[method-assign]
        self.add_item(confirm)
        self.add_item(keep)

    async def ask(self, interaction: discord.Interaction, prompt: Said) -> None:
        """Send the prompt with the buttons, privately (kept to be edited on timeout); a
        renderer is run in each of the member's languages."""
        shown = said(prompt) if callable(prompt) else prompt
        await interaction.response.send_message(shown, view=self, ephemeral=True)
        if self.wording.timed_out is not None:
            self.message = await interaction.original_response()

    async def allowed(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        refusal = self.wording.not_yours
        if refusal is not None:
            await private(interaction, lambda: tr(text.ERRORS[refusal]))
        return False

    async def confirm(self, interaction: discord.Interaction) -> None:
        self.stop()
        await interaction.response.defer()
        done = await self.action(interaction)
        reply = said(done.reply) if callable(done.reply) else done.reply
        await interaction.edit_original_response(content=reply, view=done.view)
        await send_all(interaction.client, list(done.notices))  # type: ignore[arg-type]

    async def keep(self, interaction: discord.Interaction) -> None:
        self.stop()
        kept = said(lambda: tr(self.wording.kept, title=self.title))
        await interaction.response.edit_message(content=kept, view=None)

    async def on_timeout(self) -> None:
        if self.message is None or self.timed_out is None:
            return
        try:
            await self.message.edit(content=self.timed_out, view=None)
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
        for words, number, disabled in (
            (label(text.BUTTON_PREVIOUS), page - 1, page == 0),
            (label(text.BUTTON_NEXT), page + 1, page >= pages - 1),
        ):
            view.add_item(cls(target_of(max(number, 0)), words, disabled))
        return view

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot: Bot = interaction.client  # type: ignore[assignment]
        embed, view = await self.render(bot, guild_id_of(interaction))
        await interaction.response.edit_message(embed=embed, view=view)
