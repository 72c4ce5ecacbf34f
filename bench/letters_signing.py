"""Letters (issue 6): 1,000 members signing one open letter at once, by button and modal.

    .venv/bin/python -m bench.letters_signing [--runs N] [--members 1000] [--spread 1.5]
        [--open-delay 1.0] [--milestone 25] [--lenient-limits] [--profile DIR] [--keep-logs DIR]

Each run starts a fresh local Discord (tests/fakediscord) in THIS process, with the real
clock, and the real bot in ITS OWN process (`BotProcess`: `python -m tests.fakediscord.launch`,
which runs `bot.__main__.main` pointed at the stand-in) on a fresh SQLite file. The bot's event
loop is therefore not shared with the harness (with both in one process, the harness's work
made some of the bot's answers late at a few hundred simultaneous signers).

The world: "Co-pro Network Wales" with #announcements, an admin, an organiser and
`--members` members. The admin runs `/setup channel`; the organiser runs `/letter create`
("Open Letter to the First Minister", asking that co-production principles are placed at the
heart of Welsh public services; milestone `--milestone`, default the bot's 25). Then every
member presses the post's Sign button, the clicks spread at random over `--spread` seconds,
and submits the form as soon as it is on their screen: `--open-delay` after Discord accepted
it (default 1 s: the form reaching the client and Submit pressed straight away, the name being
filled in). Name: their display name, sometimes with a title; organisation: from a weighted
list of Welsh organisations, a few spelling variants, about one in seven left blank.
The form is stateless (its custom_id carries the letter, and the bot answers submissions
from it alone), so even `--open-delay 0`, a submission arriving before the bot has had the
HTTP answer to its own `send_modal`, is answered (a stateful discord.py modal would be
registered only then, and such submissions were dropped).

The clicks and submissions are the Driver's (`Driver.click` / `Driver.submit_modal`: the same
`server.start_interaction` payloads, the modal filled by the driver's `_fill_modal`), but
waited for by hooks on the stand-in's answer paths (`interaction_callback`, `followup`,
`edit_webhook_message`, `edit_message`, `post_message`) resolving one future per
interaction, instead of 1,000 `wait_for` pollers, which would load the process serving the
stand-in and make its answers look late. For the same reason this process's garbage collector
is paused during the burst (its full collections took a quarter of a second).

Discord's rate limits for sending and editing channel messages (5 per 5 s per channel, as
Discord answers bots) are set on the stand-in unless `--lenient-limits` (the stand-in's
10,000 per second). Interaction callbacks and follow-ups are per interaction token.

Measured per run, medians printed at the end:

* signatures stored: read from the bot's SQLite file (read-only) after the post settled:
  count, distinct members;
* every form opened, and every submission answered (the first answer: a deferral), within
  Discord's 3 s (the stand-in refuses later answers with 404 / 10062 and records them):
  late answers; latency p50 / p99 / max from the stand-in dispatching the interaction to the
  bot's answer reaching it (late ones included); also the time to the member's confirmation
  (the follow-up after the deferral), which has no 3 s limit;
* the post: its final count ("1000 signatures from N organisations", N from the submitted
  organisations folded as the bot folds them), when it first showed that count after the last
  submission (target: within one pacing interval, the post updater's 1 s, plus 1 s), when the
  last edit landed, how many edits it took;
* 429 answers by route, the bot's log (rate-limit warnings, errors), the milestone
  celebrations, and how busy each process was (CPU cores used, the stand-in's loop lag).

`--profile DIR` runs the bot process under cProfile for one run (the bot's main thread; the
SQL runs in aiosqlite's thread) and prints the top functions.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import inspect
import math
import os
import platform
import pstats
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord

from bot import text
from bot.domain.letters import MILESTONE_DEFAULT, org_key
from bot.runtime.post_updater import PostUpdater
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.driver import _fill_modal
from tests.fakediscord.models import Channel, InteractionRecord, Member, Message
from tests.fakediscord.process import BotProcess
from tests.fakediscord.server import COMPONENT, MODAL_SUBMIT

DEADLINE_S = 3.0  # Discord's window for an interaction's first answer
# the post updater's gap between edits of one channel's posts (1 s)
PACING_S = float(inspect.signature(PostUpdater).parameters["gap_s"].default)
SETTLE_TARGET_S = PACING_S + 1.0
GIVE_UP_S = 60.0  # a member stops waiting for an answer after this long
QUIET_S = 3 * PACING_S + 1.0  # no post edit for this long: the updater is done
SEED = 6  # the number: the same members and organisations on every run

# Discord's limits on a channel's messages, as it answers bots (X-RateLimit-Limit 5, 5 s).
DISCORD_LIMITS = {
    "POST /channels/{channel_id}/messages": (5, 5.0),
    "PATCH /channels/{channel_id}/messages/{message_id}": (5, 5.0),
}

CELEBRATED = re.compile(r"\*\*([\d,]+) signatures\*\*")  # in text.LETTER_CELEBRATION

TITLE = "Open Letter to the First Minister"
ADDRESSEE = "The First Minister of Wales"
BODY = (
    "Dear First Minister,\n\n"
    "We, the undersigned practitioners, community members and organisations of the "
    "Co-production Network for Wales, ask that the principles of co-production are placed at "
    "the heart of Welsh public services: that people who use services and the people who "
    "provide them share power and responsibility as equal partners, from designing a "
    "service to delivering and reviewing it.\n\n"
    "The Social Services and Well-being (Wales) Act and the Well-being of Future Generations "
    "Act already ask for this. We ask the Welsh Government to make it the ordinary way of "
    "working in every health board, council and public body, with the time, training and "
    "funding that real partnership needs.\n\n"
    "Yours sincerely,\nThe undersigned"
)

# (organisation, weight): who signs for whom, roughly as a network-wide letter would gather.
ORGANISATIONS = (
    ("Co-production Network for Wales", 60),
    ("Wales Council for Voluntary Action", 45),
    ("Cardiff University", 40),
    ("Swansea University", 35),
    ("Bangor University", 25),
    ("Aberystwyth University", 20),
    ("Swansea County Council", 35),
    ("Cardiff Council", 35),
    ("Gwynedd Council", 20),
    ("Ceredigion County Council", 15),
    ("Monmouth County Council", 15),
    ("Wrexham County Borough Council", 20),
    ("Powys Teaching Health Board", 20),
    ("Cardiff and Vale University Health Board", 35),
    ("Betsi Cadwaladr University Health Board", 30),
    ("Hywel Dda University Health Board", 25),
    ("Voluntary Action Merthyr Tydfil", 20),
    ("Interlink RCT", 20),
    ("Neath Port Talbot CVS", 15),
    ("Coalfields Regeneration Trust", 10),
    ("United Welsh Housing", 15),
    ("Pobl Group", 15),
    ("Tai Pawb", 10),
    ("Age Cymru", 25),
    ("Carers Wales", 25),
    ("Disability Wales", 20),
    ("Mind Cymru", 20),
    ("Patchwork Circles", 10),
    ("Cwmpas", 15),
    ("Social Care Wales", 25),
    ("Public Health Wales", 25),
    ("Ramblers Cymru", 5),
    ("Menter Iaith Môn", 5),
    ("Newport Live", 5),
)
# Spellings members really type: the bot folds case and inner spaces into one organisation.
VARIANTS = {
    "Cardiff University": ("cardiff university", "Cardiff  University", "CARDIFF UNIVERSITY"),
    "Swansea County Council": ("Swansea county council",),
    "Wales Council for Voluntary Action": ("Wales Council for voluntary action",),
    "Age Cymru": ("age cymru",),
}
NO_ORGANISATION = 0.14  # signing as themselves
TITLES = ("Dr ", "Cllr ", "Prof. ")
FIRST_NAMES = (
    "Rhian Dafydd Carys Gareth Siân Ioan Eleri Owain Ffion Rhys Catrin Huw Nia Geraint Megan "
    "Aled Bethan Emyr Lowri Gwen Iwan Mali Tomos Elin Osian Sioned Llŷr Gwenllian Dylan Heledd "
    "Anwen Bryn Eirlys Gruffudd Mared Steffan Alys Cerys Hywel Tegwen Non Deiniol Manon Cai"
).split()
SURNAMES = (
    "Jones Williams Davies Evans Thomas Roberts Hughes Lewis Morgan Griffiths Price Owen Rees "
    "Jenkins Powell Pritchard Parry Bowen Llewellyn Vaughan Prosser Howells Edwards Phillips "
    "Rowlands Prys Gwilym Bevan Harries Watkins"
).split()


# --- the people ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    display_name: str
    typed_name: str  # what they leave in (or type into) the name box
    organisation: str  # "" for none


def make_signers(count: int, rng: random.Random) -> list[Signer]:
    combos = [f"{first} {last}" for first in FIRST_NAMES for last in SURNAMES]
    rng.shuffle(combos)
    names = combos[:count] + [f"{combos[i % len(combos)]} {i}" for i in range(len(combos), count)]
    orgs, weights = zip(*ORGANISATIONS, strict=True)
    signers = []
    for name in names:
        organisation = ""
        if rng.random() >= NO_ORGANISATION:
            organisation = rng.choices(orgs, weights)[0]
            if organisation in VARIANTS and rng.random() < 0.25:
                organisation = rng.choice(VARIANTS[organisation])
        typed = rng.choice(TITLES) + name if rng.random() < 0.06 else name
        signers.append(Signer(name, typed, organisation))
    return signers


def expected_tally(signers: list[Signer]) -> str:
    organisations = {org_key(s.organisation) for s in signers if s.organisation}
    n, m = len(signers), len(organisations)
    return f"{n} signature{'s' if n != 1 else ''} from {m} organisation{'s' if m != 1 else ''}"


# --- watching the stand-in's answers ---------------------------------------------------------


def field_value(message: Message, name: str) -> str:
    for embed_field in (message.embeds or [{}])[0].get("fields") or []:
        if embed_field.get("name") == name:
            return str(embed_field.get("value") or "")
    return ""


def shows(field_text: str, tally: str) -> bool:
    """The post's count field reads exactly this tally ("**1000 signatures from …**")."""
    return re.search(rf"(?<![0-9]){re.escape(tally)}(?![0-9])", field_text) is not None


