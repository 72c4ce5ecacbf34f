"""`python -m bot` as its own process: settings errors, the database at start, signals,
restarts, backups while running, and a log that never shows the token."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot import text
from bot.config import FIXES
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.clock import LiveClock
from tests.fakediscord.process import REPO_ROOT, BotProcess
from tests.support.dates import at_local, typed

POSTED = text.EVENT_CREATED.split(" ")[0]  # "Posted …"
MEETING_4 = "S. Wales Network Meeting 4"
MIGRATED = re.compile(r"database migrated to version (\d+)")


def migration_count() -> int:
    return len(list((REPO_ROOT / "migrations").glob("*.sql")))


def clean_env(**settings: str) -> dict[str, str]:
    """Only what a person would set: no DISCORD_TOKEN or other settings leak in from here.
    PYTHONPATH finds the checkout (as `pip install -e .` would)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO_ROOT),
        **settings,
    }


def run_bot(cwd: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """The bot's command line run to its end (30 s at most) with only `settings` set."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean_env(**settings),
        capture_output=True,
        text=True,
        errors="replace",
        timeout=30,
        check=False,
    )


def sql(path: Path, statement: str, *params: object) -> list[Any]:
    """Run one statement on the database file (committed) and return its rows."""
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        return conn.execute(statement, params).fetchall()


def user_version(path: Path) -> int:
    return int(sql(path, "PRAGMA user_version")[0][0])


def count_rows(path: Path, table: str) -> int:
    return int(sql(path, f"SELECT count(*) FROM {table}")[0][0])


def run_output(process: BotProcess, start: int) -> str:
    """The log of one start (1-based) of the process."""
    output = process.output()
    after = output.split(f"--- start {start} ---\n", 1)[1]
    return after.split(f"--- start {start + 1} ---\n", 1)[0]


async def wait_for_log(process: BotProcess, phrase: str, *, start: int) -> None:
    """Until `phrase` is in the log of that start (or the process ended); at most 10 s."""
    await process.server.wait_for(
        lambda: phrase in run_output(process, start) or not process.running,
        10,
        message=lambda: f"no {phrase!r} in the log:\n{process.output()}",
    )
    assert phrase in run_output(process, start), process.output()


async def wait_until_idle(process: BotProcess, start: int) -> None:
    """Until start-up work (on_ready, RSVP reconciliation) is done, so a test's SIGTERM lands on
    an idle bot (SIGTERM in the middle of work has its own test below)."""
    await wait_for_log(process, "connected as", start=start)
    await wait_for_log(process, "reconciled", start=start)


async def stop_when_idle(process: BotProcess, start: int) -> int:
    await wait_until_idle(process, start)
    return await process.terminate(timeout=10)


def meeting_4(clock: Callable[[], datetime]) -> dict[str, str]:
    """Meeting 4 as an organiser types it into /events create: 18:30 in Cardiff, three days on
    (the bot in its own process reads the real time, and so does `clock`, a `LiveClock`)."""
    return {"when": typed(at_local(clock(), days=3)), "title": MEETING_4}


async def announce(
    driver: Driver, world: CoproWorld, clock: Callable[[], datetime], **options: Any
) -> None:
    """/events create: Meeting 4, or what `options` change of it."""
    options = {**meeting_4(clock), **options}
    reply = await driver.slash(world.organiser, "events create", options=options)
    assert reply.ephemeral and POSTED in reply.text, reply.text


def titles(reply: Any) -> list[str]:
    return [str(f.name) for f in reply.embed().fields]


# --- settings errors: one line, exit code 2 -----------------------------------------------------


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_no_token_stops_with_one_line_and_exit_code_2(tmp_path: Path) -> None:
    result = run_bot(tmp_path)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "DISCORD_TOKEN" in line and "missing" in line
    assert FIXES["DISCORD_TOKEN"] in line  # says how to fix it
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []  # no database created on the way out


@pytest.mark.parametrize(
    ("settings", "name"),
    [
        ({"GUILD_ID": "Co-pro Network Wales"}, "GUILD_ID"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"DISCORD_TOKEN": "not a token"}, "DISCORD_TOKEN"),
        ({"DATABASE_PATH": "  "}, "DATABASE_PATH"),
    ],
)
def test_malformed_setting_is_named_with_its_fix(
    tmp_path: Path, settings: dict[str, str], name: str
) -> None:
    token = "MTQwMDAwMDAwMDAwMDAwMDAw.R2Zha2U.stand-in-token-for-tests"
    result = run_bot(tmp_path, **{"DISCORD_TOKEN": token, **settings})
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith(f"error: {name} is malformed")
    assert FIXES[name] in line
    for value in settings.values():
        if value.strip():
            assert value not in line  # a bad value (maybe a token) is never echoed
    assert token not in result.stderr + result.stdout


def test_env_file_in_the_working_folder_is_read_and_the_environment_wins(
    tmp_path: Path,
) -> None:
    (tmp_path / ".env").write_text("GUILD_ID=twelve\nLOG_LEVEL=INFO\n")
    from_file = run_bot(tmp_path)
    assert from_file.returncode == 2
    assert one_line(from_file.stderr).startswith("error: GUILD_ID is malformed")

    overridden = run_bot(tmp_path, GUILD_ID="1234")
    assert overridden.returncode == 2
    assert one_line(overridden.stderr).startswith("error: DISCORD_TOKEN is missing")


async def test_token_refused_by_discord_exits_2_without_showing_it(
    discord_server: FakeDiscord, bot_env: dict[str, str]
) -> None:
    wrong = "MTQwMDAwMDAwMDAwMDAwMDAx.V3Jvbmc.not-the-right-secret-at-all"
    process = BotProcess(discord_server, env={**bot_env, "DISCORD_TOKEN": wrong})
    try:
        await process.start(wait_connected=False)
        assert await process.wait(15) == 2
        output = process.output()
        assert "DISCORD_TOKEN was refused" in output
        assert "Traceback" not in output
        assert wrong not in output and "not-the-right-secret-at-all" not in output
        assert discord_server.gateway.identifies == 0
    finally:
        await process.stop()
        process.log_path.unlink(missing_ok=True)


# --- the database at start ----------------------------------------------------------------------


async def test_fresh_database_is_created_migrated_and_kept_across_starts(
    bot_process: BotProcess,
    discord_server: FakeDiscord,
    driver: Driver,
    world: CoproWorld,
    tmp_path: Path,
    clock: LiveClock,
) -> None:
    database = tmp_path / "state" / "not-yet" / "bot.sqlite3"
    assert not database.parent.exists()
    bot_process.env["DATABASE_PATH"] = str(database)
    migrations = migration_count()

    await bot_process.start()
    await wait_for_log(bot_process, "synced", start=1)
    first = run_output(bot_process, 1)
    assert database.is_file()
    assert [int(v) for v in MIGRATED.findall(first)] == list(range(1, migrations + 1))
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await announce(driver, world, clock)
    assert await stop_when_idle(bot_process, 1) == 0
    assert user_version(database) == migrations
    assert count_rows(database, "events") == 1

    await bot_process.start()
    await wait_for_log(bot_process, "commands unchanged", start=2)
    second = run_output(bot_process, 2)
    assert MIGRATED.findall(second) == []
    assert "database ready" not in second
    assert discord_server.command_syncs == [world.guild.id]  # unchanged commands: no sync
    upcoming = await driver.slash(world.rhian, "events upcoming")
    assert titles(upcoming) == [MEETING_4]
    shown = await driver.slash(world.admin, "setup show")
    assert f"<#{world.announcements.id}>" in shown.text
    assert await stop_when_idle(bot_process, 2) == 0
    assert user_version(database) == migrations
    assert count_rows(database, "events") == 1
    assert count_rows(database, "guild_settings") == 1


async def test_older_database_is_upgraded_in_place(
    bot_process: BotProcess, driver: Driver, world: CoproWorld, tmp_path: Path
) -> None:
    """A database at version 1 with rows (as an older bot left it) gains the newer migrations."""
    from bot.db import load_migrations, split_statements

    database = Path(bot_process.env["DATABASE_PATH"])
    first = load_migrations()[0]
    for statement in split_statements(first.sql):
        sql(database, statement)
    sql(database, "PRAGMA user_version=1")
    sql(
        database,
        "INSERT INTO guild_settings (guild_id, announcements_channel_id, tz, updated_at) "
        "VALUES (?, ?, 'Europe/Paris', 0)",
        world.guild.id,
        world.announcements.id,
    )

    await bot_process.start()
    await wait_for_log(bot_process, "synced", start=1)
    applied = [int(v) for v in MIGRATED.findall(run_output(bot_process, 1))]
    assert applied == list(range(2, migration_count() + 1))
    shown = await driver.slash(world.admin, "setup show")
    assert "Europe/Paris" in shown.text and f"<#{world.announcements.id}>" in shown.text
    assert await stop_when_idle(bot_process, 1) == 0
    assert user_version(database) == migration_count()


async def test_database_newer_than_the_code_exits_1(
    bot_process: BotProcess, discord_server: FakeDiscord
) -> None:
    database = Path(bot_process.env["DATABASE_PATH"])
    sql(database, "PRAGMA user_version=999")
    await bot_process.start(wait_connected=False)
    assert await bot_process.wait(15) == 1
    output = run_output(bot_process, 1)
    assert "newer than this code" in output
    assert "Traceback" not in output
    assert user_version(database) == 999  # left alone
    assert discord_server.commands == {}


# --- stopping -----------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_signal_stops_cleanly_with_exit_code_0(
    bot_process: BotProcess,
    discord_server: FakeDiscord,
    driver: Driver,
    world: CoproWorld,
    sig: signal.Signals,
) -> None:
    await bot_process.start()
    await driver.slash(world.admin, "setup reminders", offsets="2d")
    await wait_until_idle(bot_process, 1)
    assert bot_process.proc is not None
    bot_process.proc.send_signal(sig)
    assert await bot_process.wait(10) == 0
    output = run_output(bot_process, 1)
    assert f"received {sig.name}" in output
    assert output.index("stopped cleanly") > output.index(f"received {sig.name}")
    assert "Traceback" not in output and "ERROR" not in output
    await discord_server.wait_for(lambda: not discord_server.gateway.connected, 5)
    # The database was closed: SQLite folds the write-ahead log back in on the last close.
    database = Path(bot_process.env["DATABASE_PATH"])
    wal = database.with_name(database.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert sql(database, "SELECT reminder_offsets FROM guild_settings") == [("2d",)]


async def test_killed_bot_comes_back_with_its_data_and_sync_forces_a_sync(
    bot_process: BotProcess,
    discord_server: FakeDiscord,
    driver: Driver,
    world: CoproWorld,
    clock: LiveClock,
) -> None:
    await bot_process.start()
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await announce(driver, world, clock)
    assert await bot_process.kill() == -signal.SIGKILL
    assert discord_server.command_syncs == [world.guild.id]

    bot_process.args = ["--sync"]  # the commands are unchanged, but a sync is asked for
    await bot_process.start()
    await wait_for_log(bot_process, "synced", start=2)
    assert discord_server.command_syncs == [world.guild.id, world.guild.id]
    upcoming = await driver.slash(world.rhian, "events upcoming")
    assert upcoming.ephemeral and titles(upcoming) == [MEETING_4]
    north = typed(at_local(clock(), days=10, at="14:00"))
    await announce(driver, world, clock, title="N. Wales Network Meeting 4", when=north)
    posted = [m.embeds[0]["title"] for m in driver.messages(world.announcements)]
    assert posted == [MEETING_4, "N. Wales Network Meeting 4"]
    assert await stop_when_idle(bot_process, 2) == 0
    assert "stopped cleanly" in run_output(bot_process, 2)


async def test_sigterm_during_a_write_still_exits_cleanly(
    bot_process: BotProcess, driver: Driver, world: CoproWorld
) -> None:
    """SIGTERM while the bot waits on the database (another process holds the write lock):
    the write is finished or safely left, the database closed, exit code 0, no traceback."""
    bot_process.env["LOG_LEVEL"] = "DEBUG"  # aiosqlite logs each statement as it starts
    database = Path(bot_process.env["DATABASE_PATH"])
    await bot_process.start()
    await wait_until_idle(bot_process, 1)
    begin = "'BEGIN IMMEDIATE'"
    before = run_output(bot_process, 1).count(begin)
    blocker = sqlite3.connect(database, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        writing = asyncio.create_task(
            driver.slash(world.admin, "setup reminders", offsets="2d", timeout=15)
        )
        await bot_process.server.wait_for(
            lambda: run_output(bot_process, 1).count(begin) > before, 10
        )
        assert bot_process.proc is not None
        bot_process.proc.send_signal(signal.SIGTERM)
        code = await bot_process.wait(10)
    finally:
        blocker.rollback()
        blocker.close()
    writing.cancel()
    with contextlib.suppress(BaseException):
        await writing
    assert code == 0
    output = run_output(bot_process, 1)
    assert "stopped cleanly" in output
    assert "Traceback" not in output, output


# --- backup -------------------------------------------------------------------------------------


async def backup_while_running(database: Path, target: Path, cwd: Path) -> tuple[int, str, str]:
    """`python -m bot backup PATH` with only DATABASE_PATH set."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "backup",
        str(target),
        cwd=cwd,
        env=clean_env(DATABASE_PATH=str(database)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode is not None
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def check_copy(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migration_count()
    return conn


async def test_backup_while_the_bot_runs_and_writes(
    bot_process: BotProcess, driver: Driver, world: CoproWorld, tmp_path: Path, clock: LiveClock
) -> None:
    database = Path(bot_process.env["DATABASE_PATH"])
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    await bot_process.start()
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)

    async def keep_writing() -> None:
        for n in range(6):  # one a day at 10:00 from the day after tomorrow
            when = typed(at_local(clock(), days=n + 2, at="10:00"))
            await announce(driver, world, clock, title=f"Policy Cafe {n + 1}", when=when)

    writing = asyncio.create_task(keep_writing())
    during = tmp_path / "backups" / "during.sqlite3"
    code, out, err = await backup_while_running(database, during, workdir)
    await writing
    assert (code, err) == (0, "")
    assert str(during) in out
    copy = check_copy(during)
    assert copy.execute("SELECT announcements_channel_id FROM guild_settings").fetchall() == [
        (world.announcements.id,)
    ]
    assert 0 <= copy.execute("SELECT count(*) FROM events").fetchone()[0] <= 6
    copy.close()

    after = tmp_path / "backups" / "after.sqlite3"
    code, _, err = await backup_while_running(database, after, workdir)
    assert (code, err) == (0, "")
    copy = check_copy(after)
    assert copy.execute("SELECT count(*) FROM events").fetchone()[0] == 6
    copy.close()
    assert bot_process.running  # the bot carried on
    still = await driver.slash(world.rhian, "events upcoming")
    assert len(titles(still)) == 6
    assert await stop_when_idle(bot_process, 1) == 0


def test_backup_of_a_missing_database_says_so(tmp_path: Path) -> None:
    result = run_bot(
        tmp_path, "backup", str(tmp_path / "copy.sqlite3"), DATABASE_PATH=str(tmp_path / "none.db")
    )
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "DATABASE_PATH" in line and "none.db" in line
    assert not (tmp_path / "copy.sqlite3").exists()
    assert not (tmp_path / "none.db").exists()


# --- logs ---------------------------------------------------------------------------------------


async def test_token_never_appears_in_the_debug_log(
    bot_process: BotProcess,
    discord_server: FakeDiscord,
    driver: Driver,
    world: CoproWorld,
    clock: LiveClock,
) -> None:
    bot_process.env["LOG_LEVEL"] = "DEBUG"
    await bot_process.start()
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await announce(driver, world, clock)
    await driver.slash(world.organiser, "events create", options={"when": "banana", "title": "x"})
    await driver.drop_gateway()  # a RESUME sends the token again
    await driver.slash(world.rhian, "events upcoming")
    assert await stop_when_idle(bot_process, 1) == 0
    output = bot_process.output()
    assert " DEBUG " in output  # the level took effect, so this checks the chattiest log
    secret = discord_server.token
    assert secret not in output
    assert secret.rsplit(".", 1)[1] not in output
