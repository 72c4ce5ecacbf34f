"""SQL for reminders, their deliveries, and members' reminder settings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from bot.db import Database
from bot.domain.reminders import Reminder, ReminderStatus
from bot.stores.common import from_unix, from_unix_or_none, to_unix


def _reminder(row: Any) -> Reminder:
    return Reminder(
        id=row["id"],
        event_id=row["event_id"],
        user_id=row["user_id"],
        offset=timedelta(seconds=row["offset_s"]),
        due_at=from_unix(row["due_at"]),
        status=ReminderStatus(row["status"]),
        claimed_at=from_unix_or_none(row["claimed_at"]),
    )


class ReminderStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def insert(
        self, event_id: int, user_id: int | None, offset: timedelta, due_at: datetime, now: datetime
    ) -> Reminder | None:
        """A pending reminder; None when the same one is already pending."""
        cursor = await self.db.conn.execute(
            "INSERT INTO reminders (event_id, user_id, offset_s, due_at, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (event_id, user_id, int(offset.total_seconds()), to_unix(due_at), to_unix(now)),
        )
        if cursor.rowcount != 1 or cursor.lastrowid is None:
            return None
        return Reminder(cursor.lastrowid, event_id, user_id, offset, due_at, ReminderStatus.PENDING)

    async def get(self, reminder_id: int) -> Reminder | None:
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM reminders WHERE id = ?", (reminder_id,)
        )
        return next((_reminder(row) for row in rows), None)

    async def with_status(self, status: ReminderStatus) -> list[Reminder]:
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM reminders WHERE status = ? ORDER BY due_at, id", (status.value,)
        )
        return [_reminder(row) for row in rows]

    async def pending_for_event(self, event_id: int) -> list[Reminder]:
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM reminders WHERE event_id = ? AND status = 'pending' ORDER BY id",
            (event_id,),
        )
        return [_reminder(row) for row in rows]

    async def personal_for_user(
        self, guild_id: int, user_id: int, now: datetime
    ) -> list[tuple[Reminder, str, datetime]]:
        """A member's pending reminders in one server: (reminder, event title, event start)."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT r.*, e.title, e.starts_at FROM reminders r JOIN events e ON e.id = r.event_id "
            "WHERE e.guild_id = ? AND r.user_id = ? AND r.status = 'pending' AND r.due_at > ? "
            "ORDER BY r.due_at, r.id",
            (guild_id, user_id, to_unix(now)),
        )
        return [(_reminder(row), row["title"], from_unix(row["starts_at"])) for row in rows]

    async def personal_counts(
        self, guild_id: int, event_id: int, user_id: int, now: datetime
    ) -> tuple[int, int]:
        """How many of a member's own reminders are still to come: (for this event, in all
        in this server), counted as `/reminders list` shows them."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT count(*) AS upcoming, coalesce(sum(r.event_id = ?), 0) AS for_event "
            "FROM reminders r JOIN events e ON e.id = r.event_id "
            "WHERE e.guild_id = ? AND r.user_id = ? AND r.status = 'pending' AND r.due_at > ?",
            (event_id, guild_id, user_id, to_unix(now)),
        )
        row = next(iter(rows))
        return int(row["for_event"]), int(row["upcoming"])

    async def claim(self, reminder_id: int, now: datetime) -> bool:
        """Take a pending reminder for delivery; False if someone else already has."""
        cursor = await self.db.conn.execute(
            "UPDATE reminders SET status = 'claimed', claimed_at = ? "
            "WHERE id = ? AND status = 'pending'",
            (to_unix(now), reminder_id),
        )
        return cursor.rowcount == 1

    async def finish(
        self, reminder_id: int, status: ReminderStatus, now: datetime, *, was: ReminderStatus
    ) -> bool:
        """Move a reminder on from `was`; once it is done (it can never run again) the
        record of who got it, kept only so a retry sends nobody the same one twice, goes."""
        cursor = await self.db.conn.execute(
            "UPDATE reminders SET status = ?, done_at = ? WHERE id = ? AND status = ?",
            (status.value, to_unix(now), reminder_id, was.value),
        )
        if cursor.rowcount == 1 and status not in (ReminderStatus.PENDING, ReminderStatus.CLAIMED):
            await self.db.conn.execute(
                "DELETE FROM reminder_deliveries WHERE reminder_id = ?", (reminder_id,)
            )
        return cursor.rowcount == 1

    async def move(self, reminder_id: int, due_at: datetime) -> None:
        await self.db.conn.execute(
            "UPDATE reminders SET due_at = ? WHERE id = ? AND status = 'pending'",
            (to_unix(due_at), reminder_id),
        )

    async def cancel_for_event(self, event_id: int, now: datetime) -> list[int]:
        rows = await self.db.conn.execute_fetchall(
            "UPDATE reminders SET status = 'cancelled', done_at = ? "
            "WHERE event_id = ? AND status = 'pending' RETURNING id",
            (to_unix(now), event_id),
        )
        return [row["id"] for row in rows]

    async def cancel_personal(self, reminder_id: int, user_id: int, now: datetime) -> bool:
        cursor = await self.db.conn.execute(
            "UPDATE reminders SET status = 'cancelled', done_at = ? "
            "WHERE id = ? AND user_id = ? AND status = 'pending'",
            (to_unix(now), reminder_id, user_id),
        )
        return cursor.rowcount == 1

    # --- deliveries ------------------------------------------------------------------------

    async def delivered_to(self, reminder_id: int) -> dict[int, str]:
        rows = await self.db.conn.execute_fetchall(
            "SELECT user_id, outcome FROM reminder_deliveries WHERE reminder_id = ?", (reminder_id,)
        )
        return {row["user_id"]: row["outcome"] for row in rows}

    async def record_delivery(
        self, reminder_id: int, user_id: int, outcome: str, now: datetime
    ) -> None:
        await self.db.conn.execute(
            "INSERT INTO reminder_deliveries (reminder_id, user_id, outcome, at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (reminder_id, user_id, outcome, to_unix(now)),
        )

    # --- members' settings -----------------------------------------------------------------

    async def set_dms(self, guild_id: int, user_id: int, enabled: bool, now: datetime) -> None:
        await self.db.conn.execute(
            "INSERT INTO member_settings (guild_id, user_id, reminder_dms, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET "
            "reminder_dms = excluded.reminder_dms, updated_at = excluded.updated_at",
            (guild_id, user_id, int(enabled), to_unix(now)),
        )

    async def dms_off(self, guild_id: int, user_ids: Iterable[int]) -> set[int]:
        """Of these members, those who switched reminder DMs off."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT user_id FROM member_settings WHERE guild_id = ? AND reminder_dms = 0",
            (guild_id,),
        )
        wanted = set(user_ids)
        return {row["user_id"] for row in rows if row["user_id"] in wanted}
