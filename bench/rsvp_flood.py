"""RSVP flood (issue 4, Show b): reactions per second from raw payload to committed row.

    .venv/bin/python -m bench.rsvp_flood [--runs N] [--reactions N] [--members N]

In this process, no Discord: a throwaway, migrated SQLite file (WAL, synchronous=NORMAL, the
bot's own `Database`) holding one event, created through `EventService` (the announcer,
mirror and jobs are the tests' in-memory fakes). A seeded generator plays 20,000 raw reaction
events from 2,000 members as Discord would send them: first answers, switches (a second
emoji added while the first is still held), withdrawals (the answer's reaction taken off),
members taking off a stale reaction themselves, and the bot's own clean-up of switched
members' old reactions, which arrives as removals too. Each payload is a real
`discord.RawReactionActionEvent`.

Per run, on the same file and the same event (its answers deleted between measurements):

* handler: payloads turned into `Reaction`s as bot/runtime/rsvp_workers.py does and handed
  to `RsvpService.apply` in batches of its `BATCH_MAX` (the worker's queue hands over up to
  that many at once; in a flood every batch is full); the clock stops when the last batch's
  transaction has committed;
* ceiling (i): one statement and one commit per reaction through aiosqlite (its own
  connection, the same pragmas): an upsert of the answer for an add, a
  `DELETE ... AND status = ?` for a removal (so only the answer's own reaction withdraws);
* ceiling (ii): the same through plain sqlite3.

Reported: reactions/second per run and the median over runs; the handler's median over the
aiosqlite single-row median (target: 2x or better). At the end the stored answers of every
measurement are compared with each member's last action as a simple model computes it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import discord

from bench.model import last_answers
from bot.db import BUSY_TIMEOUT_MS, Database
from bot.domain.guilds import Actor
from bot.domain.rsvps import RSVP_EMOJI, WANTED_BY_EMOJI
from bot.runtime.rsvp_workers import BATCH_MAX
from bot.services.events import EventInput, EventService
from bot.services.guilds import GuildService
from bot.services.ports import Reaction
from bot.services.reminders import ReminderService
from bot.services.rsvps import RsvpService
from bot.services.series import SeriesService
from tests.support.fakes import (
    FakeAnnouncer,
    FakeClock,
    FakeJobs,
    FakeMirror,
    FakeNotifier,
    FakePostTouch,
)

TARGET_RATIO = 2.0
GUILD_ID = 1_180_000_000_000_000_001
CHANNEL_ID = 1_180_000_000_000_000_101
FIRST_MEMBER_ID = 1_180_000_000_000_100_000
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
SEED = 4  # the number

UPSERT = (
    "INSERT INTO rsvps (event_id, user_id, status, responded_at, seq) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (event_id, user_id) DO UPDATE SET status = excluded.status, "
    "responded_at = excluded.responded_at, seq = excluded.seq"
)
WITHDRAW = "DELETE FROM rsvps WHERE event_id = ? AND user_id = ? AND status = ?"
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)
STATUS = {emoji: status.value for emoji, status in WANTED_BY_EMOJI.items()}

# --- the payloads --------------------------------------------------------------------------


@dataclass(frozen=True)
class Played:
    added: bool
    user_id: int
    emoji: str


def play(rng: random.Random, reactions: int, members: int) -> tuple[list[Played], Counter[str]]:
    """What Discord sends: members' own adds and removals (valid for what each one holds) and
    the bot's clean-up removals of switched members' old reactions, a little later."""
    held: dict[int, set[str]] = {}
    seen: set[int] = set()
    answer: dict[int, str] = {}
    cleanup: list[tuple[int, str]] = []  # (member, old emoji) the bot will take off
    played: list[Played] = []
    kinds: Counter[str] = Counter()
    ids = [FIRST_MEMBER_ID + n for n in range(members)]
    while len(played) < reactions:
        if cleanup and rng.random() < 0.2:
            user, emoji = cleanup.pop(0)
            if emoji in held[user] and answer.get(user) != emoji:
                held[user].discard(emoji)
                played.append(Played(False, user, emoji))
                kinds["bot clean-up removal"] += 1
            continue
        user = rng.choice(ids)
        mine = held.setdefault(user, set())
        current = answer.get(user)
        roll = rng.random()
        free = [e for e in RSVP_EMOJI if e not in mine]
        if not mine:
            emoji = rng.choices(RSVP_EMOJI, weights=(5, 3, 2))[0]
            kinds["answer again (after withdrawing)" if user in seen else "first answer"] += 1
            seen.add(user)
            mine.add(emoji)
            answer[user] = emoji
            played.append(Played(True, user, emoji))
        elif roll < 0.55 and free:
            emoji = rng.choice(free)
            mine.add(emoji)
            if current is not None:
                cleanup.append((user, current))
            answer[user] = emoji
            played.append(Played(True, user, emoji))
            kinds["switch (add while holding another)"] += 1
        elif roll < 0.85 and current in mine:
            assert current is not None
            mine.discard(current)
            del answer[user]
            played.append(Played(False, user, current))
            kinds["withdraw (remove the answer)"] += 1
        else:
            stale = sorted(mine - {current})
            if not stale:
                continue
            emoji = rng.choice(stale)
            mine.discard(emoji)
            played.append(Played(False, user, emoji))
            kinds["remove a stale reaction by hand"] += 1
    return played[:reactions], kinds


def model(played: Sequence[Played]) -> dict[int, str]:
    """Each member's status after their last action (see `last_answers`)."""
    return {user: STATUS[emoji] for user, emoji in last_answers(played).items()}


