"""The bot against an unreliable Discord: dropped gateway connections, 429s and 5xx answers,
member text past every limit, and command syncs only when the commands changed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot import text
from bot.domain.rsvps import GOING_EMOJI
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, FakeDiscord, Reply
from tests.fakediscord.server import APP_COMMAND
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeClock

POSTED = text.EVENT_CREATED.split(" ")[0]  # "Posted …"
NO_UPCOMING = text.LIST_EMPTY_UPCOMING.split("{")[0]
TITLE_4 = "S. Wales Network Meeting 4"
CREATE_MESSAGE = "POST /channels/{channel_id}/messages"
EDIT_MESSAGE = "PATCH /channels/{channel_id}/messages/{message_id}"
FOLLOWUP = "POST /webhooks/{webhook_id}/{webhook_token}"
CALLBACK = "POST /interactions/{webhook_id}/{webhook_token}/callback"
GUILD_SYNC = "PUT /applications/{application_id}/guilds/{guild_id}/commands"
GLOBAL_SYNC = "PUT /applications/{application_id}/commands"


@pytest.fixture
def meeting_4(clock: FakeClock) -> dict[str, str]:
    """The /events create options for Meeting 4 as the organiser types them: 18:30 five days
    on, so it and its reminders are days after the test."""
    return {"when": typed(at_local(clock(), days=5)), "title": TITLE_4}


@pytest.fixture
async def ready(bot_app: Any, driver: Driver, world: CoproWorld) -> Any:
    reply = await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    assert reply.ephemeral
    return bot_app


def posts(driver: Driver, world: CoproWorld) -> list[Any]:
    return [m for m in driver.messages(world.announcements) if not m.deleted]


async def stored_titles(bot: Any) -> list[str]:
    page = await bot.event_service.list_events(bot.settings.guild_id, 0)
    return [e.title for e in page.events]


def client_errors(server: FakeDiscord) -> list[Any]:
    """Requests the stand-in refused as malformed or forbidden (4xx other than 429)."""
    return [r for r in server.request_log if 400 <= r.status < 500 and r.status != 429]


def the_interaction(server: FakeDiscord, path: str) -> Any:
    return next((r for r in server.interactions.values() if r.command_path == path), None)


# --- the gateway drops ----------------------------------------------------------------------


@pytest.mark.parametrize("abrupt", [False, True])
async def test_a_flow_survives_a_dropped_gateway(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    abrupt: bool,
    meeting_4: dict[str, str],
) -> None:
    created = await driver.slash(world.organiser, "events create", options=meeting_4)
    assert created.ephemeral
    [event_id] = [e.id for e in await ready.event_service.open_posts()]
    prompt = await driver.slash(world.organiser, "events cancel", event=str(event_id))
    assert prompt.ephemeral

    resumes = discord_server.gateway.resumes
    await driver.drop_gateway(abrupt=abrupt)
    assert discord_server.gateway.resumes == resumes + 1  # the same session carried on

    done = await driver.click(world.organiser, prompt.message, text.BUTTON_CANCEL_CONFIRM)
    assert "Cancelled" in driver.message(done.message or prompt).text
    [post] = posts(driver, world)
    assert post.embeds[0]["title"] == text.EMBED_CANCELLED_TITLE.format(title=TITLE_4)
    after = await driver.slash(world.rhian, "events upcoming")
    assert after.ephemeral and NO_UPCOMING in after.text


async def test_a_command_sent_while_the_gateway_is_down_is_answered_on_resume(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting_4: dict[str, str],
) -> None:
    async with driver.gateway_down():
        creating = asyncio.create_task(
            driver.slash(world.organiser, "events create", options=meeting_4)
        )
        record = await driver.wait_for(lambda: the_interaction(discord_server, "events create"))
        assert not record.responded  # the bot can't have seen it
        assert posts(driver, world) == []
    reply = await creating
    assert reply.ephemeral and POSTED in reply.text
    assert [p.embeds[0]["title"] for p in posts(driver, world)] == [TITLE_4]
    assert await stored_titles(ready) == [TITLE_4]


async def test_a_reaction_made_while_the_gateway_is_down_is_counted(
    ready: Any, driver: Driver, world: CoproWorld, meeting_4: dict[str, str]
) -> None:
    await driver.slash(world.organiser, "events create", options=meeting_4)
    [post] = posts(driver, world)
    async with driver.gateway_down():
        await driver.react(world.rhian, post, GOING_EMOJI)
    going = text.RSVP_COUNTS.format(going=1, maybe=0, cant=0)

    def shows_going() -> bool:
        return any(going in f["value"] for f in post.embeds[0]["fields"])

    await driver.wait_for(shows_going, message=f"the post never showed {going!r}")
    info = await driver.slash(world.rhian, "events info", event=TITLE_4)
    assert info.ephemeral and going in info.text


# --- rate limits and server errors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "is_global"),
    [(CREATE_MESSAGE, False), (CREATE_MESSAGE, True), (FOLLOWUP, False)],
)
async def test_a_429_is_waited_out_and_the_event_still_announced(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    route: str,
    is_global: bool,
    meeting_4: dict[str, str],
) -> None:
    before = discord_server.requests.get(route, 0)
    discord_server.force_429(route, times=2, retry_after=0.3, is_global=is_global)
    reply = await driver.slash(world.organiser, "events create", options=meeting_4)
    assert reply.ephemeral and POSTED in reply.text
    assert discord_server.rate_limited[route] == 2
    assert discord_server.requests[route] == before + 3  # two refused, then the one that counts
    [post] = posts(driver, world)  # posted once, not three times
    assert post.embeds[0]["title"] == TITLE_4
    assert await stored_titles(ready) == [TITLE_4]
    assert client_errors(discord_server) == []


async def test_a_429_on_the_first_answer_is_waited_out(
    bot_app: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord
) -> None:
    discord_server.force_429(CALLBACK, times=1, retry_after=0.2)
    reply = await driver.slash(world.rhian, "help")
    assert reply.ephemeral and reply.embed().title == text.HELP_TITLE
    assert discord_server.rate_limited[CALLBACK] == 1


async def test_a_server_error_on_posting_is_retried(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting_4: dict[str, str],
) -> None:
    discord_server.fail_next(CREATE_MESSAGE, status=502, times=1)
    reply = await driver.slash(world.organiser, "events create", options=meeting_4)
    assert reply.ephemeral and POSTED in reply.text
    assert len(posts(driver, world)) == 1
    assert await stored_titles(ready) == [TITLE_4]


async def test_server_errors_on_an_edit_and_a_dm_are_retried(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    caplog: pytest.LogCaptureFixture,
    meeting_4: dict[str, str],
) -> None:
    """A 500 on the post's edit and a 502 on a waitlist DM, at the same moment: discord.py
    tries each again (after 1 s), the post ends exact and the DM arrives once."""
    reply = await driver.slash(
        world.organiser, "events create", options={**meeting_4, "capacity": 1}
    )
    assert reply.ephemeral and POSTED in reply.text
    [post] = posts(driver, world)
    await driver.react(world.rhian, post, GOING_EMOJI)
    line = text.RSVP_COUNTS.format(going="1/1", maybe=0, cant=0)
    await driver.wait_for(lambda: any(f["value"] == line for f in post.embeds[0]["fields"]))
    discord_server.fail_next(EDIT_MESSAGE, status=500, times=1)
    discord_server.fail_next(CREATE_MESSAGE, status=502, times=1)  # the DM is a message too
    await driver.react(world.dafydd, post, GOING_EMOJI)
    waiting = line + text.RSVP_COUNTS_WAITLIST.format(waitlist=1)
    await driver.wait_for(
        lambda: any(f["value"] == waiting for f in post.embeds[0]["fields"]), timeout=10
    )
    [dm] = await driver.wait_for(lambda: driver.dms(world.dafydd), timeout=10)
    assert "waitlist: number 1" in dm.content
    failed = sorted((r.route, r.status) for r in discord_server.request_log if r.status >= 500)
    assert failed == [(EDIT_MESSAGE, 500), (CREATE_MESSAGE, 502)]  # each refused once
    assert len(driver.dms(world.dafydd)) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- member text past every limit ---------------------------------------------------------------


async def slash_past_limits(driver: Driver, who: Any, path: str, **values: Any) -> Reply:
    """Run a command as a modified client could: option values past the schema's max_length
    (Discord's own client would stop the member; the API would not stop a crafted request)."""
    member = driver.member(who)
    channel = driver.channel()
    short = {k: v[:1] if isinstance(v, str) else v for k, v in values.items()}
    data = driver._command_data(path, short, member, channel, focused=None)

    def restore(options: list[dict[str, Any]]) -> None:
        for option in options:
            if "options" in option:
                restore(option["options"])
            elif option["name"] in values and isinstance(values[option["name"]], str):
                option["value"] = values[option["name"]]

    restore(data["options"])
    record = driver.server.start_interaction(
        kind=APP_COMMAND, user=member, channel=channel, data=data, command_path=path
    )
    return await driver._answer(record, None)


def _long(n: int) -> str:
    words = "Co-production means sharing power with the people who use services. "
    cut = (words * (n // len(words) + 1))[: n - 1]
    return cut + "."  # no trailing space, so the length is what the bot counts


def _when_5100(meeting: dict[str, str]) -> str:
    return f"{meeting['when']} " * 300  # Meeting 4's own time, typed 300 times over


Options = Callable[[dict[str, str]], dict[str, str]]
Expected = Callable[[dict[str, str]], str]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            lambda m: {**m, "description": _long(6000)},
            lambda m: text.error_text("too_long", field="description", length=6000, limit=2000),
        ),
        (
            lambda m: {**m, "title": _long(300)},
            lambda m: text.error_text("too_long", field="title", length=300, limit=100),
        ),
        (
            lambda m: {**m, "where": _long(1000), "host": "United Welsh Housing"},
            lambda m: text.error_text("too_long", field="place", length=1000, limit=100),
        ),
        (
            lambda m: {**m, "when": _when_5100(m)},
            lambda m: text.error_text("when_unreadable", text=_when_5100(m).strip()[:100]),
        ),
    ],
    ids=["description-6000", "title-300", "where-1000", "when-5100"],
)
async def test_over_long_text_gets_a_clear_private_refusal(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting_4: dict[str, str],
    options: Options,
    expected: Expected,
) -> None:
    given = options(meeting_4)
    reply = await slash_past_limits(driver, world.organiser, "events create", **given)
    assert reply.ephemeral
    assert reply.text == expected(meeting_4)
    assert len(reply.text) <= 2000
    assert client_errors(discord_server) == []
    assert posts(driver, world) == []
    assert await stored_titles(ready) == []


