"""Dates for tests, built from the clock the code under test reads — never calendar literals.

Every test clock starts at the real now (see `tests/fakediscord/clock.py`), so a test that
runs on 31 December, on the night the clocks change, or a year from now builds its dates from
that moment: `at_local(clock(), days=5)` is 18:30 in Cardiff five days on, `typed(...)` is how
a member would type it, `clock_change(clock(), forward=False)` is the next night the clocks go
back. Pure functions given their own `now` may still use fixed dates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = "Europe/London"
LONDON = ZoneInfo(TZ)


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def wall(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def local_date(now: datetime, tz: str | ZoneInfo = LONDON) -> date:
    return now.astimezone(_zone(tz)).date()


def on_day(day: date, at: str = "18:30", tz: str | ZoneInfo = LONDON) -> datetime:
    """`at` (a wall time that exists on `day`) on that local day, as aware UTC."""
    zone = _zone(tz)
    moment = datetime.combine(day, wall(at), tzinfo=zone)
    back = moment.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ValueError(f"{at} does not exist on {day} in {zone.key}")
    return moment.astimezone(UTC)


def at_local(
    now: datetime, *, days: int = 0, at: str = "18:30", tz: str | ZoneInfo = LONDON
) -> datetime:
    """`at` on the local day `days` after now's local day, as aware UTC."""
    return on_day(local_date(now, tz) + timedelta(days=days), at, tz)


def next_weekday(
    now: datetime,
    weekday: int,
    *,
    at: str = "18:30",
    tz: str | ZoneInfo = LONDON,
    after: timedelta = timedelta(days=1),
) -> datetime:
    """The first `weekday` (0 = Monday) at `at` local that is more than `after` past now."""
    day = local_date(now + after, tz)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    moment = on_day(day, at, tz)
    while moment <= now + after:
        day += timedelta(days=7)
        moment = on_day(day, at, tz)
    return moment


def typed(moment: datetime, tz: str | ZoneInfo = LONDON) -> str:
    """How a member types `moment` in the server's zone: "2027-01-07 18:30"."""
    return moment.astimezone(_zone(tz)).strftime("%Y-%m-%d %H:%M")


def day_typed(moment: datetime, tz: str | ZoneInfo = LONDON) -> str:
    """The local date alone: "2027-01-07"."""
    return moment.astimezone(_zone(tz)).strftime("%Y-%m-%d")


def stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def clock_change(
    now: datetime, *, forward: bool, tz: str | ZoneInfo = LONDON, within_days: int = 400
) -> datetime:
    """The next instant after `now` at which the clocks in `tz` go forward (or back), UTC."""
    zone = _zone(tz)

    def offset(moment: datetime) -> timedelta | None:
        return moment.astimezone(zone).utcoffset()

    start = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    for hours in range(within_days * 24):
        before, after = start + timedelta(hours=hours), start + timedelta(hours=hours + 1)
        was, becomes = offset(before), offset(after)
        if was == becomes or was is None or becomes is None:
            continue
        if (becomes > was) != forward:
            continue
        low, high = before, after  # the change lies in (low, high]: find its second
        while high - low > timedelta(seconds=1):
            middle = low + (high - low) / 2
            if offset(middle) == was:
                low = middle
            else:
                high = middle
        change = high.replace(microsecond=0)
        if change > now:
            return change
    raise ValueError(f"no clock change in {zone.key} within {within_days} days of {now}")