def late(record: InteractionRecord) -> bool:
    return any(code == 10062 for _, _, code in record.rejected)


class Watch:
    """One future per interaction for its first answer and one for its completion (the
    follow-up after a deferral), resolved by hooks on the stand-in's answer paths; and the
    letter post's edits with their times."""

    def __init__(self, server: FakeDiscord) -> None:
        self.server = server
        self.answered: dict[int, asyncio.Future[None]] = {}
        self.completed: dict[int, asyncio.Future[None]] = {}
        self.completed_at: dict[int, float] = {}
        self.first_try_at: dict[int, float] = {}  # the bot's first answer, in time or late
        self.post_id: int | None = None
        self.post_edits: list[tuple[float, str]] = []
        self.channel_posts: list[tuple[float, str]] = []
        self._install()

    def expect(self, record: InteractionRecord) -> None:
        loop = asyncio.get_running_loop()
        self.answered[record.id] = loop.create_future()
        self.completed[record.id] = loop.create_future()

    def _resolve(self, futures: dict[int, asyncio.Future[None]], record: InteractionRecord) -> None:
        future = futures.get(record.id)
        if future is not None and not future.done():
            future.set_result(None)

    def _complete(self, record: InteractionRecord) -> None:
        if record.id in self.completed and record.id not in self.completed_at:
            self.completed_at[record.id] = time.monotonic()
        self._resolve(self.completed, record)

    def _install(self) -> None:
        server = self.server
        callback, followup = server.interaction_callback, server.followup
        edit_webhook, edit_message = server.edit_webhook_message, server.edit_message
        post_message = server.post_message

        def on_callback(record: InteractionRecord, *args: Any) -> Any:
            self.first_try_at.setdefault(record.id, time.monotonic())
            try:
                return callback(record, *args)
            finally:
                if record.responded or late(record):
                    self._resolve(self.answered, record)
                if late(record) or record.response_type in (4, 7, 8, 9):
                    self._complete(record)

        def on_followup(record: InteractionRecord, *args: Any) -> Any:
            try:
                return followup(record, *args)
            finally:
                self._complete(record)

        def on_edit_webhook(record: InteractionRecord, *args: Any) -> Any:
            try:
                return edit_webhook(record, *args)
            finally:
                self._complete(record)

        def on_edit_message(message: Message, *args: Any) -> Any:
            result = edit_message(message, *args)
            if message.id == self.post_id:
                self.post_edits.append(
                    (time.monotonic(), field_value(message, text.LETTER_SIGNATURES))
                )
            return result

        def on_post_message(channel: Channel, *args: Any, **kwargs: Any) -> Any:
            message = post_message(channel, *args, **kwargs)
            if not message.ephemeral and message.content.startswith("🎉"):
                self.channel_posts.append((time.monotonic(), message.content))
            return message

        server.interaction_callback = on_callback  # type: ignore[method-assign, assignment]
        server.followup = on_followup  # type: ignore[method-assign, assignment]
        server.edit_webhook_message = on_edit_webhook  # type: ignore[method-assign, assignment]
        server.edit_message = on_edit_message  # type: ignore[method-assign, assignment]
        server.post_message = on_post_message  # type: ignore[method-assign]


