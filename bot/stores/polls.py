"""SQL for date polls, their options and members' answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.domain.polls import Poll, PollCounts, PollDraft, PollOption
from bot.stores.common import contains_pattern, from_unix, from_unix_or_none, to_unix


def _unix_or_none(at: datetime | None) -> int | None:
    return None if at is None else to_unix(at)


class PollStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _with_options(self, found_rows: Iterable[Any]) -> list[Poll]:
        rows = list(found_rows)
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        marks = ", ".join("?" for _ in ids)
        found = await self.db.conn.execute_fetchall(
            f"SELECT * FROM poll_options WHERE poll_id IN ({marks}) ORDER BY poll_id, position",  # noqa: S608
            tuple(ids),
        )
        options: dict[int, list[PollOption]] = {}
        for row in found:
            options.setdefault(row["poll_id"], []).append(
                PollOption(row["position"], from_unix(row["starts_at"]))
            )
        return [
            Poll(
                id=row["id"],
                guild_id=row["guild_id"],
                channel_id=row["channel_id"],
                message_id=row["message_id"],
                title=row["title"],
                series_id=row["series_id"],
                closes_at=from_unix_or_none(row["closes_at"]),
                closed_at=from_unix_or_none(row["closed_at"]),
                winner_position=row["winner_position"],
                announced_event_id=row["announced_event_id"],
                created_by=row["created_by"],
                created_at=from_unix(row["created_at"]),
                options=tuple(options.get(row["id"], ())),
            )
            for row in rows
        ]

    async def get(self, poll_id: int) -> Poll | None:
        rows = await self.db.conn.execute_fetchall("SELECT * FROM polls WHERE id = ?", (poll_id,))
        return next(iter(await self._with_options(rows)), None)

    async def insert(
        self,
        guild_id: int,
        draft: PollDraft,
        channel_id: int,
        series_id: int | None,
        created_by: int,
        now: datetime,
    ) -> int:
        """A new poll and its options, not yet posted (`set_message` marks it posted)."""
        cursor = await self.db.conn.execute(
            "INSERT INTO polls (guild_id, channel_id, title, series_id, closes_at, created_by, "
            "created_at, updated_at, posted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
            (
                guild_id,
                channel_id,
                draft.title,
                series_id,
                _unix_or_none(draft.closes_at),
                created_by,
                to_unix(now),
                to_unix(now),
            ),
        )
        poll_id = cursor.lastrowid
        assert poll_id is not None
        await self.db.conn.executemany(
            "INSERT INTO poll_options (poll_id, position, starts_at) VALUES (?, ?, ?)",
            [(poll_id, n, to_unix(at)) for n, at in enumerate(draft.starts, start=1)],
        )
        return poll_id

    async def delete(self, poll_id: int) -> None:
        await self.db.conn.execute("DELETE FROM poll_answers WHERE poll_id = ?", (poll_id,))
        await self.db.conn.execute("DELETE FROM polls WHERE id = ?", (poll_id,))

    async def set_message(self, poll_id: int, message_id: int) -> None:
        await self.db.conn.execute(
            "UPDATE polls SET message_id = ?, posted = 1 WHERE id = ?", (message_id, poll_id)
        )

    async def list_unposted(self) -> list[Poll]:
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM polls WHERE posted = 0 ORDER BY id"
        )
        return await self._with_options(rows)

    async def close(
        self, poll_id: int, closed_at: datetime, winner: int | None, now: datetime
    ) -> bool:
        """Mark closed with its winner; False when it already was (a second close is a no-op)."""
        cursor = await self.db.conn.execute(
            "UPDATE polls SET closed_at = ?, winner_position = ?, updated_at = ? "
            "WHERE id = ? AND closed_at IS NULL",
            (to_unix(closed_at), winner, to_unix(now), poll_id),
        )
        return cursor.rowcount == 1

    async def claim_announcement(self, poll_id: int, event_id: int, now: datetime) -> bool:
        """Record the event announcing the poll's winner; False when one already is."""
        cursor = await self.db.conn.execute(
            "UPDATE polls SET announced_event_id = ?, updated_at = ? "
            "WHERE id = ? AND announced_event_id IS NULL",
            (event_id, to_unix(now), poll_id),
        )
        return cursor.rowcount == 1

    async def list_open(self, guild_id: int, now: datetime, limit: int) -> list[Poll]:
        """The server's polls still taking answers, closing soonest first, then the newest."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM polls WHERE guild_id = ? AND posted = 1 AND closed_at IS NULL "
            "AND (closes_at IS NULL OR closes_at > ?) "
            "ORDER BY closes_at IS NULL, closes_at, created_at DESC, id DESC LIMIT ?",
            (guild_id, to_unix(now), limit),
        )
        return await self._with_options(rows)

    async def count_open(self, guild_id: int, now: datetime) -> int:
        rows = await self.db.conn.execute_fetchall(
            "SELECT count(*) FROM polls WHERE guild_id = ? AND posted = 1 AND closed_at IS NULL "
            "AND (closes_at IS NULL OR closes_at > ?)",
            (guild_id, to_unix(now)),
        )
        return int(next(iter(rows))[0])

    async def search(self, guild_id: int, text: str, limit: int) -> list[Poll]:
        """Posted polls whose title contains `text` (any case): open ones first, newest first."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM polls WHERE guild_id = ? AND posted = 1 AND title LIKE ? ESCAPE '\\' "
            "ORDER BY closed_at IS NOT NULL, created_at DESC, id DESC LIMIT ?",
            (guild_id, contains_pattern(text), limit),
        )
        return await self._with_options(rows)

    async def find_by_title(self, guild_id: int, title: str, limit: int = 2) -> list[Poll]:
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM polls WHERE guild_id = ? AND posted = 1 AND title = ? COLLATE NOCASE "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            (guild_id, title, limit),
        )
        return await self._with_options(rows)

    async def list_closing(self) -> list[Poll]:
        """Polls not yet closed that have a closing time (all servers), soonest first."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM polls WHERE closed_at IS NULL AND closes_at IS NOT NULL "
            "ORDER BY closes_at, id"
        )
        return await self._with_options(rows)

    async def list_posted_since(self, since: datetime) -> list[Poll]:
        """Polls with a post that are open, or closed after `since` (all servers)."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM polls WHERE message_id IS NOT NULL "
            "AND (closed_at IS NULL OR closed_at > ?) ORDER BY id",
            (to_unix(since),),
        )
        return await self._with_options(rows)


class PollAnswerStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def toggle(self, poll_id: int, position: int, user_id: int, now: datetime) -> bool:
        """Take the member's answer back if they had given it, else give it; True: given."""
        cursor = await self.db.conn.execute(
            "DELETE FROM poll_answers WHERE poll_id = ? AND position = ? AND user_id = ?",
            (poll_id, position, user_id),
        )
        if cursor.rowcount:
            return False
        await self.db.conn.execute(
            "INSERT INTO poll_answers (poll_id, position, user_id, answered_at) "
            "VALUES (?, ?, ?, ?)",
            (poll_id, position, user_id, to_unix(now)),
        )
        return True

    async def choices_of(self, poll_id: int, user_ids: Sequence[int]) -> dict[int, set[int]]:
        """The options each of these members has pressed (members with none: absent)."""
        found: dict[int, set[int]] = {}
        for start in range(0, len(user_ids), 500):  # within SQLite's limit on parameters
            chunk = user_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = await self.db.conn.execute_fetchall(
                "SELECT user_id, position FROM poll_answers "  # noqa: S608
                f"WHERE poll_id = ? AND user_id IN ({marks})",
                (poll_id, *chunk),
            )
            for row in rows:
                found.setdefault(row["user_id"], set()).add(row["position"])
        return found

    async def apply(
        self,
        poll_id: int,
        given: Sequence[tuple[int, int]],
        taken_back: Sequence[tuple[int, int]],
        now: datetime,
    ) -> None:
        """Store answers given and remove those taken back, as (user id, position)."""
        if taken_back:
            await self.db.conn.executemany(
                "DELETE FROM poll_answers WHERE poll_id = ? AND user_id = ? AND position = ?",
                [(poll_id, user, position) for user, position in taken_back],
            )
        if given:
            await self.db.conn.executemany(
                "INSERT OR IGNORE INTO poll_answers (poll_id, position, user_id, answered_at) "
                "VALUES (?, ?, ?, ?)",
                [(poll_id, position, user, to_unix(now)) for user, position in given],
            )

    async def choices(self, poll_id: int, user_id: int) -> list[int]:
        """The options the member pressed, in order."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT position FROM poll_answers WHERE poll_id = ? AND user_id = ? ORDER BY position",
            (poll_id, user_id),
        )
        return [row["position"] for row in rows]

    async def counts(self, poll_id: int) -> PollCounts:
        """Answers per option and members who answered, with those retention erased (kept
        as counts on the poll)."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT o.position, o.erased + (SELECT count(*) FROM poll_answers a "
            "WHERE a.poll_id = o.poll_id AND a.position = o.position) AS n "
            "FROM poll_options o WHERE o.poll_id = ?",
            (poll_id,),
        )
        members = await self.db.conn.execute_fetchall(
            "SELECT coalesce((SELECT erased_members FROM polls WHERE id = ?), 0) + "
            "(SELECT count(DISTINCT user_id) FROM poll_answers WHERE poll_id = ?)",
            (poll_id, poll_id),
        )
        return PollCounts(
            {row["position"]: row["n"] for row in rows if row["n"]}, int(next(iter(members))[0])
        )

    async def members(self, poll_id: int) -> list[int]:
        """Everyone who pressed at least one option."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT DISTINCT user_id FROM poll_answers WHERE poll_id = ? ORDER BY user_id",
            (poll_id,),
        )
        return [row["user_id"] for row in rows]
