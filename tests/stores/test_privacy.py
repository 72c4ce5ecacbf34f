"""Every column that holds a member's id is covered by /privacy mydata and forget."""

from __future__ import annotations

from bot.db import Database
from bot.stores.privacy import MEMBER_DATA, PrivacyStore, uncovered


async def test_every_member_column_is_covered(db: Database) -> None:
    async with db.reading():
        columns = await PrivacyStore(db).columns()
    assert ("rsvps", "user_id") in columns  # the scan sees the real schema
    assert uncovered(columns) == []


async def test_a_new_uncovered_member_column_fails_the_check(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE badges (id INTEGER PRIMARY KEY, user_id INTEGER) STRICT")
        await conn.execute("ALTER TABLE series ADD COLUMN edited_by INTEGER")
    async with db.reading():
        columns = await PrivacyStore(db).columns()
    assert uncovered(columns) == [("badges", "user_id"), ("series", "edited_by")]


async def test_every_export_query_runs(db: Database) -> None:
    async with db.reading():
        held = await PrivacyStore(db).export(123)
    assert set(held) == {entry.label for entry in MEMBER_DATA}
    assert all(rows == [] for rows in held.values())
