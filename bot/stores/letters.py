"""SQL for open letters and their signatures."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.domain.letters import (
    Letter,
    LetterDraft,
    Signature,
    SignatureDraft,
    Tally,
    new_slug,
)
from bot.stores.common import DISTINCT_ORGANISATIONS, from_unix, from_unix_or_none, to_unix


def _letter(row: Any) -> Letter:
    return Letter(
        id=row["id"],
        guild_id=row["guild_id"],
        title=row["title"],
        addressee=row["addressee"],
        body=row["body"],
        closes_at=from_unix_or_none(row["closes_at"]),
        milestone=row["milestone"],
        celebrated=row["celebrated"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        closed_at=from_unix_or_none(row["closed_at"]),
        body_changed_at=from_unix_or_none(row["body_changed_at"]),
        created_by=row["created_by"],
        created_at=from_unix(row["created_at"]),
        updated_at=from_unix(row["updated_at"]),
        slug=row["slug"],
        web=bool(row["web"]),
        signatures_version=row["signatures_version"],
        title_cy=row["title_cy"],
        body_cy=row["body_cy"],
    )


def _signature(row: Any) -> Signature:
    return Signature(
        letter_id=row["letter_id"],
        user_id=row["user_id"],
        name=row["name"],
        organisation=row["org_name"] or row["organisation"],
        public=bool(row["public"]),
        signed_at=from_unix(row["signed_at"]),
        updated_at=from_unix(row["updated_at"]),
        organisation_cy=row["org_welsh"],
    )


# A signature's organisation record, and its names as the record has them now.
ORGANISATION_JOIN = "LEFT JOIN organisations o ON o.id = s.organisation_id "
ORGANISATION_NAMES = {"org_name": "o.name", "org_welsh": "o.welsh_name"}

# Signatures with their organisation record's names.
SIGNATURE_ROWS = (
    "SELECT s.*, "  # noqa: S608 - constant SQL
    + ", ".join(f"{source} AS {field}" for field, source in ORGANISATION_NAMES.items())
    + " FROM signatures s "
    + ORGANISATION_JOIN
)

# A signature's fields for `_signature`, read beside its letter's as `mine_<field>`.
SIGNATURE_COLUMNS = (
    *("letter_id", "user_id", "name", "organisation"),
    *("public", "signed_at", "updated_at"),
)
MINE_SOURCES = {**{field: f"s.{field}" for field in SIGNATURE_COLUMNS}, **ORGANISATION_NAMES}
MINE_COLUMNS = ", ".join(f"{source} AS mine_{field}" for field, source in MINE_SOURCES.items())

OFF_LOOP_ROWS = 2000  # from this many rows, `public` converts them in a worker thread


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _unix_or_none(at: datetime | None) -> int | None:
    return None if at is None else to_unix(at)


class LetterStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, letter_id: int) -> Letter | None:
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM letters WHERE id = ?", (letter_id,)
        )
        return next((_letter(row) for row in rows), None)

    async def get_with_signature(
        self, letter_id: int, user_id: int
    ) -> tuple[Letter | None, Signature | None]:
        """The letter and the member's signature on it, in one statement."""
        rows = await self.db.conn.execute_fetchall(
            f"SELECT l.*, {MINE_COLUMNS} FROM letters l "  # noqa: S608 - constant SQL
            "LEFT JOIN signatures s ON s.letter_id = l.id AND s.user_id = ? "
            f"{ORGANISATION_JOIN}WHERE l.id = ?",
            (user_id, letter_id),
        )
        for row in rows:
            mine = {field: row[f"mine_{field}"] for field in MINE_SOURCES}
            return _letter(row), _signature(mine) if mine["user_id"] is not None else None
        return None, None

    async def signatures_erased(self, letter_id: int) -> bool:
        """Whether retention erased signatures of this letter (only their counts are kept)."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT 1 FROM letters WHERE id = ? AND erased_signatures > 0", (letter_id,)
        )
        return any(True for _ in rows)

    async def by_slug(self, slug: str) -> Letter | None:
        """The letter whose public page is at `slug` (up or not: the caller checks `web`)."""
        rows = await self.db.conn.execute_fetchall("SELECT * FROM letters WHERE slug = ?", (slug,))
        return next((_letter(row) for row in rows), None)

    async def set_web(self, letter_id: int, web: bool) -> None:
        await self.db.conn.execute("UPDATE letters SET web = ? WHERE id = ?", (int(web), letter_id))

    async def insert(
        self, guild_id: int, draft: LetterDraft, channel_id: int, created_by: int, now: datetime
    ) -> int:
        """A new letter, not yet posted (`set_message` marks it posted), with a new page
        address (`new_slug`)."""
        cursor = await self.db.conn.execute(
            "INSERT INTO letters (guild_id, title, addressee, body, closes_at, milestone, "
            "channel_id, created_by, created_at, updated_at, posted, slug, title_cy, body_cy) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
            (
                guild_id,
                draft.title,
                draft.addressee,
                draft.body,
                _unix_or_none(draft.closes_at),
                draft.milestone,
                channel_id,
                created_by,
                to_unix(now),
                to_unix(now),
                new_slug(),
                draft.title_cy,
                draft.body_cy,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def delete(self, letter_id: int) -> None:
        await self.db.conn.execute("DELETE FROM letters WHERE id = ?", (letter_id,))

    async def set_message(self, letter_id: int, message_id: int) -> None:
        """Record the letter's post; the letter counts as posted from now on."""
        await self.db.conn.execute(
            "UPDATE letters SET message_id = ?, posted = 1 WHERE id = ?", (message_id, letter_id)
        )

    async def list_unposted(self) -> list[Letter]:
        """Letters saved whose first post never went out (all servers)."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM letters WHERE posted = 0 ORDER BY id"
        )
        return [_letter(row) for row in rows]

    async def update(self, letter_id: int, draft: LetterDraft, now: datetime) -> None:
        await self.db.conn.execute(
            "UPDATE letters SET title = ?, addressee = ?, body = ?, closes_at = ?, milestone = ?, "
            "title_cy = ?, body_cy = ?, updated_at = ? WHERE id = ?",
            (
                draft.title,
                draft.addressee,
                draft.body,
                _unix_or_none(draft.closes_at),
                draft.milestone,
                draft.title_cy,
                draft.body_cy,
                to_unix(now),
                letter_id,
            ),
        )

    async def mark_body_changed(self, letter_id: int, now: datetime) -> None:
        await self.db.conn.execute(
            "UPDATE letters SET body_changed_at = ? WHERE id = ?", (to_unix(now), letter_id)
        )

    async def close(self, letter_id: int, closed_at: datetime, now: datetime) -> bool:
        """Mark closed as of `closed_at`; False when it already was (a second close is a
        no-op)."""
        cursor = await self.db.conn.execute(
            "UPDATE letters SET closed_at = ?, updated_at = ? WHERE id = ? AND closed_at IS NULL",
            (to_unix(closed_at), to_unix(now), letter_id),
        )
        return cursor.rowcount == 1

    async def reopen(self, letter_id: int) -> None:
        await self.db.conn.execute("UPDATE letters SET closed_at = NULL WHERE id = ?", (letter_id,))

    async def claim_milestone(self, letter_id: int, reached: int) -> bool:
        """Record `reached` as celebrated; False when it (or a higher one) already was."""
        cursor = await self.db.conn.execute(
            "UPDATE letters SET celebrated = ? WHERE id = ? AND celebrated < ?",
            (reached, letter_id, reached),
        )
        return cursor.rowcount == 1

    async def set_celebrated(self, letter_id: int, celebrated: int) -> None:
        await self.db.conn.execute(
            "UPDATE letters SET celebrated = ? WHERE id = ?", (celebrated, letter_id)
        )

    async def list_for_guild(self, guild_id: int, limit: int) -> list[Letter]:
        """Open letters (closing soonest first, then the newest), then closed ones (newest
        closed first). Whether a letter is open is decided by the caller's clock, so this
        orders by the stored state only."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM letters WHERE guild_id = ? "
            "ORDER BY closed_at IS NOT NULL, closed_at DESC, closes_at IS NULL, closes_at, "
            "created_at DESC, id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [_letter(row) for row in rows]

    async def count_for_guild(self, guild_id: int) -> int:
        rows = await self.db.conn.execute_fetchall(
            "SELECT count(*) FROM letters WHERE guild_id = ?", (guild_id,)
        )
        return int(next(iter(rows))[0])

    async def search(
        self, guild_id: int, text: str, open_at: datetime | None, limit: int
    ) -> list[Letter]:
        """Letters whose title contains `text` (any case), newest first; only those open at
        `open_at` when it is given."""
        if open_at is None:
            rows = await self.db.conn.execute_fetchall(
                "SELECT * FROM letters WHERE guild_id = ? AND title LIKE ? ESCAPE '\\' "
                "ORDER BY created_at DESC, id DESC LIMIT ?",
                (guild_id, _like(text), limit),
            )
        else:
            rows = await self.db.conn.execute_fetchall(
                "SELECT * FROM letters WHERE guild_id = ? AND title LIKE ? ESCAPE '\\' "
                "AND closed_at IS NULL AND (closes_at IS NULL OR closes_at > ?) "
                "ORDER BY created_at DESC, id DESC LIMIT ?",
                (guild_id, _like(text), to_unix(open_at), limit),
            )
        return [_letter(row) for row in rows]

    async def find_by_title(self, guild_id: int, title: str, limit: int = 2) -> list[Letter]:
        """Letters titled exactly `title`, ignoring case; the newest first."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM letters WHERE guild_id = ? AND title = ? COLLATE NOCASE "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            (guild_id, title, limit),
        )
        return [_letter(row) for row in rows]

    async def list_posted_since(self, since: datetime) -> list[Letter]:
        """Letters with a post that are open, or closed after `since` (all servers)."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM letters WHERE message_id IS NOT NULL "
            "AND (closed_at IS NULL OR closed_at > ?) ORDER BY id",
            (to_unix(since),),
        )
        return [_letter(row) for row in rows]

    async def list_closing(self) -> list[Letter]:
        """Letters not yet closed that have a closing time (all servers), soonest first."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT * FROM letters WHERE closed_at IS NULL AND closes_at IS NOT NULL "
            "ORDER BY closes_at, id"
        )
        return [_letter(row) for row in rows]


class SignatureStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def upsert(
        self,
        letter_id: int,
        user_id: int,
        draft: SignatureDraft,
        now: datetime,
        organisation_id: int | None = None,
    ) -> None:
        """The member's one signature on the letter: added, or its details replaced (a
        re-signature keeps its place in the order of signing)."""
        await self.db.conn.execute(
            "INSERT INTO signatures (letter_id, user_id, name, organisation, organisation_key, "
            "public, signed_at, updated_at, organisation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (letter_id, user_id) DO UPDATE SET name = excluded.name, "
            "organisation = excluded.organisation, organisation_key = excluded.organisation_key, "
            "organisation_id = excluded.organisation_id, "
            "public = excluded.public, updated_at = excluded.updated_at",
            (
                letter_id,
                user_id,
                draft.name,
                draft.organisation,
                draft.organisation_key,
                int(draft.public),
                to_unix(now),
                to_unix(now),
                organisation_id,
            ),
        )

    async def delete(self, letter_id: int, user_id: int) -> bool:
        cursor = await self.db.conn.execute(
            "DELETE FROM signatures WHERE letter_id = ? AND user_id = ?", (letter_id, user_id)
        )
        return cursor.rowcount == 1

    async def tally(self, letter_id: int) -> Tally:
        return (await self.tallies([letter_id]))[letter_id]

    async def tallies(self, letter_ids: Sequence[int]) -> dict[int, Tally]:
        if not letter_ids:
            return {}
        marks = ", ".join("?" for _ in letter_ids)
        rows = await self.db.conn.execute_fetchall(
            f"SELECT letter_id, count(*) AS n, {DISTINCT_ORGANISATIONS} AS orgs, "  # noqa: S608
            f"coalesce(sum(public), 0) AS listed FROM signatures WHERE letter_id IN ({marks}) "
            "GROUP BY letter_id",
            tuple(letter_ids),
        )
        found = {row["letter_id"]: Tally(row["n"], row["orgs"], row["listed"]) for row in rows}
        # Signatures erased after the server's retention are kept as counts on the letter
        # (`listed` counts only the names that can still be shown).
        kept = await self.db.conn.execute_fetchall(
            "SELECT id, erased_signatures, erased_organisations FROM letters "  # noqa: S608
            f"WHERE id IN ({marks}) AND (erased_signatures > 0 OR erased_organisations > 0)",
            tuple(letter_ids),
        )
        for row in kept:
            live = found.get(row["id"], Tally())
            found[row["id"]] = Tally(
                live.signatures + row["erased_signatures"],
                live.organisations + row["erased_organisations"],
                live.listed,
            )
        return {letter_id: found.get(letter_id, Tally()) for letter_id in letter_ids}

    async def public_page(self, letter_id: int, limit: int, offset: int) -> list[Signature]:
        """Signatures shown publicly, in the order people signed. The page is read from the
        index alone, then its organisations' names by id: a join before the OFFSET looked up
        the organisation of every row skipped (twice the time at page 1701 of 40,000)."""
        conn = self.db.conn
        rows = await conn.execute_fetchall(
            "SELECT * FROM signatures WHERE letter_id = ? AND public = 1 "
            "ORDER BY signed_at, id LIMIT ? OFFSET ?",
            (letter_id, limit, offset),
        )
        ids = sorted({row["organisation_id"] for row in rows} - {None})
        names: dict[int, tuple[str | None, str | None]] = {}
        if ids:
            for found in await conn.execute_fetchall(
                "SELECT id, name, welsh_name FROM organisations "  # noqa: S608
                f"WHERE id IN ({', '.join('?' for _ in ids)})",
                tuple(ids),
            ):
                names[found["id"]] = (found["name"], found["welsh_name"])

        def named(row: Any) -> Signature:
            name, welsh = names.get(row["organisation_id"], (None, None))
            return _signature({**dict(row), "org_name": name, "org_welsh": welsh})

        return [named(row) for row in rows]

    async def public(self, letter_id: int) -> list[Signature]:
        """Every public signature, in the order people signed. A letter's whole list (100,000
        names at most sizes) becomes objects in a worker thread, not on the event loop."""
        rows = await self.db.conn.execute_fetchall(
            SIGNATURE_ROWS + "WHERE s.letter_id = ? AND s.public = 1 ORDER BY s.signed_at, s.id",
            (letter_id,),
        )
        found = list(rows)
        if len(found) < OFF_LOOP_ROWS:
            return [_signature(row) for row in found]
        return await asyncio.to_thread(lambda: [_signature(row) for row in found])

    async def signer_ids(self, letter_id: int) -> list[int]:
        rows = await self.db.conn.execute_fetchall(
            "SELECT user_id FROM signatures WHERE letter_id = ? ORDER BY signed_at, id",
            (letter_id,),
        )
        return [row["user_id"] for row in rows]

    async def organisations(self, guild_id: int, text: str, limit: int) -> list[str]:
        """Organisation spellings signatories in this server used that contain `text` (any
        case), the most used first."""
        rows = await self.db.conn.execute_fetchall(
            "SELECT s.organisation AS organisation, count(*) AS n FROM signatures s "
            "JOIN letters l ON l.id = s.letter_id "
            "WHERE l.guild_id = ? AND s.organisation_key LIKE ? ESCAPE '\\' "
            "GROUP BY s.organisation ORDER BY n DESC, min(s.signed_at), min(s.id) LIMIT ?",
            (guild_id, _like(text.casefold()), limit),
        )
        return [row["organisation"] for row in rows]
