"""Date polls' posts in channels: the Discord side of the PollService's PollPoster port.

The post carries a button per option whose custom_id (`poll:opt:<id>:<position>`) the /poll
cog's dynamic item answers, so every button keeps working after a restart; a closed poll
shows them disabled (a press that still arrives is answered privately that it closed).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

import discord

from bot.adapters.posts import ChannelPoster
from bot.custom_ids import PollOptionPress, encode_poll_option
from bot.domain.errors import UserError
from bot.domain.languages import Language
from bot.domain.polls import Poll, PollCounts
from bot.render.polls import option_label, poll_embeds

log = logging.getLogger(__name__)


def options_view(
    poll: Poll, tz: str, now: datetime, languages: Sequence[Language] | None = None
) -> discord.ui.View:
    """One button per option, five to a row, its time in each language of the post."""
    view = discord.ui.View(timeout=None)
    closed = poll.is_closed(now)
    for option in poll.options:
        view.add_item(
            discord.ui.Button(
                label=option_label(option, tz, languages),
                style=(
                    discord.ButtonStyle.success
                    if option.position == poll.winner_position
                    else discord.ButtonStyle.primary
                ),
                custom_id=encode_poll_option(PollOptionPress(poll.id, option.position)),
                disabled=closed,
                row=(option.position - 1) // 5,
            )
        )
    return view


class DiscordPollPoster(ChannelPoster):
    async def publish(self, poll: Poll, counts: PollCounts, tz: str, now: datetime) -> int:
        channel = await self._channel(poll.channel_id)
        languages = (await self._settings(poll.guild_id)).language.languages
        try:
            message = await channel.send(
                embeds=poll_embeds(poll, counts, now, languages, tz),
                view=options_view(poll, tz, now, languages),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.Forbidden:
            raise UserError("cannot_post", channel=channel.mention) from None
        return message.id

    async def refresh(self, poll: Poll, counts: PollCounts, tz: str, now: datetime) -> bool:
        if poll.message_id is None:
            return False
        channel = await self._channel(poll.channel_id)
        languages = (await self._settings(poll.guild_id)).language.languages
        try:
            await channel.get_partial_message(poll.message_id).edit(
                embeds=poll_embeds(poll, counts, now, languages, tz),
                view=options_view(poll, tz, now, languages),
            )
        except discord.NotFound:
            log.info("the post of poll %d was deleted", poll.id)
            return False
        return True
