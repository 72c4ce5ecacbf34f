"""Migration 0017: every letter already there gets its own unguessable page address (32 hex
digits from SQLite's randomblob) and its page on; a letter inserted without an address (raw
SQL, as benches and older tests do) gets one from the trigger; the store's new letters get
secrets.token_urlsafe(16); addresses are unique."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db import Database, load_migrations
from bot.domain.letters import LetterDraft
from bot.stores.letters import LetterStore

LETTER_COLUMNS = (
    "INSERT INTO letters (id, guild_id, title, addressee, body, channel_id, created_by, "
    "created_at, updated_at) VALUES (?, 1, 'A letter', 'The Minister', 'Text', 1, 1, 0, 0)"
)


async def test_existing_and_new_letters_get_unique_slugs(tmp_path: Path) -> None:
    shipped = load_migrations()
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await db.migrate([m for m in shipped if m.version < 17])
        async with db.transaction() as conn:
            for letter_id in (1, 2, 3):
                await conn.execute(LETTER_COLUMNS, (letter_id,))
        await db.migrate(shipped)
        async with db.transaction() as conn:
            await conn.execute(LETTER_COLUMNS, (4,))  # no slug given: the trigger's
            new_id = await LetterStore(db).insert(
                1, LetterDraft("New", "Someone", "Text"), 1, 1, datetime.now(UTC)
            )
        async with db.reading() as conn:
            rows = await conn.execute_fetchall("SELECT id, slug, web FROM letters ORDER BY id")
            new = await LetterStore(db).get(new_id)
        slugs = {row[0]: row[1] for row in rows}
        assert all(row[2] == 1 for row in rows)  # every page on
        assert all(re.fullmatch(r"[0-9a-f]{32}", slugs[i]) for i in (1, 2, 3, 4))
        assert new is not None and re.fullmatch(r"[A-Za-z0-9_-]{22}", new.slug)
        assert new.web is True
        assert len(set(slugs.values())) == len(slugs) == 5
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as conn:
                await conn.execute("UPDATE letters SET slug = ? WHERE id = 2", (slugs[1],))
    finally:
        await db.close()
