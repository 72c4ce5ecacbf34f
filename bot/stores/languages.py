"""SQL for members' own language choices (`/language`)."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from bot.domain.guilds import GuildSettings
from bot.domain.languages import Language, Mode
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

    async def voice(self, guild_id: int, user_id: int) -> tuple[Mode, str, Language | None]:
        """The server's mode and zone and the member's choice, in one statement."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT g.language AS mode, g.tz AS tz, m.language AS chosen "
            "FROM (SELECT ? AS guild_id, ? AS user_id) AS asked "
            "LEFT JOIN guild_settings AS g ON g.guild_id = asked.guild_id "
            "LEFT JOIN member_languages AS m "
            "ON m.guild_id = asked.guild_id AND m.user_id = asked.user_id",
            (guild_id, user_id),
        )
        defaults = GuildSettings(guild_id=guild_id)
        for row in rows:
            chosen = Language(row["chosen"]) if row["chosen"] else None
            mode = Mode(row["mode"]) if row["mode"] else defaults.language
            return mode, row["tz"] or defaults.tz, chosen
        return defaults.language, defaults.tz, None

    async def set(self, guild_id: int, user_id: int, language: Language, now: datetime) -> None:
        self.db.wrote("member_languages")
        await self.db.conn.execute(
            "INSERT INTO member_languages (guild_id, user_id, language, chosen_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET "
            "language = excluded.language, chosen_at = excluded.chosen_at",
            (guild_id, user_id, language.value, to_unix(now)),
        )
