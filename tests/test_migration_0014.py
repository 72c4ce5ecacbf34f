"""Migration 0014: reminder times stored before the rule of six (5 minutes to 28 days, none
twice) are brought into it, so no server or event keeps planning what the commands now refuse."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.db import Database, load_migrations
from bot.domain.timeparse import format_offsets, parse_reminder_offsets

THOUSAND = format_offsets(timedelta(minutes=m) for m in range(1, 1001))
BROKEN = [THOUSAND, "60d,7d,1d", "7d,1d,1h,2m", "7d,3d,2d,1d,6h,1h,30m"]
KEPT = ["7d,1d,1h", "28d,5m", "7d,3d,1d,6h,1h,30m", "90m"]


async def test_stored_reminder_times_are_brought_into_the_rule(tmp_path: Path) -> None:
    shipped = load_migrations()
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await db.migrate([m for m in shipped if m.version < 14])
        async with db.transaction() as conn:
            for guild, offsets in enumerate([*BROKEN, *KEPT], start=1):
                await conn.execute(
                    "INSERT INTO guild_settings (guild_id, reminder_offsets, updated_at) "
                    "VALUES (?, ?, 0)",
                    (guild, offsets),
                )
            # events in a server whose own default is kept (guild 6: 28d,5m), and in one
            # with no settings row at all (guild 99)
            events_typed: list[tuple[int, str | None]] = [
                (6, THOUSAND),
                (99, "60d,1h"),
                (6, "7d,1d,1h"),
                (99, None),
            ]
            for event, (guild, event_offsets) in enumerate(events_typed, start=1):
                await conn.execute(
                    "INSERT INTO events (id, guild_id, title, starts_at, ends_at, channel_id, "
                    "created_by, created_at, updated_at, reminder_offsets) "
                    "VALUES (?, ?, 'Meeting', 10000000, 10007200, 1, 1, 0, 0, ?)",
                    (event, guild, event_offsets),
                )
            for offset_s in (60, 300, 3600, 28 * 86400, 60 * 86400):
                for event in (1, 2, 3):
                    await conn.execute(
                        "INSERT INTO reminders (event_id, user_id, offset_s, due_at, created_at) "
                        "VALUES (?, NULL, ?, ?, 0)",
                        (event, offset_s, 10000000 - offset_s),
                    )
            await conn.execute(  # a member's own reminder is theirs: left alone
                "INSERT INTO reminders (event_id, user_id, offset_s, due_at, created_at) "
                "VALUES (1, 7, 60, 9999940, 0)"
            )
        await db.migrate(shipped)
        async with db.reading() as conn:
            guilds = await conn.execute_fetchall(
                "SELECT reminder_offsets FROM guild_settings ORDER BY guild_id"
            )
            events = await conn.execute_fetchall("SELECT reminder_offsets FROM events ORDER BY id")
            pending = await conn.execute_fetchall(
                "SELECT event_id, coalesce(user_id, 0), offset_s FROM reminders "
                "WHERE status = 'pending' ORDER BY event_id, user_id, offset_s"
            )
            cancelled = await conn.execute_fetchall(
                "SELECT count(*) FROM reminders WHERE status = 'cancelled' AND done_at > 0"
            )
        assert [row[0] for row in guilds] == ["7d,1d,1h"] * len(BROKEN) + KEPT
        assert [row[0] for row in events] == ["28d,5m", "7d,1d,1h", "7d,1d,1h", None]
        for row in [*guilds, *events]:
            if row[0] is not None:
                parse_reminder_offsets(row[0])  # every stored value keeps the rule now
        assert [tuple(row) for row in pending] == [
            (1, 0, 300),
            (1, 0, 28 * 86400),
            (1, 7, 60),
            (2, 0, 3600),
            (3, 0, 60),  # event 3 kept its times: nothing of it changed
            (3, 0, 300),
            (3, 0, 3600),
            (3, 0, 28 * 86400),
            (3, 0, 60 * 86400),
        ]
        assert [tuple(row) for row in cancelled] == [
            (7,)
        ]  # event 1: 1m, 1h, 60d; event 2: 1m, 5m, 28d, 60d
    finally:
        await db.close()
