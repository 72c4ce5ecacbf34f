"""Reminders (issue 5c): one automatic reminder to 500 going members through the local Discord,
under a global limit of 50 requests per second.

    .venv/bin/python -m bench.reminders_fanout [--runs N] [--members N] [--global-limit N]
        [--latency-ms MS]

Each run starts the local Discord stand-in (tests/fakediscord) on the real clock, with one
server, its #announcements channel and 500 members (DMs open), and runs the project's own
`bot.client.Bot` in this process against it (as tests/e2e/conftest.py does: a temp
DATABASE_PATH, GUILD_ID set, `running_bot`). Once the bot is ready, one event (starting an
hour after the reminder, posted in #announcements) and its 500 going RSVPs are written straight
into the bot's database, and one automatic reminder is planned with the bot's own store and
`ReminderService.schedule` (a real SchedulerJobs job) a few seconds ahead. The scheduler fires
it; the bot claims it, DMs every going member, posts in the channel and marks the row sent.

The global limit: the stand-in has per-route buckets only (`server.rate_limit(route, ...)`;
its docstring: "no global 50 req/s limit"). This file adds one without touching the stand-in:
`GlobalRateLimiter`, a subclass of its `RateLimiter` that also counts every request (bar the
interaction callback and webhook routes, which Discord exempts) in fixed one-second windows and
answers the 51st with Discord's global 429 (`"global": true`, `X-RateLimit-Global`, scope
"global", retry_after = the rest of the window). It replaces `server.limiter` before the start.

Figures per run: the requests the delivery made (by route), the 429s, the time from the due
time to the last DM and to the channel post, zero lost (every member has exactly one DM) and
zero duplicated (no member has two, and no DM was sent twice even if the nonce hid it). The
nominal floor is about 1,000 requests (open the DM channel, send) / 50 per second = 20 s;
target: within 1.3× of it (26 s). The floor for the requests actually made is shown too.

`--latency-ms MS` (default 0: the local Discord answers in well under a millisecond) makes
the stand-in wait MS before handling each REST request, as the round trip to the real Discord
would (tens to a hundred and more milliseconds): it wraps the stand-in's request middleware
for the run, so the limits are applied when a request "arrives" and discord.py's own buckets
stay locked for the round trip, as they are against Discord.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import math
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bench.machine import machine
from bot.client import Bot
from bot.config import Settings
from bot.stores.reminders import ReminderStore
from tests.fakediscord import FakeDiscord, rest, running_bot
from tests.fakediscord.limits import RateLimiter, Rules, Window

NOMINAL_REQUESTS_PER_MEMBER = 2  # open the DM channel, send
TARGET_FACTOR = 1.3
EXEMPT = (
    "POST /interactions/",
    "GET /webhooks/",
    "POST /webhooks/",
    "PATCH /webhooks/",
    "DELETE /webhooks/",
)


class GlobalRateLimiter(RateLimiter):
    """The stand-in's limiter plus Discord's global limit: `per_second` requests in each fixed
    one-second window across every route (interaction callbacks and webhooks exempt)."""

    def __init__(self, rules: Rules, per_second: int) -> None:
        super().__init__(rules)
        self.per_second = per_second
        self.window = Window(started=-1e9)
        self.global_429: Counter[str] = Counter()

    def check(self, route: str, major: str) -> dict[str, str]:
        if not route.startswith(EXEMPT):
            now = time.monotonic()
            if now - self.window.started >= 1.0:
                self.window = Window(started=now)
            if self.window.count >= self.per_second:
                self.requests[route] += 1
                self.rate_limited[route] += 1
                self.global_429[route] += 1
                retry_after = 1.0 - (now - self.window.started)
                raise self.too_many(route, retry_after, "global", is_global=True)
            self.window.count += 1
        return super().check(route, major)


@dataclass
class RunResult:
    planned_ahead: float = 0.0
    due_to_claim: float = 0.0
    due_to_last_dm: float = 0.0
    due_to_post: float = 0.0
    due_to_sent: float = 0.0
    requests: Counter[str] = field(default_factory=Counter)
    status_429: int = 0
    global_429: int = 0
    lost: int = 0
    duplicated: int = 0
    repeated_sends: int = 0
    deliveries: dict[str, int] = field(default_factory=dict)
    status: str = ""
    posts: int = 0

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())


def unix(at: datetime) -> int:
    return int(at.timestamp())


@contextlib.contextmanager
def round_trip(latency: float) -> Iterator[None]:
    """Every REST request to the stand-ins started inside waits `latency` s before handling."""
    real = rest.discord_middleware

    @web.middleware
    async def delayed(request: web.Request, handler: Any) -> web.StreamResponse:
        if latency and request.path.startswith(rest.API + "/"):
            await asyncio.sleep(latency)
        return await real(request, handler)

    rest.discord_middleware = delayed  # read by rest.build_app when the stand-in starts
    try:
        yield
    finally:
        rest.discord_middleware = real


async def one_run(members: int, per_second: int, lead: float, latency: float) -> RunResult:
    result = RunResult()
    server = FakeDiscord(bot_name="Co-pro Bot")
    server.limiter = GlobalRateLimiter(server.rules, per_second)
    with round_trip(latency):
        await server.start()
    try:
        guild = server.create_guild("Co-pro Network Wales", locale="en-GB")
        announcements = server.add_channel(guild, "announcements")
        server.add_channel(guild, "general")
        organiser = server.add_member(guild, "Gareth Morgan")
        going = [server.add_member(guild, f"Aelod {i + 1:03d}") for i in range(members)]
        with tempfile.TemporaryDirectory(prefix="bench-reminders-fanout-") as tmp:
            env = {
                "DISCORD_TOKEN": server.token,
                "DATABASE_PATH": str(Path(tmp) / "bot.sqlite3"),
                "LOG_LEVEL": "WARNING",
                "GUILD_ID": str(guild.id),
            }
            bot = Bot(Settings.load(env, env_file=None))
            async with running_bot(server, bot):
                await deliver_once(
                    bot, server, result, (guild.id, announcements.id, organiser.id), going, lead
                )
        for member in going:
            count = len(server.dms(member.user))
            result.lost += count == 0
            result.duplicated += count > 1
        return result
    finally:
        await server.stop()


async def deliver_once(
    bot: Bot,
    server: FakeDiscord,
    result: RunResult,
    ids: tuple[int, int, int],
    going: list[Any],
    lead: float,
) -> None:
    guild_id, channel_id, organiser_id = ids
    due_epoch = math.ceil(time.time() + lead)
    due = datetime.fromtimestamp(due_epoch, UTC)
    now = datetime.now(UTC).replace(microsecond=0)
    starts = due + timedelta(hours=1)
    async with bot.db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO events (guild_id, title, starts_at, ends_at, place, channel_id, "
            "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                "S. Wales Network Meeting 4",
                unix(starts),
                unix(starts + timedelta(hours=2)),
                "Swansea",
                channel_id,
                organiser_id,
                unix(now),
                unix(now),
            ),
        )
        event_id = cursor.lastrowid
        assert event_id is not None
        await conn.executemany(
            "INSERT INTO rsvps (event_id, user_id, status, responded_at, seq) "
            "VALUES (?, ?, 'going', ?, ?)",
            [(event_id, m.user.id, unix(now), i + 1) for i, m in enumerate(going)],
        )
        reminder = await ReminderStore(bot.db).insert(event_id, None, timedelta(hours=1), due, now)
        assert reminder is not None
    bot.reminder_service.schedule([reminder])
    mono_due = time.monotonic() + (due_epoch - time.time())
    result.planned_ahead = mono_due - time.monotonic()
    mark = len(server.request_log)

    claimed_at: list[float] = []
    real_claim = bot.reminder_service.store.claim

    async def claim(reminder_id: int, now: datetime) -> bool:
        ok = await real_claim(reminder_id, now)
        if ok:
            claimed_at.append(time.monotonic())
        return ok

    bot.reminder_service.store.claim = claim  # type: ignore[method-assign]

    async def finished() -> str | None:
        async with bot.db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT status FROM reminders WHERE id = ?", (reminder.id,)
            )
        state = str(next(iter(rows))["status"])
        return None if state in ("pending", "claimed") else state

    await server.wait_for(
        lambda: any(
            m.author.id == server.bot_user.id for m in server.channels[channel_id].messages.values()
        ),
        timeout=lead + 600,
        message="the reminder's channel post never came",
        poll=0.2,
    )
    state: str = await server.wait_for(finished, timeout=60, message="never marked", poll=0.05)
    result.due_to_sent = time.monotonic() - mono_due
    result.status = state
    async with bot.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT outcome, count(*) AS n FROM reminder_deliveries WHERE reminder_id = ? "
            "GROUP BY outcome",
            (reminder.id,),
        )
    result.deliveries = {row["outcome"]: row["n"] for row in rows}
    result.due_to_claim = claimed_at[0] - mono_due if claimed_at else float("nan")

    records = server.request_log[mark:]
    dm_channels = {str(cid) for cid in server.dm_channels.values()}
    sends: Counter[str] = Counter()
    last_dm = post = mono_due
    for record in records:
        result.requests[record.route] += 1
        if record.status == 429:
            result.status_429 += 1
            continue
        match = re.match(r".*/channels/(\d+)/messages$", record.path)
        if record.method == "POST" and match and 200 <= record.status < 300:
            if match.group(1) in dm_channels:
                sends[match.group(1)] += 1
                last_dm = max(last_dm, record.at)
            elif match.group(1) == str(channel_id):
                post = max(post, record.at)
                result.posts += 1
    result.repeated_sends = sum(n - 1 for n in sends.values() if n > 1)
    result.due_to_last_dm = last_dm - mono_due
    result.due_to_post = post - mono_due
    limiter = server.limiter
    assert isinstance(limiter, GlobalRateLimiter)
    result.global_429 = sum(limiter.global_429.values())


def spread(values: list[float], fmt: str = "{:.1f}") -> str:
    return (
        f"{fmt.format(statistics.median(values))} "
        f"({fmt.format(min(values))}–{fmt.format(max(values))})"
    )


def summarise(results: list[RunResult], members: int, per_second: int, label: str) -> str:
    floor = members * NOMINAL_REQUESTS_PER_MEMBER / per_second
    totals = [r.due_to_post for r in results]
    total = statistics.median(totals)
    print(f"{label}: median of {len(results)} runs (min–max)")
    print(f"  due → claimed                {spread([r.due_to_claim for r in results], '{:.3f}')} s")
    print(f"  due → last DM                {spread([r.due_to_last_dm for r in results])} s")
    print(f"  due → channel post (total)   {spread(totals)} s")
    print(f"  due → row marked sent        {spread([r.due_to_sent for r in results])} s")
    print(f"  requests                     {spread([r.total_requests for r in results], '{:.0f}')}")
    print(f"  429 answers                  {spread([r.status_429 for r in results], '{:.0f}')}")
    by_route: Counter[str] = Counter()
    for r in results:
        by_route.update(r.requests)
    for route, n in by_route.most_common():
        print(f"      {n / len(results):>7.0f}  {route}")
    made = statistics.median([r.total_requests - r.status_429 for r in results])
    actual_floor = made / per_second
    lost = max(r.lost for r in results)
    dup = max(r.duplicated + r.repeated_sends for r in results)
    print(
        f"  floor: nominal {floor:.1f} s ({members * NOMINAL_REQUESTS_PER_MEMBER:,} requests), "
        f"for the requests actually made {actual_floor:.1f} s; total / nominal floor "
        f"{total / floor:.2f}× (target ≤ {TARGET_FACTOR}×)"
    )
    print(
        f"  lost {lost}, duplicated {dup} (worst run); delivery records left "
        f"{results[-1].deliveries} (none expected: a finished reminder drops them); "
        f"row {results[-1].status}; "
        f"channel posts {results[-1].posts}"
    )
    met = total <= TARGET_FACTOR * floor
    return (
        f"{label}: total {total:.1f} s for {members} members = {total / floor:.2f}× the "
        f"{floor:.0f} s floor (target ≤ {TARGET_FACTOR}×: {'met' if met else 'MISSED'}), "
        f"lost {lost}, duplicated {dup}, 429s "
        f"{statistics.median([r.status_429 for r in results]):.0f}, requests "
        f"{statistics.median([r.total_requests for r in results]):.0f}"
    )


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--global-limit", type=int, default=50, help="requests per second")
    parser.add_argument("--lead", type=float, default=2.0, help="seconds from planning to due")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="round trip added to every REST request"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # discord.py warns at every 429

    print(f"# Reminders fan-out (issue 5c): {machine()}")
    print(
        f"one automatic reminder to {args.members} going members through the local Discord, "
        f"the project's Bot in-process, real clock; global limit {args.global_limit} requests "
        "per one-second window on every route, imposed by GlobalRateLimiter in this file "
        "(the stand-in has no global limit of its own); round trip added to each REST "
        f"request {args.latency_ms:.0f} ms"
    )
    results: list[RunResult] = []
    for run in range(args.runs):
        result = await one_run(args.members, args.global_limit, args.lead, args.latency_ms / 1000)
        results.append(result)
        print(
            f"run {run + 1}/{args.runs}: due → post {result.due_to_post:.1f} s "
            f"(claim {result.due_to_claim:.3f} s, last DM {result.due_to_last_dm:.1f} s, "
            f"sent {result.due_to_sent:.1f} s); {result.total_requests} requests, "
            f"{result.status_429} × 429 ({result.global_429} global); lost {result.lost}, "
            f"duplicated {result.duplicated}, repeated sends {result.repeated_sends}; "
            f"delivery records left {result.deliveries}",
            flush=True,
        )
    print()
    summary = summarise(results, args.members, args.global_limit, "reminder fan-out")
    print()
    print("SUMMARY reminders_fanout: " + summary)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