# --- one member --------------------------------------------------------------------------------


@dataclass
class Outcome:
    signer: Signer
    click: InteractionRecord | None = None
    submit: InteractionRecord | None = None
    problem: str | None = None


async def member_signs(
    server: FakeDiscord,
    watch: Watch,
    member: Member,
    signer: Signer,
    post: Message,
    sign_id: str,
    start_at: float,
    open_delay: float,
) -> Outcome:
    """Press Sign at `start_at`; submit the form `open_delay` after the bot opened it."""
    outcome = Outcome(signer)
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, start_at - loop.time()))
    channel = server.channels[post.channel_id]
    click = server.start_interaction(
        kind=COMPONENT,
        user=member,
        channel=channel,
        data={"custom_id": sign_id, "component_type": 2},
        message=post,
    )
    watch.expect(click)
    outcome.click = click
    try:
        await asyncio.wait_for(watch.answered[click.id], GIVE_UP_S)
    except TimeoutError:
        outcome.problem = "no answer to the click"
        return outcome
    if click.modal is None:
        outcome.problem = "late click" if late(click) else f"no form (type {click.response_type})"
        return outcome
    # The form reaches the member's screen and they press Submit: `open_delay` after Discord
    # accepted it.
    await asyncio.sleep(open_delay)
    components = _fill_modal(
        click.modal.get("components") or [],
        {"name": signer.typed_name, "organisation": signer.organisation},
        set(),
    )
    submit = server.start_interaction(
        kind=MODAL_SUBMIT,
        user=member,
        channel=channel,
        data={"custom_id": click.modal["custom_id"], "components": components},
        message=post,
    )
    watch.expect(submit)
    outcome.submit = submit
    try:
        await asyncio.wait_for(watch.answered[submit.id], GIVE_UP_S)
    except TimeoutError:
        outcome.problem = "submission never answered"
        return outcome
    if late(submit):
        outcome.problem = "late submission"
        return outcome
    try:
        await asyncio.wait_for(watch.completed[submit.id], GIVE_UP_S)
    except TimeoutError:
        outcome.problem = "no confirmation after the deferral"
    return outcome