def raw_payloads(played: Sequence[Played], message_id: int) -> list[discord.RawReactionActionEvent]:
    out = []
    for p in played:
        data = {
            "user_id": str(p.user_id),
            "channel_id": str(CHANNEL_ID),
            "message_id": str(message_id),
            "guild_id": str(GUILD_ID),
            "burst": False,
            "type": 0,
        }
        event_type = "REACTION_ADD" if p.added else "REACTION_REMOVE"
        emoji = discord.PartialEmoji(name=p.emoji)
        out.append(discord.RawReactionActionEvent(data, emoji, event_type))  # type: ignore[arg-type]
    return out


# --- the measurements ----------------------------------------------------------------------


async def through_handler(
    rsvps: RsvpService, payloads: Sequence[discord.RawReactionActionEvent]
) -> tuple[float, int]:
    """Payloads to committed rows as the reaction worker does it: Reactions, batches of
    BATCH_MAX."""
    started = time.perf_counter()
    batches = 0
    for start in range(0, len(payloads), BATCH_MAX):
        batch = [
            Reaction(p.event_type == "REACTION_ADD", p.message_id, p.user_id, str(p.emoji))
            for p in payloads[start : start + BATCH_MAX]
            if p.guild_id is not None
        ]
        await rsvps.apply(batch)
        batches += 1
    return time.perf_counter() - started, batches


def statements(played: Sequence[Played], event_id: int) -> list[tuple[str, tuple[object, ...]]]:
    stamp = int(NOW.timestamp())
    out: list[tuple[str, tuple[object, ...]]] = []
    for seq, p in enumerate(played, start=1):
        if p.added:
            out.append((UPSERT, (event_id, p.user_id, STATUS[p.emoji], stamp, seq)))
        else:
            out.append((WITHDRAW, (event_id, p.user_id, STATUS[p.emoji])))
    return out


async def aiosqlite_single_rows(
    path: Path, work: Sequence[tuple[str, tuple[object, ...]]]
) -> float:
    async with aiosqlite.connect(path) as conn:
        for pragma in PRAGMAS:
            await conn.execute(pragma)
        started = time.perf_counter()
        for sql, params in work:
            await conn.execute(sql, params)
            await conn.commit()
        return time.perf_counter() - started


def sqlite3_single_rows(path: Path, work: Sequence[tuple[str, tuple[object, ...]]]) -> float:
    conn = sqlite3.connect(path)
    try:
        for pragma in PRAGMAS:
            conn.execute(pragma)
        started = time.perf_counter()
        for sql, params in work:
            conn.execute(sql, params)
            conn.commit()
        return time.perf_counter() - started
    finally:
        conn.close()


def stored(path: Path, event_id: int) -> dict[int, str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT user_id, status FROM rsvps WHERE event_id = ?", (event_id,)
        ).fetchall()
    finally:
        conn.close()
    return dict(rows)


def clear(path: Path, event_id: int) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("DELETE FROM rsvps WHERE event_id = ?", (event_id,))
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


@dataclass
class Run:
    handler: float
    aiosqlite: float
    sqlite3: float
    batches: int


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