async def test_a_5000_character_when_through_the_ordinary_client(
    ready: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord
) -> None:
    # `when` has no max_length, so the Discord client lets this through as it is.
    reply = await driver.slash(world.organiser, "events create", when="x" * 5000, title=TITLE_4)
    assert reply.ephemeral and "couldn't read" in reply.text
    assert len(reply.text) < 500
    assert client_errors(discord_server) == []
    assert posts(driver, world) == []


@pytest.mark.parametrize(
    ("path", "options", "phrase"),
    [
        ("setup timezone", {"zone": "Z" * 6000}, "isn't a time zone"),
        ("setup reminders", {"offsets": "1d," * 2000}, "reminder times"),
        ("setup digest", {"enabled": True, "time": "9" * 6000}, "time of day"),
        ("events info", {"event": "Network Meeting " * 375}, "couldn't find"),
    ],
)
async def test_over_long_free_text_elsewhere_never_breaks_a_reply(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    path: str,
    options: dict[str, Any],
    phrase: str,
) -> None:
    before = await ready.guild_service.settings(world.guild.id)
    reply = await slash_past_limits(driver, world.admin, path, **options)
    assert reply.ephemeral
    assert phrase in reply.text
    assert len(reply.text) < 600
    assert client_errors(discord_server) == []
    assert await ready.guild_service.settings(world.guild.id) == before


