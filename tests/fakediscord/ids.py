"""Snowflake ids, tokens and timestamps as Discord shapes them."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1_420_070_400_000


class Snowflakes:
    """Hands out strictly increasing snowflakes whose timestamp part is the given instant."""

    def __init__(self) -> None:
        self._last = 0

    def next(self, at: datetime) -> int:
        millis = int(at.timestamp() * 1000) - DISCORD_EPOCH_MS
        candidate = max(millis, 0) << 22
        if candidate <= self._last:
            candidate = self._last + 1
        self._last = candidate
        return candidate


def snowflake_time(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, UTC)


def iso(moment: datetime | None) -> str | None:
    """Discord's timestamp format: ISO 8601 with microseconds and an explicit +00:00."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def interaction_token() -> str:
    return "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48)


def session_id() -> str:
    return secrets.token_hex(16)
