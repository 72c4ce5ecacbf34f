"""Conversions between SQL values and domain values, shared by the stores."""

from __future__ import annotations

from datetime import UTC, datetime

# The organisations behind rows of signatures or network_members, each record once: a row
# that names an organisation always points at its record (migration 0023 enforces it).
DISTINCT_ORGANISATIONS = "count(DISTINCT organisation_id)"


def to_unix(at: datetime) -> int:
    if at.tzinfo is None:
        raise ValueError("naive datetime given to the database")
    return int(at.timestamp())


def from_unix(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def from_unix_or_none(value: int | None) -> datetime | None:
    return None if value is None else from_unix(value)


def contains_pattern(text: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') matching values that contain `text` literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
