"""Letters like events: a letter saved but never posted (the bot stopped between saving it
and posting it, so its organiser was never told it worked) is removed at the next start and
logged; letters that were posted, and their signatures, are kept.

The first test stops the bot as it really stops: the bot runs as its own process and is
killed (SIGKILL) while its post request is on the way, and the post never reaches the
channel. The second writes what such a stop leaves (a row marked unposted, one signature
given in that moment) and restarts the in-process bot on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import CoproWorld
from tests.e2e.test_process import run_output, wait_for_log
from tests.fakediscord import Driver, DriverError, FakeDiscord
from tests.fakediscord.models import Message
from tests.fakediscord.process import BotProcess
from tests.fakediscord.server import Answer

POST = "POST /channels/{channel_id}/messages"
KEPT = {
    "title": "Open Letter to the First Minister",
    "addressee": "The First Minister of Wales",
    "body": "We ask that co-production is placed at the heart of Welsh public services.",
}
HALF_MADE = {**KEPT, "title": "Letter to the Senedd", "addressee": "The Senedd"}


def letter_posts(driver: Driver, world: CoproWorld) -> list[Message]:
    return [
        m
        for m in driver.messages(world.announcements)
        if not m.deleted and any(b["custom_id"].startswith("letter:sign:") for b in m.buttons())
    ]


def stored(path: Path) -> tuple[list[Any], list[Any]]:
    """(letters' titles) and (signatures: letter title, name), read-only."""
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        letters = [title for (title,) in conn.execute("SELECT title FROM letters ORDER BY id")]
        signatures = conn.execute(
            "SELECT l.title, s.name FROM signatures s JOIN letters l ON l.id = s.letter_id "
            "ORDER BY s.id"
        ).fetchall()
    return letters, signatures


async def test_a_letter_whose_post_never_went_out_is_removed_at_the_next_start(
    bot_process: BotProcess,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
) -> None:
    database = Path(bot_process.env["DATABASE_PATH"])
    await bot_process.start()
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    made = await driver.slash(world.organiser, "letter create", options=KEPT)
    assert "Posted" in made.text or "posted" in made.text, made.text
    signed = await driver.slash(
        world.rhian, "letter sign", options={"letter": KEPT["title"], "name": "Rhian Evans"}
    )
    assert signed.ephemeral

    async def stop_while_posting(answer: Answer) -> None:
        message = discord_server.messages[int(answer.body["id"])]
        if HALF_MADE["title"] not in json.dumps(message.embeds):
            return
        discord_server.before_answer(POST, None)
        await bot_process.kill()  # the power goes while the post request is on its way...
        message.deleted = True  # ...and it never reached the channel

    discord_server.before_answer(POST, stop_while_posting)
    attempt = asyncio.create_task(
        driver.slash(world.organiser, "letter create", options=HALF_MADE, timeout=10)
    )
    await discord_server.wait_for(lambda: not bot_process.running, timeout=15)
    with pytest.raises(DriverError):
        await attempt  # the organiser was never told it worked
    assert stored(database)[0] == [KEPT["title"], HALF_MADE["title"]]  # saved, never posted
    posts_before = {m.id for m in letter_posts(driver, world)}

    await bot_process.start()  # serving commands: the start-up sweep is done
    listed = await driver.slash(world.rhian, "letter list")
    assert KEPT["title"] in listed.text and HALF_MADE["title"] not in listed.text
    await wait_for_log(bot_process, "saved but never posted", start=2)
    assert stored(database) == ([KEPT["title"]], [(KEPT["title"], "Rhian Evans")])
    assert {m.id for m in letter_posts(driver, world)} == posts_before  # not posted late
    assert f"'{HALF_MADE['title']}'" in run_output(bot_process, 2)
    assert "Traceback" not in run_output(bot_process, 2)


async def test_a_letter_saved_but_never_posted_goes_with_its_signatures(
    start_bot: Any,
    driver: Driver,
    world: CoproWorld,
    bot_env: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    database = Path(bot_env["DATABASE_PATH"])
    async with start_bot():
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        await driver.slash(world.organiser, "letter create", options=KEPT)
        await driver.slash(
            world.rhian, "letter sign", options={"letter": KEPT["title"], "name": "Rhian Evans"}
        )
    # What a stop between saving a letter and posting it leaves, as the service writes it: a
    # row marked unposted with no post, here with a signature given in that moment.
    with sqlite3.connect(database) as conn:
        conn.execute(
            "INSERT INTO letters (guild_id, title, addressee, body, closes_at, channel_id, "
            "created_by, created_at, updated_at, posted) SELECT guild_id, ?, addressee, body, "
            "created_at + 86400, channel_id, created_by, created_at, updated_at, 0 FROM letters",
            (HALF_MADE["title"],),
        )
        conn.execute(
            "INSERT INTO signatures (letter_id, user_id, name, signed_at, updated_at) "
            "SELECT max(id), ?, 'Dafydd Jones', created_at, created_at FROM letters",
            (world.dafydd.id,),
        )
    posts_before = {m.id for m in letter_posts(driver, world)}
    caplog.set_level(logging.WARNING)
    async with start_bot() as bot:
        listed = await driver.slash(world.rhian, "letter list")
        assert KEPT["title"] in listed.text and HALF_MADE["title"] not in listed.text
        assert not [j for j in bot.jobs.pending() if j.startswith("letter-close:")]
        refused = await driver.slash(world.dafydd, "letter withdraw", letter=HALF_MADE["title"])
        assert refused.ephemeral and "Traceback" not in refused.text
    assert stored(database) == ([KEPT["title"]], [(KEPT["title"], "Rhian Evans")])
    assert {m.id for m in letter_posts(driver, world)} == posts_before
    assert any(
        f"'{HALF_MADE['title']}'" in r.getMessage() and "never posted" in r.getMessage()
        for r in caplog.records
    )
