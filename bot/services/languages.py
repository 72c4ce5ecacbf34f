"""Use cases for languages: a member's own choice, and who the bot is talking to (a Voice:
their languages and the server's zone) for every reply and DM."""

from __future__ import annotations

from bot.clock import Clock
from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.languages import Language, Voice, languages_for
from bot.stores.languages import LanguageStore


class LanguageService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.store = LanguageStore(db)

    async def choose(self, guild_id: int, user_id: int, typed: str) -> Language:
        """Save a member's language (`cy` or `en`, or the languages' names)."""
        language = Language.parse(typed)
        if language is None:
            raise UserError("language_unknown", text=typed.strip()[:40])
        async with self.db.transaction():
            await self.store.set(guild_id, user_id, language, self.clock())
        return language

    async def chosen(self, guild_id: int, user_id: int) -> Language | None:
        async with self.db.reading():
            return await self.store.get(guild_id, user_id)

    async def voice(self, guild_id: int | None, user_id: int) -> Voice:
        """Who a reply to this member speaks to: their choice, else the server's mode; the
        server's zone for dates in words. Outside a server: English."""
        if guild_id is None:
            return Voice()
        async with self.db.statement():
            mode, zone, chosen = await self.store.voice(guild_id, user_id)
        return Voice(languages_for(chosen, mode), zone)
