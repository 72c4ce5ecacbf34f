"""RSVP burst (issue 4, Show a): 500 members, 2,000 reactions in about 2 s, through the local
Discord, with Discord's rate limits set realistically.

    .venv/bin/python -m bench.rsvp_burst [--runs N] [--old-scale K] [--members N] [--reactions N]
        [--web-clients N]

With `--web-clients N` (issue 17) each scenario runs twice in the run: as below, then again
with the bot's web server on and N clients in another process (`bench.web_feeds --poll`)
polling a server feed, the home page and /healthz without a pause (half sending the ETag
they got) from a second before the burst until it has settled; the final edit's delay of
the two is compared ("with web load / without"): the web must never starve the gateway.

Each run starts, in this process, a FakeDiscord (tests/fakediscord) and the project's real
`Bot` against it (as tests/e2e/conftest.py does: temp database, GUILD_ID, `running_bot`), on
the real clock (the real UTC time, plus an offset that only moves for the aged post). The
stand-in's limits are set to what Discord is observed to do:

* removing a member's reaction (and adding the bot's own): 1 per 0.25 s per channel;
* creating and editing messages: 5 per 5 s per channel;
* editing messages older than an hour: the hidden 3 per 20 s per channel (429 / 30046).

An organiser announces a meeting (`/events create`), then 500 members send 2,000 raw reaction
events on the post in a loop paced to about 2 s: first answers, switches (a second emoji
while the first is still held: the bot must take the old one off), withdrawals, and now and
then a member taking a stale reaction off by hand. Every action is valid for what the member
holds on the post at that moment (the bot's clean-up runs meanwhile). Then it waits until
the bot has applied everything, finished its clean-up and edited the post.

Beside the burst, a probe for the DMs: before it, a second meeting with capacity 1 is posted
in #general (another channel, so its edit and reactions share no limit with the burst's
post), with one member going and one waitlisted. Right after the burst's last reaction the
going member takes their ✅ off; the time until the waitlisted member's promotion DM reaches
the stand-in is reported, with how many of the clean-up's removals were still to come then
(DMs have their own worker, so they should not wait behind the clean-up).

Twice per run: for a fresh post, and for a post over an hour old. A post cannot really be
aged, so the shared clock moves two hours forward after the post is made: the stand-in
(which ages messages by their `created_at`) and the bot (which reads the post's age from its
snowflake id against its clock) then both see a two-hour-old post. (`server.age_message`
alone moves only the stand-in's `created_at`, which real Discord cannot do.) With
`--old-scale K` the stand-in's 20 s window AND the bot's `post_updater.old_gap_s` (7 s) are
both divided by K; the output says so. The default is 1: Discord's own figures.

Reported per scenario (median over runs when --runs > 1): stored answers vs each member's
last action (and the reactions left on the post vs the answers); the post's final counts,
and how long after the last reaction the final edit landed (target: within one pacing
interval + 1 s); the number of edits and their smallest spacing (target: >= the pacing);
429 answers (target: 0); how long the bot's reaction clean-up trails the burst, how many of
its removals took off reactions already gone and how many queued removals it dropped because
the member took the reaction off first; the probe's promotion DM delay.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import os
import platform
import random
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from bench.model import last_answers
from bot import text
from bot.client import Bot
from bot.config import Settings
from bot.domain.rsvps import CANT_EMOJI, GOING_EMOJI, MAYBE_EMOJI, RSVP_EMOJI
from tests.e2e.conftest import build_copro_world
from tests.fakediscord import Driver, FakeDiscord, running_bot
from tests.fakediscord.models import Message

REACTION_DELETE = "DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}"
OWN_REACTION = "PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me"
MESSAGE_CREATE = "POST /channels/{channel_id}/messages"
MESSAGE_EDIT = "PATCH /channels/{channel_id}/messages/{message_id}"
STATUS = {GOING_EMOJI: "going", MAYBE_EMOJI: "maybe", CANT_EMOJI: "cant"}
SLACK_S = 1.0  # the final edit is due within one pacing interval + this
SPACING_TOLERANCE_S = 0.05  # edits are timed where the stand-in logs them
SEED = 4
SETTLE_TIMEOUT_S = 900.0


class RunningClock:
    """The bot's and the stand-in's clock: real UTC time (whole seconds, as the bot's own
    clock) plus an offset that `shift` moves."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return (datetime.now(UTC) + self.offset).replace(microsecond=0)

    def shift(self, by: timedelta) -> None:
        self.offset += by


