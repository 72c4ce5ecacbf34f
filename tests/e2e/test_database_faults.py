"""Database faults (issue 9): a locked database and a read-only one get a clear private
message within Discord's 3-second window and a clear log line; nothing is half-written; the
bot keeps running and works again once the fault is gone.

Locked: another connection (plain `sqlite3`, `BEGIN IMMEDIATE`) holds the write lock for as
long as the command takes, which is past the bot's busy timeout (`bot.db.BUSY_TIMEOUT_MS`,
2 s). No sleeps: the lock is held while the driver waits for the answer, then released.

Read-only: `chmod 0o444` on the file (and its -wal/-shm) does not do it here: these tests run
as root, whom file modes don't stop, and in any case the bot's connection already holds the
file open for writing. So the bot's own connection is switched to `PRAGMA query_only=ON`
(inside a unit of work on `bot.db`), which SQLite answers exactly as it answers a read-only
file: SQLITE_READONLY, "attempt to write a readonly database". It is switched back in a
`finally`.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest

from bot import text
from bot.db import BUSY_TIMEOUT_MS
from tests.e2e.conftest import CoproWorld
from tests.e2e.steps import settled
from tests.fakediscord import Driver, FakeDiscord, Reply
from tests.fakediscord.models import Member
from tests.support.dates import at_local, typed

DEADLINE_S = 3.0
BUSY = text.error_text("database_busy")
READ_ONLY = text.error_text("database_readonly")


@pytest.fixture
async def ready(
    bot_app: Any, driver: Driver, world: CoproWorld, clock: Callable[[], datetime]
) -> Any:
    seed_when = typed(at_local(clock(), days=12))  # 12 days on, at 18:30
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await driver.slash(world.organiser, "events create", when=seed_when, title="Seed meeting")
    await driver.slash(
        world.organiser, "letter create", title="Seed letter", addressee="Senedd", body="Text"
    )
    await bot_app.post_updater.drain(10)
    return bot_app


async def all_rows(bot: Any) -> dict[str, list[str]]:
    async with bot.db.reading() as conn:
        names = [
            row[0]
            for row in await conn.execute_fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            name: sorted(
                repr(tuple(r)) for r in await conn.execute_fetchall(f'SELECT * FROM "{name}"')
            )
            for name in names
        }


def visible_posts(server: FakeDiscord) -> set[int]:
    """Non-ephemeral messages that still exist, in channels and DMs."""
    return {m.id for m in server.messages.values() if not m.ephemeral and not m.deleted}


def ever_posted(server: FakeDiscord) -> set[int]:
    """Non-ephemeral messages ever made, deleted ones included."""
    return {m.id for m in server.messages.values() if not m.ephemeral}


def latency(reply: Reply) -> float:
    record = reply.interaction
    assert record.responded_at is not None
    return record.responded_at - record.dispatched_at


@contextmanager
def write_lock_held(path: os.PathLike[str] | str) -> Iterator[sqlite3.Connection]:
    """Another writer holding the database's write lock until the block ends."""
    holder = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield holder
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def logged(caplog: pytest.LogCaptureFixture, start: int, level: int, words: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records[start:]
        if r.levelno == level and words in r.getMessage()
    ]


def unexpected(caplog: pytest.LogCaptureFixture, start: int = 0) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records[start:]
        if "unexpected error" in r.getMessage() or "could not tell a member" in r.getMessage()
    ]


# --- locked --------------------------------------------------------------------------------------


def locked_commands(
    world: CoproWorld, now: datetime
) -> dict[str, tuple[Member, str, dict[str, Any], str]]:
    """(who, command, options, a phrase of its success) by name; create defers at once,
    join answers without deferring, so it must answer inside the window itself."""
    return {
        "events create": (
            world.organiser,
            "events create",
            {"when": typed(at_local(now, days=19)), "title": "Locked out meeting"},
            "Posted **Locked out meeting**",
        ),
        "network join": (
            world.rhian,
            "network join",
            {"organisation": "Tai Tarian", "region": "South Wales"},
            "Welcome to the network",
        ),
    }


@pytest.mark.parametrize("command", ["events create", "network join"])
async def test_a_locked_database_gets_a_clear_answer_in_time_then_works_again(
    command: str,
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    caplog: pytest.LogCaptureFixture,
    clock: Callable[[], datetime],
) -> None:
    caplog.set_level(logging.INFO)
    who, path, options, success = locked_commands(world, clock())[command]
    rows, posts = await all_rows(ready), visible_posts(discord_server)
    posted = ever_posted(discord_server)
    identifies = discord_server.gateway.identifies
    start = len(caplog.records)

    with write_lock_held(ready.settings.database_path):
        started = time.monotonic()
        reply = await driver.slash(who, path, options=options)
        waited = time.monotonic() - started
        # answered while the lock was still held, after the bot's busy timeout ran out:
        # the first answer (a defer, or the message itself) and the message inside the window
        assert latency(reply) < DEADLINE_S
        assert BUSY_TIMEOUT_MS / 1000 * 0.95 <= waited < DEADLINE_S
        assert reply.ephemeral
        assert reply.text.strip() == BUSY

    await ready.post_updater.drain(10)
    assert logged(caplog, start, logging.WARNING, "database busy: database is locked")
    assert unexpected(caplog, start) == []
    assert await all_rows(ready) == rows  # nothing half-written
    assert visible_posts(discord_server) == posts  # no announcement left behind
    assert ever_posted(discord_server) == posted  # nor posted and taken down: nobody pinged

    again = await driver.slash(who, path, options=options)
    assert again.ephemeral and success in again.text
    assert await all_rows(ready) != rows
    assert not ready.is_closed()
    assert discord_server.gateway.identifies == identifies  # no restart, no reconnect
    assert unexpected(caplog) == []


