"""SQL for members' data rights: every column that holds a member's id, what /privacy
mydata shows of it and what /privacy forget does with it.

`MEMBER_DATA` is the one list; tests/stores/test_privacy.py fails when a table gains a
member-id column (`user_id`, `*_by`) that is not in it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.db import Database


class Forget(enum.Enum):
    DELETE = "delete"  # the rows are the member's own: remove them
    ANONYMISE = "anonymise"  # the rows are the network's record: keep them, drop the id
    BY_SERVICE = "by_service"  # removed by the service, with what follows (waitlists, posts)


@dataclass(frozen=True)
class MemberColumn:
    table: str
    column: str
    label: str  # the section name in the member's JSON file
    export: str  # one query taking the member's id
    forget: Forget


MEMBER_DATA: tuple[MemberColumn, ...] = (
    MemberColumn(
        "rsvps",
        "user_id",
        "rsvps",
        "SELECT r.event_id, e.title AS event_title, e.starts_at AS event_starts_at, r.status, "
        "r.responded_at, CASE WHEN r.status = 'waitlist' THEN (SELECT count(*) FROM rsvps w "
        "WHERE w.event_id = r.event_id AND w.status = 'waitlist' AND w.seq <= r.seq) END "
        "AS waitlist_place FROM rsvps r JOIN events e ON e.id = r.event_id "
        "WHERE r.user_id = ? ORDER BY e.starts_at",
        Forget.BY_SERVICE,
    ),
    MemberColumn(
        "signatures",
        "user_id",
        "signatures",
        "SELECT s.letter_id, l.title AS letter_title, s.name, s.organisation, s.public, "
        "s.signed_at, s.updated_at FROM signatures s JOIN letters l ON l.id = s.letter_id "
        "WHERE s.user_id = ? ORDER BY s.signed_at",
        Forget.DELETE,
    ),
    MemberColumn(
        "reminders",
        "user_id",
        "reminders",
        "SELECT r.id, r.event_id, e.title AS event_title, r.offset_s AS before_seconds, "
        "r.due_at, r.status FROM reminders r JOIN events e ON e.id = r.event_id "
        "WHERE r.user_id = ? ORDER BY r.due_at",
        Forget.DELETE,
    ),
    MemberColumn(
        "reminder_deliveries",
        "user_id",
        "reminders_received",
        "SELECT d.reminder_id, e.title AS event_title, d.outcome, d.at FROM reminder_deliveries d "
        "JOIN reminders r ON r.id = d.reminder_id JOIN events e ON e.id = r.event_id "
        "WHERE d.user_id = ? ORDER BY d.at",
        Forget.DELETE,
    ),
    MemberColumn(
        "member_settings",
        "user_id",
        "reminder_settings",
        "SELECT guild_id, reminder_dms, updated_at FROM member_settings WHERE user_id = ?",
        Forget.DELETE,
    ),
    MemberColumn(
        "network_members",
        "user_id",
        "network_profile",
        "SELECT guild_id, organisation, region, joined_at, updated_at FROM network_members "
        "WHERE user_id = ?",
        Forget.DELETE,
    ),
    MemberColumn(
        "member_languages",
        "user_id",
        "language",
        "SELECT guild_id, language, chosen_at FROM member_languages WHERE user_id = ?",
        Forget.DELETE,
    ),
    MemberColumn(
        "feed_tokens",
        "user_id",
        "calendar_feeds",
        "SELECT guild_id, CASE WHEN mine = 1 THEN 'mine' ELSE 'server' END AS feed, region, "
        "created_at, 'the address itself is not kept, only a one-way hash of it' AS note "
        "FROM feed_tokens WHERE user_id = ? ORDER BY created_at, id",
        Forget.DELETE,
    ),
    MemberColumn(
        "events",
        "created_by",
        "events_announced",
        "SELECT id AS event_id, title, starts_at, status FROM events WHERE created_by = ? "
        "ORDER BY starts_at",
        Forget.ANONYMISE,
    ),
    MemberColumn(
        "letters",
        "created_by",
        "letters_created",
        "SELECT id AS letter_id, title, created_at FROM letters WHERE created_by = ? "
        "ORDER BY created_at",
        Forget.ANONYMISE,
    ),
    MemberColumn(
        "poll_answers",
        "user_id",
        "poll_answers",
        "SELECT a.poll_id, p.title AS poll_title, o.starts_at AS option_starts_at, "
        "a.answered_at FROM poll_answers a JOIN polls p ON p.id = a.poll_id "
        "JOIN poll_options o ON o.poll_id = a.poll_id AND o.position = a.position "
        "WHERE a.user_id = ? ORDER BY a.poll_id, o.starts_at",
        Forget.DELETE,
    ),
    MemberColumn(
        "attendance",
        "user_id",
        "attendance",
        "SELECT a.event_id, e.title AS event_title, e.starts_at AS event_starts_at, "
        "CASE WHEN a.by_organiser = 1 THEN 'ticked by an organiser' ELSE 'you pressed "
        "I was there' END AS marked, a.marked_at FROM attendance a "
        "JOIN events e ON e.id = a.event_id WHERE a.user_id = ? ORDER BY e.starts_at",
        Forget.BY_SERVICE,  # taken off each event's count too (AttendanceStore.forget_member)
    ),
    MemberColumn(
        "polls",
        "created_by",
        "polls_created",
        "SELECT id AS poll_id, title, created_at FROM polls WHERE created_by = ? "
        "ORDER BY created_at",
        Forget.ANONYMISE,
    ),
    # Kept only to honour a forget: reactions of the member that may still be on posts,
    # which must never count again (gone once the reaction is gone or made anew).
    MemberColumn(
        "forgotten_reactions",
        "user_id",
        "reactions_left_on_posts",
        "SELECT CAST(f.message_id AS TEXT) AS message_id, f.emoji, e.title AS event_title, "
        "'https://discord.com/channels/' || e.guild_id || '/' || e.channel_id || '/' || "
        "f.message_id AS post FROM forgotten_reactions f "
        "LEFT JOIN events e ON e.message_id = f.message_id WHERE f.user_id = ? "
        "ORDER BY f.message_id, f.emoji",
        Forget.BY_SERVICE,
    ),
)

MEMBER_ID_COLUMN = re.compile(r"^(user_id|.+_by)$")


def uncovered(columns: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(table, column) pairs that hold a member's id but are missing from MEMBER_DATA."""
    covered = {(entry.table, entry.column) for entry in MEMBER_DATA}
    return sorted(
        (table, column)
        for table, column in columns
        if MEMBER_ID_COLUMN.match(column) and (table, column) not in covered
    )


