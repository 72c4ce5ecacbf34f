"""Migration 0022: today's organisation strings become records. Spellings identical after
the matching rule (case, spacing, punctuation) become one record, anything else stays
separate; every row points at its record; the key the SQL computes is the one the bot
computes, so typing the name afterwards finds the migrated record."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bot.db import Database, load_migrations
from bot.domain.letters import org_key
from bot.domain.organisations import PUNCTUATION
from bot.stores.organisations import OrganisationStore

GUILD, OTHER = 1, 2

MEMBERS = [  # (guild, user, organisation)
    (GUILD, 1, "Cardiff Council"),
    (GUILD, 2, "cardiff  council"),
    (GUILD, 3, "Cardiff-Council."),
    (GUILD, 4, "Cyngor Caerdydd"),  # the same body in Welsh: not merged unasked
    (GUILD, 5, "Tai Tarian"),
    (GUILD, 6, "ＴＡＩ ＴＡＲＩＡＮ"),  # full-width: folded by the bot's old key already
    (OTHER, 1, "Cardiff Council"),  # another server keeps its own records
]
SIGNATURES = [  # (user, organisation)
    (1, "Cardiff Council"),
    (2, "CARDIFF COUNCIL"),
    (3, "St David’s Hospice"),
    (4, "St. Davids Hospice"),
    (5, "---"),  # nothing but punctuation: kept as its own record
    (6, None),
]


async def _old_database(tmp_path: Path) -> Database:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await db.migrate([m for m in load_migrations() if m.version < 22])
    async with db.transaction() as conn:
        for guild, user, organisation in MEMBERS:
            await conn.execute(
                "INSERT INTO network_members (guild_id, user_id, organisation, organisation_key, "
                "joined_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (guild, user, organisation, org_key(organisation), user, user),
            )
        await conn.execute(
            "INSERT INTO letters (id, guild_id, title, addressee, body, channel_id, created_by, "
            "created_at, updated_at) VALUES (1, ?, 'A letter', 'The Minister', 'Text', 1, 1, 0, 0)",
            (GUILD,),
        )
        for user, signed_as in SIGNATURES:
            await conn.execute(
                "INSERT INTO signatures (letter_id, user_id, name, organisation, "
                "organisation_key, signed_at, updated_at) VALUES (1, ?, 'Name', ?, ?, ?, ?)",
                (user, signed_as, org_key(signed_as), user, user),
            )
        await conn.execute(
            "INSERT INTO events (guild_id, title, starts_at, ends_at, host, channel_id, "
            "created_by, created_at, updated_at) VALUES (?, 'Meeting', 0, 60, ?, 1, 1, 99, 99)",
            (GUILD, "Tai Tarian!"),
        )
        await conn.execute(
            "INSERT INTO series (guild_id, name, hosts, created_at, updated_at) "
            "VALUES (?, 'Forum', ?, 0, 0)",
            (GUILD, json.dumps(["Cardiff council", "Housing Justice Cymru"])),
        )
    return db


async def test_strings_become_records_one_per_key(tmp_path: Path) -> None:
    db = await _old_database(tmp_path)
    try:
        await db.migrate()
        async with db.reading() as conn:
            records = {
                row["name"]: row["id"]
                for row in await conn.execute_fetchall(
                    "SELECT id, name FROM organisations WHERE guild_id = ?", (GUILD,)
                )
            }
            members: dict[int, int | None] = {
                row[0]: row[1]
                for row in await conn.execute_fetchall(
                    "SELECT user_id, organisation_id FROM network_members WHERE guild_id = ?",
                    (GUILD,),
                )
            }
            signed: dict[int, int | None] = {
                row[0]: row[1]
                for row in await conn.execute_fetchall(
                    "SELECT user_id, organisation_id FROM signatures"
                )
            }
            host = await conn.execute_fetchall("SELECT host_organisation_id FROM events")
            elsewhere = await conn.execute_fetchall(
                "SELECT count(*) FROM organisations WHERE guild_id = ?", (OTHER,)
            )
        # Cardiff Council: 3 members + 2 signatures + the series' rota, the most used spelling
        assert set(records) == {
            "Cardiff Council",
            "Cyngor Caerdydd",
            "Tai Tarian",
            "St David’s Hospice",
            "---",
            "Housing Justice Cymru",
        }
        cardiff = records["Cardiff Council"]
        assert [members[u] for u in (1, 2, 3)] == [cardiff] * 3
        assert members[4] == records["Cyngor Caerdydd"] != cardiff
        assert members[5] == members[6] == records["Tai Tarian"]
        assert signed[1] == signed[2] == cardiff
        assert signed[3] == signed[4] == records["St David’s Hospice"]
        assert signed[5] == records["---"]
        assert signed[6] is None
        assert [row[0] for row in host] == [records["Tai Tarian"]]
        assert next(iter(elsewhere))[0] == 1

        # the bot's own key finds the migrated records, however the name is typed
        store = OrganisationStore(db)
        async with db.transaction():
            for typed, name in [
                ("CARDIFF–COUNCIL", "Cardiff Council"),
                ("st davids hospice", "St David’s Hospice"),
                (f"Tai{PUNCTUATION}Tarian", "Tai Tarian"),
                ("housing justice cymru", "Housing Justice Cymru"),
            ]:
                found = await store.resolve(GUILD, typed, datetime.now(UTC))
                assert (found.id, found.name) == (records[name], name)
            assert await store.count(GUILD) == len(records)  # nothing was added
    finally:
        await db.close()
