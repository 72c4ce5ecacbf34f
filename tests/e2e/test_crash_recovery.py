"""The bot process killed (SIGKILL, no clean-up at all) in the middle of work, then started
again: nothing a member was told is lost, nothing is doubled, and what the posts show is what
the database holds.

* a burst of 500 RSVP reactions (adds, switches, withdrawals by many members) on a meeting's
  post, with the process killed part-way: the new gateway session's reconciliation brings
  every event's stored answers in line with the reactions on its post;
* letters signed by button and form while the process dies: every signature whose member saw
  the success answer is stored after the restart, and none is doubled;
* a post whose edit was lost in the kill (answers and a signature saved, Discord answering
  500 to the edit until the process died): after the restart both posts show what the
  database holds (a start after a stop that was not clean re-renders every open post).

The bot runs as its own process (`bot_process`); its database is read read-only from here.
Every wait is on a condition (log lines, the stand-in's state, rows in the file)."""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from bot import text
from bot.domain.rsvps import CANT_EMOJI, EMOJI_OF, GOING_EMOJI, MAYBE_EMOJI, RSVP_EMOJI, RsvpStatus
from tests.e2e.conftest import CoproWorld
from tests.e2e.test_process import run_output, wait_for_log
from tests.fakediscord import Driver, DriverError, FakeDiscord
from tests.fakediscord.clock import LiveClock
from tests.fakediscord.models import Member, Message
from tests.fakediscord.process import BotProcess
from tests.fakediscord.server import MODAL_SUBMIT
from tests.support.dates import at_local, typed

BURST = 500
MEMBERS = 40
CAPACITY = 12
SIGNERS = 30
EDIT_MESSAGE = "PATCH /channels/{channel_id}/messages/{message_id}"
LETTER_TITLE = "Open Letter to the First Minister"


def letter(clock: Callable[[], datetime]) -> dict[str, Any]:
    """/letter create's options: the letter closes at 17:00 in Cardiff, four weeks on (the
    bot in its own process reads the real time, and so does `clock`, a `LiveClock`)."""
    return {
        "title": LETTER_TITLE,
        "addressee": "The First Minister of Wales",
        "body": "We ask that co-production is placed at the heart of Welsh public services.",
        "closes": typed(at_local(clock(), days=28, at="17:00")),
        "milestone": 10,
    }


# --- reading the bot's database (read-only, never while holding a write lock) ------------------


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def stored_answers(path: Path) -> dict[int, dict[int, RsvpStatus]]:
    """Each event's stored answers, by message id of its post: {message: {member: status}}."""
    with read_only(path) as conn:
        rows = conn.execute(
            "SELECT e.message_id, r.user_id, r.status FROM events e "
            "LEFT JOIN rsvps r ON r.event_id = e.id WHERE e.message_id IS NOT NULL"
        ).fetchall()
    answers: dict[int, dict[int, RsvpStatus]] = {}
    for message_id, user_id, status in rows:
        answers.setdefault(message_id, {})
        if user_id is not None:
            answers[message_id][user_id] = RsvpStatus(status)
    return answers


