"""Direct messages to members: the Discord side of the Notifier port."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable

import discord

from bot import text
from bot.clock import Monotonic, Sleep, loop_time
from bot.domain.notices import Notice
from bot.i18n import Language, Voice, lines, speaking, tr
from bot.render.common import CONTENT_MAX, clip, safe

log = logging.getLogger(__name__)


VoiceOf = Callable[[int | None, int], Awaitable[Voice]]


def render_notice(notice: Notice, voice: Voice | None = None) -> str:
    """The DM in each of the voice's languages (Welsh first when both), dates in words in
    the server's zone in Welsh; a Welsh title (`title_cy`) where the notice carries one."""
    voice = voice or Voice()
    params = {k: safe(v) if isinstance(v, str) else v for k, v in notice.params.items()}
    welsh_title = params.pop("title_cy", None)
    texts = []
    for language in voice.languages:
        with speaking(language, voice.zone):
            shown = dict(params)
            if language is Language.CY and welsh_title:
                shown["title"] = welsh_title
            texts.append(tr(text.NOTICES[notice.key], **shown))
    return clip(lines(texts), CONTENT_MAX)


# Discord allows a bot 50 requests a second in all. DMs (two requests each: open the channel,
# send) are started at most this often, evenly spaced, so a reminder's fan-out keeps to the
# global limit instead of running into it (discord.py only waits once answered 429, and every
# 429 counts towards Cloudflare's ban), and leaves room for the rest of the bot's requests.
DM_REQUESTS_PER_SECOND = 45.0


class Pace:
    """Starts callers no closer together than 1/per_second, in the order they ask.

    `now` (monotonic seconds; default the event loop's clock) and `sleep` are for tests."""

    def __init__(
        self,
        per_second: float,
        *,
        now: Monotonic = loop_time,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.gap = 1.0 / per_second
        self._now = now
        self._sleep = sleep
        self._next = -math.inf

    async def wait(self) -> None:
        now = self._now()
        start = max(now, self._next)
        self._next = start + self.gap
        if start > now:
            await self._sleep(start - now)


class DiscordNotifier:
    def __init__(
        self, client: discord.Client, *, per_second: float = DM_REQUESTS_PER_SECOND
    ) -> None:
        self.client = client
        self.pace = Pace(per_second)
        self.voice_of: VoiceOf | None = None  # each member's languages (set once services are)

    async def send(self, notice: Notice) -> bool:
        try:
            await self.pace.wait()
            # Open the DM channel by id: one request (none if discord.py has the channel
            # cached). Looking the user up first cost a GET /users/{id} per member, since
            # without the members intent few users are cached: a reminder to 500 members
            # made 1,500 requests instead of 1,000 under the global 50 per second.
            channel = await self.client.create_dm(discord.Object(id=notice.user_id))
            voice = await self.voice_of(notice.guild_id, notice.user_id) if self.voice_of else None
            content = render_notice(notice, voice)
            quiet = discord.AllowedMentions.none()
            await self.pace.wait()
            if notice.nonce is None:
                await channel.send(content, allowed_mentions=quiet)
            else:
                await channel.send(content, allowed_mentions=quiet, nonce=notice.nonce)
        except discord.Forbidden:
            # an everyday choice of the member's, not a fault: no id in the log
            log.info("a DM was refused (DMs closed): %s", notice.key)
            return False
        except discord.HTTPException as exc:
            log.warning("DM to %d failed (%s): %s", notice.user_id, exc.status, notice.key)
            return False
        return True
