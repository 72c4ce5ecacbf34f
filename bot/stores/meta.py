"""SQL for the bot's own bookkeeping (e.g. the fingerprint of the last command sync)."""

from __future__ import annotations

from bot.db import Database


class MetaStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, key: str) -> str | None:
        rows = await self.db.conn.execute_fetchall("SELECT value FROM meta WHERE key = ?", (key,))
        return next((row["value"] for row in rows), None)

    async def put(self, key: str, value: str) -> None:
        await self.db.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
