"""The one place that reads the real time; everything else is handed `now` or a Clock.

Two kinds of time: the wall clock (`Clock`: aware UTC datetimes, what is stored and shown)
and the monotonic clock that paces work (`Monotonic` seconds and a matching `Sleep`; by
default the event loop's), each injectable so tests can drive them.
"""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[object]]


def system_clock() -> datetime:
    """Now, as an aware UTC datetime truncated to whole seconds (what the database stores)."""
    return datetime.now(UTC).replace(microsecond=0)


def loop_time() -> float:
    """The running event loop's monotonic seconds (what `asyncio.sleep` waits on)."""
    return asyncio.get_running_loop().time()
