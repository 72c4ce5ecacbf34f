"""The database: one aiosqlite connection, a lock around each unit of work, atomic migrations.

All SQL statements run inside `transaction()` (writes, BEGIN IMMEDIATE) or `reading()` (a
consistent read, BEGIN DEFERRED). Both hold the one lock, so two coroutines never end up
inside each other's transactions on the shared connection. Stores reach the connection
through `Database.conn`, which refuses to be used outside a unit of work held by the
calling task.
"""

from __future__ import annotations

import asyncio
import importlib.resources
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 2000  # shorter than Discord's 3-second interaction window
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class DatabaseError(Exception):
    """The database cannot be used as it is; `str()` is one line for the log."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(package: str = "migrations") -> list[Migration]:
    """The numbered scripts shipped in the `migrations` package, in order; gaps are refused."""
    found = []
    for entry in importlib.resources.files(package).iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise DatabaseError(
                f"migration numbering has a gap or a duplicate at {migration.name} "
                f"(expected {expected:04d})"
            )
    return found


def split_statements(script: str) -> list[str]:
    """Split a SQL script into complete statements (so each runs inside our transaction)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise DatabaseError("a migration script ends with an incomplete statement")
    return statements


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None
        self._versions: dict[str, int] = {}

    @classmethod
    async def open(cls, path: Path) -> Database:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = await aiosqlite.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseError(f"cannot open the database at {path}: {exc}") from exc
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except BaseException:
            await conn.close()
            raise
        return cls(conn, path)

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    @property
    def changes(self) -> int:
        """Rows inserted, updated or deleted through this connection since it opened. The bot
        is the database's one writer, so while this stays the same nothing was written: what
        was read before may be kept (bot/services/feeds.py does)."""
        return self._conn.total_changes

    def version(self, table: str) -> int:
        """How many times the stores have written `table` since the database opened: what
        was read from it while this stays the same may be kept. Read it inside the unit of
        work that reads. Kept so: guild_settings and member_languages (who each member is
        spoken to, bot/services/languages.py), so every store that writes them says so."""
        return self._versions.get(table, 0)

    def wrote(self, table: str) -> None:
        """Called by a store inside the unit of work that writes `table` (see `version`)."""
        self._versions[table] = self.version(table) + 1

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._owner is None or self._owner is not asyncio.current_task():
            raise RuntimeError("database used outside transaction()/reading() of this task")
        return self._conn

    @asynccontextmanager
    async def _unit(self, begin: str | None) -> AsyncIterator[aiosqlite.Connection]:
        if self._owner is not None and self._owner is asyncio.current_task():
            raise RuntimeError("nested database unit of work")
        async with self._lock:
            self._owner = asyncio.current_task()
            try:
                if begin is None:  # one statement, atomic on its own
                    yield self._conn
                    return
                try:
                    await self._conn.execute(begin)
                    yield self._conn
                    await asyncio.shield(self._conn.execute("COMMIT"))
                except BaseException:
                    await self._settle()
                    raise
            finally:
                self._owner = None

    async def _settle(self) -> None:
        """Leave no transaction open after a failed or cancelled unit. A cancelled await does
        not stop a statement already handed to aiosqlite's thread (a BEGIN or COMMIT still
        runs), so the ROLLBACK is queued behind it and shielded from a second cancellation."""
        try:
            await asyncio.shield(self._conn.execute("ROLLBACK"))
        except sqlite3.OperationalError:
            pass  # no transaction was open (BEGIN failed, or COMMIT went through)

    def transaction(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """A write transaction: committed on success, rolled back on any exception."""
        return self._unit("BEGIN IMMEDIATE")

    def reading(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """A consistent read of several statements."""
        return self._unit("BEGIN DEFERRED")

    def statement(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """One read statement, which SQLite makes consistent on its own: no BEGIN or COMMIT
        to wait for (on a hot path, such as every interaction's language)."""
        return self._unit(None)

    async def user_version(self) -> int:
        async with self._lock:
            rows = await self._conn.execute_fetchall("PRAGMA user_version")
        return int(next(iter(rows))[0])

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply pending migrations, each atomically; returns the versions applied.

        Refuses a database newer than the code. A failing script leaves the database at the
        version before it.
        """
        migrations = load_migrations() if migrations is None else list(migrations)
        latest = migrations[-1].version if migrations else 0
        current = await self.user_version()
        if current > latest:
            raise DatabaseError(
                f"the database {self.path} is at schema version {current}, newer than this "
                f"code knows ({latest}): run a newer version of the bot or restore a backup"
            )
        applied = []
        for migration in migrations:
            if migration.version <= current:
                continue
            try:
                async with self.transaction() as conn:
                    for statement in split_statements(migration.sql):
                        await conn.execute(statement)
                    await conn.execute(f"PRAGMA user_version={migration.version}")
            except sqlite3.Error as exc:
                raise DatabaseError(
                    f"migration {migration.name} failed ({exc}); the database is left at "
                    f"version {current}"
                ) from exc
            log.info("database migrated to version %d (%s)", migration.version, migration.name)
            current = migration.version
            applied.append(migration.version)
        return applied


def backup(source: Path, target: Path) -> None:
    """A consistent online copy with SQLite's backup API, safe while the bot writes."""
    if not source.exists():
        raise DatabaseError(f"there is no database at {source}: check DATABASE_PATH")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
