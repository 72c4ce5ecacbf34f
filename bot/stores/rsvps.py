"""SQL for RSVPs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.db import Database
from bot.domain.rsvps import Rsvp, RsvpCounts, RsvpStatus
from bot.stores.common import from_unix, to_unix


def _rsvp(row: Any) -> Rsvp:
    return Rsvp(
        row["user_id"], RsvpStatus(row["status"]), from_unix(row["responded_at"]), row["seq"]
    )


class RsvpStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def for_event(self, event_id: int) -> list[Rsvp]:
        rows = await self.db.conn.execute_fetchall(
            "SELECT user_id, status, responded_at, seq FROM rsvps WHERE event_id = ? ORDER BY seq",
            (event_id,),
        )
        return [_rsvp(row) for row in rows]

    async def status_of(self, event_id: int, user_id: int) -> RsvpStatus | None:
        rows = await self.db.conn.execute_fetchall(
            "SELECT status FROM rsvps WHERE event_id = ? AND user_id = ?", (event_id, user_id)
        )
        return next((RsvpStatus(row["status"]) for row in rows), None)

    async def counts(self, event_id: int) -> RsvpCounts:
        rows = await self.db.conn.execute_fetchall(
            "SELECT status, count(*) AS n FROM rsvps WHERE event_id = ? GROUP BY status",
            (event_id,),
        )
        tally = {row["status"]: row["n"] for row in rows}
        # answers erased after the server's retention are kept as counts on the event
        kept = await self.db.conn.execute_fetchall(
            "SELECT erased_going, erased_maybe, erased_cant, erased_waitlist FROM events "
            "WHERE id = ?",
            (event_id,),
        )
        erased = next(iter(kept), None)
        return RsvpCounts(
            tally.get("going", 0) + (erased["erased_going"] if erased else 0),
            tally.get("maybe", 0) + (erased["erased_maybe"] if erased else 0),
            tally.get("cant", 0) + (erased["erased_cant"] if erased else 0),
            tally.get("waitlist", 0) + (erased["erased_waitlist"] if erased else 0),
        )

    async def save(self, event_id: int, rsvps: Iterable[Rsvp]) -> None:
        """Write answers (insert or replace each member's one row)."""
        await self.db.conn.executemany(
            "INSERT INTO rsvps (event_id, user_id, status, responded_at, seq) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (event_id, user_id) DO UPDATE SET status = excluded.status, "
            "responded_at = excluded.responded_at, seq = excluded.seq",
            [(event_id, r.user_id, r.status.value, to_unix(r.responded_at), r.seq) for r in rsvps],
        )

    async def delete(self, event_id: int, user_ids: Iterable[int]) -> None:
        await self.db.conn.executemany(
            "DELETE FROM rsvps WHERE event_id = ? AND user_id = ?",
            [(event_id, user_id) for user_id in user_ids],
        )

    async def members(self, event_id: int, statuses: Iterable[RsvpStatus]) -> list[int]:
        """Members with one of these answers, in the order they answered."""
        wanted = [status.value for status in statuses]
        marks = ", ".join("?" for _ in wanted)
        rows = await self.db.conn.execute_fetchall(
            f"SELECT user_id FROM rsvps WHERE event_id = ? AND status IN ({marks}) ORDER BY seq",  # noqa: S608
            (event_id, *wanted),
        )
        return [row["user_id"] for row in rows]
