"""Run the test suite under shifted clocks, to show that no test depends on today's date.

    python -m tests.shifted                    # every moment below, one run each
    python -m tests.shifted clocks-back -x     # one of them, with pytest's own options

Each run is pytest under libfaketime (`faketime`, Debian package `faketime`), which shifts
the wall clock of the test process and of every process it starts (the bot run as its own
process too), so neither the code under test nor the local Discord can read the real date:

* `year-ahead`     the machine's clock a year and a month ahead (+400 days);
* `clocks-back`    90 s before the clocks next go back in Europe/London, so the run passes
                   into the hour that happens twice (01:00-02:00);
* `clocks-forward` 90 s before the clocks next go forward, so the run passes over the hour
                   that never happens;
* `new-year`       31 December, 23:58:30 in Cardiff, so the run passes into the new year.

Exits with the first failing run's code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from tests.support.dates import LONDON, clock_change, on_day

LEAD = timedelta(seconds=90)


def _new_year(now: datetime) -> datetime:
    year = now.astimezone(LONDON).year
    moment = on_day(datetime(year, 12, 31).date(), "23:58", LONDON) + timedelta(seconds=30)
    if moment <= now:
        moment = on_day(datetime(year + 1, 12, 31).date(), "23:58", LONDON) + timedelta(seconds=30)
    return moment


MOMENTS: dict[str, Callable[[datetime], datetime]] = {
    "year-ahead": lambda now: now + timedelta(days=400),
    "clocks-back": lambda now: clock_change(now, forward=False) - LEAD,
    "clocks-forward": lambda now: clock_change(now, forward=True) - LEAD,
    "new-year": _new_year,
}


def run(name: str, pytest_args: Sequence[str]) -> int:
    now = datetime.now(UTC)
    target = MOMENTS[name](now)
    offset = int((target - now).total_seconds())
    print(f"== {name}: the clock at {target.astimezone(LONDON):%Y-%m-%d %H:%M:%S %Z}", flush=True)
    # The monotonic clock moves by the same constant offset, which nothing minds. Leaving it
    # real (FAKETIME_DONT_FAKE_MONOTONIC=1) makes libfaketime slow every timed wait between
    # threads, so each aiosqlite call: 500 queue round trips took 0.08-0.4 s instead of 0.02 s.
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME")}
    command = ["faketime", "-f", f"{offset:+d}s", sys.executable, "-m", "pytest", *pytest_args]
    return subprocess.run(command, env=env, check=False).returncode


def main(argv: Sequence[str]) -> int:
    if shutil.which("faketime") is None:
        print("faketime is not installed: apt-get install faketime", file=sys.stderr)
        return 2
    names = [a for a in argv if a in MOMENTS] or list(MOMENTS)
    pytest_args = [a for a in argv if a not in MOMENTS]
    for name in names:
        code = run(name, pytest_args)
        if code != 0:
            print(f"== {name}: pytest exited {code}", file=sys.stderr)
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
