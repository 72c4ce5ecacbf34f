"""How long members' names and ids are kept on what is over: pure rules."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.domain.errors import UserError

RETENTION_DEFAULT = 24  # months
RETENTION_MAX = 120  # ten years: beyond that nothing is "kept for a reason"


def check_retention(months: int) -> int:
    """A retention setting: a whole number of months from 1 to RETENTION_MAX."""
    if not 1 <= months <= RETENTION_MAX:
        raise UserError("retention_out_of_range", months=months, limit=RETENTION_MAX)
    return months


def months_before(local: datetime, months: int) -> datetime:
    """The same wall time `months` calendar months earlier; a day the earlier month lacks
    (31 March less one month) becomes that month's last day (28 or 29 February)."""
    index = local.year * 12 + (local.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def retention_cutoff(now: datetime, months: int, tz: str) -> datetime:
    """The moment (aware, UTC) before which something over is erased: `months` calendar
    months before `now` on the server's own calendar and clock. A wall time the clocks
    skipped that day reads as the time after the jump, a repeated one as its first
    occurrence (zoneinfo's fold=0)."""
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    earlier = months_before(local.replace(tzinfo=None), months)
    return earlier.replace(tzinfo=zone, fold=0).astimezone(UTC)
