"""Paced post edits end to end: a burst of RSVP reactions on one announcement becomes a few
edits of the post, none refused by Discord's edit limits, and the last edit shows the exact
counts — for a fresh post and for one over an hour old (the hidden 30046 limit).

The stand-in's limits are tightened so the test is quick: edits of a message 5 per second per
channel, and edits of messages older than an hour 3 per second per channel; the bot's pacing
is tightened to match (`edit_gap_s` 0.25 s, `old_edit_gap_s` 0.4 s). The burst is spread over
about a second, as people's reactions are, rather than arriving all in one gateway read.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import pytest

from bot import text
from bot.domain.rsvps import CANT_EMOJI, GOING_EMOJI, MAYBE_EMOJI, RsvpCounts
from bot.runtime.post_updater import Pacing
from tests.e2e.conftest import CoproWorld
from tests.e2e.steps import announce, counts, counts_on_post, settled
from tests.fakediscord import Driver, FakeDiscord
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeClock

TITLE = "S. Wales Network Meeting 5"
EDIT_ROUTE = "PATCH /channels/{channel_id}/messages/{message_id}"
EMOJI = (GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI)
MEMBERS = 20
SWITCHERS = 12  # members 0..11 switch to the next emoji; 12..19 take their reaction off
SPREAD_S = 1.0  # the 40 reactions arrive over about this long
GAP_S = 0.25
OLD_GAP_S = 0.4


@pytest.fixture
def meeting(clock: FakeClock) -> dict[str, str]:
    """The /events create options: 18:30 five days on, well past the test and its reminders."""
    return {"when": typed(at_local(clock(), days=5)), "title": TITLE}


async def burst(driver: Driver, server: FakeDiscord, world: CoproWorld, post: Any) -> RsvpCounts:
    """40 reactions from 20 members over about a second; returns the counts they should give."""
    members = [
        server.add_member(world.guild, f"Aelod {n}", roles=[world.members]) for n in range(MEMBERS)
    ]
    first = {m.id: EMOJI[n % 3] for n, m in enumerate(members)}
    steps: list[tuple[str, Any, str]] = [("react", m, first[m.id]) for m in members]
    final: dict[int, str] = {}
    for n, member in enumerate(members):
        if n < SWITCHERS:
            final[member.id] = EMOJI[(n + 1) % 3]
            steps.append(("react", member, final[member.id]))
        else:
            steps.append(("unreact", member, first[member.id]))
    for action, member, emoji in steps:
        await getattr(driver, action)(member, post, emoji)
        await asyncio.sleep(SPREAD_S / len(steps))
    answers = list(final.values())
    return RsvpCounts(
        going=answers.count(GOING_EMOJI),
        maybe=answers.count(MAYBE_EMOJI),
        cant=answers.count(CANT_EMOJI),
    )


def line(counts: RsvpCounts) -> str:
    return text.RSVP_COUNTS.format(going=counts.going, maybe=counts.maybe, cant=counts.cant)


def refusals(server: FakeDiscord) -> list[tuple[str, int | None]]:
    return [(r.route, r.code) for r in server.request_log if r.status == 429]


def edit_spacings(server: FakeDiscord, post: Any, since: float) -> list[float]:
    """Seconds between the stand-in's successful edits of the post after `since`."""
    times = [
        r.at
        for r in server.request_log
        if r.route == EDIT_ROUTE and r.status == 200 and r.path.endswith(f"/{post.id}")
        if r.at >= since
    ]
    return [b - a for a, b in itertools.pairwise(times)]


@pytest.fixture
async def bot(start_bot: Any) -> AsyncIterator[Any]:
    async with start_bot(pacing=Pacing(edit_gap_s=GAP_S, old_edit_gap_s=OLD_GAP_S)) as bot:
        yield bot