def integrity(path: Path) -> list[Any]:
    with read_only(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchall()


# --- the posts in the stand-in ------------------------------------------------------------------


def held(post: Message, member_id: int) -> set[str]:
    return {emoji for emoji in RSVP_EMOJI if member_id in post.reactors(emoji)}


def mismatches(
    server: FakeDiscord, posts: list[Message], answers: dict[int, dict[int, RsvpStatus]]
) -> list[str]:
    """Where a post's reactions and its event's stored answers disagree: each member must hold
    exactly the reaction of their stored answer (✅ for the waitlist), or none without one."""
    me = server.bot_user.id
    found = []
    for post in posts:
        stored = answers.get(post.id, {})
        reactors = {u for emoji in RSVP_EMOJI for u in post.reactors(emoji) if u != me}
        for member_id in sorted(reactors | set(stored)):
            want = {EMOJI_OF[stored[member_id]]} if member_id in stored else set()
            if held(post, member_id) != want:
                found.append(
                    f"post {post.id} member {member_id}: {held(post, member_id)} vs {want}"
                )
    return found


def counts_shown(post: Message) -> str:
    return next(f["value"] for f in post.embeds[0]["fields"] if f["name"] == "RSVPs")


def counts_expected(answers: dict[int, RsvpStatus], capacity: int | None) -> str:
    tally = Counter(answers.values())
    going = tally[RsvpStatus.GOING]
    line = text.RSVP_COUNTS.format(
        going=f"{going}/{capacity}" if capacity else going,
        maybe=tally[RsvpStatus.MAYBE],
        cant=tally[RsvpStatus.CANT],
    )
    if capacity and tally[RsvpStatus.WAITLIST]:
        line += text.RSVP_COUNTS_WAITLIST.format(waitlist=tally[RsvpStatus.WAITLIST])
    return line


async def posts_show(server: FakeDiscord, post: Message, line: str, within: float = 15.0) -> None:
    await server.wait_for(
        lambda: counts_shown(post) == line,
        within,
        message=lambda: f"the post shows {counts_shown(post)!r}; the database holds {line!r}",
    )


def add_members(server: FakeDiscord, world: CoproWorld, count: int) -> list[Member]:
    return [
        server.add_member(world.guild, f"Member {n:02d}", roles=[world.members])
        for n in range(1, count + 1)
    ]


async def announce(driver: Driver, world: CoproWorld, **options: Any) -> Message:
    before = {m.id for m in driver.messages(world.announcements)}
    reply = await driver.slash(world.organiser, "events create", options=options)
    assert reply.ephemeral and "Posted" in reply.text, reply.text
    return await driver.wait_for_message(
        world.announcements, lambda m: m.id not in before and bool(m.embeds)
    )


def one_action(rng: random.Random, driver: Driver, post: Message, members: list[Member]) -> None:
    """One member's reaction, valid for what they hold on the post at this moment (the bot's
    clean-up runs meanwhile): a first answer, a switch (a second emoji while the first is still
    held), or a withdrawal."""
    member = rng.choice(members)
    holding = held(post, member.id)
    free = [e for e in RSVP_EMOJI if e not in holding]
    if holding and (not free or rng.random() < 0.35):
        driver.server.remove_reaction(post, member.id, rng.choice(sorted(holding)))
    else:
        driver.server.add_reaction(post, member.user, rng.choice(free))


# --- SIGKILL in the middle of an RSVP burst -----------------------------------------------------


async def test_kill_mid_burst_then_reconciliation_matches_every_post(
    bot_process: BotProcess,
    discord_server: FakeDiscord,
    driver: Driver,
    world: CoproWorld,
    clock: LiveClock,
) -> None:
    database = Path(bot_process.env["DATABASE_PATH"])
    members = add_members(discord_server, world, MEMBERS)
    await bot_process.start()
    await wait_for_log(bot_process, "reconciled", start=1)
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    burst_post = await announce(
        driver,
        world,
        when=typed(at_local(clock(), days=3)),
        title="S. Wales Network Meeting 4",
        capacity=CAPACITY,
    )
    cafe = typed(at_local(clock(), days=10, at="14:00"))
    quiet_post = await announce(driver, world, when=cafe, title="Policy Cafe")
    posts = [burst_post, quiet_post]
    for member, emoji in zip(members[:6], [GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI] * 2, strict=True):
        await driver.react(member, quiet_post, emoji)
    await discord_server.wait_for(
        lambda: len(stored_answers(database).get(quiet_post.id, {})) == 6, 15
    )

    rng = random.Random(9)
    killed_after: int | None = None
    for n in range(1, BURST + 1):
        one_action(rng, driver, burst_post, members)
        if n % 10 or killed_after is not None:
            continue
        await asyncio.sleep(0.01)  # pacing: about 500 reactions a second, as a burst
        if n < BURST // 4:
            continue
        if n >= BURST // 2:  # a slow machine: let the bot catch up with some of it first
            await discord_server.wait_for(lambda: stored_answers(database)[burst_post.id], 20)
        if stored_answers(database)[burst_post.id]:  # the bot is busy with the burst: kill it
            assert await bot_process.kill() == -signal.SIGKILL
            killed_after = n
    assert killed_after is not None and killed_after < BURST  # the rest came while it was down
    # while it is down, the other post changes too (a switch held as two reactions, a withdrawal)
    await driver.react(members[0], quiet_post, CANT_EMOJI)
    await driver.unreact(members[1], quiet_post, MAYBE_EMOJI)
    await driver.react(members[10], quiet_post, MAYBE_EMOJI)
    assert integrity(database) == [("ok",)]
    before_restart = stored_answers(database)
    assert mismatches(discord_server, posts, before_restart)  # there is something to reconcile

    await bot_process.start()
    await wait_for_log(bot_process, "reconciled 2 posts", start=2)
    await discord_server.wait_for(
        lambda: not mismatches(discord_server, posts, stored_answers(database)),
        20,
        message=lambda: "\n".join(mismatches(discord_server, posts, stored_answers(database))),
    )
    answers = stored_answers(database)
    tally = Counter(answers[burst_post.id].values())
    assert tally[RsvpStatus.GOING] <= CAPACITY
    if tally[RsvpStatus.WAITLIST]:
        assert tally[RsvpStatus.GOING] == CAPACITY  # nobody waits while a place is free
    assert answers[quiet_post.id][members[0].id] is RsvpStatus.GOING  # stored ✅ kept, ❌ taken off
    assert members[1].id not in answers[quiet_post.id]
    assert answers[quiet_post.id][members[10].id] is RsvpStatus.MAYBE

    await posts_show(discord_server, burst_post, counts_expected(answers[burst_post.id], CAPACITY))
    await posts_show(discord_server, quiet_post, counts_expected(answers[quiet_post.id], None))
    assert "Traceback" not in run_output(bot_process, 2)
    assert integrity(database) == [("ok",)]
    await bot_process.kill()  # done (a SIGTERM would wait out the pacing of pending edits)


# --- letters signed by button and form while the process dies -----------------------------------


SIGNED = (text.LETTER_SIGNED.split("{")[0], text.LETTER_SIGNED_AGAIN.split("{")[0])


def is_letter(message: Message) -> bool:
    return any(b.get("custom_id", "").startswith("letter:sign:") for b in message.buttons())


def told_signed(server: FakeDiscord) -> dict[int, int]:
    """Members the stand-in saw told that their signature was saved: member → how many times."""
    told: Counter[int] = Counter()
    for record in server.interactions.values():
        if record.type != MODAL_SUBMIT or record.original_id is None:
            continue
        answer = server.messages.get(record.original_id)
        if answer is not None and not answer.loading and answer.text.startswith(SIGNED):
            told[record.user.id] += 1
    return dict(told)


def signatures(path: Path) -> list[tuple[int, int]]:
    with read_only(path) as conn:
        return conn.execute("SELECT letter_id, user_id FROM signatures ORDER BY id").fetchall()


async def sign_by_button(driver: Driver, member: Member, post: Message) -> None:
    opened = await driver.click(member, post, text.BUTTON_SIGN)
    assert opened.type == 9, opened.text
    done = await driver.submit_modal(
        member, {"name": member.display_name, "organisation": f"Org {member.id % 7}"}
    )
    assert done.text.startswith(SIGNED), done.text


async def test_signatures_told_as_saved_survive_a_kill_and_none_is_doubled(
    bot_process: BotProcess,
    discord_server: FakeDiscord,
    driver: Driver,
    world: CoproWorld,
    clock: LiveClock,
) -> None:
    database = Path(bot_process.env["DATABASE_PATH"])
    signers = add_members(discord_server, world, SIGNERS)
    await bot_process.start()
    await wait_for_log(bot_process, "reconciled", start=1)
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    created = await driver.slash(world.organiser, "letter create", options=letter(clock))
    assert created.ephemeral, created.text
    post = await driver.wait_for_message(world.announcements, is_letter)

    # Six members at a time press Sign and fill in the form; the process dies part-way.
    queue = list(signers)
    in_flight: set[asyncio.Task[None]] = set()

    async def signing() -> None:
        while queue:
            await sign_by_button(driver, queue.pop(0), post)

    def thinking() -> int:
        """Forms submitted and acknowledged ("thinking…" shown) but not yet answered."""
        return sum(
            1
            for r in discord_server.interactions.values()
            if r.type == MODAL_SUBMIT
            and r.original_id is not None
            and discord_server.messages[r.original_id].loading
        )

    in_flight = {asyncio.create_task(signing()) for _ in range(6)}
    await discord_server.wait_for(
        lambda: len(told_signed(discord_server)) >= SIGNERS // 3 and thinking(), 20
    )
    assert await bot_process.kill() == -signal.SIGKILL
    for task in in_flight:
        task.cancel()
    results = await asyncio.gather(*in_flight, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError | DriverError) for r in results), results
    told = told_signed(discord_server)
    assert SIGNERS // 3 <= len(told) < SIGNERS  # some were told, some were not
    assert all(times == 1 for times in told.values())
    # Every member told "you signed" is in the file the moment the process is gone.
    stored = {user for _, user in signatures(database)}
    assert set(told) <= stored, sorted(set(told) - stored)
    assert integrity(database) == [("ok",)]

    # Back up: everyone not told tries again, and one who was told signs again by mistake.
    await bot_process.start()
    await wait_for_log(bot_process, "reconciled", start=2)
    again = [m for m in signers if m.id not in told] + [signers[0]]
    assert signers[0].id in told
    for member in again:
        await sign_by_button(driver, member, post)
    rows = signatures(database)
    assert len(rows) == SIGNERS == len(set(rows))  # one signature per member, none doubled
    assert {user for _, user in rows} == {m.id for m in signers}
    line = f"{SIGNERS} signatures from 7 organisations"
    await discord_server.wait_for(
        lambda: any(line in f["value"] for f in post.embeds[0]["fields"]),
        15,
        message=lambda: f"the post never showed {line!r}: {post.embeds[0]['fields']}",
    )
    celebrated = Counter(
        m.content for m in driver.messages(world.announcements) if m.content.startswith("🎉")
    )
    assert all(times == 1 for times in celebrated.values()), celebrated  # none twice
    assert "Traceback" not in run_output(bot_process, 2)
    await bot_process.kill()  # done (a SIGTERM would wait out the pacing of pending edits)


