"""SQL for erasing members' names and ids from what has been over for longer than a
server's retention, keeping the counts on the event or letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import Database
from bot.stores.common import DISTINCT_ORGANISATIONS, to_unix

_OLD_EVENTS = "SELECT id FROM events WHERE guild_id = ? AND ends_at <= ?"
_OLD_LETTERS = (
    "SELECT id FROM letters WHERE guild_id = ? AND closed_at IS NOT NULL AND closed_at <= ?"
)
_OLD_POLLS = "SELECT id FROM polls WHERE guild_id = ? AND closed_at IS NOT NULL AND closed_at <= ?"


@dataclass(frozen=True)
class Erased:
    """Rows erased in one server."""

    rsvps: int = 0
    reminders: int = 0
    deliveries: int = 0
    signatures: int = 0
    poll_answers: int = 0
    attendance: int = 0

    def __add__(self, other: Erased) -> Erased:
        return Erased(
            self.rsvps + other.rsvps,
            self.reminders + other.reminders,
            self.deliveries + other.deliveries,
            self.signatures + other.signatures,
            self.poll_answers + other.poll_answers,
            self.attendance + other.attendance,
        )


class RetentionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def erase_events(self, guild_id: int, cutoff: datetime) -> Erased:
        """Answers, personal reminders and deliveries of the server's events that ended at
        or before `cutoff`; each answer is first added to its event's kept counts."""
        args = (guild_id, to_unix(cutoff))
        conn = self.db.conn
        await conn.execute(
            "UPDATE events SET "  # noqa: S608 - constant SQL
            "erased_going = erased_going + (SELECT count(*) FROM rsvps r "
            "WHERE r.event_id = events.id AND r.status = 'going'), "
            "erased_maybe = erased_maybe + (SELECT count(*) FROM rsvps r "
            "WHERE r.event_id = events.id AND r.status = 'maybe'), "
            "erased_cant = erased_cant + (SELECT count(*) FROM rsvps r "
            "WHERE r.event_id = events.id AND r.status = 'cant'), "
            "erased_waitlist = erased_waitlist + (SELECT count(*) FROM rsvps r "
            "WHERE r.event_id = events.id AND r.status = 'waitlist') "
            f"WHERE id IN ({_OLD_EVENTS}) AND id IN (SELECT event_id FROM rsvps)",
            args,
        )
        rsvps = await conn.execute(f"DELETE FROM rsvps WHERE event_id IN ({_OLD_EVENTS})", args)  # noqa: S608
        deliveries = await conn.execute(
            "DELETE FROM reminder_deliveries WHERE reminder_id IN "  # noqa: S608
            f"(SELECT id FROM reminders WHERE event_id IN ({_OLD_EVENTS}))",
            args,
        )
        reminders = await conn.execute(
            "DELETE FROM reminders WHERE user_id IS NOT NULL "  # noqa: S608
            f"AND event_id IN ({_OLD_EVENTS})",
            args,
        )
        # who attended goes too; the count stays on the event (`attended_members`)
        attendance = await conn.execute(
            f"DELETE FROM attendance WHERE event_id IN ({_OLD_EVENTS})",  # noqa: S608
            args,
        )
        return Erased(
            rsvps=rsvps.rowcount,
            reminders=reminders.rowcount,
            deliveries=deliveries.rowcount,
            attendance=attendance.rowcount,
        )

    async def erase_letters(self, guild_id: int, cutoff: datetime) -> Erased:
        """Signatures of the server's letters closed at or before `cutoff`; the number of
        signatures and of organisations is first kept on the letter."""
        args = (guild_id, to_unix(cutoff))
        conn = self.db.conn
        await conn.execute(
            "UPDATE letters SET "  # noqa: S608 - constant SQL
            "erased_signatures = erased_signatures + (SELECT count(*) FROM signatures s "
            "WHERE s.letter_id = letters.id), "
            f"erased_organisations = erased_organisations + (SELECT {DISTINCT_ORGANISATIONS} "
            "FROM signatures s WHERE s.letter_id = letters.id) "
            f"WHERE id IN ({_OLD_LETTERS}) AND id IN (SELECT letter_id FROM signatures)",
            args,
        )
        signatures = await conn.execute(
            f"DELETE FROM signatures WHERE letter_id IN ({_OLD_LETTERS})",  # noqa: S608
            args,
        )
        return Erased(signatures=signatures.rowcount)

    async def erase_polls(self, guild_id: int, cutoff: datetime) -> Erased:
        """Answers of the server's date polls closed at or before `cutoff`; the answers per
        option and the members who answered are first kept on the poll."""
        args = (guild_id, to_unix(cutoff))
        conn = self.db.conn
        await conn.execute(
            "UPDATE poll_options SET erased = erased + (SELECT count(*) FROM poll_answers a "  # noqa: S608
            "WHERE a.poll_id = poll_options.poll_id AND a.position = poll_options.position) "
            f"WHERE poll_id IN ({_OLD_POLLS}) AND poll_id IN (SELECT poll_id FROM poll_answers)",
            args,
        )
        await conn.execute(
            "UPDATE polls SET erased_members = erased_members + (SELECT count(DISTINCT "  # noqa: S608
            "a.user_id) FROM poll_answers a WHERE a.poll_id = polls.id) "
            f"WHERE id IN ({_OLD_POLLS}) AND id IN (SELECT poll_id FROM poll_answers)",
            args,
        )
        answers = await conn.execute(
            f"DELETE FROM poll_answers WHERE poll_id IN ({_OLD_POLLS})",  # noqa: S608
            args,
        )
        return Erased(poll_answers=answers.rowcount)

    async def drop_finished_deliveries(self) -> int:
        """Records of who got a reminder that can never run again (all servers)."""
        cursor = await self.db.conn.execute(
            "DELETE FROM reminder_deliveries WHERE reminder_id IN "
            "(SELECT id FROM reminders WHERE status NOT IN ('pending', 'claimed'))"
        )
        return cursor.rowcount
