"""Migration 0012: letters gain `posted`; one saved before it with no post (left by a stop
between saving and posting) is marked unposted, so the start-up sweep removes it; posted
letters and their signatures are untouched."""

from __future__ import annotations

from pathlib import Path

from bot.db import Database, load_migrations


async def test_letters_left_without_a_post_are_marked_unposted(tmp_path: Path) -> None:
    shipped = load_migrations()
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await db.migrate([m for m in shipped if m.version < 12])
        async with db.transaction() as conn:
            for letter_id, message_id in ((1, 5001), (2, None), (3, 5003)):
                await conn.execute(
                    "INSERT INTO letters (id, guild_id, title, addressee, body, channel_id, "
                    "message_id, created_by, created_at, updated_at) "
                    "VALUES (?, 9, 'Letter', 'Senedd', 'Text', 1, ?, 1, 0, 0)",
                    (letter_id, message_id),
                )
            await conn.execute(
                "INSERT INTO signatures (letter_id, user_id, name, signed_at, updated_at) "
                "VALUES (1, 7, 'Rhian', 0, 0)"
            )
        await db.migrate(shipped)
        async with db.reading() as conn:
            letters = await conn.execute_fetchall("SELECT id, posted FROM letters ORDER BY id")
            [(signatures,)] = await conn.execute_fetchall("SELECT count(*) FROM signatures")
        assert [tuple(row) for row in letters] == [(1, 1), (2, 0), (3, 1)]
        assert signatures == 1
    finally:
        await db.close()