# --- a post's edit lost in the kill ---------------------------------------------------------------


def signatures_shown(post: Message) -> str:
    return next(f["value"] for f in post.embeds[0]["fields"] if f["name"] == text.LETTER_SIGNATURES)


async def test_post_edits_lost_in_a_kill_are_made_after_the_restart(
    bot_process: BotProcess,
    discord_server: FakeDiscord,
    driver: Driver,
    world: CoproWorld,
    clock: LiveClock,
) -> None:
    """An answer and a signature saved, the posts' edits not made yet (Discord answering 500
    meanwhile), then SIGKILL; nothing changes while the bot is down. After the restart both
    posts show what the database holds."""
    database = Path(bot_process.env["DATABASE_PATH"])
    await bot_process.start()
    await wait_for_log(bot_process, "reconciled", start=1)
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    cafe = typed(at_local(clock(), days=3))
    event_post = await announce(driver, world, when=cafe, title="Policy Cafe")
    created = await driver.slash(world.organiser, "letter create", options=letter(clock))
    assert created.ephemeral, created.text
    letter_post = await driver.wait_for_message(world.announcements, is_letter)
    unsigned = signatures_shown(letter_post)
    edits = discord_server.requests.get(EDIT_MESSAGE, 0)
    discord_server.fail_next(EDIT_MESSAGE, status=500, times=1_000)
    await driver.react(world.rhian, event_post, GOING_EMOJI)
    signed = await driver.slash(
        world.dafydd,
        "letter sign",
        letter=LETTER_TITLE,
        name="Dafydd Jones",
        organisation="WCVA",
    )
    assert signed.text.startswith(SIGNED), signed.text
    await discord_server.wait_for(lambda: len(stored_answers(database)[event_post.id]) == 1, 15)
    await discord_server.wait_for(lambda: discord_server.requests.get(EDIT_MESSAGE, 0) > edits, 15)
    assert await bot_process.kill() == -signal.SIGKILL
    discord_server.fail_next(EDIT_MESSAGE, times=0)
    # Neither edit landed.
    assert counts_shown(event_post) == counts_expected({}, None)
    assert signatures_shown(letter_post) == unsigned

    await bot_process.start()
    await wait_for_log(bot_process, "reconciled 1 posts", start=2)
    answers = stored_answers(database)[event_post.id]
    assert answers == {world.rhian.id: RsvpStatus.GOING}
    going = counts_expected(answers, None)
    # Both posts are in one channel, so the second edit waits out the channel's gap: 1 s, as
    # the posts are fresh (the stand-in reads the real clock, as the bot does; the old-post
    # gap of 7 s is for posts over an hour old). 3 s is generous.
    await discord_server.wait_for(
        lambda: (
            counts_shown(event_post) == going and "1 signature" in signatures_shown(letter_post)
        ),
        3,
        message=lambda: (
            f"posts show {counts_shown(event_post)!r}, {signatures_shown(letter_post)!r}"
        ),
    )