@dataclass(frozen=True)
class Played:
    at: float
    added: bool
    user_id: int
    emoji: str
    kind: str


@dataclass
class Result:
    scenario: str
    gap_s: float
    burst_s: float = 0.0
    played: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    members_answering: int = 0
    wrong_answers: int = 0
    erased_by_cleanup: int = 0  # of those, answers whose reaction the bot's clean-up took off
    wrong_reactions: int = 0  # members whose reactions on the post differ from their answer
    expected_line: str = ""
    final_line: str = ""
    db_line: str = ""
    final_edit_after_s: float | None = None  # after the last reaction
    exact_for_good_after_s: float | None = None  # the post shows the expected counts from then on
    first_exact_after_s: float | None = None  # the first edit showing the expected counts
    answers_exact_after_s: float | None = None  # stored answers first equal the model
    edits: int = 0
    min_spacing_s: float | None = None
    refused: Counter[str] = field(default_factory=Counter)  # 429s by route (and 30046)
    deletes: int = 0
    redundant_deletes: int = 0  # the member had already taken that reaction off
    erasing_deletes: int = 0  # the reaction was the member's answer again by then
    cleanup_after_s: float | None = None  # last clean-up delete after the last reaction
    removals_dropped: int = 0  # queued removals dropped: the member took the reaction off first
    promotion_dm_s: float | None = None  # probe: from the ✅ taken off to the promotion DM
    deletes_after_dm: int = 0  # clean-up removals still to come when that DM went out
    settle_s: float = 0.0
    web_load: str = ""  # with --web-clients: what the pollers asked and got meanwhile

    @property
    def ok(self) -> bool:
        within = self.exact_for_good_after_s is not None and (
            self.final_edit_after_s is not None and self.final_edit_after_s <= self.gap_s + SLACK_S
        )
        paced = self.min_spacing_s is None or self.min_spacing_s >= self.gap_s - SPACING_TOLERANCE_S
        return (
            self.wrong_answers == 0
            and self.final_line == self.expected_line
            and within
            and paced
            and not self.refused
        )


# --- the members ---------------------------------------------------------------------------


def holding(message: Message, user_id: int) -> set[str]:
    return {e for e in RSVP_EMOJI if user_id in message.reactions.get(e, [])}


def choose(rng: random.Random, held: set[str], answer: str | None) -> tuple[bool, str, str]:
    """A member's next action given the reactions they hold now and their answer as they
    see it: (added, emoji, kind)."""
    free = [e for e in RSVP_EMOJI if e not in held]
    if not held:
        emoji = rng.choices(RSVP_EMOJI, weights=(5, 3, 2))[0]
        return True, emoji, "answer (holding nothing)"
    roll = rng.random()
    stale = sorted(held - {answer} if answer else held)
    if roll < 0.45 and free:
        return True, rng.choice(free), "switch (add while holding another)"
    if roll < 0.85 and answer in held:
        assert answer is not None
        return False, answer, "withdraw (take the answer off)"
    if stale:
        return False, rng.choice(stale), "take a stale reaction off by hand"
    if free:
        return True, rng.choice(free), "switch (add while holding another)"
    return False, rng.choice(sorted(held)), "withdraw (take the answer off)"


def counts_line(answers: dict[int, str]) -> str:
    tally = Counter(answers.values())
    return text.RSVP_COUNTS.format(
        going=tally[GOING_EMOJI], maybe=tally[MAYBE_EMOJI], cant=tally[CANT_EMOJI]
    )


