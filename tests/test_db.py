"""The database: atomic numbered migrations, upgrades in place, the one-connection lock."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.db import Database, DatabaseError, Migration, backup, load_migrations, split_statements

V1 = Migration(
    1,
    "0001_a.sql",
    "-- 1: people\nCREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT) STRICT;\n",
)
V2 = Migration(
    2,
    "0002_b.sql",
    "-- 2: ages\nALTER TABLE people ADD COLUMN age INTEGER;\nUPDATE people SET age = 30;\n",
)
BROKEN = Migration(
    3,
    "0003_c.sql",
    "-- 3: broken half way\nCREATE TABLE extra (id INTEGER) STRICT;\nINSERT INTO nowhere VALUES (1);\n",
)


def test_shipped_migrations_are_numbered_without_gaps() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    for migration in migrations:
        assert migration.sql.lstrip().startswith("--"), f"{migration.name} needs a one-line reason"


def test_gap_in_numbering_is_refused(tmp_path: Path) -> None:
    package = tmp_path / "gappy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "0001_a.sql").write_text("-- a\nSELECT 1;")
    (package / "0003_c.sql").write_text("-- c\nSELECT 1;")
    import sys

    sys.path.insert(0, str(tmp_path))
    try:
        with pytest.raises(DatabaseError, match="gap"):
            load_migrations("gappy")
    finally:
        sys.path.remove(str(tmp_path))


def test_split_statements_keeps_triggers_whole() -> None:
    script = (
        "CREATE TABLE t (a INTEGER);\n"
        "CREATE TRIGGER x AFTER INSERT ON t BEGIN\n  UPDATE t SET a = 1;\n  UPDATE t SET a = 2;\nEND;\n"
        "-- trailing comment\n"
    )
    statements = split_statements(script)
    assert len(statements) == 2
    assert statements[1].endswith("END;")


async def test_fresh_database_is_migrated_and_second_run_applies_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "new" / "bot.sqlite3")
    try:
        latest = len(load_migrations())
        assert await db.migrate() == list(range(1, latest + 1))
        assert await db.migrate() == []
        assert await db.user_version() == latest
    finally:
        await db.close()


async def test_failing_migration_leaves_previous_version(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await db.migrate([V1, V2])
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO people (name) VALUES ('Rhian')")
        with pytest.raises(DatabaseError, match=r"0003_c\.sql"):
            await db.migrate([V1, V2, BROKEN])
        assert await db.user_version() == 2
        async with db.reading() as conn:
            tables = {r[0] for r in await conn.execute_fetchall("SELECT name FROM sqlite_master")}
            rows = list(await conn.execute_fetchall("SELECT name, age FROM people"))
        assert "extra" not in tables
        assert [tuple(r) for r in rows] == [("Rhian", None)]
    finally:
        await db.close()


async def test_older_database_is_upgraded_with_rows_intact(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await db.migrate([V1])
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO people (name) VALUES (?)", [("Rhian",), ("Dafydd",)]
            )
        assert await db.migrate([V1, V2]) == [2]
        async with db.reading() as conn:
            rows = [tuple(r) for r in await conn.execute_fetchall("SELECT name, age FROM people")]
        assert rows == [("Rhian", 30), ("Dafydd", 30)]
    finally:
        await db.close()


async def test_shipped_schema_upgrades_a_version_one_database(tmp_path: Path) -> None:
    """Every shipped migration after the first applies to a v1 database holding rows."""
    migrations = load_migrations()
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await db.migrate(migrations[:1])
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO events (guild_id, title, starts_at, ends_at, kind, channel_id, "
                "created_by, created_at, updated_at) VALUES (1, 'S. Wales Network Meeting 4', "
                "1796000000, 1796007200, 'meeting', 2, 3, 1790000000, 1790000000)"
            )
        await db.migrate()
        async with db.reading() as conn:
            titles = [r[0] for r in await conn.execute_fetchall("SELECT title FROM events")]
        assert titles == ["S. Wales Network Meeting 4"]
    finally:
        await db.close()


async def test_newer_database_is_refused(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await db.migrate([V1, V2])
        with pytest.raises(DatabaseError, match="newer than this code"):
            await db.migrate([V1])
        assert await db.user_version() == 2
    finally:
        await db.close()


async def test_pragmas_are_set(db: Database) -> None:
    async with db.reading() as conn:
        fk = next(iter(await conn.execute_fetchall("PRAGMA foreign_keys")))[0]
        journal = next(iter(await conn.execute_fetchall("PRAGMA journal_mode")))[0]
        busy = next(iter(await conn.execute_fetchall("PRAGMA busy_timeout")))[0]
    assert (fk, journal) == (1, "wal")
    assert 0 < busy < 3000


async def test_concurrent_transactions_do_not_leak_into_each_other(db: Database) -> None:
    """Task A fails after B commits in the middle of A's work: A's row must not survive."""
    a_started = asyncio.Event()

    async def task_a() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
            a_started.set()
            await asyncio.sleep(0.05)  # let B try to run in the middle
            raise RuntimeError("A fails")

    async def task_b() -> None:
        await a_started.wait()
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('b', '1')")

    results = await asyncio.gather(task_a(), task_b(), return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    async with db.reading() as conn:
        keys = [r[0] for r in await conn.execute_fetchall("SELECT key FROM meta ORDER BY key")]
    assert keys == ["b"]


async def test_connection_refused_outside_a_unit_of_work(db: Database) -> None:
    with pytest.raises(RuntimeError, match="outside"):
        _ = db.conn


async def test_backup_while_writes_go_on(db: Database, tmp_path: Path) -> None:
    stop = asyncio.Event()

    async def writer() -> int:
        n = 0
        while not stop.is_set():
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO meta (key, value) VALUES (?, 'x')", (f"k{n}",))
            n += 1
            await asyncio.sleep(0)
        return n

    task = asyncio.create_task(writer())
    await asyncio.sleep(0.05)
    target = tmp_path / "copy.sqlite3"
    await asyncio.to_thread(backup, db.path, target)
    stop.set()
    written = await task
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        copied = copy.execute("SELECT count(*) FROM meta").fetchone()[0]
    finally:
        copy.close()
    assert 0 < copied <= written


def test_backup_of_missing_database_says_so(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="DATABASE_PATH"):
        backup(tmp_path / "absent.sqlite3", tmp_path / "copy.sqlite3")


async def test_a_unit_cancelled_while_it_begins_leaves_no_transaction_open(
    db: Database, tmp_path: Path
) -> None:
    """A cancelled await does not stop the BEGIN on aiosqlite's thread: when it still goes
    through, the unit must not leave the connection inside a transaction."""
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer: our BEGIN waits on the busy timeout
    entered = asyncio.Event()

    async def write() -> None:
        entered.set()
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('x', 'never')")

    task = asyncio.create_task(write())
    await entered.wait()
    await asyncio.sleep(0.2)  # the BEGIN is waiting on the thread
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    other.execute("COMMIT")  # now the queued BEGIN goes through
    other.close()
    async with db.transaction() as conn:  # without the fix: "within a transaction"
        await conn.execute("INSERT INTO meta (key, value) VALUES ('y', 'kept')")
    async with db.reading() as conn:
        rows = await conn.execute_fetchall("SELECT key FROM meta WHERE key IN ('x', 'y')")
    assert [tuple(r) for r in rows] == [("y",)]


async def test_a_single_statement_opens_no_transaction_and_waits_its_turn(db: Database) -> None:
    order: list[str] = []

    async def writer() -> None:
        async with db.transaction() as conn:
            order.append("write begun")
            await asyncio.sleep(0.05)  # the statement below must wait for the commit
            await conn.execute("CREATE TABLE IF NOT EXISTS notes (body TEXT)")
            await conn.execute("INSERT INTO notes VALUES ('Tai Tarian')")
            order.append("write done")

    async def reader() -> list[str]:
        await asyncio.sleep(0.01)
        async with db.statement() as conn:
            assert not conn.in_transaction  # no BEGIN: one statement is atomic on its own
            order.append("read")
            return [r[0] for r in await conn.execute_fetchall("SELECT body FROM notes")]

    _, read = await asyncio.gather(writer(), reader())
    assert order == ["write begun", "write done", "read"]
    assert read == ["Tai Tarian"]
    async with db.statement():
        with pytest.raises(RuntimeError, match="nested"):
            async with db.reading():
                pass
