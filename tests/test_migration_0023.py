"""Migration 0023: a signature or network member that names an organisation points at its
record, so the organisations behind a letter or the network are counted by record alone.
Rows migrated from before records (0022 gave each spelling one) keep their counts; a row
that names an organisation without its record is refused by the database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db import Database
from bot.stores.letters import SignatureStore
from bot.stores.network import NetworkStore
from bot.stores.organisations import OrganisationStore
from tests.test_migration_0022 import GUILD, _old_database

NOW = datetime(2026, 3, 1, tzinfo=UTC)  # stored only, never compared with the clock


async def test_rows_from_before_records_are_counted_by_record(tmp_path: Path) -> None:
    db = await _old_database(tmp_path)
    try:
        await db.migrate()
        # signatures: "Cardiff Council" twice in two cases, the hospice in two spellings,
        # "---" on its own, and one with none: three organisations
        async with db.reading():
            tally = await SignatureStore(db).tally(1)
            stats = await NetworkStore(db).stats(GUILD)  # Cardiff ×3, Cyngor Caerdydd, Tai ×2
        assert (tally.signatures, tally.organisations) == (6, 3)
        assert (stats.people, stats.organisations) == (6, 3)
    finally:
        await db.close()


async def _letter(db: Database) -> int:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO letters (id, guild_id, title, addressee, body, channel_id, created_by, "
            "created_at, updated_at) VALUES (1, ?, 'A letter', 'The Minister', 'Text', 1, 1, 0, 0)",
            (GUILD,),
        )
        return (await OrganisationStore(db).resolve(GUILD, "Tai Tarian", NOW)).id


SIGN = (
    "INSERT INTO signatures (letter_id, user_id, name, organisation, organisation_key, "
    "organisation_id, signed_at, updated_at) VALUES (1, ?, 'Name', ?, ?, ?, 0, 0)"
)


async def test_a_signature_naming_an_organisation_needs_its_record(db: Database) -> None:
    record = await _letter(db)
    async with db.transaction() as conn:
        await conn.execute(SIGN, (1, "Tai Tarian", "tai tarian", record))
        await conn.execute(SIGN, (2, None, None, None))  # no organisation: no record needed
    with pytest.raises(sqlite3.IntegrityError, match="needs its organisation_id"):
        async with db.transaction() as conn:
            await conn.execute(SIGN, (3, "Tai Tarian", "tai tarian", None))
    with pytest.raises(sqlite3.IntegrityError, match="needs its organisation_id"):
        async with db.transaction() as conn:
            await conn.execute("UPDATE signatures SET organisation_id = NULL WHERE user_id = 1")
    async with db.reading():
        assert (await SignatureStore(db).tally(1)).organisations == 1  # nothing half-written


async def test_a_network_member_needs_their_organisations_record(db: Database) -> None:
    record = await _letter(db)
    join = (
        "INSERT INTO network_members (guild_id, user_id, organisation, organisation_key, "
        "organisation_id, joined_at, updated_at) VALUES (?, ?, 'Tai Tarian', 'tai tarian', ?, 0, 0)"
    )
    async with db.transaction() as conn:
        await conn.execute(join, (GUILD, 1, record))
    with pytest.raises(sqlite3.IntegrityError, match="needs its organisation_id"):
        async with db.transaction() as conn:
            await conn.execute(join, (GUILD, 2, None))
    with pytest.raises(sqlite3.IntegrityError, match="needs its organisation_id"):
        async with db.transaction() as conn:
            await conn.execute("UPDATE network_members SET organisation_id = NULL")
    async with db.reading():
        assert (await NetworkStore(db).stats(GUILD)).people == 1
