"""The web server in the running bot, through the local Discord: /events subscribe hands out a
feed URL that a calendar app can poll (and reset retires), /healthz reports the real bot, the
server stops with the bot; with WEB_PORT unset there is no web and subscribe says so; a port in
use or a bad PUBLIC_URL stops `python -m bot` with one line and exit code 2, before anything
else starts."""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import icalendar
import pytest

from bot import text
from bot.config import FIXES
from bot.domain.rsvps import GOING_EMOJI
from tests.e2e.conftest import CoproWorld
from tests.e2e.test_process import one_line, run_bot
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.process import BotProcess
from tests.support.dates import at_local, typed

FEED_URL = re.compile(r"<(http://localhost:(\d+)/feeds/([A-Za-z0-9_-]{32})\.ics)>")
StartBot = Callable[..., AbstractAsyncContextManager[Any]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port something else listens on."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield int(taken.getsockname()[1])


async def fetch(url: str, **headers: str) -> tuple[int, bytes, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(url.replace("//localhost:", "//127.0.0.1:"), headers=headers) as response,
    ):
        return response.status, await response.read(), response.headers.copy()


def summaries(body: bytes) -> list[str]:
    return [str(v["summary"]) for v in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def feed_of(reply: Any) -> str:
    match = FEED_URL.search(reply.text)
    assert match is not None, reply.text
    return match.group(1)


async def test_subscribe_hands_out_a_live_feed_and_reset_retires_it(
    start_bot: StartBot,
    bot_env: dict[str, str],
    driver: Driver,
    world: CoproWorld,
    clock: Any,
) -> None:
    port = free_port()
    bot_env["WEB_PORT"] = str(port)
    start: datetime = at_local(clock(), days=5)
    async with start_bot() as bot:
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        created = await driver.slash(
            world.organiser,
            "events create",
            when=typed(start),
            title="S. Wales Network Meeting 4",
            region="South Wales",
        )
        assert "Posted" in created.text

        reply = await driver.slash(world.rhian, "events subscribe")
        assert reply.ephemeral
        url = feed_of(reply)
        assert url.startswith(f"http://localhost:{port}/feeds/")
        assert "`webcal://localhost:" in reply.text and url.split("://")[1] in reply.text
        status, body, headers = await fetch(url)
        assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert summaries(body) == ["S. Wales Network Meeting 4"]
        unchanged, _, _ = await fetch(url, **{"If-None-Match": headers["ETag"]})
        assert unchanged == 304

        # An edit reaches the feed: the next poll gets the new place, SEQUENCE raised.
        [event] = (await bot.event_service.list_events(world.guild.id, 0)).events
        await driver.slash(world.organiser, "events edit", event=str(event.id), where="Online")
        status, edited, _ = await fetch(url, **{"If-None-Match": headers["ETag"]})
        assert status == 200
        [vevent] = icalendar.Calendar.from_ical(edited).walk("VEVENT")
        assert str(vevent["location"]) == "Online" and int(str(vevent["sequence"])) == 1

        # A personal feed: empty until Rhian says she's going.
        mine = feed_of(await driver.slash(world.rhian, "events subscribe", mine=True))
        assert summaries((await fetch(mine))[1]) == []
        [post] = [m for m in driver.messages(world.announcements) if not m.deleted]
        await driver.react(world.rhian, post, GOING_EMOJI)
        await eventually(lambda body: summaries(body) == ["S. Wales Network Meeting 4"], mine)

        # Narrowed to another region: nothing.
        north = feed_of(await driver.slash(world.rhian, "events subscribe", region="North Wales"))
        assert summaries((await fetch(north))[1]) == []

        # reset: the old address stops working, the new one works, the reply says so.
        fresh = await driver.slash(world.rhian, "events subscribe", reset=True)
        assert text.SUBSCRIBE_RESET in fresh.text
        new_url = feed_of(fresh)
        assert (await fetch(url))[0] == 404
        assert (await fetch(new_url))[0] == 200
        assert (await fetch(mine))[0] == 200  # another kind of feed: untouched

        # /healthz reports the running bot.
        status, health_body, _ = await fetch(f"http://127.0.0.1:{port}/healthz")
        assert status == 200
        health = json.loads(health_body)
        assert health["gateway"] is health["database"] is health["scheduler"] is True
        assert isinstance(health["jobs_pending"], int) and health["jobs_pending"] >= 1
    # Stopped with the bot: nothing listens any more.
    with pytest.raises(aiohttp.ClientConnectionError):
        await fetch(new_url)


async def eventually(check: Callable[[bytes], bool], url: str) -> None:
    """Poll the feed until `check` holds (reactions are applied in the background)."""
    for _ in range(100):
        if check((await fetch(url))[1]):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the feed never showed what was expected: {url}")


async def test_subscribe_says_when_the_web_is_off(
    bot_app: Any, driver: Driver, world: CoproWorld
) -> None:
    assert bot_app.web is None
    reply = await driver.slash(world.rhian, "events subscribe", mine=True)
    assert reply.ephemeral
    assert reply.text == text.SUBSCRIBE_WEB_OFF


async def test_a_port_in_use_stops_the_start_before_anything_else(
    discord_server: FakeDiscord, bot_env: dict[str, str], taken_port: int
) -> None:
    process = BotProcess(discord_server, env={**bot_env, "WEB_PORT": str(taken_port)})
    try:
        await process.start(wait_connected=False)
        assert await process.wait(20) == 2
        output = process.output()
        [line] = [x for x in output.splitlines() if x.startswith("error:")]
        assert line.startswith(f"error: WEB_PORT ({taken_port}) is in use")
        assert FIXES["WEB_PORT"] in line
        assert "Traceback" not in output
        assert discord_server.gateway.identifies == 0  # never connected
        database = Path(bot_env["DATABASE_PATH"])
        assert not await asyncio.to_thread(database.exists)  # nor opened the database
    finally:
        await process.stop()
        process.log_path.unlink(missing_ok=True)


@pytest.mark.parametrize(
    "value", ["bot.example.org", "ftp://bot.example.org", "https://bot.example.org/?x=1"]
)
def test_a_bad_public_url_stops_the_start_naming_it(tmp_path: Path, value: str) -> None:
    token = "MTQwMDAwMDAwMDAwMDAwMDAw.R2Zha2U.stand-in-token-for-tests"
    result = run_bot(tmp_path, DISCORD_TOKEN=token, WEB_PORT="8080", PUBLIC_URL=value)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith("error: PUBLIC_URL is malformed")
    assert FIXES["PUBLIC_URL"] in line


@pytest.mark.parametrize(("name", "value"), [("WEB_PORT", "99999"), ("WEB_HOST", "a b")])
def test_a_bad_web_setting_stops_the_start_naming_it(tmp_path: Path, name: str, value: str) -> None:
    token = "MTQwMDAwMDAwMDAwMDAwMDAw.R2Zha2U.stand-in-token-for-tests"
    result = run_bot(tmp_path, DISCORD_TOKEN=token, **{name: value})
    assert result.returncode == 2
    assert one_line(result.stderr).startswith(f"error: {name} is malformed")


async def test_healthz_follows_the_gateway_and_the_database(
    start_bot: StartBot,
    bot_env: dict[str, str],
    driver: Driver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.web import health as web_health

    monkeypatch.setattr(web_health, "PROBE_EVERY_S", 0.0)  # every ask probes: see each change
    port = free_port()
    bot_env["WEB_PORT"] = str(port)
    healthz = f"http://127.0.0.1:{port}/healthz"

    async def health() -> tuple[int, dict[str, Any]]:
        status, body, _ = await fetch(healthz)
        return status, json.loads(body)

    async with start_bot() as bot:
        status, held = await health()
        assert status == 200 and held["gateway"] is True
        async with driver.gateway_down():
            for _ in range(100):  # discord.py notices the closed socket within moments
                status, held = await health()
                if status == 503:
                    break
                await asyncio.sleep(0.05)
            assert status == 503
            assert held["gateway"] is False and held["database"] is held["scheduler"] is True
        status, held = await health()
        assert status == 200 and held["gateway"] is True

        # A database that cannot answer (here: held by another unit of work for longer
        # than the probe waits) is unhealthy; it recovers when the work ends.
        async with bot.db.transaction():
            status, held = await health()
        assert status == 503 and held["database"] is False
        status, held = await health()
        assert status == 200
