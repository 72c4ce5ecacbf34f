"""Clocks tests control, shaped like the bot's `Clock` (a callable returning aware UTC now).

Both start at the real now, so the dates a test builds from them (now + 5 days at 18:30),
the scheduler's own reading of the real time, and a bot in another process agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def real_now() -> datetime:
    """The real now, aware UTC, whole seconds (what the bot's `system_clock` reads)."""
    return datetime.now(UTC).replace(microsecond=0)


class FakeClock:
    """`clock()` is the current fake instant (aware UTC, whole seconds); it starts at the real
    now (or at `start`) and moves only when told."""

    def __init__(self, start: datetime | None = None) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = (start or real_now()).astimezone(UTC)

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


class LiveClock(FakeClock):
    """The real clock, for tests whose bot runs in its own process and so reads the real
    time: the stand-in must read the same. It cannot be moved."""

    def __init__(self) -> None:
        super().__init__()

    def __call__(self) -> datetime:
        return real_now()

    def set(self, moment: datetime) -> None:
        raise TypeError("a bot in its own process reads the real clock: it cannot be set")

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        raise TypeError("a bot in its own process reads the real clock: it cannot be moved")

    def __repr__(self) -> str:
        return "LiveClock()"
