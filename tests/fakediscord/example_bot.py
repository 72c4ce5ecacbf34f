"""A tiny stand-alone bot with the project's `main(argv) -> int` shape, for the stand-in's own
process tests (launch.py with FAKEDISCORD_MAIN=tests.fakediscord.example_bot:main)."""

from __future__ import annotations

import asyncio
import os
import signal

import discord
from discord.ext import commands


class ExampleBot(commands.Bot):
    def __init__(self, guild_id: int) -> None:
        super().__init__(command_prefix=commands.when_mentioned, intents=discord.Intents.default())
        self.guild_id = guild_id

    async def setup_hook(self) -> None:
        @self.tree.command(name="ping", description="Which process answers?")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"pong from {os.getpid()}")

        guild = discord.Object(self.guild_id)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)

    async def on_ready(self) -> None:
        print(f"ready as {self.user}", flush=True)


async def run(token: str, guild_id: int) -> None:
    bot = ExampleBot(guild_id)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
    async with bot:
        await bot.start(token)
    print("closed cleanly", flush=True)


def main(argv: list[str] | None = None) -> int:
    asyncio.run(run(os.environ["DISCORD_TOKEN"], int(os.environ["GUILD_ID"])))
    return 0
