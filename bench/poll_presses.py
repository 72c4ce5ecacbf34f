"""Date polls (issue 18): 500 members pressing a poll's options, 2,000 presses in 2 s.

    .venv/bin/python -m bench.poll_presses [--runs N] [--members 500] [--presses 2000]
        [--spread 2.0] [--options 5] [--lenient-limits] [--profile DIR] [--keep-logs DIR]

Each run starts a fresh local Discord (tests/fakediscord) in THIS process, with the real
clock, and the real bot in ITS OWN process (`BotProcess`, as bench/letters_signing.py does)
on a fresh SQLite file. The admin runs `/setup channel`; the organiser runs `/poll create`
("S. Wales Network Meeting", `--options` times a week apart from a week on). Then
`--presses` presses of the post's option buttons, each by a member and of an option drawn at
random (the same on every run), start spread evenly at random over `--spread` seconds. A
member may press the same option several times: each press toggles, so what must be stored
at the end is, for every member and option, whether they pressed it an odd number of times
(toggles commute, so this holds whatever order the bot took the presses in).

Measured per run, medians printed at the end (targets of the issue beside them):

* stored answers equal to what the presses add up to, read from the bot's SQLite file
  (read-only): answers missing and answers extra (target: 0 and 0);
* every press answered within Discord's 3 s (the stand-in refuses later answers with
  404 / 10062): late answers (target 0), latency p50 / p99 / max from the stand-in
  dispatching the press to the bot's answer reaching it;
* the post: when it first showed the exact counts after the last press (target: within one
  pacing interval, the post updater's 1 s, plus 1 s), how many edits it took;
* 429 answers (target 0), the bot's log errors.

Discord's limits on a channel's messages (5 per 5 s per channel) are set on the stand-in
unless `--lenient-limits`. Reuses bench/letters_signing.py's answer hooks and figures.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import os
import platform
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord

from bench.letters_signing import (
    DEADLINE_S,
    DISCORD_LIMITS,
    GIVE_UP_S,
    PACING_S,
    QUIET_S,
    SETTLE_TARGET_S,
    RunResult,
    Watch,
    answer_latencies,
    bot_log_figures,
    code_version,
    late,
    percentile,
    print_profile,
    report,
    show,
)
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.models import InteractionRecord, Member, Message
from tests.fakediscord.process import BotProcess
from tests.fakediscord.server import COMPONENT

SEED = 18  # the number: the same presses on every run
TITLE = "S. Wales Network Meeting"
OPTION_LINE = re.compile(r"\*\*(\d+)\.\*\* <t:\d+:F> · \**(\d+)")

ROWS: list[tuple[str, str, Any]] = [
    ("presses", "presses", None),
    ("press_spread_s", "seconds from the first press to the last", None),
    ("answers_missing", "stored answers missing (target 0)", lambda v, a: v == 0),
    ("answers_extra", "stored answers extra (target 0)", lambda v, a: v == 0),
    ("presses_late", "presses answered after 3 s (target 0)", lambda v, a: v == 0),
    ("presses_unanswered", "presses never answered (target 0)", lambda v, a: v == 0),
    ("press_p50_ms", "press answer p50 ms", None),
    ("press_p99_ms", "press answer p99 ms", None),
    ("press_max_ms", "press answer max ms (target < 3000)", lambda v, a: v < DEADLINE_S * 1000),
    ("post_exact", "post shows the exact counts (1 = yes)", lambda v, a: v == 1),
    (
        "exact_after_last_press_s",
        f"post exact, s after the last press (target <= {SETTLE_TARGET_S:g})",
        lambda v, a: v <= SETTLE_TARGET_S,
    ),
    ("post_edits", "post edits", None),
    ("answers_429", "429 answers (target 0)", lambda v, a: v == 0),
    ("log_errors", "bot log errors", None),
    ("bot_start_s", "bot start s", None),
    ("load_before", "load average before the run", None),
]


def presses_of(args: argparse.Namespace) -> tuple[list[tuple[int, int]], list[float]]:
    """(member index, option position) per press, and when each starts (s after t0)."""
    rng = random.Random(SEED)
    presses = [
        (rng.randrange(args.members), rng.randint(1, args.options)) for _ in range(args.presses)
    ]
    offsets = sorted(rng.uniform(0.0, args.spread) for _ in presses)
    return presses, offsets


def expected_answers(presses: list[tuple[int, int]]) -> set[tuple[int, int]]:
    state: set[tuple[int, int]] = set()
    for press in presses:
        state ^= {press}
    return state


def shown_counts(post: Message) -> dict[int, int]:
    description = post.embeds[0].get("description") or "" if post.embeds else ""
    return {int(m[1]): int(m[2]) for m in OPTION_LINE.finditer(description)}


def counts_of(answers: set[tuple[int, int]], options: int) -> dict[int, int]:
    found = Counter(position for _, position in answers)
    return {position: found.get(position, 0) for position in range(1, options + 1)}


def read_answers(path: Path, poll_id: int) -> set[tuple[int, int]]:
    """(user id, position) of every stored answer, read-only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT user_id, position FROM poll_answers WHERE poll_id = ?", (poll_id,)
        ).fetchall()
    finally:
        conn.close()
    return {(int(user), int(position)) for user, position in rows}


