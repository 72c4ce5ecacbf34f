"""SQL for where each server's welcome panel is."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from bot.stores.common import to_unix


class WelcomeStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, guild_id: int) -> tuple[int, int] | None:
        """The panel's (channel, message), if one was posted."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT channel_id, message_id FROM welcome_panels WHERE guild_id = ?", (guild_id,)
        )
        row = next(iter(rows), None)
        return (row["channel_id"], row["message_id"]) if row else None

    async def put(self, guild_id: int, channel_id: int, message_id: int, now: datetime) -> None:
        await self.db.conn.execute(
            "INSERT INTO welcome_panels (guild_id, channel_id, message_id, posted_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
            "channel_id = excluded.channel_id, message_id = excluded.message_id, "
            "posted_at = excluded.posted_at",
            (guild_id, channel_id, message_id, to_unix(now)),
        )
