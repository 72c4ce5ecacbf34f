"""Use cases for meeting series: define or update one, look one up, suggest names.

A series numbers its meetings and rotates their hosts; taking the next number is part of
announcing a meeting, so that stays with EventService, which asks this service to find the
series an organiser typed."""

from __future__ import annotations

from dataclasses import replace

from bot.clock import Clock
from bot.db import Database
from bot.domain.events import Region
from bot.domain.guilds import Actor
from bot.domain.refs import find_ref
from bot.domain.series import Series, check_number, clean_name, parse_hosts
from bot.services.ports import Guilds
from bot.stores.organisations import OrganisationStore
from bot.stores.series import SeriesStore

CHOICES_MAX = 25


class SeriesService:
    def __init__(self, db: Database, clock: Clock, guilds: Guilds) -> None:
        self.db = db
        self.clock = clock
        self.guilds = guilds
        self.store = SeriesStore(db)
        self.records = OrganisationStore(db)

    async def resolve(self, guild_id: int, text: str) -> Series:
        """The series a `series` option names: an autocomplete id, or its exact name."""
        async with self.db.reading():
            return await find_ref(guild_id, text, _SeriesByName(self.store), "series")

    async def define(
        self,
        guild_id: int,
        actor: Actor,
        name: str,
        hosts: str | None,
        region: Region | None,
        next_number: int | None,
    ) -> tuple[Series, bool]:
        """Define a series, or update the one of that name; True when it is new."""
        await self.guilds.require_organiser(guild_id, actor)
        clean = clean_name(name)
        rota = parse_hosts(hosts) if hosts is not None else None
        check_number(next_number)
        now = self.clock()
        async with self.db.transaction():
            if rota is not None:  # each host as its organisation record names it
                rota = tuple([await self.records.named_as(guild_id, h, now) for h in rota])
            existing = await self.store.by_name(guild_id, clean)
            if existing is None:
                series_id = await self.store.insert(
                    guild_id, clean, rota or (), region, next_number or 1, now
                )
            else:
                series_id = existing.id
                await self.store.update(
                    replace(
                        existing,
                        hosts=existing.hosts if rota is None else rota,
                        region=region or existing.region,
                        next_number=next_number or existing.next_number,
                    ),
                    now,
                )
            series = await self.store.get(series_id)
        assert series is not None
        return series, existing is None

    async def suggest(self, guild_id: int, text: str) -> list[Series]:
        async with self.db.reading():
            return await self.store.search(guild_id, text.strip()[:100], CHOICES_MAX)


class _SeriesByName:
    """Series looked up like events and letters; names are unique in a server, so a name is
    never ambiguous."""

    def __init__(self, store: SeriesStore) -> None:
        self.get = store.get
        self.store = store

    async def find_by_title(self, guild_id: int, title: str) -> list[Series]:
        found = await self.store.by_name(guild_id, title)
        return [found] if found is not None else []
