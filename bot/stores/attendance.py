"""SQL for attendance (who came to an event) and meeting notes (migration 0021).

`events.attended_members` is changed in the same statement run as the rows it counts, so it
always equals the rows plus those erased after the server's retention."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.db import Database
from bot.domain.attendance import HeldMeetings, Notes
from bot.stores.common import DISTINCT_ORGANISATIONS, to_unix


class AttendanceStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def members(self, event_id: int) -> dict[int, bool]:
        """Members marked as there: user id → whether an organiser ticked them."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT user_id, by_organiser FROM attendance WHERE event_id = ?", (event_id,)
        )
        return {row["user_id"]: bool(row["by_organiser"]) for row in rows}

    async def has(self, event_id: int, user_id: int) -> bool:
        rows = await self.db.conn.execute_fetchall(
            "SELECT 1 FROM attendance WHERE event_id = ? AND user_id = ?", (event_id, user_id)
        )
        return bool(list(rows))

    async def mark(
        self, event_id: int, user_ids: Sequence[int], now: datetime, *, by_organiser: bool
    ) -> int:
        """Mark members as there (those marked already stay as they were); how many new."""
        added = 0
        for user_id in user_ids:
            cursor = await self.db.conn.execute(
                "INSERT INTO attendance (event_id, user_id, by_organiser, marked_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (event_id, user_id, int(by_organiser), to_unix(now)),
            )
            added += cursor.rowcount
        if added:
            await self._count(event_id, added)
        return added

    async def unmark(self, event_id: int, user_ids: Sequence[int]) -> int:
        """Take members off; how many were on."""
        removed = 0
        for user_id in user_ids:
            cursor = await self.db.conn.execute(
                "DELETE FROM attendance WHERE event_id = ? AND user_id = ?", (event_id, user_id)
            )
            removed += cursor.rowcount
        if removed:
            await self._count(event_id, -removed)
        return removed

    async def _count(self, event_id: int, change: int) -> None:
        await self.db.conn.execute(
            "UPDATE events SET attended_members = max(attended_members + ?, 0) WHERE id = ?",
            (change, event_id),
        )

    async def set_others(self, event_id: int, others: int) -> None:
        await self.db.conn.execute(
            "UPDATE events SET attended_others = ? WHERE id = ?", (others, event_id)
        )

    async def forget_member(self, user_id: int) -> list[int]:
        """Erase a member's attendance everywhere (they come off each count); the events."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT event_id FROM attendance WHERE user_id = ? ORDER BY event_id", (user_id,)
        )
        events = [row["event_id"] for row in rows]
        for event_id in events:
            await self.unmark(event_id, [user_id])
        return events

    async def set_notes(self, event_id: int, notes: Notes, now: datetime) -> bool:
        """Save the notes; a change raises the calendar SEQUENCE like an edit. False when
        they were the same already."""
        cursor = await self.db.conn.execute(
            "UPDATE events SET notes_en = ?, notes_cy = ?, notes_link = ?, updated_at = ?, "
            "sequence = sequence + 1 WHERE id = ? AND (notes_en IS NOT ? OR notes_cy IS NOT ? "
            "OR notes_link IS NOT ?)",
            (
                notes.english,
                notes.welsh,
                notes.link,
                to_unix(now),
                event_id,
                notes.english,
                notes.welsh,
                notes.link,
            ),
        )
        return cursor.rowcount == 1

    async def held(self, guild_id: int, since: datetime, until: datetime) -> HeldMeetings:
        """Scheduled events of the server that ended in (since, until], and who came."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT count(*) AS meetings, "
            "coalesce(sum(attended_members + attended_others), 0) AS attended FROM events "
            "WHERE guild_id = ? AND status = 'scheduled' AND ends_at > ? AND ends_at <= ?",
            (guild_id, to_unix(since), to_unix(until)),
        )
        row = next(iter(rows))
        came_from = await self.db.conn.execute_fetchall(
            f"SELECT {DISTINCT_ORGANISATIONS} AS organisations FROM attendance a "  # noqa: S608
            "JOIN events e ON e.id = a.event_id "
            "JOIN network_members m ON m.guild_id = e.guild_id AND m.user_id = a.user_id "
            "WHERE e.guild_id = ? AND e.status = 'scheduled' AND e.ends_at > ? AND e.ends_at <= ?",
            (guild_id, to_unix(since), to_unix(until)),
        )
        organisations = int(next(iter(came_from))["organisations"])
        return HeldMeetings(int(row["meetings"]), int(row["attended"]), organisations)

    async def taking(self, now: datetime, stays_open_s: int) -> list[int]:
        """Events (all servers) whose attendance window has not closed by `now`, with a post:
        their jobs are planned again at every start."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT id FROM events WHERE status = 'scheduled' AND message_id IS NOT NULL "
            "AND ends_at + ? > ? ORDER BY starts_at",
            (stays_open_s, to_unix(now)),
        )
        return [row["id"] for row in rows]
