"""End-to-end fixtures: the project's bot, unmodified, against the Discord stand-in.

* `discord_server`: a started FakeDiscord holding one guild, "Co-pro Network Wales", whose
  clock is the test's `clock` (so message timestamps and the bot's notion of "now" agree);
* `world`: the guild's channels, roles and members by name (see `CoproWorld`);
* `bot_app`: `bot.client.Bot` running in this process (temp DATABASE_PATH, GUILD_ID = the
  guild), ready and with its commands synced; closed after the test;
* `start_bot`: start another in-process Bot on the same database (a restart), paced by
  `E2E_PACING` unless given `pacing=`, and without the per-member rate limit
  (`E2E_RATE_LIMITS`) unless given `rate_limits=`;
* `bot_process`: a `BotProcess` for `python -m bot` in its own process (same env shape), not
  started: `await bot_process.start()`, `.terminate()`, `.kill()`, `.start()` again;
* `driver`: a `Driver` acting in that guild (default channel #general).

`clock` is the one time line of the test: a clock frozen at the real now, with `advance` and
`set`, shared by the stand-in and the in-process bot; or, in a test that runs the bot in its own
process (which reads the real time), the real clock itself (`LiveClock`, which cannot be moved).
Dates are built from it (tests/support/dates.py). Advancing it also ages messages (the hidden 30046 limit on edits of posts older
than an hour follows) and expires interaction tokens after 15 minutes. A test fails at teardown if the bot called a route the stand-in does
not implement, unless marked `@pytest.mark.allow_unknown_routes`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.domain.ratelimit import RateLimits
from bot.runtime.post_updater import Pacing
from tests.e2e.steps import announce
from tests.fakediscord import Driver, FakeDiscord, running_bot
from tests.fakediscord.clock import FakeClock, LiveClock
from tests.fakediscord.models import Channel, Guild, Member, Message, Role
from tests.fakediscord.process import BotProcess

GUILD_NAME = "Co-pro Network Wales"
# Quick edits of fresh posts for tests; posts over an hour old keep the bot's own gap, which
# the stand-in's hidden limit on them (3 edits per 20 s, 30046) needs as much as Discord's.
E2E_PACING = Pacing(edit_gap_s=0.05, celebration_gap_s=0.05)
# Test members act faster than any person: the per-member rate limit is lifted for every test
# but its own (tests/e2e/test_rate_limits.py), which runs the bot's real figures on a clock
# of its own (`start_bot(rate_limits=RateLimits(), rate_now=...)`).
E2E_RATE_LIMITS = RateLimits(member=1_000_000, organiser=1_000_000)


@dataclass
class CoproWorld:
    guild: Guild
    announcements: Channel
    general: Channel
    admins: Role
    organisers: Role
    members: Role
    admin: Member  # Manage Server, through the Admins role
    organiser: Member  # Manage Events, through the Organiser role
    rhian: Member
    dafydd: Member


def build_copro_world(server: FakeDiscord) -> CoproWorld:
    guild = server.create_guild(GUILD_NAME, locale="en-GB")
    announcements = server.add_channel(guild, "announcements")
    general = server.add_channel(guild, "general")
    admins = server.add_role(guild, "Admins", permissions=discord.Permissions(manage_guild=True))
    organisers = server.add_role(
        guild, "Organiser", permissions=discord.Permissions(manage_events=True), mentionable=True
    )
    members = server.add_role(guild, "Members")
    return CoproWorld(
        guild=guild,
        announcements=announcements,
        general=general,
        admins=admins,
        organisers=organisers,
        members=members,
        admin=server.add_member(guild, "Carys Price", roles=[admins, members]),
        organiser=server.add_member(guild, "Gareth Morgan", roles=[organisers, members]),
        rhian=server.add_member(guild, "Rhian Evans", roles=[members]),
        dafydd=server.add_member(guild, "Dafydd Jones", roles=[members]),
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "allow_unknown_routes: the test expects the bot to call routes the stand-in lacks",
    )


async def no_identify_pause(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py waits 5 s before any IDENTIFY but the first (Discord allows one IDENTIFY per
    5 s); a test that makes the bot start new gateway sessions may skip the wait, which
    changes nothing it looks at: `bot.before_identify_hook = no_identify_pause`."""


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> FakeClock:
    if "bot_process" in request.fixturenames:
        return LiveClock()  # the bot process reads the real time: so must the stand-in
    return FakeClock()


@pytest.fixture
async def _copro(
    clock: Callable[[], datetime], request: pytest.FixtureRequest
) -> AsyncIterator[tuple[FakeDiscord, CoproWorld]]:
    async with FakeDiscord(bot_name="Co-pro Bot", clock=clock) as server:
        yield server, build_copro_world(server)
    if server.unknown_routes and request.node.get_closest_marker("allow_unknown_routes") is None:
        pytest.fail(
            "the bot called routes the Discord stand-in does not know (add them to "
            f"tests/fakediscord/rest.py, or mark the test allow_unknown_routes): "
            f"{server.unknown_routes}"
        )


@pytest.fixture
def discord_server(_copro: tuple[FakeDiscord, CoproWorld]) -> FakeDiscord:
    return _copro[0]


@pytest.fixture
def world(_copro: tuple[FakeDiscord, CoproWorld]) -> CoproWorld:
    return _copro[1]


@pytest.fixture
def bot_env(discord_server: FakeDiscord, world: CoproWorld, tmp_path: Path) -> dict[str, str]:
    """The bot's settings as environment variables (what `python -m bot` would read)."""
    return {
        "DISCORD_TOKEN": discord_server.token,
        "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
        "LOG_LEVEL": "INFO",
        "GUILD_ID": str(world.guild.id),
    }


@pytest.fixture
async def start_bot(
    discord_server: FakeDiscord, bot_env: dict[str, str], clock: Callable[[], datetime]
) -> AsyncIterator[Callable[..., contextlib.AbstractAsyncContextManager[Any]]]:
    """`async with start_bot() as bot:` runs a fresh in-process Bot on the test's database."""
    from bot.client import Bot
    from bot.config import Settings

    def start(
        *,
        pacing: Pacing = E2E_PACING,
        rate_limits: RateLimits = E2E_RATE_LIMITS,
        **options: Any,
    ) -> contextlib.AbstractAsyncContextManager[Any]:
        settings = Settings.load(bot_env)
        bot = Bot(settings, clock=clock, pacing=pacing, rate_limits=rate_limits, **options)
        return running_bot(discord_server, bot)

    yield start


@pytest.fixture
async def bot_app(
    start_bot: Callable[..., contextlib.AbstractAsyncContextManager[Any]],
) -> AsyncIterator[Any]:
    async with start_bot() as bot:
        yield bot


@pytest.fixture
async def bot_process(
    discord_server: FakeDiscord, bot_env: dict[str, str]
) -> AsyncIterator[BotProcess]:
    process = BotProcess(discord_server, env=bot_env)
    yield process
    await process.stop()
    process.log_path.unlink(missing_ok=True)


@pytest.fixture
def driver(discord_server: FakeDiscord, world: CoproWorld) -> Driver:
    return Driver(discord_server, world.guild, channel=world.general)


@pytest.fixture
async def post(bot_app: Any, driver: Driver, world: CoproWorld, meeting: dict[str, str]) -> Message:
    """The `meeting` (a fixture of the test's file) announced in #announcements: its post."""
    return await announce(driver, world, meeting)
