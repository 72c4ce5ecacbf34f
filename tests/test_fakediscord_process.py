"""The stand-in with the bot in its own process: launch.py, SIGTERM, SIGKILL, restart."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.process import BotProcess


@pytest.fixture
async def server() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as fake:
        guild = fake.create_guild("Co-pro Network Wales")
        fake.add_channel(guild, "general")
        fake.add_member(guild, "Rhian Evans")
        yield fake


@pytest.fixture
async def process(server: FakeDiscord) -> AsyncIterator[BotProcess]:
    guild = next(iter(server.guilds.values()))
    bot = BotProcess(
        server,
        env={"GUILD_ID": str(guild.id)},
        main="tests.fakediscord.example_bot:main",
    )
    yield bot
    await bot.stop()
    bot.log_path.unlink(missing_ok=True)


async def test_launch_sigterm_sigkill_and_restart(server: FakeDiscord, process: BotProcess) -> None:
    d = Driver(server, timeout=10.0)
    await process.start()
    first = await d.slash("Rhian Evans", "ping")
    assert first.content == f"pong from {process.proc.pid}"  # type: ignore[union-attr]

    assert await process.terminate() == 0
    assert "closed cleanly" in process.output()
    await d.wait_for(lambda: not server.gateway.connected)

    await process.start()
    assert server.gateway.identifies == 2
    second = await d.slash("Rhian Evans", "ping")
    assert second.content == f"pong from {process.proc.pid}"  # type: ignore[union-attr]

    assert await process.kill() == -9
    await process.start()
    third = await d.slash("Rhian Evans", "ping")
    assert third.content == f"pong from {process.proc.pid}"  # type: ignore[union-attr]
    assert server.gateway.identifies == 3
    assert server.unknown_routes == []


async def test_launcher_usage_error() -> None:
    from tests.fakediscord.launch import main

    assert main([]) == 2