def line_on(embeds: list[dict[str, Any]]) -> str:
    for embed in embeds:
        for item in embed.get("fields") or []:
            if item.get("name") == "RSVPs":
                return str(item.get("value"))
    return ""


# --- waiting -------------------------------------------------------------------------------


def reaction_events(server: FakeDiscord) -> int:
    live = [s for s in server.gateway.sessions.values() if s.connection is not None]
    return sum(1 for s in live for e in s.events if e.name.startswith("MESSAGE_REACTION_"))


async def settled(
    bot: Bot, server: FakeDiscord, limit_s: float, progress: Callable[[], None]
) -> None:
    """Every reaction event received and applied, clean-up and DMs done, posts edited (the
    clean-up's removals are reaction events too, hence the repeated check)."""
    workers = bot.rsvp_workers
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit_s
    quiet = 0
    next_report = loop.time() + 15
    while quiet < 3:
        if loop.time() > deadline:
            seen = workers.seen
            raise TimeoutError(f"not settled: saw {seen} of {reaction_events(server)} events")
        if workers.seen >= reaction_events(server) and not workers.busy():
            quiet += 1
        else:
            quiet = 0
        if loop.time() >= next_report:
            progress()
            next_report += 15
        await asyncio.sleep(0.05)
    await bot.post_updater.drain(limit_s)


def stored_answers(path: Path, message_id: int) -> dict[int, str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT r.user_id, r.status FROM rsvps r JOIN events e ON e.id = r.event_id "
            "WHERE e.message_id = ?",
            (message_id,),
        ).fetchall()
    finally:
        conn.close()
    return dict(rows)


# --- one scenario --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def web_load(bot: Bot, clients: int, result: Result) -> AsyncIterator[None]:
    """`clients` clients polling the bot's web server (a feed, the home page, /healthz) from
    another process (bench.web_feeds --poll) while the block runs."""
    assert bot.web is not None
    base = f"http://127.0.0.1:{bot.web.port}"
    issued = await bot.services.feeds.issue(
        bot.settings.guild_id or 0, 1, region=None, mine=False, reset=False
    )
    urls = [f"{base}/feeds/{issued.token}.ics", f"{base}/", f"{base}/healthz"]
    poller = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.web_feeds",
        "--poll",
        ",".join(urls),
        "--clients",
        str(clients),
        stdout=asyncio.subprocess.PIPE,
    )
    assert poller.stdout is not None
    await poller.stdout.readline()  # "polling"
    await asyncio.sleep(1.0)  # under way before the burst starts
    try:
        yield
    finally:
        poller.terminate()
        out, _ = await poller.communicate()
        result.web_load = f"{clients} clients: " + out.decode().strip()


