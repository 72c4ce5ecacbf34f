"""SQL for per-server settings."""

from __future__ import annotations

from datetime import datetime, time

from bot.db import Database
from bot.domain.guilds import GuildSettings
from bot.domain.languages import Mode
from bot.domain.timeparse import format_offsets, parse_offsets
from bot.stores.common import from_unix, to_unix

# Columns a setting command may write, so a column name never comes from elsewhere.
WRITABLE = frozenset(
    {
        "announcements_channel_id",
        "organiser_role_id",
        "ping_role_id",
        "tz",
        "reminder_offsets",
        "digest_enabled",
        "digest_day",
        "digest_time",
        "mirror_problem",
        "retention_months",
        "language",
    }
)


class GuildStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, guild_id: int) -> GuildSettings:
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        for row in rows:
            hour, minute = (int(part) for part in row["digest_time"].split(":"))
            return GuildSettings(
                guild_id=guild_id,
                announcements_channel_id=row["announcements_channel_id"],
                organiser_role_id=row["organiser_role_id"],
                ping_role_id=row["ping_role_id"],
                tz=row["tz"],
                reminder_offsets=parse_offsets(row["reminder_offsets"]),
                digest_enabled=bool(row["digest_enabled"]),
                digest_day=row["digest_day"],
                digest_time=time(hour, minute),
                mirror_problem=row["mirror_problem"],
                retention_months=row["retention_months"],
                language=Mode(row["language"]),
            )
        return GuildSettings(guild_id=guild_id)

    async def set(self, guild_id: int, now: datetime, **values: object) -> None:
        """Write some settings of one server, creating its row with defaults if needed."""
        unknown = set(values) - WRITABLE
        if unknown or not values:
            raise ValueError(f"not settable: {sorted(unknown)}")
        encoded = {name: _encode(value) for name, value in values.items()}
        columns = ", ".join(encoded)
        marks = ", ".join("?" for _ in encoded)
        updates = ", ".join(f"{name} = excluded.{name}" for name in encoded)
        self.db.wrote("guild_settings")
        await self.db.conn.execute(
            f"INSERT INTO guild_settings (guild_id, {columns}, updated_at) "  # noqa: S608
            f"VALUES (?, {marks}, ?) "
            f"ON CONFLICT (guild_id) DO UPDATE SET {updates}, updated_at = excluded.updated_at",
            (guild_id, *encoded.values(), to_unix(now)),
        )

    async def with_digest(self) -> list[GuildSettings]:
        """Servers whose weekly digest is on and has a channel to post in."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT guild_id FROM guild_settings "
            "WHERE digest_enabled = 1 AND announcements_channel_id IS NOT NULL"
        )
        return [await self.get(row["guild_id"]) for row in rows]

    async def with_content(self) -> list[GuildSettings]:
        """Every server that has events, letters or date polls (with its settings, defaults
        if none)."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT guild_id FROM events UNION SELECT guild_id FROM letters "
            "UNION SELECT guild_id FROM polls ORDER BY guild_id"
        )
        return [await self.get(row["guild_id"]) for row in rows]

    async def claim_digest(self, guild_id: int, due_at: datetime, now: datetime) -> bool:
        """Mark the digest due at `due_at` as posted; False if it already was."""
        self.db.wrote("guild_settings")
        cursor = await self.db.conn.execute(
            "UPDATE guild_settings SET last_digest_at = ? "
            "WHERE guild_id = ? AND (last_digest_at IS NULL OR last_digest_at < ?)",
            (to_unix(now), guild_id, to_unix(due_at)),
        )
        return cursor.rowcount == 1

    async def last_digest_at(self, guild_id: int) -> datetime | None:
        rows = await self.db.conn.execute_fetchall(
            "SELECT last_digest_at FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        value = next((row["last_digest_at"] for row in rows), None)
        return from_unix(value) if value is not None else None


def _encode(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, tuple):
        return format_offsets(value)
    return value
