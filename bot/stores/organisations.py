"""SQL for organisation records and the keys they answer to (migration 0022)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.domain.organisations import (
    Merged,
    Organisation,
    OrganisationCount,
    is_organisation_name,
    match_key,
)
from bot.stores.common import contains_pattern, to_unix

KIND_NAME, KIND_WELSH, KIND_ALIAS, KIND_SPELLING = "name", "welsh", "alias", "spelling"


class OrganisationStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _aliases(self, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = await self.db.conn.execute_fetchall(
            "SELECT organisation_id, spelling FROM organisation_names "  # noqa: S608
            f"WHERE organisation_id IN ({marks}) AND kind = 'alias' ORDER BY spelling",
            tuple(ids),
        )
        found: dict[int, list[str]] = {}
        for row in rows:
            found.setdefault(row["organisation_id"], []).append(row["spelling"])
        return {key: tuple(value) for key, value in found.items()}

    def _record(self, row: Any, aliases: dict[int, tuple[str, ...]]) -> Organisation:
        return Organisation(
            id=row["id"],
            guild_id=row["guild_id"],
            name=row["name"],
            welsh_name=row["welsh_name"],
            aliases=aliases.get(row["id"], ()),
        )

    async def get(self, organisation_id: int) -> Organisation | None:
        rows = list(
            await self.db.conn.execute_fetchall(
                "SELECT * FROM organisations WHERE id = ?", (organisation_id,)
            )
        )
        if not rows:
            return None
        return self._record(rows[0], await self._aliases([organisation_id]))

    async def by_key(self, guild_id: int, key: str) -> Organisation | None:
        found = await self.owner_of(guild_id, key)
        return await self.get(found) if found is not None else None

    async def owner_of(self, guild_id: int, key: str) -> int | None:
        rows = await self.db.conn.execute_fetchall(
            "SELECT organisation_id FROM organisation_names WHERE guild_id = ? AND key = ?",
            (guild_id, key),
        )
        found = next(iter(rows), None)
        return found["organisation_id"] if found else None

    async def resolve(self, guild_id: int, name: str, now: datetime) -> Organisation:
        """The record a checked name (bot.domain.organisations.clean_organisation_name)
        matches, added when there is none; inside the caller's transaction."""
        record = await self.get(await self.resolve_id(guild_id, name, now))
        assert record is not None  # found or added in this transaction
        return record

    async def resolve_id(self, guild_id: int, name: str, now: datetime) -> int:
        """Like `resolve`, only the record's id (one statement when it exists: signing)."""
        found = await self.owner_of(guild_id, match_key(name))
        return found if found is not None else await self.insert(guild_id, name, now)

    async def named_as(self, guild_id: int, host: str, now: datetime) -> str:
        """A series rota's host as its record names it (found or added); text that can't be
        an organisation's name (a mention, only punctuation) stays as typed."""
        if not is_organisation_name(host):
            return host
        return (await self.resolve(guild_id, host, now)).name

    async def link_host(
        self, guild_id: int, event_id: int, host: str | None, now: datetime
    ) -> None:
        """An event's host points at its record (found or added), named as the record is."""
        if host is None or not is_organisation_name(host):
            await self.db.conn.execute(
                "UPDATE events SET host_organisation_id = NULL WHERE id = ?", (event_id,)
            )
            return
        record = await self.resolve(guild_id, host, now)
        await self.db.conn.execute(
            "UPDATE events SET host = ?, host_organisation_id = ? WHERE id = ?",
            (record.name, record.id, event_id),
        )

    async def insert(self, guild_id: int, name: str, now: datetime) -> int:
        cursor = await self.db.conn.execute(
            "INSERT INTO organisations (guild_id, name, created_at, updated_at) "
            "VALUES (?, ?, ?, ?)",
            (guild_id, name, to_unix(now), to_unix(now)),
        )
        assert cursor.lastrowid is not None
        await self.db.conn.execute(
            "INSERT INTO organisation_names (guild_id, key, organisation_id, kind, spelling) "
            "VALUES (?, ?, ?, 'name', ?)",
            (guild_id, match_key(name), cursor.lastrowid, name),
        )
        return cursor.lastrowid

    async def search(self, guild_id: int, typed: str, limit: int) -> list[Organisation]:
        """Records any of whose spellings contains what was typed (by key, or as written),
        those whose name starts with it first, then by name."""
        key = match_key(typed)
        rows = await self.db.conn.execute_fetchall(
            "SELECT o.*, max(n.key LIKE ? ESCAPE '\\') AS starts FROM organisation_names n "
            "JOIN organisations o ON o.id = n.organisation_id "
            "WHERE n.guild_id = ? AND (n.key LIKE ? ESCAPE '\\' OR n.spelling LIKE ? ESCAPE '\\') "
            "GROUP BY o.id ORDER BY starts DESC, o.name COLLATE NOCASE LIMIT ?",
            (
                contains_pattern(key)[1:],
                guild_id,
                contains_pattern(key),
                contains_pattern(typed.strip()),
                limit,
            ),
        )
        return [self._record(row, {}) for row in rows]

    async def count(self, guild_id: int) -> int:
        rows = await self.db.conn.execute_fetchall(
            "SELECT count(*) AS n FROM organisations WHERE guild_id = ?", (guild_id,)
        )
        return int(next(iter(rows))["n"])

    async def page(self, guild_id: int, limit: int, offset: int) -> list[OrganisationCount]:
        """Records with how many network members gave each: the most members first."""
        rows = list(
            await self.db.conn.execute_fetchall(
                "SELECT o.*, (SELECT count(*) FROM network_members m "
                " WHERE m.guild_id = o.guild_id AND m.organisation_id = o.id) AS members "
                "FROM organisations o WHERE o.guild_id = ? "
                "ORDER BY members DESC, o.name COLLATE NOCASE, o.id LIMIT ? OFFSET ?",
                (guild_id, limit, offset),
            )
        )
        aliases = await self._aliases([row["id"] for row in rows])
        return [OrganisationCount(self._record(row, aliases), row["members"]) for row in rows]

    async def rename(
        self,
        organisation: Organisation,
        name: str,
        welsh_name: str | None,
        aliases: tuple[str, ...],
        now: datetime,
    ) -> None:
        """The record's names replaced; spellings it answered to before (its old name, a
        spelling from before records) keep matching it."""
        org_id, guild_id = organisation.id, organisation.guild_id
        await self.db.conn.execute(
            "UPDATE organisation_names SET kind = 'spelling' WHERE organisation_id = ? "
            "AND kind IN ('name', 'welsh')",
            (org_id,),
        )
        await self.db.conn.execute(
            "DELETE FROM organisation_names WHERE organisation_id = ? AND kind = 'alias'",
            (org_id,),
        )
        entries = [(name, KIND_NAME)]
        if welsh_name:
            entries.append((welsh_name, KIND_WELSH))
        entries.extend((alias, KIND_ALIAS) for alias in aliases)
        for spelling, kind in entries:
            await self.db.conn.execute(
                "INSERT INTO organisation_names (guild_id, key, organisation_id, kind, spelling) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, key) DO UPDATE SET "
                "kind = excluded.kind, spelling = excluded.spelling "
                "WHERE organisation_names.kind = 'spelling'",
                (guild_id, match_key(spelling), org_id, kind, spelling),
            )
        await self.db.conn.execute(
            "UPDATE organisations SET name = ?, welsh_name = ?, updated_at = ? WHERE id = ?",
            (name, welsh_name, to_unix(now), org_id),
        )

    async def merge(self, source: Organisation, into: Organisation, now: datetime) -> Merged:
        """Everything that named `source` names `into`; its spellings answer to `into` (its
        name and Welsh name as aliases); `source` is deleted. One statement per table."""
        conn = self.db.conn
        letters = await conn.execute_fetchall(
            "SELECT id, channel_id, message_id FROM letters WHERE id IN "
            "(SELECT DISTINCT letter_id FROM signatures WHERE organisation_id = ?)",
            (source.id,),
        )
        hosted = await conn.execute_fetchall(
            "SELECT id, channel_id, message_id FROM events "
            "WHERE host_organisation_id = ? AND message_id IS NOT NULL",
            (source.id,),
        )
        members = await conn.execute(
            "UPDATE network_members SET organisation_id = ? WHERE organisation_id = ?",
            (into.id, source.id),
        )
        signatures = await conn.execute(
            "UPDATE signatures SET organisation_id = ? WHERE organisation_id = ?",
            (into.id, source.id),
        )
        events = await conn.execute(
            "UPDATE events SET host_organisation_id = ?, host = ? WHERE host_organisation_id = ?",
            (into.id, into.name, source.id),
        )
        moved_series = await self._merge_series(source, into, now)
        await conn.execute(
            "UPDATE organisation_names SET organisation_id = ?, "
            "kind = CASE kind WHEN 'spelling' THEN 'spelling' ELSE 'alias' END "
            "WHERE organisation_id = ?",
            (into.id, source.id),
        )
        await conn.execute("DELETE FROM organisations WHERE id = ?", (source.id,))
        await conn.execute(
            "UPDATE organisations SET updated_at = ? WHERE id = ?", (to_unix(now), into.id)
        )
        return Merged(
            from_name=source.name,
            into=into,
            members=members.rowcount,
            signatures=signatures.rowcount,
            events=events.rowcount,
            series=moved_series,
            letter_posts=tuple((r["id"], r["channel_id"], r["message_id"]) for r in letters),
            event_posts=tuple((r["id"], r["channel_id"], r["message_id"]) for r in hosted),
        )

    async def _merge_series(self, source: Organisation, into: Organisation, now: datetime) -> int:
        """A series' rota names hosts as text: names of `source` become `into`'s name."""
        keys = {match_key(spelling) for spelling in await self._spellings(source.id)}
        rows = await self.db.conn.execute_fetchall(
            "SELECT id, hosts FROM series WHERE guild_id = ?", (source.guild_id,)
        )
        changed = 0
        for row in rows:
            hosts = json.loads(row["hosts"])
            renamed = [into.name if match_key(h) in keys else h for h in hosts]
            if renamed != hosts:
                await self.db.conn.execute(
                    "UPDATE series SET hosts = ?, updated_at = ? WHERE id = ?",
                    (json.dumps(renamed), to_unix(now), row["id"]),
                )
                changed += 1
        return changed

    async def _spellings(self, organisation_id: int) -> list[str]:
        rows = await self.db.conn.execute_fetchall(
            "SELECT spelling FROM organisation_names WHERE organisation_id = ?",
            (organisation_id,),
        )
        return [row["spelling"] for row in rows]
