"""Use cases for a server's settings: read them, and let server managers change them.

Every change replans the weekly digest (its channel, day, time and zone are settings)."""

from __future__ import annotations

from datetime import time

from bot.clock import Clock
from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.guilds import Actor, GuildSettings, is_admin, is_organiser
from bot.domain.languages import Mode
from bot.domain.retention import check_retention
from bot.domain.timeparse import canonical_zone, parse_reminder_offsets, parse_time_of_day
from bot.services.ports import Digests
from bot.stores.guilds import GuildStore


class GuildService:
    def __init__(self, db: Database, clock: Clock, digests: Digests) -> None:
        self.db = db
        self.clock = clock
        self.digests = digests
        self.store = GuildStore(db)

    async def settings(self, guild_id: int) -> GuildSettings:
        """One statement, outside a transaction: nearly every command asks, so it waits for
        as little as it can."""
        async with self.db.statement():
            return await self.store.get(guild_id)

    async def require_organiser(self, guild_id: int, actor: Actor) -> GuildSettings:
        settings = await self.settings(guild_id)
        if not is_organiser(actor, settings):
            raise UserError("not_organiser")
        return settings

    @staticmethod
    def _require_admin(actor: Actor) -> None:
        """Checked first, so a non-admin never learns what was wrong with a value."""
        if not is_admin(actor):
            raise UserError("not_admin")

    async def _set(self, guild_id: int, actor: Actor, **values: object) -> GuildSettings:
        self._require_admin(actor)
        async with self.db.transaction():
            await self.store.set(guild_id, self.clock(), **values)
            settings = await self.store.get(guild_id)
        self.digests.schedule_digest(settings)
        return settings

    async def show(self, guild_id: int, actor: Actor) -> GuildSettings:
        self._require_admin(actor)
        return await self.settings(guild_id)

    async def set_channel(
        self, guild_id: int, actor: Actor, channel_id: int, *, can_post: bool = True
    ) -> GuildSettings:
        """`can_post`: whether the bot may view, post and embed there (a Discord fact)."""
        self._require_admin(actor)
        if not can_post:
            raise UserError("cannot_post", channel=f"<#{channel_id}>")
        return await self._set(guild_id, actor, announcements_channel_id=channel_id)

    async def set_organiser_role(self, guild_id: int, actor: Actor, role_id: int) -> GuildSettings:
        self._require_admin(actor)
        if role_id == guild_id:  # the @everyone role shares the server's id
            raise UserError("role_everyone")
        return await self._set(guild_id, actor, organiser_role_id=role_id)

    async def set_ping_role(
        self, guild_id: int, actor: Actor, role_id: int | None
    ) -> GuildSettings:
        self._require_admin(actor)
        if role_id == guild_id:
            raise UserError("role_everyone")
        return await self._set(guild_id, actor, ping_role_id=role_id)

    async def set_timezone(self, guild_id: int, actor: Actor, zone: str) -> GuildSettings:
        self._require_admin(actor)
        return await self._set(guild_id, actor, tz=canonical_zone(zone))

    async def set_reminders(self, guild_id: int, actor: Actor, offsets: str) -> GuildSettings:
        self._require_admin(actor)
        return await self._set(guild_id, actor, reminder_offsets=parse_reminder_offsets(offsets))

    async def set_retention(self, guild_id: int, actor: Actor, months: int) -> GuildSettings:
        self._require_admin(actor)
        return await self._set(guild_id, actor, retention_months=check_retention(months))

    async def set_language(self, guild_id: int, actor: Actor, typed: str) -> GuildSettings:
        """The server's mode: `en`, `cy` or `bilingual`."""
        self._require_admin(actor)
        mode = Mode.parse(typed)
        if mode is None:
            raise UserError("mode_unknown", text=typed.strip()[:40])
        return await self._set(guild_id, actor, language=mode)

    async def set_digest(
        self, guild_id: int, actor: Actor, enabled: bool, day: str | None, at: str | None
    ) -> GuildSettings:
        self._require_admin(actor)
        values: dict[str, object] = {"digest_enabled": enabled}
        if day is not None:
            values["digest_day"] = day
        if at is not None:
            values["digest_time"] = digest_time(at)
        return await self._set(guild_id, actor, **values)


def digest_time(text: str) -> time:
    """A weekly time of day, refusing the hour the clocks skip or repeat (01:00–01:59)."""
    at = parse_time_of_day(text)
    if at.hour == 1:
        raise UserError("digest_early_hours")
    return at
