"""SQL for events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.domain.events import Event, EventDraft, EventStatus, Kind, Region
from bot.domain.timeparse import format_offsets, parse_offsets
from bot.stores.common import contains_pattern, from_unix, to_unix


@dataclass(frozen=True)
class EventFilter:
    region: Region | None = None
    kind: Kind | None = None

    def sql(self) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if self.region is not None:
            clauses.append("AND region = ?")
            params.append(self.region.value)
        if self.kind is not None:
            clauses.append("AND kind = ?")
            params.append(self.kind.value)
        return " ".join(clauses), params


# `+ends_at` in a statement that pages in `starts_at, id` order: the unary plus stops SQLite
# answering the ends_at range from events_upcoming (made for counting) and then sorting every
# upcoming event; it walks events_listing (or events_by_guild_titles) in the page's order instead
# and stops at the page. An event over by `now` started before it, so the past-event statements
# also say `starts_at < ?`: their walk (latest first) starts at now instead of passing over every
# coming event. tests/stores/test_read_plans.py keeps the plans so (migrations 0008-0011).


# Not over by a time (ends_at after it). An event ends at most its server's longest event's
# length after it starts, so the walk in start order begins at the time less that length
# (read from events_by_length) instead of at the server's first event: every past event
# was walked first before. Parameters: `not_over(guild_id, at)`.
NOT_OVER = (
    "starts_at > ? - (SELECT coalesce(max(longest.ends_at - longest.starts_at), 0) "
    "FROM events AS longest WHERE longest.guild_id = ?) AND +ends_at > ?"
)


def not_over(guild_id: int, at: datetime) -> tuple[int, int, int]:
    return to_unix(at), guild_id, to_unix(at)


def _event(row: Any) -> Event:
    return Event(
        id=row["id"],
        guild_id=row["guild_id"],
        title=row["title"],
        starts_at=from_unix(row["starts_at"]),
        ends_at=from_unix(row["ends_at"]),
        place=row["place"],
        host=row["host"],
        region=Region(row["region"]) if row["region"] else None,
        kind=Kind(row["kind"]),
        description=row["description"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        status=EventStatus(row["status"]),
        cancel_reason=row["cancel_reason"],
        created_by=row["created_by"],
        created_at=from_unix(row["created_at"]),
        updated_at=from_unix(row["updated_at"]),
        capacity=row["capacity"],
        reminder_offsets=parse_offsets(row["reminder_offsets"]) if row["reminder_offsets"] else (),
        series_id=row["series_id"],
        series_number=row["series_number"],
        sequence=row["sequence"],
        native_event_id=row["native_event_id"],
        title_cy=row["title_cy"],
        description_cy=row["description_cy"],
        attended_members=row["attended_members"],
        attended_others=row["attended_others"],
        notes_en=row["notes_en"],
        notes_cy=row["notes_cy"],
        notes_link=row["notes_link"],
    )


event_of = _event  # an events row as an Event, for other stores that read events (feeds)


def _fields(draft: EventDraft) -> tuple[Any, ...]:
    return (
        draft.title,
        to_unix(draft.starts_at),
        to_unix(draft.ends_at),
        draft.place,
        draft.host,
        draft.region.value if draft.region else None,
        draft.kind.value,
        draft.description,
        draft.capacity,
        format_offsets(draft.reminder_offsets) if draft.reminder_offsets else None,
        draft.title_cy,
        draft.description_cy,
    )


class EventStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, event_id: int) -> Event | None:
        rows = await self.db.conn.execute_fetchall("SELECT * FROM events WHERE id = ?", (event_id,))
        return next((_event(row) for row in rows), None)

    async def get_by_message(self, message_id: int) -> Event | None:
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM events WHERE message_id = ?", (message_id,)
        )
        return next((_event(row) for row in rows), None)

    async def insert(
        self,
        guild_id: int,
        draft: EventDraft,
        channel_id: int,
        created_by: int,
        now: datetime,
        series: tuple[int, int] | None = None,
    ) -> int:
        """A new event, not yet posted (`set_message` marks it posted); `series` is
        (series id, meeting number) for a series meeting."""
        series_id, number = series or (None, None)
        cursor = await self.db.conn.execute(
            "INSERT INTO events (guild_id, title, starts_at, ends_at, place, host, region, kind, "
            "description, capacity, reminder_offsets, title_cy, description_cy, channel_id, "
            "created_by, created_at, updated_at, series_id, series_number, posted) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            (
                guild_id,
                *_fields(draft),
                channel_id,
                created_by,
                to_unix(now),
                to_unix(now),
                series_id,
                number,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def update(self, event_id: int, draft: EventDraft, now: datetime) -> None:
        await self.db.conn.execute(
            "UPDATE events SET title = ?, starts_at = ?, ends_at = ?, place = ?, host = ?, "
            "region = ?, kind = ?, description = ?, capacity = ?, reminder_offsets = ?, "
            "title_cy = ?, description_cy = ?, updated_at = ?, sequence = sequence + 1 "
            "WHERE id = ?",
            (*_fields(draft), to_unix(now), event_id),
        )

    async def set_native(self, event_id: int, native_event_id: int | None) -> None:
        await self.db.conn.execute(
            "UPDATE events SET native_event_id = ? WHERE id = ?", (native_event_id, event_id)
        )

    async def in_series(self, series_id: int) -> list[Event]:
        """A series' meetings in number order."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM events WHERE series_id = ? ORDER BY series_number", (series_id,)
        )
        return [_event(row) for row in rows]

    async def hosts(self, guild_id: int, text: str, limit: int) -> list[str]:
        """Host organisations already used in this server whose name contains `text`."""
        pattern = contains_pattern(text)
        rows = await self.db.conn.execute_fetchall(
            "SELECT host FROM events WHERE guild_id = ? AND host IS NOT NULL "
            "AND host LIKE ? ESCAPE '\\' GROUP BY lower(host) ORDER BY max(starts_at) DESC LIMIT ?",
            (guild_id, pattern, limit),
        )
        return [row["host"] for row in rows]

    async def set_message(self, event_id: int, message_id: int) -> None:
        """Record the event's post; the event counts as posted from now on."""
        await self.db.conn.execute(
            "UPDATE events SET message_id = ?, posted = 1 WHERE id = ?", (message_id, event_id)
        )

    async def list_unposted(self) -> list[Event]:
        """Events saved whose first post never went out (all servers)."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM events WHERE posted = 0 ORDER BY series_number DESC, id DESC"
        )
        return [_event(row) for row in rows]

    async def delete(self, event_id: int) -> None:
        """Remove an event that was never announced (its reminders and answers go with it)."""
        await self.db.conn.execute("DELETE FROM events WHERE id = ?", (event_id,))

    async def cancel(self, event_id: int, reason: str | None, now: datetime) -> bool:
        """Mark cancelled; False when it already was (a second confirmation is a no-op)."""
        cursor = await self.db.conn.execute(
            "UPDATE events SET status = 'cancelled', cancel_reason = ?, cancelled_at = ?, "
            "updated_at = ?, sequence = sequence + 1 WHERE id = ? AND status = 'scheduled'",
            (reason, to_unix(now), to_unix(now), event_id),
        )
        return cursor.rowcount == 1

    async def list_upcoming(
        self, guild_id: int, now: datetime, where: EventFilter, limit: int, offset: int = 0
    ) -> list[Event]:
        """Scheduled events not yet over, soonest first."""
        clauses, params = where.sql()
        rows = await self.db.conn.execute_fetchall(
            f"SELECT * FROM events WHERE guild_id = ? AND status = 'scheduled' AND {NOT_OVER} "  # noqa: S608
            f"{clauses} ORDER BY starts_at, id LIMIT ? OFFSET ?",
            (guild_id, *not_over(guild_id, now), *params, limit, offset),
        )
        return [_event(row) for row in rows]

    async def count_upcoming(self, guild_id: int, now: datetime, where: EventFilter) -> int:
        clauses, params = where.sql()
        rows = await self.db.conn.execute_fetchall(
            "SELECT count(*) FROM events WHERE guild_id = ? AND status = 'scheduled' "  # noqa: S608
            f"AND ends_at > ? {clauses}",
            (guild_id, to_unix(now), *params),
        )
        return int(next(iter(rows))[0])

    async def list_past(
        self, guild_id: int, now: datetime, where: EventFilter, limit: int, offset: int = 0
    ) -> list[Event]:
        """Events that took place (not cancelled), most recent first."""
        clauses, params = where.sql()
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM events WHERE guild_id = ? AND status = 'scheduled' AND starts_at < ? "  # noqa: S608
            f"AND +ends_at <= ? {clauses} ORDER BY starts_at DESC, id DESC LIMIT ? OFFSET ?",
            (guild_id, to_unix(now), to_unix(now), *params, limit, offset),
        )
        return [_event(row) for row in rows]

    async def count_past(self, guild_id: int, now: datetime, where: EventFilter) -> int:
        clauses, params = where.sql()
        rows = await self.db.conn.execute_fetchall(
            "SELECT count(*) FROM events WHERE guild_id = ? AND status = 'scheduled' "  # noqa: S608
            f"AND ends_at <= ? {clauses}",
            (guild_id, to_unix(now), *params),
        )
        return int(next(iter(rows))[0])

    async def search(
        self, guild_id: int, text: str, since: datetime, statuses: Sequence[EventStatus], limit: int
    ) -> list[Event]:
        """Events whose title contains `text` (any case), ending after `since`, soonest first."""
        marks = ", ".join("?" for _ in statuses)
        pattern = contains_pattern(text)
        rows = await self.db.conn.execute_fetchall(
            f"SELECT * FROM events WHERE guild_id = ? AND {NOT_OVER} "  # noqa: S608
            f"AND status IN ({marks}) AND title LIKE ? ESCAPE '\\' "
            "ORDER BY starts_at, id LIMIT ?",
            (guild_id, *not_over(guild_id, since), *(s.value for s in statuses), pattern, limit),
        )
        return [_event(row) for row in rows]

    async def search_past(
        self, guild_id: int, text: str, until: datetime, statuses: Sequence[EventStatus], limit: int
    ) -> list[Event]:
        """Events whose title contains `text` (any case), over by `until`, latest first."""
        marks = ", ".join("?" for _ in statuses)
        pattern = contains_pattern(text)
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM events WHERE guild_id = ? AND starts_at < ? AND +ends_at <= ? "  # noqa: S608
            f"AND status IN ({marks}) AND title LIKE ? ESCAPE '\\' "
            "ORDER BY starts_at DESC, id DESC LIMIT ?",
            (
                guild_id,
                to_unix(until),
                to_unix(until),
                *(s.value for s in statuses),
                pattern,
                limit,
            ),
        )
        return [_event(row) for row in rows]

    async def list_posted_since(self, since: datetime) -> list[Event]:
        """Events with a post, of any status, not over before `since` (all servers)."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM events WHERE message_id IS NOT NULL AND ends_at > ? "
            "ORDER BY starts_at, id",
            (to_unix(since),),
        )
        return [_event(row) for row in rows]

    async def list_open_posts(self, now: datetime) -> list[Event]:
        """Scheduled events not yet started that have a post, soonest first (all servers)."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM events WHERE status = 'scheduled' AND starts_at > ? "
            "AND message_id IS NOT NULL ORDER BY starts_at, id",
            (to_unix(now),),
        )
        return [_event(row) for row in rows]

    async def starting_between(self, guild_id: int, start: datetime, end: datetime) -> list[Event]:
        """Scheduled events of one server starting in [start, end), soonest first."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM events WHERE guild_id = ? AND status = 'scheduled' "
            "AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id",
            (guild_id, to_unix(start), to_unix(end)),
        )
        return [_event(row) for row in rows]

    async def find_by_title(self, guild_id: int, title: str, limit: int = 2) -> list[Event]:
        """Events titled exactly `title`, ignoring case; the newest first."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM events WHERE guild_id = ? AND title = ? COLLATE NOCASE "
            "ORDER BY starts_at DESC LIMIT ?",
            (guild_id, title, limit),
        )
        return [_event(row) for row in rows]