# --- one run -----------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def answer_latencies(records: list[InteractionRecord], watch: Watch) -> list[float]:
    """Dispatch → the bot's first answer reaching the stand-in, late ones included (those
    the stand-in refused with 10062); interactions never answered at all are left out."""
    return [
        watch.first_try_at[r.id] - r.dispatched_at for r in records if r.id in watch.first_try_at
    ]


class Sampler:
    """How late this process's event loop wakes a 10 ms sleeper (the stand-in's own lag), and
    every 0.1 s both processes' CPU time, to tell which side was busy."""

    def __init__(self, bot_pid: int) -> None:
        self.bot_pid = bot_pid
        self.worst = 0.0
        # (monotonic, bot cpu, own cpu, machine busy): seconds
        self.samples: list[tuple[float, float, float, float]] = []
        self.task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self.samples or time.monotonic() - self.samples[-1][0] >= 0.1:
                self.samples.append(
                    (
                        time.monotonic(),
                        cpu_seconds(self.bot_pid),
                        time.process_time(),
                        machine_busy_seconds(),
                    )
                )
            before = loop.time()
            await asyncio.sleep(0.01)
            self.worst = max(self.worst, loop.time() - before - 0.01)

    def shares(self, start: float, end: float) -> tuple[float, float, float]:
        """CPU cores used by the bot, by this process and by every other process on the
        machine between two monotonic times."""
        inside = [s for s in self.samples if start <= s[0] <= end] or self.samples[-1:]
        first, last = inside[0], inside[-1]
        span = last[0] - first[0]
        if span <= 0:
            return math.nan, math.nan, math.nan
        bot, own = (last[1] - first[1]) / span, (last[2] - first[2]) / span
        return bot, own, (last[3] - first[3]) / span - bot - own

    def __enter__(self) -> Sampler:
        self.task = asyncio.create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.task is not None
        self.task.cancel()


def machine_busy_seconds() -> float:
    """CPU time all processes have used so far, machine-wide (Linux /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class RunResult:
    figures: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    log_path: Path | None = None


def read_database(path: Path, letter_id: int) -> tuple[int, int, int]:
    """(signatures, distinct members, distinct organisation keys), read-only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT count(*), count(DISTINCT user_id), count(DISTINCT organisation_key) "
            "FROM signatures WHERE letter_id = ?",
            (letter_id,),
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]), int(row[1]), int(row[2])


def bot_log_figures(output: str) -> dict[str, float]:
    return {
        "log_rate_limited": float(len(re.findall(r"rate limited", output, re.IGNORECASE))),
        "log_errors": float(len(re.findall(r"\b(ERROR|CRITICAL)\b", output))),
        "log_tracebacks": float(output.count("Traceback")),
    }


async def one_run(args: argparse.Namespace, number: int, profile: Path | None) -> RunResult:
    rng = random.Random(SEED)
    signers = make_signers(args.members, rng)
    result = RunResult()
    figures = result.figures
    figures["load_before"] = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-letters-") as tmp:
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
            members_role = server.add_role(guild, "Members")
            admin = server.add_member(guild, "Carys Price", roles=[admins, members_role])
            organiser = server.add_member(guild, "Gareth Morgan", roles=[organisers, members_role])
            members = [
                server.add_member(guild, s.display_name, roles=[members_role]) for s in signers
            ]
            if not args.lenient_limits:
                for route, (limit, per) in DISCORD_LIMITS.items():
                    server.rate_limit(route, limit=limit, per=per)

            env = {
                "DATABASE_PATH": str(database),
                "LOG_LEVEL": "INFO",
                "GUILD_ID": str(guild.id),
            }
            if profile is not None:
                env["FAKEDISCORD_MAIN"] = "bench.letters_signing:profiled_bot_main"
                env["BENCH_PROFILE_OUT"] = str(profile)
            elif args.diagnose:
                env["FAKEDISCORD_MAIN"] = "bench.letters_signing:diagnosed_bot_main"
            process = BotProcess(server, env=env, log_path=Path(tmp) / "bot.log")
            started = time.monotonic()
            await process.start(timeout=60)
            figures["bot_start_s"] = time.monotonic() - started
            try:
                parts = (admin, organiser, announcements, general)
                await sign_burst(
                    args, server, process, parts, members, signers, database, figures, result
                )
            finally:
                await process.stop()
                output = process.output()
                figures.update(bot_log_figures(output))
                result.notes.extend(
                    line.split("DIAG ", 1)[1] for line in output.splitlines() if "DIAG " in line
                )
                if args.keep_logs:
                    kept = Path(args.keep_logs) / f"bot-run{number}.log"
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    kept.write_text(output)
                    result.log_path = kept
    return result


