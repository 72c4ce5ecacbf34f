"""Use cases for network profiles: join, leave, the headline figures, known organisations."""

from __future__ import annotations

from bot.clock import Clock
from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.events import Region
from bot.domain.network import NetworkStats, Profile, profile_organisation
from bot.stores.network import NetworkStore
from bot.stores.organisations import OrganisationStore

CHOICES_MAX = 25


class NetworkService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.store = NetworkStore(db)
        self.records = OrganisationStore(db)

    async def join(
        self, guild_id: int, user_id: int, organisation: str, region: Region | None
    ) -> tuple[Profile, bool]:
        """Join or update one's profile; True when newly joined."""
        name = profile_organisation(organisation)
        async with self.db.transaction():
            before = await self.store.get(guild_id, user_id)
            record = await self.records.resolve(guild_id, name, self.clock())
            await self.store.upsert(guild_id, user_id, name, region, self.clock(), record.id)
            profile = await self.store.get(guild_id, user_id)
        assert profile is not None
        return profile, before is None

    async def leave(self, guild_id: int, user_id: int) -> None:
        async with self.db.transaction():
            if not await self.store.delete(guild_id, user_id):
                raise UserError("network_not_member")

    async def stats(self, guild_id: int) -> NetworkStats:
        async with self.db.reading():
            return await self.store.stats(guild_id)

    async def organisations(self, guild_id: int, text: str) -> list[str]:
        """Names of the organisation records any of whose spellings contain `text`."""
        async with self.db.reading():
            found = await self.records.search(guild_id, text[:100], CHOICES_MAX)
        return [organisation.name for organisation in found]
