"""A clock tests control, shaped like the bot's `Clock` (a callable returning aware UTC now)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    """`clock()` is the current fake instant (aware UTC, whole seconds); move it explicitly."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime(2026, 12, 1, 9, 0, tzinfo=UTC)).astimezone(UTC)

    def __call__(self) -> datetime:
        return self._now.replace(microsecond=0)

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FakeClock.set needs an aware datetime")
        self._now = moment.astimezone(UTC)

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by `delta` or by timedelta keyword parts (hours=2, minutes=5)."""
        self._now += delta if delta is not None else timedelta(**parts)
        return self()

    def __repr__(self) -> str:
        return f"FakeClock({self._now.isoformat()})"