async def press(
    server: FakeDiscord,
    watch: Watch,
    member: Member,
    post: Message,
    custom_id: str,
    start_at: float,
) -> InteractionRecord | None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, start_at - loop.time()))
    record = server.start_interaction(
        kind=COMPONENT,
        user=member,
        channel=server.channels[post.channel_id],
        data={"custom_id": custom_id, "component_type": 2},
        message=post,
    )
    watch.expect(record)
    try:
        await asyncio.wait_for(watch.answered[record.id], GIVE_UP_S)
    except TimeoutError:
        return None
    return record


async def one_run(args: argparse.Namespace, number: int) -> RunResult:
    result = RunResult()
    figures = result.figures
    figures["load_before"] = os.getloadavg()[0]
    presses, offsets = presses_of(args)
    with tempfile.TemporaryDirectory(prefix="bench-polls-") as tmp:
        database = Path(tmp) / "bot.sqlite3"
        async with FakeDiscord(bot_name="Co-pro Bot") as server:  # the real clock
            guild = server.create_guild("Co-pro Network Wales", locale="en-GB")
            announcements = server.add_channel(guild, "announcements")
            general = server.add_channel(guild, "general")
            admins = server.add_role(
                guild, "Admins", permissions=discord.Permissions(manage_guild=True)
            )
            organisers = server.add_role(
                guild, "Organiser", permissions=discord.Permissions(manage_events=True)
            )
            role = server.add_role(guild, "Members")
            admin = server.add_member(guild, "Carys Price", roles=[admins, role])
            organiser = server.add_member(guild, "Gareth Morgan", roles=[organisers, role])
            members = [
                server.add_member(guild, f"Member {n:03d}", roles=[role])
                for n in range(args.members)
            ]
            if not args.lenient_limits:
                for route, (limit, per) in DISCORD_LIMITS.items():
                    server.rate_limit(route, limit=limit, per=per)
            env = {"DATABASE_PATH": str(database), "LOG_LEVEL": "INFO", "GUILD_ID": str(guild.id)}
            if args.profile is not None:  # the bot's main thread under cProfile
                args.profile.mkdir(parents=True, exist_ok=True)
                env["FAKEDISCORD_MAIN"] = "bench.letters_signing:profiled_bot_main"
                env["BENCH_PROFILE_OUT"] = str(args.profile / "bot.prof")
            process = BotProcess(server, env=env, log_path=Path(tmp) / "bot.log")
            started = time.monotonic()
            await process.start(timeout=60)
            figures["bot_start_s"] = time.monotonic() - started
            try:
                driver = Driver(server, guild, channel=general, timeout=15)
                await driver.slash(admin, "setup channel", announcements=announcements)
                first = datetime.now(UTC) + timedelta(days=7)
                typed = "; ".join(
                    (first + timedelta(days=7 * n)).strftime("%Y-%m-%d 18:30")
                    for n in range(args.options)
                )
                created = await driver.slash(
                    organiser, "poll create", options={"title": TITLE, "options": typed}
                )
                assert "Posted" in created.text, created.text
                post = next(
                    m
                    for m in driver.messages(announcements)
                    if any(b.get("custom_id", "").startswith("poll:opt:") for b in m.buttons())
                )
                poll_id = int(post.buttons()[0]["custom_id"].split(":")[2])
                watch = Watch(server)
                # (not `watch.post_id`: its edit hook reads a letter's field)
                edits: list[tuple[float, dict[int, int]]] = []
                edit_message = server.edit_message

                def on_edit(message: Message, *a: Any) -> Any:
                    done = edit_message(message, *a)
                    if message.id == post.id:
                        edits.append((time.monotonic(), shown_counts(message)))
                    return done

                server.edit_message = on_edit  # type: ignore[method-assign, assignment]
                requests_before = Counter(server.requests)
                t0 = asyncio.get_running_loop().time() + 0.2
                tasks = [
                    asyncio.create_task(
                        press(
                            server,
                            watch,
                            members[who],
                            post,
                            f"poll:opt:{poll_id}:{position}",
                            t0 + offsets[k],
                        )
                    )
                    for k, (who, position) in enumerate(presses)
                ]
                gc.collect()
                gc.freeze()
                gc.disable()
                try:
                    records = await asyncio.gather(*tasks)
                finally:
                    gc.enable()
                    gc.unfreeze()
                expected = expected_answers(presses)
                counts = counts_of(expected, args.options)

                def settled() -> bool:
                    last = edits[-1][0] if edits else 0.0
                    return shown_counts(post) == counts and time.monotonic() - last >= QUIET_S

                try:
                    await server.wait_for(settled, 60.0, poll=0.1)
                except TimeoutError:
                    result.notes.append(f"the post never settled: {shown_counts(post)} != {counts}")
                answered = [r for r in records if r is not None]
                stored = read_answers(database, poll_id)
                wanted = {(members[who].user.id, position) for who, position in expected}
                latencies = answer_latencies(answered, watch)
                dispatched = [r.dispatched_at for r in answered]
                last_press = max(dispatched, default=math.nan)
                exact_at = next((at for at, seen in edits if seen == counts), math.nan)
                requests = Counter(server.requests)
                requests.subtract(requests_before)
                figures.update(
                    presses=float(len(presses)),
                    press_spread_s=last_press - min(dispatched, default=math.nan),
                    answers_missing=float(len(wanted - stored)),
                    answers_extra=float(len(stored - wanted)),
                    presses_late=float(sum(1 for r in answered if late(r))),
                    presses_unanswered=float(len(records) - len(answered)),
                    press_p50_ms=percentile(latencies, 50) * 1000,
                    press_p99_ms=percentile(latencies, 99) * 1000,
                    press_max_ms=max(latencies, default=math.nan) * 1000,
                    post_exact=float(shown_counts(post) == counts),
                    exact_after_last_press_s=exact_at - last_press,
                    post_edits=float(len(edits)),
                    answers_429=float(sum(server.rate_limited.values())),
                )
                result.notes.append(
                    f"{len(expected)} answers expected from {len(presses)} presses; post shows "
                    f"{shown_counts(post)}; pacing {PACING_S:g} s"
                )
                for route, count in sorted(server.rate_limited.items()):
                    result.notes.append(f"429 x{count}: {route}")
            finally:
                await process.stop()
                output = process.output()
                figures.update(bot_log_figures(output))
                if args.keep_logs:
                    kept = Path(args.keep_logs) / f"bot-run{number}.log"
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    kept.write_text(output)
    return result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--presses", type=int, default=2000)
    parser.add_argument("--spread", type=float, default=2.0, help="seconds the presses span")
    parser.add_argument("--options", type=int, default=5, help="times offered (2 to 10)")
    parser.add_argument(
        "--lenient-limits",
        action="store_true",
        help="keep the stand-in's 10,000/s limits instead of Discord's 5 per 5 s per channel",
    )
    parser.add_argument(
        "--profile", type=Path, default=None, help="run the bot under cProfile (write DIR)"
    )
    parser.add_argument("--keep-logs", default=None, help="copy each run's bot log here")
    return parser.parse_args(argv)


async def main_async(args: argparse.Namespace) -> int:
    print(
        f"poll presses: {args.members} members, {args.presses} presses over {args.spread}s "
        f"on {args.options} options, "
        f"{'lenient' if args.lenient_limits else 'Discord'} channel limits, {args.runs} run(s); "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPU(s); "
        f"{code_version()}"
    )
    results = []
    for number in range(1, args.runs + 1):
        result = await one_run(args, number)
        results.append(result)
        f = result.figures
        print(
            f"run {number}: missing {show(f.get('answers_missing', math.nan))}, "
            f"extra {show(f.get('answers_extra', math.nan))}, "
            f"press p99 {show(f.get('press_p99_ms', math.nan))} ms, "
            f"late {show(f.get('presses_late', math.nan))}, "
            f"exact +{show(f.get('exact_after_last_press_s', math.nan))} s, "
            f"429s {show(f.get('answers_429', math.nan))}",
            flush=True,
        )
    if args.profile is not None and (args.profile / "bot.prof").exists():
        print_profile(args.profile / "bot.prof")
    return 0 if report(results, args, ROWS, width=58) else 1


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
