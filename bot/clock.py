"""The one place that reads the real time; everything else is handed `now` or a Clock."""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, as an aware UTC datetime truncated to whole seconds (what the database stores)."""
    return datetime.now(UTC).replace(microsecond=0)