async def test_a_burst_on_a_fresh_post_becomes_a_few_edits_none_refused(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    discord_server.rate_limit(EDIT_ROUTE, limit=5, per=1.0)
    post = await announce(driver, world, meeting)
    await settled(bot, discord_server)
    edits_before, started = post.edits, time.monotonic()
    expected = await burst(driver, discord_server, world, post)
    await settled(bot, discord_server)
    assert refusals(discord_server) == []
    assert min(edit_spacings(discord_server, post, started), default=GAP_S) >= GAP_S - 0.02
    assert discord_server.rate_limited == {}
    edits = post.edits - edits_before
    assert 1 <= edits <= SPREAD_S / GAP_S + 3, f"{edits} edits for 40 reactions"
    assert await counts(bot, post) == expected
    assert counts_on_post(post) == line(expected)


async def test_a_burst_on_a_post_over_an_hour_old_gets_no_30046(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: FakeClock,
    meeting: dict[str, str],
) -> None:
    discord_server.rules.old_message_edits = (3, 1.0)  # Discord's 3 per 20 s, shortened
    post = await announce(driver, world, meeting)
    await settled(bot, discord_server)
    # Two hours pass on the shared clock: the stand-in (created_at) and the bot (the post's
    # snowflake) now both see an old post. `server.age_message` alone would move only the
    # stand-in's created_at, a state real Discord cannot be in.
    clock.advance(timedelta(hours=2))
    assert discord_server.is_old(driver.message(post.id))
    edits_before, started = post.edits, time.monotonic()
    expected = await burst(driver, discord_server, world, post)
    await settled(bot, discord_server)
    spacings = edit_spacings(discord_server, post, started)
    assert min(spacings, default=OLD_GAP_S) >= OLD_GAP_S - 0.02
    assert [code for _, code in refusals(discord_server)].count(30046) == 0
    assert discord_server.rate_limited == {}
    edits = post.edits - edits_before
    assert 1 <= edits <= SPREAD_S / OLD_GAP_S + 3, f"{edits} edits for 40 reactions"
    assert await counts(bot, post) == expected
    assert counts_on_post(post) == line(expected)


# --- the clean-up's queue: DMs never wait behind it; removals members made first are dropped ---

REACTION_DELETE = "DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}"
QUEUED = 12  # removals queued at Discord's ~4 a second per channel: about 3 s of clean-up


def deletes(server: FakeDiscord) -> list[tuple[int, int, str]]:
    """(log index, member, emoji) of each reaction removal the bot made that Discord accepted."""
    found = []
    for index, record in enumerate(server.request_log):
        if record.route == REACTION_DELETE and record.status == 204:
            *_, emoji, user_id = record.path.split("/")
            found.append((index, int(user_id), unquote(emoji)))
    return found


async def switchers(driver: Driver, server: FakeDiscord, world: CoproWorld, post: Any) -> list[Any]:
    """QUEUED members answer 🤔 then switch to ❌ while still holding 🤔: the bot must take each
    🤔 off, one removal queued per member."""
    members = [
        server.add_member(world.guild, f"Newidiwr {n}", roles=[world.members])
        for n in range(QUEUED)
    ]
    for member in members:
        await driver.react(member, post, MAYBE_EMOJI)
    for member in members:
        await driver.react(member, post, CANT_EMOJI)
    return members


async def test_a_promotion_dm_does_not_wait_behind_queued_reaction_removals(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    discord_server.rate_limit(REACTION_DELETE, limit=1, per=0.25)
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await driver.slash(world.organiser, "events create", options={**meeting, "capacity": 1})
    [post] = [m for m in driver.messages(world.announcements) if m.embeds]
    await driver.react(world.rhian, post, GOING_EMOJI)
    await driver.react(world.dafydd, post, GOING_EMOJI)  # waitlisted
    await settled(bot, discord_server)
    members = await switchers(driver, discord_server, world, post)
    workers = bot.rsvp_workers
    await discord_server.wait_for(lambda: len(workers.queued_removals) >= QUEUED - 1, timeout=10)
    await driver.unreact(world.rhian, post, GOING_EMOJI)  # a place frees: Dafydd goes
    dm = await driver.wait_for_dm(world.dafydd, lambda m: "you're now going" in m.content)
    # the last message posted to Dafydd's DMs so far is this one (his waitlist DM came before)
    sent = max(
        i
        for i, r in enumerate(discord_server.request_log)
        if r.method == "POST" and r.path.endswith(f"/channels/{dm.channel_id}/messages")
    )
    await settled(bot, discord_server)
    removed = deletes(discord_server)
    assert sorted(user for _, user, emoji in removed if emoji == MAYBE_EMOJI) == sorted(
        m.id for m in members
    )
    after = [user for index, user, _ in removed if index > sent]
    # the DM went out while most of the clean-up queued before it was still to do
    assert len(after) >= QUEUED // 2, f"only {len(after)} of {QUEUED} removals after the DM"
    assert await counts(bot, post) == RsvpCounts(going=1, cant=QUEUED)


async def test_a_queued_removal_is_dropped_when_the_member_takes_the_reaction_off_first(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    discord_server.rate_limit(REACTION_DELETE, limit=1, per=0.25)
    post = await announce(driver, world, meeting)
    await settled(bot, discord_server)
    members = await switchers(driver, discord_server, world, post)
    # Before the clean-up reaches them (it goes in order, ~4 a second), the last three take
    # the 🤔 off themselves; the last of them then says 🤔 again (so ❌ is the one to go).
    by_hand, again = members[-3:], members[-1]
    for member in by_hand:
        await driver.unreact(member, post, MAYBE_EMOJI)
    await driver.react(again, post, MAYBE_EMOJI)
    # One more answers, switches and takes the old reaction off at once: most likely all in
    # one batch, so the removal is dropped as the batch's effects are queued.
    quick = discord_server.add_member(world.guild, "Cyflym", roles=[world.members])
    await driver.react(quick, post, MAYBE_EMOJI)
    await driver.react(quick, post, CANT_EMOJI)
    await driver.unreact(quick, post, MAYBE_EMOJI)
    await settled(bot, discord_server)
    removed = deletes(discord_server)
    assert quick.id not in [user for _, user, _ in removed]
    removed_maybe = sorted(user for _, user, emoji in removed if emoji == MAYBE_EMOJI)
    assert removed_maybe == sorted(m.id for m in members[:-3])  # none of the three asked twice
    assert [(user, emoji) for _, user, emoji in removed if emoji != MAYBE_EMOJI] == [
        (again.id, CANT_EMOJI)
    ]
    assert bot.rsvp_workers.removals_dropped == 4
    assert bot.rsvp_workers.queued_removals == set()
    assert post.reactors(MAYBE_EMOJI)[-1:] == [again.id] and again.id not in post.reactors(
        CANT_EMOJI
    )
    assert all(m.id not in post.reactors(MAYBE_EMOJI) for m in members[:-1])
    assert await counts(bot, post) == RsvpCounts(maybe=1, cant=QUEUED)