async def test_text_at_every_limit_is_posted_and_listed_within_discords_limits(
    ready: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord, clock: FakeClock
) -> None:
    full = {
        "title": _long(100),
        "where": _long(100),
        "host": _long(100),
        "description": _long(2000),
    }
    for day in range(3, 15):  # twelve evenings, one a day from three days on
        when = typed(at_local(clock(), days=day))
        reply = await driver.slash(world.organiser, "events create", options={**full, "when": when})
        assert reply.ephemeral and POSTED in reply.text, reply.text
    assert len(posts(driver, world)) == 12
    listed = await driver.slash(world.rhian, "events upcoming")
    assert listed.ephemeral and listed.embeds
    [event_id, *_] = [e.id for e in await ready.event_service.open_posts()]
    info = await driver.slash(world.rhian, "events info", event=str(event_id))
    assert info.ephemeral and info.embeds
    edited = await driver.slash(
        world.organiser, "events edit", event=str(event_id), description=_long(2000)[::-1]
    )
    assert edited.ephemeral
    assert client_errors(discord_server) == []


# --- command sync -------------------------------------------------------------------------------


def syncs(server: FakeDiscord) -> int:
    return server.requests.get(GUILD_SYNC, 0) + server.requests.get(GLOBAL_SYNC, 0)