async def scenario(aged: bool, args: argparse.Namespace, seed: int, web_clients: int = 0) -> Result:
    rng = random.Random(seed)
    clock = RunningClock()
    scale = args.old_scale
    with tempfile.TemporaryDirectory(prefix="rsvp-burst-") as tmp:
        db_path = Path(tmp) / "bot.sqlite3"
        async with FakeDiscord(bot_name="Co-pro Bot", clock=clock) as server:
            world = build_copro_world(server)
            server.rate_limit(REACTION_DELETE, limit=1, per=0.25)
            server.rate_limit(OWN_REACTION, limit=1, per=0.25)
            server.rate_limit(MESSAGE_CREATE, limit=5, per=5.0)
            server.rate_limit(MESSAGE_EDIT, limit=5, per=5.0)
            server.rules.old_message_edits = (3, 20.0 / scale)
            members = [
                server.add_member(world.guild, f"Aelod {n:03d}", roles=[world.members])
                for n in range(args.members)
            ]
            env = {
                "DISCORD_TOKEN": server.token,
                "DATABASE_PATH": str(db_path),
                "LOG_LEVEL": "WARNING",
                "GUILD_ID": str(world.guild.id),
            }
            if web_clients:
                env["WEB_PORT"] = str(free_port())
            bot = Bot(Settings.load(env, env_file=None), clock=clock)
            async with running_bot(server, bot):
                if aged:
                    bot.post_updater.old_gap_s /= scale
                gap = bot.post_updater.old_gap_s if aged else bot.post_updater.gap_s
                result = Result("post over an hour old" if aged else "fresh post", gap)
                driver = Driver(server, world.guild, channel=world.general)
                await driver.slash(world.admin, "setup channel", announcements=world.announcements)
                when = (clock() + timedelta(days=7)).strftime("%Y-%m-%d 18:30")
                await driver.slash(
                    world.organiser,
                    "events create",
                    options={"when": when, "title": "S. Wales Network Meeting 4"},
                )
                [post] = [m for m in driver.messages(world.announcements) if m.embeds]
                await driver.slash(
                    world.organiser,
                    "events create",
                    options={
                        "when": when,
                        "title": "Probe: promotion DM",
                        "capacity": 1,
                        "channel": world.general,
                    },
                )
                [probe] = [m for m in driver.messages(world.general) if m.embeds]
                server.add_reaction(probe, world.rhian.user, GOING_EMOJI)
                server.add_reaction(probe, world.dafydd.user, GOING_EMOJI)  # waitlisted
                await settled(bot, server, 30, lambda: None)
                if aged:
                    clock.shift(timedelta(hours=2))
                    assert server.is_old(post)
                probing = Probe(driver, probe, world.rhian, world.dafydd)
                loaded = (
                    web_load(bot, web_clients, result) if web_clients else contextlib.nullcontext()
                )
                async with loaded:
                    await measure(bot, server, post, members, rng, args, db_path, result, probing)
    return result


@dataclass
class Probe:
    """A capacity-1 meeting in another channel: `leaver` going, `waiting` on its waitlist."""

    driver: Driver
    post: Message
    leaver: Any
    waiting: Any
    dm_at: float | None = None
    after_s: float | None = None

    async def run(self, server: FakeDiscord) -> None:
        """The going member leaves; wait for the promotion DM and note when it arrived."""
        before = len(self.driver.dms(self.waiting))
        left = time.monotonic()
        server.remove_reaction(self.post, self.leaver.id, GOING_EMOJI)
        while True:
            dms = self.driver.dms(self.waiting)[before:]
            if any("you're now going" in dm.content for dm in dms):
                self.dm_at = time.monotonic()
                self.after_s = self.dm_at - left
                return
            await asyncio.sleep(0.01)


