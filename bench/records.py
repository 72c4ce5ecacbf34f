"""Organisation records for benchmark data, as the bot makes them: one record per
`match_key`, named by the first spelling seen, and answering to that key. Signatures and
network members that name an organisation must point at its record (migration 0023)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.organisations import match_key

INSERT_ORGANISATION = (
    "INSERT INTO organisations (id, guild_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
)
INSERT_NAME = (
    "INSERT INTO organisation_names (guild_id, key, organisation_id, kind, spelling) "
    "VALUES (?, ?, ?, 'name', ?)"
)


class Records:
    """The records for `spellings` in server `guild_id`: `organisations` and `names` are the
    rows for INSERT_ORGANISATION and INSERT_NAME, and `id_of` each spelling's record."""

    def __init__(self, guild_id: int, spellings: Iterable[str | None], now: int) -> None:
        self.organisations: list[tuple[int, int, str, int, int]] = []
        self.names: list[tuple[int, str, int, str]] = []
        self.id_of: dict[str | None, int | None] = {None: None}
        by_key: dict[str, int] = {}
        for spelling in spellings:
            if spelling is None or spelling in self.id_of:
                continue
            key = match_key(spelling)
            if key not in by_key:
                by_key[key] = len(by_key) + 1
                self.organisations.append((by_key[key], guild_id, spelling, now, now))
                self.names.append((guild_id, key, by_key[key], spelling))
            self.id_of[spelling] = by_key[key]
