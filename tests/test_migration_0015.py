"""Migration 0015: every server gets the default retention (24 months) and zero erased counts;
reminder deliveries of reminders already finished go (they were kept only so that a reminder
being sent DMs nobody twice), those of a reminder still pending or being sent stay."""

from __future__ import annotations

from pathlib import Path

from bot.db import Database, load_migrations


async def test_retention_defaults_and_finished_deliveries_go(tmp_path: Path) -> None:
    shipped = load_migrations()
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await db.migrate([m for m in shipped if m.version < 15])
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO guild_settings (guild_id, updated_at) VALUES (1, 0)")
            await conn.execute(
                "INSERT INTO events (id, guild_id, title, starts_at, ends_at, channel_id, "
                "created_by, created_at, updated_at) "
                "VALUES (1, 1, 'Meeting', 10000000, 10007200, 1, 1, 0, 0)"
            )
            statuses = ("pending", "claimed", "sent", "skipped", "failed", "cancelled")
            for reminder, status in enumerate(statuses, start=1):
                await conn.execute(
                    "INSERT INTO reminders (id, event_id, user_id, offset_s, due_at, status, "
                    "created_at) VALUES (?, 1, NULL, ?, 9000000, ?, 0)",
                    (reminder, 3600 * reminder, status),
                )
                await conn.execute(
                    "INSERT INTO reminder_deliveries (reminder_id, user_id, outcome, at) "
                    "VALUES (?, 7, 'sent', 0)",
                    (reminder,),
                )
        await db.migrate(shipped)
        async with db.reading() as conn:
            [(months,)] = await conn.execute_fetchall("SELECT retention_months FROM guild_settings")
            [erased] = await conn.execute_fetchall(
                "SELECT erased_going, erased_maybe, erased_cant, erased_waitlist FROM events"
            )
            kept = await conn.execute_fetchall(
                "SELECT r.status FROM reminder_deliveries d JOIN reminders r "
                "ON r.id = d.reminder_id ORDER BY r.id"
            )
        assert months == 24
        assert tuple(erased) == (0, 0, 0, 0)
        assert [row[0] for row in kept] == ["pending", "claimed"]
    finally:
        await db.close()
