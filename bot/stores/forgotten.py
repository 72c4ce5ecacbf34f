"""SQL for the RSVP reactions of forgotten members that may still be on posts.

After /privacy forget, a row (message, member, emoji) says "this reaction, if it is on that
post, was there before the forget": reading the post again sets it aside. A row goes once the
reaction is seen gone, once the member makes that reaction anew, or once the post no longer
takes answers. Nothing else about the member is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from bot.db import Database
from bot.stores.common import to_unix


class ForgottenReactionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def remember(
        self, user_id: int, message_ids: Iterable[int], emoji: Iterable[str]
    ) -> None:
        kinds = list(emoji)
        await self.db.conn.executemany(
            "INSERT INTO forgotten_reactions (message_id, user_id, emoji) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [(message_id, user_id, one) for message_id in message_ids for one in kinds],
        )

    async def on_message(self, message_id: int) -> dict[int, set[str]]:
        """Member → the emoji remembered for them on this post."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT user_id, emoji FROM forgotten_reactions WHERE message_id = ?", (message_id,)
        )
        found: dict[int, set[str]] = {}
        for row in rows:
            found.setdefault(row["user_id"], set()).add(row["emoji"])
        return found

    async def forget(self, message_id: int, by_member: Mapping[int, Iterable[str]]) -> None:
        """Stop remembering these reactions (gone from the post, or made anew)."""
        await self.db.conn.executemany(
            "DELETE FROM forgotten_reactions WHERE message_id = ? AND user_id = ? AND emoji = ?",
            [(message_id, user_id, one) for user_id, emoji in by_member.items() for one in emoji],
        )

    async def prune(self, now: datetime) -> int:
        """Drop rows of posts that no longer take answers (started, cancelled or gone)."""
        cursor = await self.db.conn.execute(
            "DELETE FROM forgotten_reactions WHERE message_id NOT IN (SELECT message_id FROM "
            "events WHERE status = 'scheduled' AND starts_at > ? AND message_id IS NOT NULL)",
            (to_unix(now),),
        )
        return cursor.rowcount