async def sign_burst(
    args: argparse.Namespace,
    server: FakeDiscord,
    process: BotProcess,
    parts: tuple[Member, Member, Channel, Channel],
    members: list[Member],
    signers: list[Signer],
    database: Path,
    figures: dict[str, float],
    result: RunResult,
) -> None:
    admin, organiser, announcements, general = parts
    assert announcements.guild_id is not None
    driver = Driver(server, server.guilds[announcements.guild_id], channel=general, timeout=15)
    await driver.slash(admin, "setup channel", announcements=announcements)
    closes = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d 17:00")
    created = await driver.slash(
        organiser,
        "letter create",
        options={
            "title": TITLE,
            "addressee": ADDRESSEE,
            "body": BODY,
            "closes": closes,
            **({"milestone": args.milestone} if args.milestone else {}),
        },
    )
    post = next(
        m
        for m in driver.messages(announcements)
        if any(b.get("custom_id", "").startswith("letter:sign:") for b in m.buttons())
    )
    sign_id = next(
        b["custom_id"] for b in post.buttons() if b.get("custom_id", "").startswith("letter:sign:")
    )
    letter_id = int(sign_id.rsplit(":", 1)[1])
    assert "Posted" in created.text, created.text
    watch = Watch(server)
    watch.post_id = post.id
    requests_before = Counter(server.requests)

    rng = random.Random(SEED + 1)
    order = list(range(len(members)))
    rng.shuffle(order)
    offsets = sorted(rng.uniform(0.0, args.spread) for _ in order)
    loop = asyncio.get_running_loop()
    t0 = loop.time() + 0.2
    tasks = [
        asyncio.create_task(
            member_signs(
                server,
                watch,
                members[i],
                signers[i],
                post,
                sign_id,
                t0 + offsets[k],
                args.open_delay,
            )
        )
        for k, i in enumerate(order)
    ]
    assert process.proc is not None
    # The stand-in plays Discord, which answers in milliseconds: keep this process's garbage
    # collector (pauses of a quarter of a second over the world's objects) out of the burst.
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        with Sampler(process.proc.pid) as sampler:
            outcomes = await asyncio.gather(*tasks)
    finally:
        gc.enable()
        gc.unfreeze()
    figures["harness_loop_lag_ms"] = sampler.worst * 1000
    expected = expected_tally(signers)

    # The post settles: it shows the exact count and no edit came for QUIET_S.
    def settled() -> bool:
        last = watch.post_edits[-1][0] if watch.post_edits else 0.0
        return shows(field_value(post, text.LETTER_SIGNATURES), expected) and (
            time.monotonic() - last >= QUIET_S
        )

    try:
        await server.wait_for(settled, 60.0, poll=0.1)
    except TimeoutError:
        result.notes.append(
            f"the post never settled on {expected!r}: {field_value(post, text.LETTER_SIGNATURES)!r}"
        )
    stored, distinct_members, distinct_orgs = read_database(database, letter_id)

    clicks = [o.click for o in outcomes if o.click is not None]
    submits = [o.submit for o in outcomes if o.submit is not None]
    click_lat = answer_latencies(clicks, watch)
    submit_lat = answer_latencies(submits, watch)
    confirm_lat = [
        watch.completed_at[r.id] - r.dispatched_at for r in submits if r.id in watch.completed_at
    ]
    problems = Counter(o.problem for o in outcomes if o.problem)
    figures.update(
        members=len(members),
        click_spread_s=(max(c.dispatched_at for c in clicks) - min(c.dispatched_at for c in clicks))
        if clicks
        else math.nan,
        modals_opened=sum(1 for c in clicks if c.modal is not None),
        clicks_late=sum(1 for c in clicks if late(c)),
        click_p50_ms=percentile(click_lat, 50) * 1000,
        click_p99_ms=percentile(click_lat, 99) * 1000,
        click_max_ms=max(click_lat, default=math.nan) * 1000,
        submissions_answered=sum(1 for s in submits if s.responded),
        submits_late=sum(1 for s in submits if late(s)),
        submits_dropped=sum(1 for o in outcomes if o.problem == "submission never answered"),
        submit_p50_ms=percentile(submit_lat, 50) * 1000,
        submit_p99_ms=percentile(submit_lat, 99) * 1000,
        submit_max_ms=max(submit_lat, default=math.nan) * 1000,
        confirmed=len(confirm_lat),
        confirm_p50_ms=percentile(confirm_lat, 50) * 1000,
        confirm_p99_ms=percentile(confirm_lat, 99) * 1000,
        confirm_max_ms=max(confirm_lat, default=math.nan) * 1000,
        other_rejections=float(
            sum(1 for r in (*clicks, *submits) for _, _, code in r.rejected if code != 10062)
        ),
        stored=stored,
        stored_members=distinct_members,
        stored_orgs=distinct_orgs,
    )
    for problem, count in problems.items():
        result.notes.append(f"{count} member(s): {problem}")
    final_text = field_value(post, text.LETTER_SIGNATURES)
    figures["post_exact"] = float(shows(final_text, expected))
    result.notes.append(f"post shows {final_text!r}; expected {expected!r}")
    last_submit = max((s.dispatched_at for s in submits), default=math.nan)
    last_confirmed = max(
        (watch.completed_at[s.id] for s in submits if s.id in watch.completed_at), default=math.nan
    )
    edits_after = [at for at, _ in watch.post_edits]
    final_edit = edits_after[-1] if edits_after else math.nan
    celebrated = [
        int(found[1].replace(",", ""))
        for _, content in watch.channel_posts
        if (found := CELEBRATED.search(content))
    ]
    exact_at = next((at for at, seen in watch.post_edits if shows(seen, expected)), math.nan)
    figures.update(
        post_edits=len(watch.post_edits),
        final_edit_after_last_submit_s=final_edit - last_submit,
        exact_after_last_submit_s=exact_at - last_submit,
        final_edit_after_last_confirm_s=final_edit - last_confirmed,
        burst_s=last_submit - min((c.dispatched_at for c in clicks), default=math.nan),
        celebrations=len(watch.channel_posts),
        highest_celebrated=max(celebrated, default=0),
        celebrated_twice=len(celebrated) - len(set(celebrated)),
        last_celebration_after_last_submit_s=(
            watch.channel_posts[-1][0] - last_submit if watch.channel_posts else math.nan
        ),
    )
    first_click = min((c.dispatched_at for c in clicks), default=math.nan)
    last_answer = max((watch.first_try_at.get(s.id, 0.0) for s in submits), default=math.nan)
    (
        figures["bot_cpu_share"],
        figures["harness_cpu_share"],
        figures["others_cpu_share"],
    ) = sampler.shares(first_click, last_answer)
    timeline = ", ".join(
        f"{at - first_click:+.2f}s {re.sub(r'[^0-9 ]', '', shown).split(' ')[0]}"
        for at, shown in watch.post_edits
    )
    result.notes.append(
        f"post edits after the first click (count shown): {timeline}; "
        f"last submission {last_submit - first_click:+.2f}s"
    )
    requests = Counter(server.requests)
    requests.subtract(requests_before)
    figures["answers_429"] = float(sum(server.rate_limited.values()))
    figures["bot_requests"] = float(sum(requests.values()))
    for route, count in sorted(server.rate_limited.items()):
        result.notes.append(f"429 x{count}: {route}")
    if not process.running:
        result.notes.append(f"the bot process exited with {process.returncode}")


