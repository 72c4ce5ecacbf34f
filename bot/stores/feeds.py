"""SQL for calendar feed tokens (kept as SHA-256 hex) and the events a feed holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.domain.events import Event, Region
from bot.stores.common import from_unix, to_unix
from bot.stores.events import event_of


@dataclass(frozen=True)
class FeedRow:
    id: int
    token_hash: str
    guild_id: int
    user_id: int
    mine: bool
    region: Region | None
    created_at: datetime


def _row(row: Any) -> FeedRow:
    return FeedRow(
        id=row["id"],
        token_hash=row["token_hash"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        mine=bool(row["mine"]),
        region=Region(row["region"]) if row["region"] else None,
        created_at=from_unix(row["created_at"]),
    )


class FeedStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def by_hash(self, token_hash: str) -> FeedRow | None:
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM feed_tokens WHERE token_hash = ?", (token_hash,)
        )
        return next((_row(row) for row in rows), None)

    async def insert(
        self,
        token_hash: str,
        guild_id: int,
        user_id: int,
        mine: bool,
        region: Region | None,
        now: datetime,
    ) -> int:
        cursor = await self.db.conn.execute(
            "INSERT INTO feed_tokens (token_hash, guild_id, user_id, mine, region, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                token_hash,
                guild_id,
                user_id,
                int(mine),
                region.value if region else None,
                to_unix(now),
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def of_kind(
        self, guild_id: int, user_id: int, mine: bool, region: Region | None
    ) -> list[FeedRow]:
        """The member's tokens of one kind (server or mine, and region), oldest first."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM feed_tokens WHERE user_id = ? AND guild_id = ? AND mine = ? "
            "AND region IS ? ORDER BY created_at, id",
            (user_id, guild_id, int(mine), region.value if region else None),
        )
        return [_row(row) for row in rows]

    async def delete(self, ids: list[int]) -> int:
        if not ids:
            return 0
        marks = ", ".join("?" for _ in ids)
        cursor = await self.db.conn.execute(
            f"DELETE FROM feed_tokens WHERE id IN ({marks})",  # noqa: S608 - only ? marks
            ids,
        )
        return cursor.rowcount

    async def events(
        self,
        guild_id: int,
        since: datetime,
        region: Region | None,
        member: int | None,
        limit: int,
    ) -> list[Event]:
        """The posted events of one server not over before `since`, of any status (a
        cancellation must reach calendars), soonest first; with `member`, only those the
        member said going (waitlisted too) or maybe to; with `region`, only that region's."""
        where, params = _feed_events(guild_id, since, region, member)
        rows = await self.db.conn.execute_fetchall(
            f"SELECT e.* FROM events e WHERE {where} ORDER BY e.starts_at, e.id LIMIT ?",  # noqa: S608
            (*params, limit),
        )
        return [event_of(row) for row in rows]

    async def fingerprint(
        self, guild_id: int, since: datetime, region: Region | None, member: int | None
    ) -> tuple[int, ...]:
        """Figures over the same events as `events` that change whenever what a feed of them
        shows does: how many there are and which, their latest change, their SEQUENCEs, their
        posts, and the earliest end (the first to leave the feed's window). One aggregate,
        without reading the events themselves."""
        where, params = _feed_events(guild_id, since, region, member)
        rows = await self.db.conn.execute_fetchall(
            "SELECT count(*), coalesce(max(e.updated_at), 0), coalesce(sum(e.sequence), 0), "  # noqa: S608
            "coalesce(sum(e.id), 0), coalesce(sum(e.message_id % 1000000007), 0), "
            "coalesce(min(e.ends_at), 0) "
            f"FROM events e WHERE {where}",
            params,
        )
        return tuple(int(value) for value in next(iter(rows)))

    async def answered_at(self, guild_id: int, member: int, since: datetime) -> datetime | None:
        """When the member last answered an event of the server not over before `since`."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT max(r.responded_at) AS at FROM rsvps r JOIN events e ON e.id = r.event_id "
            "WHERE r.user_id = ? AND e.guild_id = ? AND e.ends_at > ?",
            (member, guild_id, to_unix(since)),
        )
        value = next(iter(rows))["at"]
        return from_unix(value) if value is not None else None


def _feed_events(
    guild_id: int, since: datetime, region: Region | None, member: int | None
) -> tuple[str, list[object]]:
    """The WHERE clause (over `events e`) and its parameters for a feed's events."""
    clauses = ["e.guild_id = ?", "e.posted = 1", "+e.ends_at > ?"]
    params: list[object] = [guild_id, to_unix(since)]
    if region is not None:
        clauses.append("e.region = ?")
        params.append(region.value)
    if member is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM rsvps r WHERE r.event_id = e.id AND r.user_id = ? "
            "AND r.status IN ('going', 'maybe', 'waitlist'))"
        )
        params.append(member)
    return " AND ".join(clauses), params
