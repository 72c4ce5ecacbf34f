"""Reminders (issue 5a): start-up with 10,000 upcoming events and 30,000 pending reminders.

    .venv/bin/python -m bench.reminders_startup [--runs N] [--events N] [--profile]

Builds a throwaway SQLite file (migrated with `Database.migrate()`, then filled with
`executemany`): 10,000 events in ten servers, from 8 days to a year ahead, each with its three
automatic reminders at the default offsets (7d, 1d, 1h) still pending, so 30,000 pending rows,
and the ten servers' weekly digests switched on. The file also holds the fingerprint of the
command tree as of a last sync, as a real database would, so the start does not sync.

Each run is a fresh subprocess (so runs do not share memory or warmed caches) that imports the
bot as `python -m bot` does (`bot.client`), makes the real `Bot(settings)` on that file and
awaits its own `setup_hook()`, the whole of it: open and migrate the database (a no-op here),
start the scheduler, wire the services, sweep unposted events, plan letters' closings, rebuild
the reminders' jobs (read every pending row, catch up on missed ones, none here, one
APScheduler job each), the digests' jobs, retention's erasure at start (nothing is old enough
here) and its daily job, load the cogs, compare the command tree's fingerprint. Then it waits
until the event loop has run every callback queued by then (what the scheduler queued for its
new jobs), i.e. until the loop is free for the gateway.

What is not run: the login (`GET /users/@me`, one request before `setup_hook`) and the
gateway connection; reconciliation of the posts runs in the background after the connection
and, as the issue says, is not counted.

Figures: "start → every job loaded" is `Bot(...)` → loop drained (target 3 s), with the
reminders' `rebuild()` and `rebuild_digests()` timed inside it; "launch → every job loaded"
adds the interpreter's start and the imports (from just before the parent starts the child).
Memory: the child's peak RSS (`resource.getrusage(...).ru_maxrss`, whole process, imports
included), judged against the 200 MB target, its RSS before the start, and, in separate runs
(tracemalloc slows everything), tracemalloc's peak of Python allocations during the start with
the allocation sites still held. Afterwards the child counts the scheduler's jobs: one per
pending reminder in the database, and one digest job per server.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import logging
import os
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

from bench.machine import machine

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
    asyncio.run(record_fingerprint(path))
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


def settings_for(path: Path) -> Any:
    from bot.config import Settings

    # no token: setup_hook never needs it (the login that does is not run here)
    return Settings.load({"DATABASE_PATH": str(path), "LOG_LEVEL": "INFO"}, env_file=None)


async def record_fingerprint(path: Path) -> None:
    """Store the command tree's fingerprint as a last sync would, so the start does not sync
    (syncing is an HTTP call to Discord that the timed start could not make). The tree is
    the real one, from a `setup_hook` run on an empty scratch database, which stops at the
    sync for want of an application id."""
    import discord

    from bot.client import Bot
    from bot.db import Database
    from bot.stores.meta import MetaStore

    bot = Bot(settings_for(path.with_name("scratch.sqlite3")))
    try:
        await bot.setup_hook()
    except discord.MissingApplicationID:
        pass
    fingerprint = bot.command_fingerprint()
    await bot.close()
    db = await Database.open(path)
    try:
        async with db.transaction():
            await MetaStore(db).put("command_sync:global", fingerprint)
    finally:
        await db.close()


async def one_start(path: Path, mode: str, launched: float) -> dict[str, Any]:
    from bot.client import Bot  # what `python -m bot` imports to run
    from bot.services.reminders import ReminderService

    imported = time.time()
    loop = asyncio.get_running_loop()
    result: dict[str, Any] = {
        "imports_s": imported - launched,
        "rss_before_mb": rss_now_mb(),
        "maxrss_before_mb": maxrss_mb(),
    }
    marks: dict[str, float] = {}

    def timed(name: str, method: Any) -> Any:
        async def wrapper(self: Any) -> Any:
            marks[f"{name}_from"] = time.perf_counter()
            try:
                return await method(self)
            finally:
                marks[f"{name}_to"] = time.perf_counter()

        return wrapper

    # instrumentation only: the real methods run, their start and end are noted
    ReminderService.rebuild = timed("rebuild", ReminderService.rebuild)  # type: ignore[method-assign]
    ReminderService.rebuild_digests = timed(  # type: ignore[method-assign]
        "digests", ReminderService.rebuild_digests
    )
    settings = settings_for(path)
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
    bot = Bot(settings)
    await bot.setup_hook()
    t1 = time.perf_counter()
    await drain()
    t2 = time.perf_counter()
    loaded = time.time()

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

    job_ids = bot.jobs.pending()
    async with bot.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT count(*) AS n FROM reminders WHERE status = 'pending'"
        )
    pending = int(next(iter(rows))["n"])
    result.update(
        before_rebuild_s=marks["rebuild_from"] - t0,
        rebuild_s=marks["rebuild_to"] - marks["rebuild_from"],
        digests_s=marks["digests_to"] - marks["digests_from"],
        after_digests_s=t1 - marks["digests_to"],
        hook_s=t1 - t0,
        drain_s=t2 - t1,
        total_s=t2 - t0,
        launch_s=loaded - launched,
        maxrss_mb=maxrss_mb(),
        rss_after_mb=rss_now_mb(),
        jobs=len(job_ids),
        reminder_jobs=sum(1 for j in job_ids if j.startswith("reminder:")),
        digest_jobs=sum(1 for j in job_ids if j.startswith("digest:")),
        pending=pending,
    )
    await bot.close()
    return result


def child(path: Path, mode: str, launched: float) -> int:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bot").setLevel(logging.INFO)  # as the bot runs (LOG_LEVEL=INFO) ...
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # ... and configure_logging
    result = asyncio.run(one_start(path, mode, launched))
    print("RESULT " + json.dumps(result))
    return 0


def run_child(path: Path, mode: str) -> dict[str, Any]:
    launched = time.time()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.reminders_startup",
            "--child",
            str(path),
            "--mode",
            mode,
            "--launched",
            repr(launched),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT ") :]))
    raise RuntimeError(f"child failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


# --- the report ---------------------------------------------------------------------------------


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    med = statistics.median(values)
    return f"{fmt.format(med)} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed starts (each a fresh process)")
    parser.add_argument("--trace-runs", type=int, default=1, help="starts under tracemalloc")
    parser.add_argument("--events", type=int, default=EVENTS, help="upcoming events (3 each)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of a start")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="time", help=argparse.SUPPRESS)
    parser.add_argument("--launched", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.mode, args.launched)

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
                f"run {run + 1}/{args.runs}: start → loaded {result['total_s']:.2f} s "
                f"(before rebuild {result['before_rebuild_s']:.3f}, rebuild "
                f"{result['rebuild_s']:.2f}, digests {result['digests_s']:.3f}, rest of "
                f"setup_hook {result['after_digests_s']:.3f}, drain {result['drain_s']:.3f}); "
                f"launch → loaded {result['launch_s']:.2f} s; peak RSS "
                f"{result['maxrss_mb']:.0f} MB (before {result['rss_before_mb']:.0f} MB, after "
                f"{result['rss_after_mb']:.0f} MB); jobs {result['jobs']:,} "
                f"({result['reminder_jobs']:,} reminders + {result['digest_jobs']} digests + "
                f"{result['jobs'] - result['reminder_jobs'] - result['digest_jobs']} other), "
                f"pending in the database {result['pending']:,}",
                flush=True,
            )
        traced = []
        for run in range(args.trace_runs):
            result = run_child(path, "trace")
            traced.append(result)
            print(
                f"tracemalloc run {run + 1}/{args.trace_runs}: peak {result['trace_peak_mb']:.1f} "
                f"MB, held after {result['trace_held_mb']:.1f} MB (start → loaded "
                f"{result['total_s']:.2f} s under tracemalloc)",
                flush=True,
            )
        if traced:
            print("largest allocation sites still held after the start (last tracemalloc run):")
            for line in traced[-1]["trace_top"]:
                print("   " + line)
        if args.profile:
            print(run_child(path, "profile")["profile"])

    totals = [r["total_s"] for r in timed]
    launches = [r["launch_s"] for r in timed]
    peaks = [r["maxrss_mb"] for r in timed]
    ok_jobs = all(
        r["reminder_jobs"] == r["pending"] == pending and r["digest_jobs"] == GUILDS for r in timed
    )
    time_met = statistics.median(totals) <= TARGET_SECONDS
    launch_met = statistics.median(launches) <= TARGET_SECONDS
    mem_met = statistics.median(peaks) <= TARGET_MB
    print()
    print(f"median of {len(timed)} runs (min–max):")
    for key, label in (
        ("imports_s", "launch → imports done"),
        ("before_rebuild_s", "Bot() → rebuild() begins"),
        ("rebuild_s", "rebuild()"),
        ("digests_s", "rebuild_digests()"),
        ("after_digests_s", "retention + cogs + sync check"),
        ("drain_s", "loop drain (queued callbacks)"),
        ("total_s", "start → every job loaded"),
        ("launch_s", "launch → every job loaded"),
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
        f"{timed[-1]['digest_jobs']} digest jobs; "
        f"{timed[-1]['jobs'] - timed[-1]['reminder_jobs'] - timed[-1]['digest_jobs']} other, "
        "e.g. retention's daily erasure)"
    )
    print(
        f"SUMMARY reminders_startup: start→loaded {statistics.median(totals):.2f} s "
        f"(target {TARGET_SECONDS:.0f} s: {'met' if time_met else 'MISSED'}; launch→loaded "
        f"{statistics.median(launches):.2f} s: {'met' if launch_met else 'MISSED'}), peak RSS "
        f"{statistics.median(peaks):.0f} MB (target {TARGET_MB:.0f} MB: "
        f"{'met' if mem_met else 'MISSED'}), jobs {timed[-1]['reminder_jobs']:,}/{pending:,} "
        f"({'equal' if ok_jobs else 'NOT EQUAL'}), median of {len(timed)} runs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
