"""Pointing discord.py at the stand-in, and running a bot against it in this process.

discord.py 2.7 has two hard-coded Discord addresses, both class attributes:

* `discord.http.Route.BASE` ('https://discord.com/api/v10'): every REST call, including the
  interaction callbacks and follow-up webhooks (they build `Route`s too);
* `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` ('wss://gateway.discord.gg/'): a plain
  `Client`/`commands.Bot` never asks GET /gateway/bot (only `AutoShardedClient` does). It
  connects straight to DEFAULT_GATEWAY, and goes back to it after an INVALID_SESSION. Resumes
  use READY's `resume_gateway_url`, which the stand-in points at itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TypeVar

import discord
import yarl
from discord.ext import commands

from .server import FakeDiscord

log = logging.getLogger(__name__)

BotT = TypeVar("BotT", bound=discord.Client)


def point_discord_at(rest_url: str, gateway_url: str) -> Callable[[], None]:
    """Patch discord.py's two Discord addresses; returns a function that restores them."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = rest_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)

    def restore() -> None:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    return restore


@contextlib.contextmanager
def discord_pointed_at(server: FakeDiscord) -> Iterator[None]:
    restore = point_discord_at(server.rest_url, server.gateway_url)
    try:
        yield
    finally:
        restore()


@contextlib.asynccontextmanager
async def running_bot(
    server: FakeDiscord,
    bot: BotT,
    *,
    ready_timeout: float = 15.0,
    wait_for_commands: bool = True,
    guild_ready_timeout: float | None = 0.1,
) -> AsyncIterator[BotT]:
    """Start `bot` against `server` (`bot.start(server.token)` in a task), wait until it is
    ready and (if `wait_for_commands`) until the stand-in holds its synced commands; close it
    on exit.

    `guild_ready_timeout` shortens discord.py's wait for more GUILD_CREATEs after READY (2 s by
    default); the stand-in sends them all at once, so 0.1 s is plenty. None leaves it alone.
    """
    restore = point_discord_at(server.rest_url, server.gateway_url)
    if guild_ready_timeout is not None:
        bot._connection.guild_ready_timeout = guild_ready_timeout
    task = asyncio.create_task(bot.start(server.token), name="fakediscord-bot")
    try:
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {task, ready}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if task in done:
                task.result()  # re-raise whatever stopped the bot
                raise RuntimeError("the bot stopped before it was ready")
            raise TimeoutError(f"the bot was not ready within {ready_timeout}s")
        if wait_for_commands and isinstance(bot, commands.Bot) and bot.tree.get_commands():
            await server.wait_for(
                lambda: bool(server.commands),
                ready_timeout,
                message="the bot never synced its commands to the stand-in",
            )
        yield bot
    finally:
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(task, 10)
        restore()