# --- profiling the bot process -------------------------------------------------------------------


def profiled_bot_main(argv: list[str] | None = None) -> int:
    """`FAKEDISCORD_MAIN` entry for --profile: `bot.__main__.main` under cProfile."""
    import cProfile

    from bot.__main__ import main

    profiler = cProfile.Profile()
    try:
        return int(profiler.runcall(main, argv) or 0)
    finally:
        profiler.dump_stats(os.environ["BENCH_PROFILE_OUT"])


def diagnosed_bot_main(argv: list[str] | None = None) -> int:
    """`FAKEDISCORD_MAIN` entry for --diagnose: `bot.__main__.main` with timers around the
    database's units of work (waiting for its one lock, holding it), the form's and the
    signature's service calls, the event loop's lag, garbage-collector pauses and modal
    submissions (none should reach a registered discord.py modal); printed as `DIAG` lines
    to the bot's log at exit. Nothing in the bot is changed; the timers wrap it at run
    time."""
    import atexit
    import contextlib

    import discord.ui.view

    import bot.client
    import bot.db
    import bot.services.letters

    timings: dict[str, list[float]] = {}
    counts = Counter[str]()
    queue: list[int] = []

    unit = bot.db.Database._unit

    @contextlib.asynccontextmanager
    async def timed_unit(self: Any, *args: Any) -> Any:
        # (begin) on one connection and lock; (lock, connection, begin) with a reader
        lock = args[0] if len(args) == 3 else self._lock
        kind = "read" if args[-1] == "BEGIN DEFERRED" else "write"
        queue.append(len(lock._waiters or ()))
        asked = time.perf_counter()
        async with unit(self, *args) as conn:
            got = time.perf_counter()
            yield conn
        timings.setdefault(f"{kind} lock wait", []).append(got - asked)
        timings.setdefault(f"{kind} lock hold", []).append(time.perf_counter() - got)

    bot.db.Database._unit = timed_unit  # type: ignore[method-assign, assignment]

    def timed(cls: Any, name: str) -> None:
        method = getattr(cls, name)

        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return await method(*args, **kwargs)
            finally:
                timings.setdefault(name, []).append(time.perf_counter() - began)

        setattr(cls, name, wrapper)

    for name in ("prepare_sign", "sign", "refresh_post", "celebrate_due"):
        timed(bot.services.letters.LetterService, name)

    dispatch_modal = discord.ui.view.ViewStore.dispatch_modal

    def counted_dispatch(self: Any, custom_id: str, *args: Any, **kwargs: Any) -> Any:
        counts["modal submissions"] += 1
        if custom_id in self._modals:  # the sign form is stateless: answered by a listener
            counts["modal submissions discord.py dispatched to a registered modal"] += 1
        return dispatch_modal(self, custom_id, *args, **kwargs)

    discord.ui.view.ViewStore.dispatch_modal = counted_dispatch  # type: ignore[method-assign]

    gc_started: list[float] = []

    def gc_timer(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            gc_started[:] = [time.perf_counter()]
        elif gc_started:
            timings.setdefault(f"gc gen{info['generation']}", []).append(
                time.perf_counter() - gc_started[0]
            )

    gc.callbacks.append(gc_timer)

    setup_hook = bot.client.Bot.setup_hook
    lags = timings.setdefault("loop lag", [])

    async def watched_setup_hook(self: Any) -> None:
        await setup_hook(self)

        async def watch_lag() -> None:
            loop = asyncio.get_running_loop()
            while True:
                before = loop.time()
                await asyncio.sleep(0.01)
                lags.append(loop.time() - before - 0.01)

        self.bench_lag_task = asyncio.create_task(watch_lag())

    bot.client.Bot.setup_hook = watched_setup_hook  # type: ignore[method-assign]

    def dump() -> None:
        for name, values in timings.items():
            if values:
                print(
                    f"DIAG {name}: n={len(values)} p50={percentile(values, 50) * 1000:.1f}ms "
                    f"p99={percentile(values, 99) * 1000:.1f}ms max={max(values) * 1000:.1f}ms "
                    f"total={sum(values):.2f}s",
                    flush=True,
                )
        print(f"DIAG units queued behind the lock at most: {max(queue, default=0)}", flush=True)
        for name, count in counts.items():
            print(f"DIAG {name}: {count}", flush=True)

    atexit.register(dump)
    from bot.__main__ import main

    return int(main(argv) or 0)


# --- reporting ---------------------------------------------------------------------------------

ROWS: tuple[tuple[str, str, Callable[[float, argparse.Namespace], bool] | None], ...] = (
    ("stored", "signatures stored", lambda v, a: v == a.members),
    ("stored_members", "  by distinct members", lambda v, a: v == a.members),
    ("stored_orgs", "  organisations (distinct keys)", None),
    ("modals_opened", "forms opened", lambda v, a: v == a.members),
    ("clicks_late", "clicks answered late (10062)", lambda v, a: v == 0),
    ("click_p50_ms", "click → form p50 (ms)", None),
    ("click_p99_ms", "click → form p99 (ms)", lambda v, a: v <= DEADLINE_S * 1000),
    ("click_max_ms", "click → form max (ms)", lambda v, a: v <= DEADLINE_S * 1000),
    ("submissions_answered", "submissions answered", lambda v, a: v == a.members),
    ("submits_late", "submissions answered late (10062)", lambda v, a: v == 0),
    ("submits_dropped", "submissions never answered", lambda v, a: v == 0),
    ("submit_p50_ms", "submit → answer p50 (ms)", None),
    ("submit_p99_ms", "submit → answer p99 (ms)", lambda v, a: v <= DEADLINE_S * 1000),
    ("submit_max_ms", "submit → answer max (ms)", lambda v, a: v <= DEADLINE_S * 1000),
    ("confirmed", "confirmations received", None),
    ("confirm_p50_ms", "submit → confirmation p50 (ms)", None),
    ("confirm_p99_ms", "submit → confirmation p99 (ms)", None),
    ("confirm_max_ms", "submit → confirmation max (ms)", None),
    ("other_rejections", "other refused answers", lambda v, a: v == 0),
    ("post_exact", "post shows the exact count (1 = yes)", lambda v, a: v == 1),
    (
        "exact_after_last_submit_s",
        "exact count on the post after the last submission (s)",
        lambda v, a: v <= SETTLE_TARGET_S,
    ),
    ("final_edit_after_last_submit_s", "final post edit after the last submission (s)", None),
    ("final_edit_after_last_confirm_s", "final post edit after the last confirmation (s)", None),
    ("post_edits", "post edits", None),
    ("answers_429", "429 answers (whole run)", lambda v, a: v == 0),
    ("log_rate_limited", "bot log: rate-limit lines", None),
    ("log_errors", "bot log: ERROR lines", None),
    ("burst_s", "first click → last submission (s)", None),
    ("click_spread_s", "clicks spread over (s)", None),
    ("celebrations", "milestone celebrations posted", None),
    (
        "highest_celebrated",
        "highest milestone celebrated",
        lambda v, a: (
            v
            == a.members // (a.milestone or MILESTONE_DEFAULT) * (a.milestone or MILESTONE_DEFAULT)
        ),
    ),
    ("celebrated_twice", "milestones celebrated twice", lambda v, a: v == 0),
    (
        "last_celebration_after_last_submit_s",
        "last celebration after the last submission (s)",
        None,
    ),
    ("bot_requests", "bot's REST requests in the burst", None),
    ("bot_cpu_share", "bot process CPU, first click → last answer (cores)", None),
    ("harness_cpu_share", "stand-in + driver CPU, same span (cores)", None),
    ("others_cpu_share", "other processes on the machine, same span (cores)", None),
    ("harness_loop_lag_ms", "stand-in's worst event-loop lag (ms)", None),
    ("load_before", "machine load average before the run (1 min)", None),
    ("bot_start_s", "bot process start (s)", None),
)


def show(value: float) -> str:
    if math.isnan(value):
        return "-"
    if value == int(value) and abs(value) >= 1:
        return f"{int(value)}"
    return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"


def report(
    results: list[RunResult],
    args: argparse.Namespace,
    rows: Sequence[tuple[str, str, Any]] | None = None,
    width: int = 52,
) -> bool:
    """Each figure (of `rows`, default this bench's) per run, its median and whether every
    run met its target; True when all did."""
    print()
    runs = len(results)
    header = f"{'':{width}}" + "".join(f"{'run ' + str(i + 1):>10}" for i in range(runs))
    print(header + f"{'median':>10}  target")
    all_met = True
    for key, label, target in ROWS if rows is None else rows:
        values = [r.figures.get(key, math.nan) for r in results]
        median = statistics.median(values) if values else math.nan
        verdict = ""
        if target is not None:
            met = all(target(v, args) for v in values)
            verdict = "met" if met else "MISSED"
            all_met &= met
        cells = "".join(f"{show(v):>10}" for v in values)
        print(f"{label:{width}}{cells}{show(median):>10}  {verdict}")
    for number, result in enumerate(results, 1):
        for note in result.notes:
            print(f"run {number}: {note}")
    print()
    print("all targets met" if all_met else "SOME TARGETS MISSED")
    return all_met


def print_profile(path: Path) -> None:
    print(f"\nbot process profile ({path}), top 30 by cumulative time:")
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(30)
    print("top 30 by own time:")
    stats.sort_stats("tottime").print_stats(30)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument(
        "--spread", type=float, default=1.5, help="seconds over which the clicks start"
    )
    parser.add_argument(
        "--open-delay",
        type=float,
        default=1.0,
        help="seconds from Discord accepting the form to the member submitting it",
    )
    parser.add_argument(
        "--milestone", type=int, default=None, help="the letter's milestone (default: the bot's)"
    )
    parser.add_argument(
        "--lenient-limits",
        action="store_true",
        help="keep the stand-in's 10,000/s limits instead of Discord's 5 per 5 s per channel",
    )
    parser.add_argument(
        "--profile", type=Path, default=None, help="one run with the bot under cProfile"
    )
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="time the bot's database lock, service calls, loop lag; count modal dispatches",
    )
    parser.add_argument("--keep-logs", default=None, help="copy each run's bot log here")
    return parser.parse_args(argv)