async def test_commands_are_synced_once_across_starts_unless_forced(
    start_bot: Callable[..., contextlib.AbstractAsyncContextManager[Any]],
    discord_server: FakeDiscord,
    driver: Driver,
    world: CoproWorld,
) -> None:
    async with start_bot():
        pass
    assert discord_server.command_syncs == [world.guild.id]
    assert syncs(discord_server) == 1

    async with start_bot():
        reply = await driver.slash(world.rhian, "help")  # the commands from before still work
        assert reply.ephemeral
    assert discord_server.command_syncs == [world.guild.id]
    assert syncs(discord_server) == 1

    async with start_bot(force_sync=True):
        pass
    assert discord_server.command_syncs == [world.guild.id, world.guild.id]
    assert syncs(discord_server) == 2


async def test_commands_are_synced_when_they_changed(
    start_bot: Callable[..., contextlib.AbstractAsyncContextManager[Any]],
    discord_server: FakeDiscord,
    bot_env: dict[str, str],
    world: CoproWorld,
) -> None:
    async with start_bot():
        pass
    # As if the last sync had been of an older version of the commands.
    with contextlib.closing(sqlite3.connect(Path(bot_env["DATABASE_PATH"]))) as conn, conn:
        changed = conn.execute(
            "UPDATE meta SET value = 'an older command tree' WHERE key LIKE 'command_sync:%'"
        ).rowcount
    assert changed == 1
    async with start_bot():
        pass
    assert discord_server.command_syncs == [world.guild.id, world.guild.id]
    async with start_bot():
        pass
    assert len(discord_server.command_syncs) == 2


async def test_without_guild_id_commands_are_synced_globally_once(
    start_bot: Callable[..., contextlib.AbstractAsyncContextManager[Any]],
    discord_server: FakeDiscord,
    bot_env: dict[str, str],
    driver: Driver,
    world: CoproWorld,
) -> None:
    del bot_env["GUILD_ID"]
    async with start_bot():
        reply = await driver.slash(world.rhian, "help")
        assert reply.ephemeral
    async with start_bot():
        pass
    assert discord_server.command_syncs == [None]
    assert discord_server.requests.get(GLOBAL_SYNC) == 1
    assert discord_server.requests.get(GUILD_SYNC, 0) == 0


# --- posts after a stop that was not clean ------------------------------------------------------


async def test_posts_are_re_rendered_at_start_only_after_a_stop_that_was_not_clean(
    start_bot: Callable[..., contextlib.AbstractAsyncContextManager[Any]],
    discord_server: FakeDiscord,
    driver: Driver,
    world: CoproWorld,
    bot_env: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    clock: FakeClock,
) -> None:
    caplog.set_level(logging.WARNING)
    letter = {"title": "Open Letter", "addressee": "The First Minister", "body": "We ask…"}
    a_when, b_when = (typed(at_local(clock(), days=days)) for days in (5, 6))
    async with start_bot():  # a fresh database: nothing to bring up to date
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        await driver.slash(world.organiser, "events create", when=a_when, title="A")
        await driver.slash(world.organiser, "events create", when=b_when, title="B")
        await driver.slash(world.organiser, "letter create", options=letter)
    assert len(posts(driver, world)) == 3
    edits = discord_server.requests.get(EDIT_MESSAGE, 0)

    async with start_bot() as bot:  # after a clean stop: posts are left alone
        await bot.post_updater.drain(5)
    assert discord_server.requests.get(EDIT_MESSAGE, 0) == edits
    assert not any("did not stop cleanly" in r.getMessage() for r in caplog.records)

    # What a killed process leaves (tests/e2e/test_crash_recovery.py kills one for real).
    # B's cancellation was saved but its post never said so.
    with sqlite3.connect(bot_env["DATABASE_PATH"]) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'posts_in_step'")
        conn.execute("UPDATE events SET status = 'cancelled', cancelled_at = 1 WHERE title = 'B'")
    async with start_bot() as bot:
        await bot.post_updater.drain(5)
    assert discord_server.requests.get(EDIT_MESSAGE, 0) == edits + 3  # two events, the letter
    titles = sorted(str(p.embeds[0]["title"]) for p in posts(driver, world) if p.embeds)
    assert text.EMBED_CANCELLED_TITLE.format(title="B") in titles
    assert any(
        "did not stop cleanly: bringing 2 event and 1 letter posts" in r.getMessage()
        for r in caplog.records
    )
