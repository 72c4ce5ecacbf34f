"""SQL for members' own language choices (`/language`)."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from bot.domain.languages import Language
from bot.stores.common import to_unix


class LanguageStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, guild_id: int, user_id: int) -> Language | None:
        rows = await self.db.conn.execute_fetchall(
            "SELECT language FROM member_languages WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return next((Language(row["language"]) for row in rows), None)

    async def set(self, guild_id: int, user_id: int, language: Language, now: datetime) -> None:
        await self.db.conn.execute(
            "INSERT INTO member_languages (guild_id, user_id, language, chosen_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET "
            "language = excluded.language, chosen_at = excluded.chosen_at",
            (guild_id, user_id, language.value, to_unix(now)),
        )
