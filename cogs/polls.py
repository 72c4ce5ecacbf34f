"""/poll: date polls: create, close (then announce the winner), list; and the option buttons
on a poll's post, which toggle the member's answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import text
from bot.adapters.errors import guarded
from bot.custom_ids import (
    POLL_ANNOUNCE_ID,
    PollOptionPress,
    decode_poll_announce,
    decode_poll_option,
    encode_poll_announce,
)
from bot.domain.polls import OPTIONS_TEXT_MAX, TITLE_MAX, Poll
from bot.i18n import tr
from bot.render.polls import (
    announced_reply,
    close_prompt,
    closed_reply,
    created_reply,
    event_link,
    list_embed,
    pressed_reply,
)
from bot.services.polls import PollInput
from cogs.common import (
    Confirm,
    Confirmed,
    Wording,
    actor_of,
    can_post_in,
    custom_id_of,
    guild_id_of,
    private,
)
from cogs.refs import AnyPoll, series_choices

if TYPE_CHECKING:
    from bot.client import Bot

WHEN_HELP = "In the server's time zone, like /events create's when"
OPTIONS_HELP = "2 to 10 times separated by ; e.g. 3 Dec 6:30pm; 10 Dec 6:30pm; 2026-12-17 18:30"
CLOSE_WORDING = Wording(
    text.BUTTON_POLL_CLOSE_CONFIRM,
    text.BUTTON_POLL_CLOSE_KEEP,
    text.POLL_CLOSE_KEPT,
    text.POLL_CLOSE_TIMEOUT,
    "close_not_yours",
)


def _bot(interaction: discord.Interaction) -> Bot:
    return interaction.client  # type: ignore[return-value]


async def answer_press(interaction: discord.Interaction, press: PollOptionPress) -> None:
    """A press of an option's button on a poll's post: toggle the member's answer and tell
    them privately what they have picked."""
    pressed = await _bot(interaction).poll_service.press(
        guild_id_of(interaction), interaction.user.id, press.poll_id, press.position
    )
    await private(
        interaction,
        lambda: pressed_reply(pressed.poll, pressed.option, pressed.given, pressed.choices),
    )


class AnnounceButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=POLL_ANNOUNCE_ID.pattern
):
    """Announce a closed poll's winner as an event; offered privately to the organiser who
    closed it. Stateless (the poll is in the custom_id), and announcing happens once."""

    def __init__(self, poll_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=tr(text.BUTTON_POLL_ANNOUNCE),
                style=discord.ButtonStyle.success,
                custom_id=encode_poll_announce(poll_id),
                emoji="📣",
            )
        )
        self.poll_id = poll_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> AnnounceButton:
        poll_id = decode_poll_announce(match.string)
        if poll_id is None:
            raise ValueError("bad poll announce id")
        return cls(poll_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        done = await _bot(interaction).poll_service.announce(
            guild_id_of(interaction), actor_of(interaction), self.poll_id
        )
        await private(
            interaction, lambda: announced_reply(done.poll, done.event, already=done.already)
        )


def announce_view(poll: Poll) -> discord.ui.View | None:
    """The Announce button, while the poll has a winner not yet announced."""
    if poll.winner is None or poll.announced_event_id is not None:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(AnnounceButton(poll.id))
    return view


@app_commands.guild_only()
class Polls(commands.GroupCog, group_name="poll", group_description="Date polls for meetings"):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.service = bot.poll_service

    # --- the option buttons on polls' posts ----------------------------------------------

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Presses of an option's button (`poll:opt:<id>:<position>`), read from the custom_id
        alone, so any running bot answers a post made before its restart. A listener, not a
        DynamicItem: discord.py would rebuild the post's whole view from the message for every
        press, and a burst of presses is hundreds a second."""
        if interaction.type is not discord.InteractionType.component:
            return
        press = decode_poll_option(custom_id_of(interaction))
        if press is not None:
            await self._pressed(interaction, press)

    @guarded
    async def _pressed(self, interaction: discord.Interaction, press: PollOptionPress) -> None:
        await answer_press(interaction, press)

    @app_commands.command(name="create", description="Ask members which times suit (organisers)")
    @app_commands.describe(
        title="What the meeting is, e.g. S. Wales Network Meeting (the event's title)",
        options=OPTIONS_HELP,
        closes="When answers close (optional). " + WHEN_HELP,
        series="A meeting series: the winner is announced as its next meeting",
        channel="Where to post it (default: the announcements channel)",
    )
    @app_commands.autocomplete(series=series_choices)
    async def create(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, TITLE_MAX],
        options: app_commands.Range[str, 1, OPTIONS_TEXT_MAX],
        closes: str | None = None,
        series: str | None = None,
        channel: discord.TextChannel | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        created = await self.service.create(
            guild_id_of(interaction),
            actor_of(interaction),
            PollInput(title, options, closes, series),
            channel.id if channel else None,
            can_post_there=channel is None or can_post_in(interaction, channel),
        )
        await private(interaction, lambda: created_reply(created.poll, created.ambiguous))

    @app_commands.command(
        name="close", description="Stop answers and mark the winner, to announce (organisers)"
    )
    @app_commands.describe(poll="The date poll to close")
    async def close(self, interaction: discord.Interaction, poll: AnyPoll) -> None:
        guild_id, actor = guild_id_of(interaction), actor_of(interaction)
        shown = await self.service.prepare_close(guild_id, actor, poll)
        if shown.poll.closed_at is not None:  # closed already: the result, Announce if due
            await interaction.response.defer(ephemeral=True, thinking=True)
            closed = await self.service.close(guild_id, actor, shown.poll.id)
            await self._answer_closed(interaction, closed.poll, closed.counts, False)
            return

        async def close(confirmed: discord.Interaction) -> Confirmed:
            closed = await self.service.close(
                guild_id_of(confirmed), actor_of(confirmed), shown.poll.id
            )
            event = await self.service.announced_event(closed.poll)
            reply = closed_reply(
                closed.poll,
                closed.counts,
                now_closed=closed.now_closed,
                event_link=event_link(event) if event else None,
            )
            return Confirmed(reply, closed.notices, announce_view(closed.poll))

        view = Confirm(interaction.user.id, CLOSE_WORDING, close, title=shown.poll.title)
        await view.ask(interaction, lambda: close_prompt(shown.poll, shown.counts))

    async def _answer_closed(
        self, interaction: discord.Interaction, poll: Poll, counts: Any, now_closed: bool
    ) -> None:
        event = await self.service.announced_event(poll)
        link = event_link(event) if event else None
        await private(
            interaction,
            lambda: closed_reply(poll, counts, now_closed=now_closed, event_link=link),
            view=announce_view(poll),
        )

    @app_commands.command(name="list", description="The open date polls")
    async def list_polls(self, interaction: discord.Interaction) -> None:
        shown, total = await self.service.list_open(guild_id_of(interaction))
        await private(
            interaction, embed=lambda: list_embed([(s.poll, s.counts) for s in shown], total)
        )


async def setup(bot: Bot) -> None:
    bot.add_dynamic_items(AnnounceButton)
    await bot.add_cog(Polls(bot))
