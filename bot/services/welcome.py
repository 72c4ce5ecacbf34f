"""Use cases for the welcome panel: who may post it, and moving it rather than adding one.

The panel's buttons call the services they stand for (LanguageService.choose,
NetworkService.join, FeedService.issue); the ping role is the server's setting."""

from __future__ import annotations

from bot.clock import Clock
from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.guilds import Actor, GuildSettings, is_admin
from bot.services.ports import Guilds
from bot.stores.welcome import WelcomeStore


class WelcomeService:
    def __init__(self, db: Database, clock: Clock, guilds: Guilds) -> None:
        self.db = db
        self.clock = clock
        self.guilds = guilds
        self.store = WelcomeStore(db)

    async def check_poster(self, guild_id: int, actor: Actor) -> GuildSettings:
        """Server managers only; the settings say which languages the panel is in."""
        if not is_admin(actor):
            raise UserError("not_admin")
        return await self.guilds.settings(guild_id)

    async def placed(
        self, guild_id: int, channel_id: int, message_id: int
    ) -> tuple[int, int] | None:
        """Record the panel just posted; the one it replaces (to delete), if any."""
        async with self.db.transaction():
            before = await self.store.get(guild_id)
            await self.store.put(guild_id, channel_id, message_id, self.clock())
        return before if before != (channel_id, message_id) else None

    async def ping_role(self, guild_id: int) -> int:
        """The server's event ping role; refused, saying how to set one, when there is none."""
        settings = await self.guilds.settings(guild_id)
        if settings.ping_role_id is None:
            raise UserError("welcome_no_ping_role")
        return settings.ping_role_id
