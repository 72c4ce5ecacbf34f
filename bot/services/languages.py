"""Use cases for languages: a member's own choice, and who the bot is talking to (a Voice:
their languages and the server's zone) for every reply and DM."""

from __future__ import annotations

from collections import OrderedDict

from bot.clock import Clock
from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.languages import Language, Voice, languages_for
from bot.stores.languages import LanguageStore

# Members whose voice is kept; one is about a hundred bytes.
KEPT_VOICES = 10_000
# What a voice is read from: kept while neither is written (Database.version).
VOICE_TABLES = ("guild_settings", "member_languages")


class LanguageService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.store = LanguageStore(db)
        self._voices: OrderedDict[tuple[int, int], tuple[tuple[int, ...], Voice]] = OrderedDict()

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
        server's zone for dates in words. Outside a server: English.

        Every interaction asks before it is answered, so the answer is kept until a store
        writes the server's settings or a member's choice: read from the database, it
        queued behind every write (1,000 members signing at once waited 0.9 s each)."""
        if guild_id is None:
            return Voice()
        key = (guild_id, user_id)
        kept = self._voices.get(key)
        if kept is not None and kept[0] == self._versions():
            self._voices.move_to_end(key)
            return kept[1]
        async with self.db.statement():
            versions = self._versions()  # as of this read: a later write changes them
            mode, zone, chosen = await self.store.voice(guild_id, user_id)
        voice = Voice(languages_for(chosen, mode), zone)
        self._voices[key] = (versions, voice)
        self._voices.move_to_end(key)
        if len(self._voices) > KEPT_VOICES:
            self._voices.popitem(last=False)
        return voice

    def _versions(self) -> tuple[int, ...]:
        return tuple(self.db.version(table) for table in VOICE_TABLES)
