"""The gateway connection dropped again and again while members react and a reminder falls
due: nothing lost, nothing doubled. RESUME replays what was missed; a new session (the old one
refused) reconciles the posts instead. And an interaction the bot only sees after Discord's
3-second window (it arrived while the bot was off the gateway) leaves nothing half-done: the
stand-in refuses the late answer with 10062 Unknown interaction, the database is unchanged and
the member simply tries again.

The bot runs in this process here, on the test's frozen clock, so a reminder can be made to
fall due in the middle of the drops (the real scheduler runs its job at once, as it does for
one due while the bot was away); the SIGKILL tests in test_crash_recovery.py use a process."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from bot import text
from bot.domain.rsvps import EMOJI_OF, RSVP_EMOJI, RsvpStatus
from bot.services.reminders import job_id
from tests.e2e.conftest import CoproWorld, no_identify_pause
from tests.e2e.steps import reaction_events, settled
from tests.fakediscord import Driver, DriverError, FakeDiscord
from tests.fakediscord.models import InteractionRecord, Member, Message
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeClock

TITLE = "S. Wales Network Meeting 4"
DROPS = 10
NEW_SESSION_AT = 6  # this drop's session is refused: the bot IDENTIFYs again and reconciles
REMINDER_AT = 3  # the reminder falls due while the bot is off the gateway in this drop
UNKNOWN_INTERACTION = 10062
INTERNAL_ERROR = text.INTERNAL_ERROR.split("(")[0]  # "Sorry, something went wrong on my side"


@pytest.fixture
def meeting(clock: FakeClock) -> dict[str, str]:
    """The /events create options: 18:30 five days on, its 1-day reminder due days after the
    test (the test makes the scheduler run it early)."""
    return {"when": typed(at_local(clock(), days=5)), "title": TITLE, "reminders": "1d"}


def held(post: Message, member_id: int) -> set[str]:
    return {emoji for emoji in RSVP_EMOJI if member_id in post.reactors(emoji)}


async def stored(bot: Any, event_id: int) -> dict[int, RsvpStatus]:
    async with bot.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT user_id, status FROM rsvps WHERE event_id = ?", (event_id,)
        )
    return {row["user_id"]: RsvpStatus(row["status"]) for row in rows}


class Members:
    """Members reacting on one post, and what each last asked for (the order of events is the
    order they happened in, so the stored answer must be the last one asked for)."""

    def __init__(self, driver: Driver, post: Message, members: list[Member], seed: int) -> None:
        self.driver, self.post, self.members = driver, post, members
        self.rng = random.Random(seed)
        self.wanted: dict[int, str | None] = {m.id: None for m in members}
        self.actions = 0

    def act(self, *, switches: bool = True) -> None:
        """One valid action: a first answer, a switch (another emoji while the first is still
        held), a withdrawal, or taking a stale reaction off. Without `switches` (reactions the
        bot will only learn from the post) only first answers and withdrawals."""
        member = self.rng.choice(self.members)
        holding = held(self.post, member.id)
        wanted = self.wanted[member.id]
        if not switches:
            if not holding:
                self._add(member, self.rng.choice(RSVP_EMOJI))
            elif wanted is not None and holding == {wanted}:
                self._remove(member, wanted)
            else:
                return self.act(switches=False)
        else:
            free = [e for e in RSVP_EMOJI if e not in holding]
            if holding and (not free or self.rng.random() < 0.35):
                self._remove(member, self.rng.choice(sorted(holding)))
            else:
                self._add(member, self.rng.choice(free))
        self.actions += 1
        return None

    def _add(self, member: Member, emoji: str) -> None:
        assert self.driver.server.add_reaction(self.post, member.user, emoji)
        self.wanted[member.id] = emoji

    def _remove(self, member: Member, emoji: str) -> None:
        assert self.driver.server.remove_reaction(self.post, member.id, emoji)
        if self.wanted[member.id] == emoji:
            self.wanted[member.id] = None


async def reminder_of(bot: Any, event_id: int) -> tuple[int, str]:
    async with bot.db.reading() as conn:
        [row] = await conn.execute_fetchall(
            "SELECT id, status FROM reminders WHERE event_id = ? AND user_id IS NULL", (event_id,)
        )
    return row["id"], row["status"]


async def status_is(bot: Any, event_id: int, status: str) -> bool:
    return (await reminder_of(bot, event_id))[1] == status


def dm_sends(server: FakeDiscord, member: Member) -> int:
    """Messages the bot asked to post in the member's DMs (a repeat with the same nonce would
    be one message, so count the requests)."""
    channel = server.dm_channels.get(member.id)
    return sum(
        1
        for r in server.request_log
        if r.method == "POST"
        and channel is not None
        and r.path.endswith(f"/channels/{channel}/messages")
    )


async def test_ten_gateway_drops_lose_and_double_nothing(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    monkeypatch: pytest.MonkeyPatch,
    meeting: dict[str, str],
) -> None:
    monkeypatch.setattr(bot_app, "before_identify_hook", no_identify_pause)
    gateway = discord_server.gateway
    others = [
        discord_server.add_member(world.guild, f"Member {n:02d}", roles=[world.members])
        for n in range(1, 9)
    ]
    members = [world.rhian, world.dafydd, world.organiser, world.admin, *others]
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    reply = await driver.slash(world.organiser, "events create", options=meeting)
    assert reply.ephemeral, reply.text
    [post] = [m for m in driver.messages(world.announcements) if m.embeds]
    [event] = [e for e in await bot_app.event_service.open_posts() if e.message_id == post.id]
    reminder_id, status = await reminder_of(bot_app, event.id)
    assert status == "pending"
    workers = bot_app.rsvp_workers
    reacting = Members(driver, post, members, seed=99)
    resumes, identifies = gateway.resumes, gateway.identifies
    reminded: set[int] = set()
    first_reconciliation = workers.reconciling

    for drop in range(DROPS):
        for _ in range(6):
            reacting.act()
        if drop in (REMINDER_AT, NEW_SESSION_AT):
            await settled(
                bot_app, discord_server, every_session=True
            )  # what the bot knows is what was done
        if drop == NEW_SESSION_AT:
            gateway.invalidate_all()  # the RESUME will be refused: a new session
        async with driver.gateway_down(abrupt=drop % 2 == 1):
            if drop == REMINDER_AT:
                # Due now: the job runs while the bot is off the gateway, with reactions
                # made meanwhile still unseen (they are not among those it reminds).
                answers = await stored(bot_app, event.id)
                reminded = {
                    user
                    for user, status in answers.items()
                    if status in (RsvpStatus.GOING, RsvpStatus.MAYBE)
                }
                bot_app.jobs.at(
                    job_id(reminder_id),
                    datetime.now(UTC),
                    bot_app.reminder_service.deliver,
                    reminder_id,
                )
            for _ in range(4):
                reacting.act(switches=drop != NEW_SESSION_AT)
            if drop == REMINDER_AT:
                await driver.wait_for(
                    lambda: status_is(bot_app, event.id, "sent"),
                    timeout=10,
                    message="the reminder was never delivered",
                )
        if drop == NEW_SESSION_AT:
            await driver.wait_for(
                lambda: (
                    workers.reconciling is not first_reconciliation and workers.reconciling.done()
                ),
                timeout=10,
                message="the new session did not reconcile",
            )
            tally = workers.reconciling.result()
            assert tally["posts"] == 1
            assert tally["answered"] + tally["withdrawn"] >= 1  # it found what it never saw
    await settled(bot_app, discord_server, every_session=True)

    assert gateway.resumes == resumes + DROPS - 1
    assert gateway.identifies == identifies + 1
    # Each reaction event reached the bot once: none lost in a drop, none replayed twice.
    assert workers.seen == reaction_events(discord_server, every_session=True)
    assert reacting.actions == DROPS * 10
    # The stored answers are what each member last asked for, and the post agrees.
    answers = await stored(bot_app, event.id)
    wanted = {user: emoji for user, emoji in reacting.wanted.items() if emoji is not None}
    assert {user: EMOJI_OF[status] for user, status in answers.items()} == wanted
    for member in members:
        assert held(post, member.id) == ({wanted[member.id]} if member.id in wanted else set())
    tally = Counter(answers.values())
    line = text.RSVP_COUNTS.format(
        going=tally[RsvpStatus.GOING], maybe=tally[RsvpStatus.MAYBE], cant=tally[RsvpStatus.CANT]
    )
    assert any(line == f["value"] for f in post.embeds[0]["fields"]), post.embeds[0]["fields"]
    # The reminder: sent once, to everyone going or maybe when it fell due, and posted once.
    assert reminded
    assert (await reminder_of(bot_app, event.id))[1] == "sent"
    for member in members:
        once = 1 if member.id in reminded else 0
        assert [m.content.split(":")[0] for m in driver.dms(member)] == ["Reminder"] * once
        assert dm_sends(discord_server, member) == once
    reminder_posts = [m for m in driver.messages(world.announcements) if m.content[:1] == "⏰"]
    assert len(reminder_posts) == 1
    created = f"/channels/{world.announcements.id}/messages"
    posted = [
        r for r in discord_server.request_log if r.method == "POST" and r.path.endswith(created)
    ]
    assert len(posted) == 2  # the announcement and the reminder, each asked for once


# --- an interaction seen only after the 3-second window -----------------------------------------

TABLES = ("events", "rsvps", "reminders", "letters", "signatures", "series")
LETTER = {
    "title": "Open Letter to the First Minister",
    "addressee": "The First Minister of Wales",
    "body": "We ask that co-production is placed at the heart of Welsh public services.",
}


async def rows(bot: Any) -> dict[str, list[tuple[Any, ...]]]:
    async with bot.db.reading() as conn:
        return {
            table: [tuple(r) for r in await conn.execute_fetchall(f"SELECT * FROM {table}")]
            for table in TABLES
        }


def new_interaction(server: FakeDiscord, known: set[int]) -> InteractionRecord | None:
    return next((r for i, r in server.interactions.items() if i not in known), None)


async def made_late(
    driver: Driver, server: FakeDiscord, act: Any, caplog: pytest.LogCaptureFixture
) -> InteractionRecord:
    """The member acts while the bot is off the gateway, and the bot sees it (RESUME replays
    it) only after the window for a first answer has passed: the interaction is dated that
    much earlier rather than waited out. Returns once the bot is done with it, that is once
    its failure has reached the one place errors are answered."""
    known = set(server.interactions)
    reported = sum(1 for r in caplog.records if r.name == "bot.adapters.errors")
    async with driver.gateway_down():
        acting = asyncio.create_task(act())
        record = await driver.wait_for(lambda: new_interaction(server, known))
        record.dispatched_at -= server.rules.interaction_deadline + 0.5
    with pytest.raises(DriverError, match="too late"):
        await acting
    await driver.wait_for(
        lambda: sum(1 for r in caplog.records if r.name == "bot.adapters.errors") > reported,
        message="the bot never reported the failed answer",
    )
    return record


async def open_form(driver: Driver, member: Member, post: Message) -> None:
    opened = await driver.click(member, post, text.BUTTON_SIGN)
    assert opened.type == 9, opened.text


async def submit_form(driver: Driver, member: Member) -> Any:
    return await driver.submit_modal(member, {"name": member.display_name, "organisation": "WCVA"})


CASES = {  # what the member does late → the rows their retry adds
    "events create": {"events": 1, "reminders": 1},
    "reminders add": {"reminders": 1},
    "letter sign": {"signatures": 1},
    "sign button": {"signatures": 1},
    "sign form": {"signatures": 1},
}


@pytest.mark.parametrize("what", list(CASES))
async def test_an_interaction_seen_too_late_changes_nothing_and_can_be_retried(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    caplog: pytest.LogCaptureFixture,
    what: str,
    meeting: dict[str, str],
) -> None:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    member = world.organiser if what == "events create" else world.rhian
    if what != "events create" and what != "reminders add":
        await driver.slash(world.organiser, "letter create", options=LETTER)
        post = driver.last_message(world.announcements)
    elif what == "reminders add":
        await driver.slash(world.organiser, "events create", options=meeting)

    async def act() -> Any:
        if what == "events create":
            return await driver.slash(member, "events create", options=meeting)
        if what == "reminders add":
            return await driver.slash(member, "reminders add", event=TITLE, before="2h")
        if what == "letter sign":
            return await driver.slash(member, "letter sign", letter=LETTER["title"], name="Rhian")
        if what == "sign button":
            return await open_form(driver, member, post)
        return await submit_form(driver, member)

    if what == "sign form":
        await open_form(driver, member, post)  # the form opens in time; the submission is late
    before = await rows(bot_app)
    messages_before = len(driver.messages(world.announcements))
    events_before = len(discord_server.events(world.guild))
    logged = len(caplog.records)
    record = await made_late(driver, discord_server, act, caplog)

    # The stand-in refused the late answer as Discord does; nothing reached the member. The
    # bot logs one warning and does not try a second answer, nor call it unexpected.
    assert not record.responded
    assert record.rejected == [("callback", 404, UNKNOWN_INTERACTION)]
    reported = [r for r in caplog.records[logged:] if r.name == "bot.adapters.errors"]
    assert [(r.levelname, "came too late" in r.getMessage()) for r in reported] == [
        ("WARNING", True)
    ]
    assert record.original_id is None and record.followup_ids == []
    # ... and the bot left no trace of it: no row written, nothing posted, no DM.
    assert await rows(bot_app) == before
    assert len(driver.messages(world.announcements)) == messages_before
    assert driver.dms(member) == []
    assert len(discord_server.events(world.guild)) == events_before  # no Events-tab entry
    async with bot_app.db.reading() as conn:
        assert [tuple(r) for r in await conn.execute_fetchall("PRAGMA integrity_check")] == [
            ("ok",)
        ]

    # The member simply tries again, and it is done once.
    if what.startswith("sign "):
        await open_form(driver, member, post)
        again = await submit_form(driver, member)
    else:
        again = await act()
    assert again.ephemeral and INTERNAL_ERROR not in again.text, again.text
    after = await rows(bot_app)
    grown = {t: len(after[t]) - len(before[t]) for t in TABLES if len(after[t]) != len(before[t])}
    assert grown == CASES[what]
    assert not record.responded  # the late one never got through, not even now