# --- read-only -----------------------------------------------------------------------------------


async def set_query_only(bot: Any, on: bool) -> None:
    async with bot.db.reading() as conn:
        await conn.execute(f"PRAGMA query_only={'ON' if on else 'OFF'}")


async def test_a_read_only_database_gets_a_clear_answer_and_no_crash_loop(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    caplog: pytest.LogCaptureFixture,
    clock: Callable[[], datetime],
) -> None:
    caplog.set_level(logging.INFO)
    bot = ready
    post = next(m for m in driver.messages(world.announcements) if m.embeds)
    later = typed(at_local(clock(), days=19))  # a week after the seed meeting
    writes: list[tuple[Member, str, dict[str, Any]]] = [
        (world.organiser, "events create", {"when": later, "title": "Read only"}),
        (world.organiser, "events edit", {"event": "Seed meeting", "where": "Online"}),
        (world.organiser, "events series", {"name": "S. Wales Network Meeting"}),
        (world.organiser, "letter create", {"title": "RO", "addressee": "A", "body": "B"}),
        (world.rhian, "letter sign", {"letter": "Seed letter", "name": "Rhian"}),
        (world.rhian, "network join", {"organisation": "Adra"}),
        (world.rhian, "reminders add", {"event": "Seed meeting", "before": "1h"}),
        (world.rhian, "reminders dms", {"enabled": False}),
        (world.admin, "setup timezone", {"zone": "Europe/Paris"}),
    ]
    rows, posts = await all_rows(bot), visible_posts(discord_server)
    identifies = discord_server.gateway.identifies
    start = len(caplog.records)

    await set_query_only(bot, True)
    try:
        for who, path, options in writes:
            reply = await driver.slash(who, path, options=options)
            assert latency(reply) < DEADLINE_S, path
            assert reply.ephemeral and reply.text.strip() == READ_ONLY, (path, reply.text)
        # a button and a form: the same answer
        prompt = await driver.slash(world.organiser, "events cancel", event="Seed meeting")
        confirmed = await driver.click(world.organiser, prompt.message, text.BUTTON_CANCEL_CONFIRM)
        assert READ_ONLY in confirmed.text
        letter_post = next(
            m
            for m in driver.messages(world.announcements)
            if any(b.get("label") == text.BUTTON_SIGN for b in m.buttons())
        )
        form = await driver.click(world.dafydd, letter_post, text.BUTTON_SIGN)
        assert form.type == 9
        signed = await driver.submit_modal(world.dafydd, {"name": "Dafydd Jones"})
        assert signed.ephemeral and signed.text.strip() == READ_ONLY
        # reading still works
        listed = await driver.slash(world.rhian, "events upcoming")
        assert "Seed meeting" in listed.text
        letters = await driver.slash(world.rhian, "letter list")
        assert "Seed letter" in letters.text
        # the RSVP worker meets the fault too (the answer's fate is not asserted here)
        await driver.react(world.rhian, post, "✅")
        await settled(bot, discord_server)
    finally:
        await set_query_only(bot, False)

    await bot.post_updater.drain(10)
    failures = logged(caplog, start, logging.ERROR, "database is read-only")
    assert len(failures) >= len(writes) + 2  # one clear line per refused write
    assert all("attempt to write a readonly database" in line for line in failures)
    assert unexpected(caplog, start) == []
    assert await all_rows(bot) == rows  # nothing half-written
    assert visible_posts(discord_server) == posts

    # no crash loop: once writable, the same commands work and nothing keeps failing
    after = len(caplog.records)
    for who, path, options in writes:
        reply = await driver.slash(who, path, options=options)
        assert reply.ephemeral and text.error_text("database_readonly") not in reply.text, path
        assert "went wrong" not in reply.text, (path, reply.text)
    await driver.react(world.dafydd, post, "✅")
    await settled(bot, discord_server)
    async with bot.db.reading() as conn:
        going = await conn.execute_fetchall(
            "SELECT user_id FROM rsvps WHERE status = 'going' AND user_id = ?", (world.dafydd.id,)
        )
    assert len(list(going)) == 1  # the RSVP worker survived the fault
    await bot.post_updater.drain(10)
    assert [r.getMessage() for r in caplog.records[after:] if r.levelno >= logging.ERROR] == []
    assert not bot.is_closed()
    assert discord_server.gateway.identifies == identifies