async def measure(
    bot: Bot,
    server: FakeDiscord,
    post: Message,
    members: list[Any],
    rng: random.Random,
    args: argparse.Namespace,
    db_path: Path,
    result: Result,
    probe: Probe,
) -> None:
    loop = asyncio.get_running_loop()
    log_start = len(server.request_log)
    history_start = len(post.history)
    slots = [m for m in members for _ in range(args.reactions // len(members))]
    slots += rng.sample(members, args.reactions - len(slots))
    rng.shuffle(slots)
    answer: dict[int, str] = {}
    played: list[Played] = []
    started = loop.time()
    for number, member in enumerate(slots):
        delay = started + args.seconds * number / len(slots) - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        added, emoji, kind = choose(rng, holding(post, member.id), answer.get(member.id))
        if added:
            server.add_reaction(post, member.user, emoji)
            answer[member.id] = emoji
        else:
            server.remove_reaction(post, member.id, emoji)
            if answer.get(member.id) == emoji:
                del answer[member.id]
        played.append(Played(time.monotonic(), added, member.id, emoji, kind))
    last = played[-1].at
    probing = asyncio.create_task(probe.run(server))
    result.burst_s = last - played[0].at
    result.played = len(played)
    result.kinds = Counter(p.kind for p in played)
    expected = last_answers(played)
    result.members_answering = len(expected)
    result.expected_line = counts_line(expected)
    want = {user: STATUS[e] for user, e in expected.items()}

    async def watch_answers() -> None:
        while True:
            if stored_answers(db_path, post.id) == want:
                result.answers_exact_after_s = time.monotonic() - last
                return
            await asyncio.sleep(0.05)

    watcher = asyncio.create_task(watch_answers())

    def progress() -> None:
        done = sum(1 for r in server.request_log[log_start:] if r.route == REACTION_DELETE)
        after = time.monotonic() - last
        print(f"    … {after:5.0f} s after the burst: {done} clean-up deletes so far", flush=True)

    settle_start = time.monotonic()
    try:
        await settled(bot, server, SETTLE_TIMEOUT_S, progress)
    finally:
        result.settle_s = time.monotonic() - settle_start
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(watcher), 1.0)
        watcher.cancel()

    await asyncio.wait_for(probing, 30)
    result.promotion_dm_s = probe.after_s
    workers = bot.rsvp_workers
    result.removals_dropped = workers.removals_dropped
    stored = stored_answers(db_path, post.id)
    result.wrong_answers = sum(
        1 for u in want.keys() | stored.keys() if want.get(u) != stored.get(u)
    )
    result.wrong_reactions = sum(
        1
        for m in members
        if holding(post, m.id) != ({expected[m.id]} if m.id in expected else set())
    )
    tally = Counter(stored.values())
    result.db_line = text.RSVP_COUNTS.format(
        going=tally["going"], maybe=tally["maybe"], cant=tally["cant"]
    )
    result.final_line = line_on(post.embeds)

    records = server.request_log[log_start:]
    edits = [r for r in records if r.route == MESSAGE_EDIT and r.path.endswith(f"/{post.id}")]
    done = [r for r in edits if r.status == 200]
    result.edits = len(done)
    spacings = [b.at - a.at for a, b in itertools.pairwise(done)]
    result.min_spacing_s = min(spacings) if spacings else None
    if done:
        result.final_edit_after_s = done[-1].at - last
        contents = [line_on(embeds) for _, embeds in post.history[history_start + 1 :]]
        contents.append(result.final_line)  # contents[i]: what edit i left on the post
        exact = [i for i, shown in enumerate(contents) if shown == result.expected_line]
        if exact:
            result.first_exact_after_s = done[exact[0]].at - last
        if contents[-1] == result.expected_line:
            since = len(contents) - 1
            while since > 0 and contents[since - 1] == result.expected_line:
                since -= 1
            result.exact_for_good_after_s = done[since].at - last
    for r in records:
        if r.status == 429:
            result.refused[r.route] += 1
            if r.code == 30046:
                result.refused["of which 30046 (old-message edits)"] += 1
    deletes = [r for r in records if r.route == REACTION_DELETE]
    result.deletes = sum(1 for r in deletes if r.status == 204)
    ok = [r for r in deletes if r.status in (204, 404)]
    if probe.dm_at is not None:
        result.deletes_after_dm = sum(1 for r in ok if r.at > probe.dm_at)
    if ok:
        result.cleanup_after_s = ok[-1].at - last
    # A wrong answer whose reaction the bot took off after the member last added it: the
    # clean-up of an earlier switch removed the member's current answer.
    last_add = {p.user_id: p for p in played if p.added}
    removed_by_bot = [
        (r.at, int(parts[-1]), unquote(parts[-2]))
        for r in deletes
        if r.status == 204
        for parts in [r.path.split("/")]
    ]
    # Replay the members' actions and the bot's deletes in time order: was each delete needed?
    timeline = sorted(
        [(p.at, 0, p.user_id, p.emoji, p.added) for p in played]
        + [(at, 1, user, emoji, False) for at, user, emoji in removed_by_bot]
    )
    held: set[tuple[int, str]] = set()
    answer = {}
    for _, by_bot, user, emoji, added in timeline:
        if by_bot and (user, emoji) not in held:
            result.redundant_deletes += 1
        elif by_bot and answer.get(user) == emoji:
            result.erasing_deletes += 1
        if added:
            held.add((user, emoji))
            answer[user] = emoji
        else:
            held.discard((user, emoji))
            if not by_bot and answer.get(user) == emoji:
                del answer[user]
    for user in want.keys() | stored.keys():
        if want.get(user) == stored.get(user) or user not in last_add:
            continue
        add = last_add[user]
        if any(u == user and e == add.emoji and at > add.at for at, u, e in removed_by_bot):
            result.erased_by_cleanup += 1


# --- the report ----------------------------------------------------------------------------


def show(result: Result, scale: float) -> None:
    print(f"  {result.scenario}: pacing interval {result.gap_s:g} s", end="")
    if result.scenario.startswith("post over") and scale != 1:
        print(f" (SHORTENED: old-edit window 20/{scale:g} s and old_gap_s 7/{scale:g} s)", end="")
    print()
    print(f"    burst: {result.played:,} reactions in {result.burst_s:.2f} s")
    for kind, n in result.kinds.most_common():
        print(f"      {n:5,} {kind}")
    exact_at = result.answers_exact_after_s
    print(
        f"    stored answers vs each member's last action: {result.members_answering} answers "
        f"expected, {result.wrong_answers} wrong at the end"
        + (
            f"; equal to the model {exact_at:.2f} s after the last reaction"
            if exact_at is not None
            else "; never equal during the run"
        )
    )
    if result.erased_by_cleanup:
        print(
            f"    FINDING: {result.erased_by_cleanup} of the wrong answers were withdrawn by the "
            "bot's own clean-up: it took off a reaction the member had added again since"
        )
    print(f"    reactions left on the post vs the answers: {result.wrong_reactions} members differ")
    print(
        f"    post shows: {result.final_line!r}; expected {result.expected_line!r}; "
        f"database {result.db_line!r}: "
        f"{'exact' if result.final_line == result.expected_line else 'WRONG'}"
    )
    fmt = lambda v: "n/a" if v is None else f"{v:.2f} s"  # noqa: E731
    print(
        f"    final edit {fmt(result.final_edit_after_s)} after the last reaction; exact counts "
        f"first shown {fmt(result.first_exact_after_s)}, shown for good from "
        f"{fmt(result.exact_for_good_after_s)}; target <= {result.gap_s + SLACK_S:g} s"
    )
    print(
        f"    edits of the post: {result.edits}, smallest spacing {fmt(result.min_spacing_s)} "
        f"(target >= {result.gap_s:g} s)"
    )
    refused = ", ".join(f"{n} {route}" for route, n in result.refused.items()) or "none"
    total = sum(n for route, n in result.refused.items() if not route.startswith("of which"))
    print(f"    429 answers: {total} ({refused}); target 0")
    print(
        f"    clean-up: {result.deletes} reactions removed ({result.redundant_deletes} the member "
        f"had already taken off, {result.erasing_deletes} that were the member's answer again), "
        f"last one {fmt(result.cleanup_after_s)} after the last reaction "
        f"(Discord's ~4/s floor: {result.deletes * 0.25:.0f} s); all settled after "
        f"{result.settle_s:.1f} s"
    )
    print(
        f"    queued removals dropped (the member took the reaction off first): "
        f"{result.removals_dropped}"
    )
    print(
        f"    probe: promotion DM {fmt(result.promotion_dm_s)} after the going member left, "
        f"with {result.deletes_after_dm} clean-up removals still to come"
    )
    if result.web_load:
        print(f"    web load meanwhile: {result.web_load}")
    print(f"    => {'targets met' if result.ok else 'TARGETS NOT MET'}")


def median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def summarise(name: str, results: list[Result]) -> str:
    fmt = lambda v: "n/a" if v is None else f"{v:.2f}s"  # noqa: E731
    gap = results[0].gap_s
    wrong = "/".join(str(r.wrong_answers) for r in results)
    exact = sum(1 for r in results if r.final_line == r.expected_line)
    refused = sum(
        n for r in results for route, n in r.refused.items() if not route.startswith("of which")
    )
    return (
        f"{name}: wrong answers {wrong} (of ~{results[0].members_answering}), "
        f"final counts exact in {exact}/{len(results)} runs, exact counts first shown "
        f"+{fmt(median([r.first_exact_after_s for r in results]))}, final edit "
        f"+{fmt(median([r.final_edit_after_s for r in results]))} (target <= {gap + SLACK_S:g}s), "
        f"edits {statistics.median(r.edits for r in results):g}, smallest gap "
        f"{fmt(median([r.min_spacing_s for r in results]))} (>= {gap:g}s), 429s {refused}, "
        f"clean-up +{fmt(median([r.cleanup_after_s for r in results]))} "
        f"({statistics.median(r.deletes for r in results):g} removals, "
        f"{statistics.median(r.redundant_deletes for r in results):g} of them redundant, "
        f"{statistics.median(r.removals_dropped for r in results):g} dropped), promotion DM "
        f"+{fmt(median([r.promotion_dm_s for r in results]))}"
    )


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs of both scenarios")
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--reactions", type=int, default=2_000)
    parser.add_argument("--seconds", type=float, default=2.0, help="length of the burst")
    parser.add_argument(
        "--old-scale",
        type=float,
        default=1.0,
        help="divide the old-message edit window (20 s) and the bot's old_gap_s by this",
    )
    parser.add_argument(
        "--only", choices=("fresh", "old"), default=None, help="run one scenario only"
    )
    parser.add_argument(
        "--web-clients",
        type=int,
        default=0,
        help="also run each scenario with the bot's web server on and this many clients "
        "polling it from another process (issue 17), and compare",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("discord").setLevel(logging.ERROR)  # 429 retries are counted instead
    print(
        f"RSVP burst: {args.members} members, {args.reactions:,} reactions in ~{args.seconds:g} s "
        f"on one post, through the local Discord; {args.runs} run(s)"
    )
    print(
        f"machine: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.platform()}"
    )
    print(
        "stand-in limits: reaction delete/add 1 per 0.25 s, message create 5 per 5 s, edit 5 per "
        f"5 s, old-message edits 3 per {20 / args.old_scale:g} s (per channel)"
    )
    scenarios = [
        s for s in (False, True) if args.only is None or args.only == ("old" if s else "fresh")
    ]
    by_scenario: dict[bool, list[Result]] = {s: [] for s in scenarios}
    loaded: dict[bool, list[Result]] = {s: [] for s in scenarios}
    for run in range(1, args.runs + 1):
        for aged in scenarios:
            print(f"run {run}, {'post over an hour old' if aged else 'fresh post'}:")
            result = await scenario(aged, args, SEED * 100 + run)
            show(result, args.old_scale)
            by_scenario[aged].append(result)
            if args.web_clients:
                print(f"  the same burst with {args.web_clients} clients polling the web:")
                with_web = await scenario(aged, args, SEED * 100 + run, args.web_clients)
                show(with_web, args.old_scale)
                loaded[aged].append(with_web)
                if result.final_edit_after_s and with_web.final_edit_after_s is not None:
                    ratio = with_web.final_edit_after_s / result.final_edit_after_s
                    print(f"  final edit with web load / without: {ratio:.2f}")
    shortened = f" (window and old_gap_s ÷{args.old_scale:g})" if args.old_scale != 1 else ""
    lines = [
        summarise(f"post >1 h old{shortened}" if aged else "fresh post", results)
        for aged, results in by_scenario.items()
    ]
    lines += [
        summarise(f"{'post >1 h old' if aged else 'fresh post'} with web load", results)
        for aged, results in loaded.items()
        if results
    ]
    met = all(r.ok for results in [*by_scenario.values(), *loaded.values()] for r in results)
    print(
        f"SUMMARY rsvp_burst ({args.runs} run(s), medians): "
        + "; ".join(lines)
        + f" => {'all targets met' if met else 'TARGETS NOT MET'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