async def bench(args: argparse.Namespace) -> int:
    rng = random.Random(SEED)
    played, kinds = play(rng, args.reactions, args.members)
    expected = model(played)
    with tempfile.TemporaryDirectory(prefix="rsvp-flood-") as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = await Database.open(path)
        try:
            await db.migrate()
            clock = FakeClock(NOW)
            announcer = FakeAnnouncer()
            reminders = ReminderService(db, clock, FakeJobs(), FakeNotifier(), announcer)
            guilds = GuildService(db, clock, reminders)
            admin = Actor.of(1, [], manage_guild=True, manage_events=True)
            await guilds.set_channel(GUILD_ID, admin, CHANNEL_ID)
            rsvps = RsvpService(db, clock, guilds, FakePostTouch())
            series = SeriesService(db, clock, guilds)
            events = EventService(
                db, clock, guilds, series, announcer, rsvps, reminders, FakeMirror()
            )
            created = await events.create(
                GUILD_ID,
                admin,
                EventInput(when="2026-12-03 18:30", title="S. Wales Network Meeting 4"),
                None,
            )
            event = created.event
            assert event.message_id is not None
            payloads = raw_payloads(played, event.message_id)
            work = statements(played, event.id)
            print_header(args, path, played, kinds, expected)
            runs: list[Run] = []
            mismatches: dict[str, int] = {}
            for number in range(1, args.runs + 1):
                clear(path, event.id)
                handler_s, batches = await through_handler(rsvps, payloads)
                check(mismatches, "handler", expected, stored(path, event.id))
                clear(path, event.id)
                aio_s = await aiosqlite_single_rows(path, work)
                check(mismatches, "aiosqlite single-row", expected, stored(path, event.id))
                clear(path, event.id)
                sync_s = sqlite3_single_rows(path, work)
                check(mismatches, "sqlite3 single-row", expected, stored(path, event.id))
                runs.append(Run(handler_s, aio_s, sync_s, batches))
                n = len(payloads)
                print(
                    f"run {number}: handler {rate(n, handler_s):9,.0f}/s "
                    f"({batches} batches, {1000 * handler_s / batches:5.1f} ms each) | "
                    f"aiosqlite 1-row {rate(n, aio_s):7,.0f}/s | "
                    f"sqlite3 1-row {rate(n, sync_s):7,.0f}/s"
                )
        finally:
            await db.close()
    return report(args, runs, len(payloads), expected, mismatches)


def check(
    mismatches: dict[str, int], name: str, expected: dict[int, str], got: dict[int, str]
) -> None:
    wrong = sum(1 for user in expected.keys() | got.keys() if expected.get(user) != got.get(user))
    mismatches[name] = max(mismatches.get(name, 0), wrong)


def print_header(
    args: argparse.Namespace,
    path: Path,
    played: Sequence[Played],
    kinds: Counter[str],
    expected: dict[int, str],
) -> None:
    print(f"RSVP flood: {len(played):,} reaction payloads from {args.members:,} members, one event")
    print(
        f"machine: {platform.python_implementation()} {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, aiosqlite {aiosqlite.__version__}, "
        f"{os.cpu_count()} CPUs, {platform.platform()}"
    )
    print(
        f"database: {path} (WAL, synchronous=NORMAL), batch size {BATCH_MAX} "
        "(bot/runtime/rsvp_workers.py)"
    )
    for kind, n in kinds.most_common():
        print(f"  {n:6,} {kind}")
    tally = Counter(expected.values())
    print(
        f"  model's final answers: {len(expected):,} members "
        f"({', '.join(f'{tally[s]:,} {s}' for s in ('going', 'maybe', 'cant'))})"
    )


def report(
    args: argparse.Namespace,
    runs: list[Run],
    n: int,
    expected: dict[int, str],
    mismatches: dict[str, int],
) -> int:
    def median(get: Callable[[Run], float]) -> float:
        return statistics.median(rate(n, get(r)) for r in runs)

    handler = median(lambda r: r.handler)
    aio = median(lambda r: r.aiosqlite)
    sync = median(lambda r: r.sqlite3)
    ratio = handler / aio
    per_run = statistics.median(r.aiosqlite / r.handler for r in runs)  # same-run ratios
    print(f"\nmedians over {len(runs)} runs ({n:,} payloads each):")
    print(f"  handler (RsvpService.apply, batches of {BATCH_MAX}): {handler:10,.0f} reactions/s")
    print(
        f"  ceiling (i)  aiosqlite, one upsert + commit per reaction: {aio:8,.0f} reactions/s "
        f"({1e6 / aio:.0f} µs each)"
    )
    print(
        f"  ceiling (ii) sqlite3,   one upsert + commit per reaction: {sync:8,.0f} reactions/s "
        f"({1e6 / sync:.0f} µs each)"
    )
    print(
        f"  handler / aiosqlite single-row: {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x: "
        f"{'met' if ratio >= TARGET_RATIO else 'NOT met'}); median of the runs' own ratios "
        f"{per_run:.1f}x; handler / sqlite3 single-row: {handler / sync:.1f}x"
    )
    correct = all(v == 0 for v in mismatches.values())
    for name, wrong in mismatches.items():
        verdict = "match" if wrong == 0 else f"{wrong} MISMATCHES"
        print(f"  correctness, {name}: {len(expected):,} stored answers vs the model: {verdict}")
    print(
        f"SUMMARY rsvp_flood: handler {handler:,.0f}/s = {ratio:.1f}x aiosqlite single-row "
        f"({aio:,.0f}/s; sqlite3 {sync:,.0f}/s), target >= {TARGET_RATIO:.0f}x "
        f"{'met' if ratio >= TARGET_RATIO else 'NOT met'}, answers "
        f"{'correct' if correct else 'WRONG'} ({len(runs)} runs)"
    )
    if not correct:
        print("stored answers differ from the model", file=sys.stderr)
    return 0


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="measurements of each kind")
    parser.add_argument("--reactions", type=int, default=20_000, help="payloads per run")
    parser.add_argument("--members", type=int, default=2_000, help="members reacting")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    return await bench(args)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