def code_version() -> str:
    """The commit measured, and whether the bot's code differs from it."""
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "bot", "cogs", "migrations"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"
    return f"commit {commit}" + (" with local changes to the bot" if changed else "")


async def main_async(args: argparse.Namespace) -> int:
    print(
        f"letters signing: {args.members} members, clicks over {args.spread}s, "
        f"{'lenient' if args.lenient_limits else 'Discord'} channel limits, "
        f"{args.runs} run(s); Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPU(s); {code_version()}"
    )
    results = []
    runs = 1 if args.profile else args.runs
    for number in range(1, runs + 1):
        profile = None
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
            profile = args.profile / "bot.prof"
        result = await one_run(args, number, profile)
        results.append(result)
        f = result.figures
        print(
            f"run {number}: stored {show(f.get('stored', math.nan))}, "
            f"form p99 {show(f.get('click_p99_ms', math.nan))} ms, "
            f"answer p99 {show(f.get('submit_p99_ms', math.nan))} ms, "
            f"late {show(f.get('clicks_late', 0) + f.get('submits_late', 0))}, "
            f"exact count +{show(f.get('exact_after_last_submit_s', math.nan))} s, "
            f"429s {show(f.get('answers_429', math.nan))}",
            flush=True,
        )
        if profile is not None and profile.exists():
            print_profile(profile)
    return 0 if report(results, args) else 1


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
