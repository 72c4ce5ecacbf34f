"""`python -m bot` with one fault added, for tests/e2e/test_token_in_log.py (run through
tests.fakediscord.launch with FAKEDISCORD_MAIN=tests.e2e.token_leak_main:main).

`/network stats` fails with an error whose text, and its cause's, carry the bot's token, after
handing the token to discord.py's own logger, as a library might. Everything else is the real
bot: its settings, its logging set-up, its error handler."""

from __future__ import annotations

import logging
import os

from bot.__main__ import main as bot_main
from bot.domain.network import NetworkStats
from bot.services.network import NetworkService


def main(argv: list[str] | None = None) -> int:
    token = os.environ["DISCORD_TOKEN"]

    async def stats(self: NetworkService, guild_id: int) -> NetworkStats:
        logging.getLogger("discord.http").warning("retrying with Authorization: Bot %s", token)
        try:
            raise ConnectionError(f"refused Bot {token}")
        except ConnectionError as cause:
            raise RuntimeError(f"could not read the network figures with {token}") from cause

    NetworkService.stats = stats  # type: ignore[method-assign]
    return bot_main(argv)
