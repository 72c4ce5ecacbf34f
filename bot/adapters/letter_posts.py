"""Letters' posts in channels: the Discord side of the LetterService's LetterPoster port.

The post carries one button whose custom_id (`letter:sign:<id>`) the /letter cog's
dynamic item answers, so it keeps working after a restart; closed letters show it disabled.
When the web is on (`public_url`) and the letter's page is up, a link button beside it opens
the public page (link buttons need no custom_id and no handler).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

import discord

from bot import text
from bot.adapters.posts import ChannelPoster, SettingsOf
from bot.custom_ids import encode_sign
from bot.domain.errors import UserError
from bot.domain.languages import Language
from bot.domain.letters import Letter, Tally
from bot.i18n import label
from bot.render.common import clip
from bot.render.letters import (
    BUTTON_LABEL_MAX,
    celebration_post,
    letter_embeds,
    letter_page_url,
    sign_button_label,
)

log = logging.getLogger(__name__)


def sign_view(
    letter: Letter,
    now: datetime,
    public_url: str | None = None,
    languages: Sequence[Language] | None = None,
) -> discord.ui.View:
    """The post's buttons, their words in each language of the server's mode."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label=sign_button_label(letter, now, languages),
            style=discord.ButtonStyle.success,
            custom_id=encode_sign(letter.id),
            emoji="✍️",
            disabled=letter.is_closed(now),
        )
    )
    page_url = letter_page_url(public_url, letter)
    if page_url is not None:
        view.add_item(
            discord.ui.Button(
                label=clip(label(text.BUTTON_LETTER_PAGE, languages), BUTTON_LABEL_MAX),
                style=discord.ButtonStyle.link,
                url=page_url,
            )
        )
    return view


class DiscordLetterPoster(ChannelPoster):
    def __init__(
        self,
        client: discord.Client,
        public_url: str | None = None,
        settings_of: SettingsOf | None = None,
    ) -> None:
        super().__init__(client, settings_of)
        self.public_url = public_url  # the web's base address; None while the web is off

    async def publish(self, letter: Letter, tally: Tally, now: datetime) -> int:
        channel = await self._channel(letter.channel_id)
        settings = await self._settings(letter.guild_id)
        languages = settings.language.languages
        try:
            message = await channel.send(
                embeds=letter_embeds(letter, tally, now, languages, settings.tz),
                view=sign_view(letter, now, self.public_url, languages),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.Forbidden:
            raise UserError("cannot_post", channel=channel.mention) from None
        return message.id

    async def refresh(self, letter: Letter, tally: Tally, now: datetime) -> bool:
        if letter.message_id is None:
            return False
        channel = await self._channel(letter.channel_id)
        settings = await self._settings(letter.guild_id)
        languages = settings.language.languages
        try:
            await channel.get_partial_message(letter.message_id).edit(
                embeds=letter_embeds(letter, tally, now, languages, settings.tz),
                view=sign_view(letter, now, self.public_url, languages),
            )
        except discord.NotFound:
            log.info("the post of letter %d was deleted; an edit will post it again", letter.id)
            return False
        return True

    async def celebrate(self, letter: Letter, count: int) -> None:
        channel = await self._channel(letter.channel_id)
        settings = await self._settings(letter.guild_id)
        await channel.send(
            celebration_post(letter, count, settings.language.languages, settings.tz),
            allowed_mentions=discord.AllowedMentions.none(),
        )
