"""Reminders (issue 5a): start-up with 10,000 upcoming events and 30,000 pending reminders.

    .venv/bin/python -m bench.reminders_startup [--runs N] [--events N] [--profile]

Builds a throwaway SQLite file (migrated with `Database.migrate()`, then filled with
`executemany`): 10,000 events in ten servers, from 8 days to a year ahead, each with its three
automatic reminders at the default offsets (7d, 1d, 1h) still pending, so 30,000 pending rows,
and the ten servers' weekly digests switched on.

Each run is a fresh subprocess (so runs do not share memory or warmed caches) that imports the
bot as the real process does (`bot.client`), then times what `setup_hook` does for reminders:

* open: `Database.open` + `migrate()` (a no-op here, already at the latest version);
* rebuild: `ReminderService(...).rebuild()` with a real `SchedulerJobs` started on the loop:
  read every pending row, catch up on missed ones (none here), add one APScheduler job each;
* digests: `rebuild_digests()`;
* drain: until the event loop has run the wakeups that APScheduler queued (one
  `call_soon_threadsafe` per `add_job` on a running scheduler), i.e. until the loop is free
  for the gateway again.

"Start to every job loaded" is the sum (open → drained); target 3 s. Memory: the child's peak
RSS (`resource.getrusage(...).ru_maxrss`, whole process, including the imports), its RSS
before the start, and, in separate runs (tracemalloc slows everything), tracemalloc's peak of
Python allocations during the start with the top allocation sites; target 200 MB (judged on
the whole process's peak RSS). Afterwards the child counts the scheduler's jobs, which must
equal the pending reminders in the database.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import logging
import os
import platform
import pstats
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TARGET_SECONDS = 3.0
TARGET_MB = 200.0
EVENTS = 10_000
OFFSETS = (timedelta(days=7), timedelta(days=1), timedelta(hours=1))  # the server default
GUILDS = 10
GUILD_BASE = 1_180_000_000_000_000_000
CHANNEL_BASE = 1_180_000_000_000_100_000
ORGANISER = 1_180_000_000_000_200_001


def unix(at: datetime) -> int:
    return int(at.timestamp())


# --- the database ------------------------------------------------------------------------------


async def migrate(path: Path) -> None:
    from bot.db import Database

    db = await Database.open(path)
    try:
        await db.migrate()
    finally:
        await db.close()


def build_database(path: Path, events: int) -> int:
    """Fill a migrated file; returns the number of pending reminders."""
    asyncio.run(migrate(path))
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    first = now + timedelta(days=8)  # every offset (at most 7 days) still ahead
    span = timedelta(days=357) / events
    created = unix(now)
    event_rows, reminder_rows = [], []
    for i in range(events):
        starts = first + span * i
        starts = starts.replace(minute=30 if starts.minute >= 30 else 0, second=0, microsecond=0)
        guild = i % GUILDS
        event_id = i + 1
        event_rows.append(
            (
                event_id,
                GUILD_BASE + guild,
                f"Network Meeting {i + 1}",
                unix(starts),
                unix(starts + timedelta(hours=2)),
                "Swansea",
                CHANNEL_BASE + guild,
                ORGANISER,
                created,
                created,
            )
        )
        for offset in OFFSETS:
            reminder_rows.append(
                (event_id, int(offset.total_seconds()), unix(starts - offset), created)
            )
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.executemany(
                "INSERT INTO guild_settings (guild_id, announcements_channel_id, updated_at) "
                "VALUES (?, ?, ?)",
                [(GUILD_BASE + g, CHANNEL_BASE + g, created) for g in range(GUILDS)],
            )
            conn.executemany(
                "INSERT INTO events (id, guild_id, title, starts_at, ends_at, place, channel_id, "
                "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                event_rows,
            )
            conn.executemany(
                "INSERT INTO reminders (event_id, user_id, offset_s, due_at, created_at) "
                "VALUES (?, NULL, ?, ?, ?)",
                reminder_rows,
            )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (pending,) = conn.execute(
            "SELECT count(*) FROM reminders WHERE status = 'pending'"
        ).fetchone()
    finally:
        conn.close()
    return int(pending)


# --- one start, in a fresh process ------------------------------------------------------------


def rss_now_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class SilentNotifier:
    async def send(self, notice: Any) -> bool:
        return True


class SilentPoster:
    async def post_reminder(self, *args: Any) -> None:
        return None

    async def post_digest(self, *args: Any) -> None:
        return None


async def one_start(path: Path, mode: str) -> dict[str, Any]:
    import bot.client  # noqa: F401 - the real process has discord.py and every service loaded
    from bot.clock import system_clock
    from bot.db import Database
    from bot.scheduling import SchedulerJobs
    from bot.services.reminders import ReminderService

    loop = asyncio.get_running_loop()
    result: dict[str, Any] = {"rss_before_mb": rss_now_mb(), "maxrss_before_mb": maxrss_mb()}
    if mode == "trace":
        tracemalloc.start(1)
    profiler = cProfile.Profile() if mode == "profile" else None
    if profiler:
        profiler.enable()

    async def drain() -> None:
        done = loop.create_future()
        loop.call_soon(done.set_result, None)  # runs after every callback already queued
        await done

    t0 = time.perf_counter()
    db = await Database.open(path)
    await db.migrate()
    jobs = SchedulerJobs()
    if mode != "prestart":
        jobs.start()  # as setup_hook does: started before the services are wired
    service = ReminderService(db, system_clock, jobs, SilentNotifier(), SilentPoster())
    t1 = time.perf_counter()
    tally = await service.rebuild()
    t2 = time.perf_counter()
    await drain()
    t3 = time.perf_counter()
    await service.rebuild_digests()
    if mode == "prestart":
        jobs.start()  # the proposal: queued jobs are added in one go, with one wakeup
    await drain()
    t4 = time.perf_counter()

    if profiler:
        profiler.disable()
    if mode == "trace":
        current, peak = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
        tracemalloc.stop()
        top = snapshot.statistics("lineno")[:8]
        result.update(
            trace_peak_mb=peak / 2**20,
            trace_held_mb=current / 2**20,
            trace_top=[
                f"{stat.size / 2**20:6.1f} MB {stat.count:>8,} blocks  "
                f"{stat.traceback[0].filename.split('site-packages/')[-1].split('/work/main/')[-1]}"
                f":{stat.traceback[0].lineno}"
                for stat in top
            ],
        )
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        result["profile"] = out.getvalue()

    job_ids = jobs.pending()
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT count(*) AS n FROM reminders WHERE status = 'pending'"
        )
    pending = int(next(iter(rows))["n"])
    result.update(
        open_s=t1 - t0,
        rebuild_s=t2 - t1,
        drain_s=t3 - t2,
        digests_s=t4 - t3,
        total_s=t4 - t0,
        maxrss_mb=maxrss_mb(),
        rss_after_mb=rss_now_mb(),
        jobs=len(job_ids),
        reminder_jobs=sum(1 for j in job_ids if j.startswith("reminder:")),
        digest_jobs=sum(1 for j in job_ids if j.startswith("digest:")),
        pending=pending,
        tally=tally,
    )
    jobs.shutdown()
    await db.close()
    return result


def child(path: Path, mode: str) -> int:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bot").setLevel(logging.INFO)  # as the bot runs (LOG_LEVEL=INFO) ...
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # ... and configure_logging
    result = asyncio.run(one_start(path, mode))
    print("RESULT " + json.dumps(result))
    return 0


def run_child(path: Path, mode: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.reminders_startup", "--child", str(path), "--mode", mode],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT ") :]))
    raise RuntimeError(f"child failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


# --- the report ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import apscheduler

    return (
        f"{cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; APScheduler {apscheduler.__version__}; "
        f"{platform.system()}"
    )


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    med = statistics.median(values)
    return f"{fmt.format(med)} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed starts (each a fresh process)")
    parser.add_argument("--trace-runs", type=int, default=1, help="starts under tracemalloc")
    parser.add_argument("--events", type=int, default=EVENTS, help="upcoming events (3 each)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of a start")
    parser.add_argument(
        "--what-if-prestart",
        action="store_true",
        help="also time the proposed order: rebuild() before SchedulerJobs.start()",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="time", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.mode)

    print(f"# Reminders start-up (issue 5a): {machine()}")
    with tempfile.TemporaryDirectory(prefix="bench-reminders-startup-") as tmp:
        path = Path(tmp) / "bench.sqlite3"
        began = time.perf_counter()
        pending = build_database(path, args.events)
        print(
            f"database: {args.events:,} upcoming events in {GUILDS} servers, {pending:,} pending "
            f"reminders ({path.stat().st_size / 1e6:.1f} MB, built in "
            f"{time.perf_counter() - began:.1f} s)"
        )
        timed = []
        for run in range(args.runs):
            result = run_child(path, "time")
            timed.append(result)
            print(
                f"run {run + 1}/{args.runs}: total {result['total_s']:.2f} s (open "
                f"{result['open_s']:.3f}, rebuild {result['rebuild_s']:.2f}, drain "
                f"{result['drain_s']:.2f}, digests {result['digests_s']:.3f}); peak RSS "
                f"{result['maxrss_mb']:.0f} MB (before {result['rss_before_mb']:.0f} MB, after "
                f"{result['rss_after_mb']:.0f} MB); jobs {result['jobs']:,} "
                f"({result['reminder_jobs']:,} reminders + {result['digest_jobs']} digests), "
                f"pending in the database {result['pending']:,}",
                flush=True,
            )
        traced = []
        for run in range(args.trace_runs):
            result = run_child(path, "trace")
            traced.append(result)
            print(
                f"tracemalloc run {run + 1}/{args.trace_runs}: peak {result['trace_peak_mb']:.1f} "
                f"MB, held after {result['trace_held_mb']:.1f} MB (total "
                f"{result['total_s']:.2f} s under tracemalloc)",
                flush=True,
            )
        if traced:
            print("largest allocation sites still held after the start (last tracemalloc run):")
            for line in traced[-1]["trace_top"]:
                print("   " + line)
        if args.profile:
            print(run_child(path, "profile")["profile"])
        what_if = []
        if args.what_if_prestart:
            for run in range(args.runs):
                result = run_child(path, "prestart")
                what_if.append(result)
                print(
                    f"what-if run {run + 1}/{args.runs} (rebuild() before jobs.start()): total "
                    f"{result['total_s']:.2f} s, peak RSS {result['maxrss_mb']:.0f} MB, jobs "
                    f"{result['reminder_jobs']:,}",
                    flush=True,
                )

    totals = [r["total_s"] for r in timed]
    peaks = [r["maxrss_mb"] for r in timed]
    ok_jobs = all(r["reminder_jobs"] == r["pending"] == pending for r in timed)
    time_met = statistics.median(totals) <= TARGET_SECONDS
    mem_met = statistics.median(peaks) <= TARGET_MB
    print()
    print(f"median of {len(timed)} runs (min–max):")
    for key, label in (
        ("open_s", "open + migrate"),
        ("rebuild_s", "rebuild()"),
        ("drain_s", "loop drain (queued wakeups)"),
        ("digests_s", "rebuild_digests()"),
        ("total_s", "start → every job loaded"),
    ):
        print(f"  {label:<30} {spread([r[key] for r in timed], '{:.3f}')} s")
    print(f"  {'peak RSS (whole process)':<30} {spread(peaks, '{:.0f}')} MB")
    for key, label in (("rss_before_mb", "RSS before the start"), ("rss_after_mb", "RSS after")):
        print(f"  {label:<30} {spread([r[key] for r in timed], '{:.0f}')} MB")
    if traced:
        print(
            f"  {'tracemalloc peak':<30} {spread([r['trace_peak_mb'] for r in traced], '{:.1f}')}"
            " MB"
        )
    print(
        f"  scheduler jobs afterwards: {timed[-1]['jobs']:,} ({timed[-1]['reminder_jobs']:,} "
        f"reminder jobs = {pending:,} pending: {'yes' if ok_jobs else 'NO'}; "
        f"{timed[-1]['digest_jobs']} digest jobs)"
    )
    if what_if:
        print(
            f"  what-if rebuild() before jobs.start(): start → every job loaded "
            f"{spread([r['total_s'] for r in what_if], '{:.3f}')} s, peak RSS "
            f"{spread([r['maxrss_mb'] for r in what_if], '{:.0f}')} MB"
        )
    print(
        f"SUMMARY reminders_startup: start→loaded {statistics.median(totals):.2f} s "
        f"(target {TARGET_SECONDS:.0f} s: {'met' if time_met else 'MISSED'}), peak RSS "
        f"{statistics.median(peaks):.0f} MB (target {TARGET_MB:.0f} MB: "
        f"{'met' if mem_met else 'MISSED'}), jobs {timed[-1]['reminder_jobs']:,}/{pending:,} "
        f"({'equal' if ok_jobs else 'NOT EQUAL'}), median of {len(timed)} runs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
