"""SQL for meeting series."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.domain.events import Region
from bot.domain.series import Series
from bot.stores.common import contains_pattern, to_unix


def _series(row: Any) -> Series:
    return Series(
        id=row["id"],
        guild_id=row["guild_id"],
        name=row["name"],
        hosts=tuple(json.loads(row["hosts"])),
        region=Region(row["region"]) if row["region"] else None,
        next_number=row["next_number"],
    )


class SeriesStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, series_id: int) -> Series | None:
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM series WHERE id = ?", (series_id,)
        )
        return next((_series(row) for row in rows), None)

    async def by_name(self, guild_id: int, name: str) -> Series | None:
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM series WHERE guild_id = ? AND name = ? COLLATE NOCASE", (guild_id, name)
        )
        return next((_series(row) for row in rows), None)

    async def search(self, guild_id: int, text: str, limit: int) -> list[Series]:
        pattern = contains_pattern(text)
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM series WHERE guild_id = ? AND name LIKE ? ESCAPE '\\' "
            "ORDER BY name LIMIT ?",
            (guild_id, pattern, limit),
        )
        return [_series(row) for row in rows]

    async def insert(
        self,
        guild_id: int,
        name: str,
        hosts: tuple[str, ...],
        region: Region | None,
        next_number: int,
        now: datetime,
    ) -> int:
        cursor = await self.db.conn.execute(
            "INSERT INTO series (guild_id, name, hosts, region, next_number, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                name,
                json.dumps(list(hosts)),
                region.value if region else None,
                next_number,
                to_unix(now),
                to_unix(now),
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def update(self, series: Series, now: datetime) -> None:
        await self.db.conn.execute(
            "UPDATE series SET hosts = ?, region = ?, next_number = ?, updated_at = ? WHERE id = ?",
            (
                json.dumps(list(series.hosts)),
                series.region.value if series.region else None,
                series.next_number,
                to_unix(now),
                series.id,
            ),
        )

    async def take_number(self, series_id: int, number: int) -> bool:
        """Claim meeting `number` for a new event; False if another create took it first."""
        cursor = await self.db.conn.execute(
            "UPDATE series SET next_number = next_number + 1 WHERE id = ? AND next_number = ?",
            (series_id, number),
        )
        return cursor.rowcount == 1

    async def release_number(self, series_id: int, number: int) -> None:
        """Give back meeting `number` when its event was never announced, if no later
        meeting has taken a number since."""
        await self.db.conn.execute(
            "UPDATE series SET next_number = ? WHERE id = ? AND next_number = ?",
            (number, series_id, number + 1),
        )