ANONYMOUS = 0  # the id left on the network's own records after a member is forgotten


class PrivacyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def export(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        held: dict[str, list[dict[str, Any]]] = {}
        for entry in MEMBER_DATA:
            rows = await self.db.conn.execute_fetchall(entry.export, (user_id,))
            held[entry.label] = [dict(row) for row in rows]
        return held

    async def forget_plain(self, user_id: int) -> dict[str, int]:
        """Delete or anonymise every column not left to the service; rows touched per label."""
        touched = {}
        for entry in MEMBER_DATA:
            if entry.forget is Forget.DELETE:
                self.db.wrote(entry.table)
                sql = f"DELETE FROM {entry.table} WHERE {entry.column} = ?"  # noqa: S608 - names from MEMBER_DATA
                cursor = await self.db.conn.execute(sql, (user_id,))
            elif entry.forget is Forget.ANONYMISE:
                sql = f"UPDATE {entry.table} SET {entry.column} = ? WHERE {entry.column} = ?"  # noqa: S608
                cursor = await self.db.conn.execute(sql, (ANONYMOUS, user_id))
            else:
                continue
            touched[entry.label] = cursor.rowcount
        return touched

    async def columns(self) -> list[tuple[str, str]]:
        """Every (table, column) in the schema."""
        tables = await self.db.conn.execute_fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        found: list[tuple[str, str]] = []
        for table in tables:
            info = await self.db.conn.execute_fetchall(
                "SELECT name FROM pragma_table_info(?)", (table["name"],)
            )
            found.extend((table["name"], column["name"]) for column in info)
        return found

    async def rsvp_events(self, user_id: int) -> list[int]:
        rows = await self.db.conn.execute_fetchall(
            "SELECT event_id FROM rsvps WHERE user_id = ? ORDER BY event_id", (user_id,)
        )
        return [row["event_id"] for row in rows]

    async def signed_letters(self, user_id: int) -> list[tuple[int, int, int | None]]:
        """(letter id, channel id, message id) of the letters the member signed."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT l.id, l.channel_id, l.message_id FROM signatures s "
            "JOIN letters l ON l.id = s.letter_id WHERE s.user_id = ?",
            (user_id,),
        )
        return [(row["id"], row["channel_id"], row["message_id"]) for row in rows]

    async def answered_polls(self, user_id: int) -> list[tuple[int, int, int | None]]:
        """(poll id, channel id, message id) of the date polls the member answered."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT DISTINCT p.id, p.channel_id, p.message_id FROM poll_answers a "
            "JOIN polls p ON p.id = a.poll_id WHERE a.user_id = ? ORDER BY p.id",
            (user_id,),
        )
        return [(row["id"], row["channel_id"], row["message_id"]) for row in rows]

    async def pending_reminders(self, user_id: int) -> list[int]:
        rows = await self.db.conn.execute_fetchall(
            "SELECT id FROM reminders WHERE user_id = ? AND status = 'pending'", (user_id,)
        )
        return [row["id"] for row in rows]
