"""Direct messages to members: the Discord side of the Notifier port."""

from __future__ import annotations

import logging

import discord

from bot import text
from bot.domain.notices import Notice
from bot.render.common import CONTENT_MAX, clip, safe

log = logging.getLogger(__name__)


def render_notice(notice: Notice) -> str:
    params = {k: safe(v) if isinstance(v, str) else v for k, v in notice.params.items()}
    return clip(text.notice_text(notice.key, params), CONTENT_MAX)


class DiscordNotifier:
    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def send(self, notice: Notice) -> bool:
        try:
            # Open the DM channel by id: one request (none if discord.py has the channel
            # cached). Looking the user up first cost a GET /users/{id} per member, since
            # without the members intent few users are cached: a reminder to 500 members
            # made 1,500 requests instead of 1,000 under the global 50 per second.
            channel = await self.client.create_dm(discord.Object(id=notice.user_id))
            content = render_notice(notice)
            quiet = discord.AllowedMentions.none()
            if notice.nonce is None:
                await channel.send(content, allowed_mentions=quiet)
            else:
                await channel.send(content, allowed_mentions=quiet, nonce=notice.nonce)
        except discord.Forbidden:
            log.info("DM to %d refused (DMs closed): %s", notice.user_id, notice.key)
            return False
        except discord.HTTPException as exc:
            log.warning("DM to %d failed (%s): %s", notice.user_id, exc.status, notice.key)
            return False
        return True
