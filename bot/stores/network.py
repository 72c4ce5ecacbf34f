"""SQL for network profiles and the figures drawn from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.db import Database
from bot.domain.events import Region
from bot.domain.letters import org_key
from bot.domain.network import NetworkStats, Profile, RegionCount
from bot.stores.common import DISTINCT_ORGANISATIONS, contains_pattern, from_unix, to_unix


def _profile(row: Any) -> Profile:
    return Profile(
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        organisation=row["org_name"] or row["organisation"],
        organisation_cy=row["org_welsh"],
        region=Region(row["region"]) if row["region"] else None,
        joined_at=from_unix(row["joined_at"]),
    )


class NetworkStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, guild_id: int, user_id: int) -> Profile | None:
        rows = await self.db.conn.execute_fetchall(
            "SELECT m.*, o.name AS org_name, o.welsh_name AS org_welsh FROM network_members m "
            "LEFT JOIN organisations o ON o.id = m.organisation_id "
            "WHERE m.guild_id = ? AND m.user_id = ?",
            (guild_id, user_id),
        )
        return next((_profile(row) for row in rows), None)

    async def upsert(
        self,
        guild_id: int,
        user_id: int,
        organisation: str,
        region: Region | None,
        now: datetime,
        organisation_id: int | None = None,
    ) -> None:
        await self.db.conn.execute(
            "INSERT INTO network_members (guild_id, user_id, organisation, organisation_key, "
            "region, joined_at, updated_at, organisation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id, user_id) DO UPDATE SET organisation = excluded.organisation, "
            "organisation_key = excluded.organisation_key, "
            "organisation_id = excluded.organisation_id, "
            "region = coalesce(excluded.region, network_members.region), "
            "updated_at = excluded.updated_at",
            (
                guild_id,
                user_id,
                organisation,
                org_key(organisation),
                region.value if region else None,
                to_unix(now),
                to_unix(now),
                organisation_id,
            ),
        )

    async def delete(self, guild_id: int, user_id: int) -> bool:
        cursor = await self.db.conn.execute(
            "DELETE FROM network_members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return cursor.rowcount == 1

    async def stats(self, guild_id: int) -> NetworkStats:
        rows = await self.db.conn.execute_fetchall(
            f"SELECT region, count(*) AS people, {DISTINCT_ORGANISATIONS} AS orgs "  # noqa: S608
            "FROM network_members WHERE guild_id = ? GROUP BY region ORDER BY people DESC, region",
            (guild_id,),
        )
        totals = await self.db.conn.execute_fetchall(
            f"SELECT count(*) AS people, {DISTINCT_ORGANISATIONS} AS orgs "  # noqa: S608
            "FROM network_members WHERE guild_id = ?",
            (guild_id,),
        )
        total = next(iter(totals))
        return NetworkStats(
            people=total["people"],
            organisations=total["orgs"],
            by_region=[
                RegionCount(Region(r["region"]) if r["region"] else None, r["people"], r["orgs"])
                for r in rows
            ],
        )

    async def known_organisations(self, guild_id: int, text: str, limit: int) -> list[str]:
        """Organisation names already known here: members', hosts', signatories'."""
        pattern = contains_pattern(text)
        rows = await self.db.conn.execute_fetchall(
            "SELECT name FROM ("
            " SELECT organisation AS name FROM network_members WHERE guild_id = ?"
            " UNION ALL SELECT host FROM events WHERE guild_id = ? AND host IS NOT NULL"
            " UNION ALL SELECT s.organisation FROM signatures s"
            "  JOIN letters l ON l.id = s.letter_id"
            "  WHERE l.guild_id = ? AND s.organisation IS NOT NULL"
            ") WHERE name LIKE ? ESCAPE '\\' GROUP BY lower(name) ORDER BY count(*) DESC, name "
            "LIMIT ?",
            (guild_id, guild_id, guild_id, pattern, limit),
        )
        return [row["name"] for row in rows]
