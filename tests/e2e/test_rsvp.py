"""RSVPs by reaction end to end: the real discord.py client, raw reaction events, the post."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.domain.rsvps import CANT_EMOJI, GOING_EMOJI, MAYBE_EMOJI, RsvpCounts
from tests.e2e.conftest import CoproWorld
from tests.e2e.steps import announce, counts, counts_on_post, settled
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.models import Message
from tests.support.dates import typed
from tests.support.fakes import FakeClock

TITLE = "S. Wales Network Meeting 4"


@pytest.fixture
def meeting(start: datetime) -> dict[str, str]:
    """The /events create options for the meeting, as the organiser types them."""
    return {"when": typed(start), "title": TITLE}


@pytest.fixture
async def bot(bot_app: Any) -> Any:
    return bot_app


async def test_post_offers_the_three_reactions_and_counts(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    post: Message,
) -> None:
    me = discord_server.bot_user.id
    assert [e for e in (GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI) if me in post.reactors(e)] == [
        GOING_EMOJI,
        MAYBE_EMOJI,
        CANT_EMOJI,
    ]
    assert counts_on_post(post) == "✅ 0 going · 🤔 0 maybe · ❌ 0 can't go"
    await driver.react(world.rhian, post, GOING_EMOJI)
    await driver.react(world.dafydd, post, MAYBE_EMOJI)
    await settled(bot, discord_server)
    assert await counts(bot, post) == RsvpCounts(going=1, maybe=1)
    assert counts_on_post(post) == "✅ 1 going · 🤔 1 maybe · ❌ 0 can't go"


async def test_switch_removes_the_old_reaction_and_keeps_one_answer(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    post: Message,
) -> None:
    await driver.react(world.rhian, post, GOING_EMOJI)
    await settled(bot, discord_server)
    await driver.react(world.rhian, post, CANT_EMOJI)
    await settled(bot, discord_server)
    # the bot took the ✅ off; its removal event did not erase the new ❌ answer
    assert world.rhian.id not in post.reactors(GOING_EMOJI)
    assert world.rhian.id in post.reactors(CANT_EMOJI)
    assert await counts(bot, post) == RsvpCounts(cant=1)
    assert counts_on_post(post) == "✅ 0 going · 🤔 0 maybe · ❌ 1 can't go"


async def test_removing_your_reaction_withdraws(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    post: Message,
) -> None:
    await driver.react(world.rhian, post, MAYBE_EMOJI)
    await settled(bot, discord_server)
    await driver.unreact(world.rhian, post, MAYBE_EMOJI)
    await settled(bot, discord_server)
    assert await counts(bot, post) == RsvpCounts()


async def test_bots_and_other_messages_are_ignored(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    post = await announce(driver, world, meeting)
    other_bot = discord_server.add_member(world.guild, "Apollo", bot=True)
    await driver.react(other_bot, post, GOING_EMOJI)
    chat = await driver.say(world.rhian, world.general, "see you at the meeting")
    await driver.react(world.dafydd, chat, GOING_EMOJI)
    await driver.react(world.dafydd, post, "🎉")
    await settled(bot, discord_server)
    assert await counts(bot, post) == RsvpCounts()
    assert other_bot.id in post.reactors(GOING_EMOJI)  # left alone, just not counted
    assert driver.dms(other_bot) == [] and driver.dms(world.dafydd) == []


async def test_capacity_waitlist_and_promotion_with_dms(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    post = await announce(driver, world, meeting, capacity=2)
    carys = world.admin
    for member in (world.organiser, world.rhian, world.dafydd, carys):
        await driver.react(member, post, GOING_EMOJI)
        await settled(bot, discord_server)
    assert await counts(bot, post) == RsvpCounts(going=2, waitlist=2)
    assert "waitlist: number 1" in driver.dms(world.dafydd)[-1].content
    assert "waitlist: number 2" in driver.dms(carys)[-1].content
    assert counts_on_post(post).endswith("⏳ 2 on the waitlist")
    assert "2/2 going" in counts_on_post(post)

    await driver.unreact(world.rhian, post, GOING_EMOJI)
    await settled(bot, discord_server)
    assert "you're now going" in driver.dms(world.dafydd)[-1].content
    assert await counts(bot, post) == RsvpCounts(going=2, waitlist=1)
    listed = await driver.slash(world.organiser, "events attendees", event=TITLE)
    going = listed.embed().fields[0].value or ""
    assert f"<@{world.dafydd.id}>" in going and f"<@{world.rhian.id}>" not in going


async def test_closed_dms_do_not_stop_a_promotion(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    post = await announce(driver, world, meeting, capacity=1)
    world.dafydd.close_dms()
    await driver.react(world.rhian, post, GOING_EMOJI)
    await driver.react(world.dafydd, post, GOING_EMOJI)
    await settled(bot, discord_server)
    await driver.unreact(world.rhian, post, GOING_EMOJI)
    await settled(bot, discord_server)
    assert await counts(bot, post) == RsvpCounts(going=1)
    assert driver.dms(world.dafydd) == []


async def test_rsvp_after_the_start_is_refused_and_removed(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: FakeClock,
    post: Message,
    start: datetime,
) -> None:
    await driver.react(world.rhian, post, GOING_EMOJI)
    await settled(bot, discord_server)
    clock.set(start + timedelta(minutes=30))  # 19:00 that day, after the 18:30 start
    await driver.react(world.dafydd, post, GOING_EMOJI)
    await settled(bot, discord_server)
    assert world.dafydd.id not in post.reactors(GOING_EMOJI)
    assert "already started" in driver.dms(world.dafydd)[-1].content
    assert world.rhian.id in post.reactors(GOING_EMOJI)


async def test_rsvp_to_a_cancelled_event_is_refused(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    post: Message,
) -> None:
    prompt = await driver.slash(world.organiser, "events cancel", event=TITLE)
    await driver.click(world.organiser, prompt.message, "Cancel the event")
    await driver.react(world.rhian, post, MAYBE_EMOJI)
    await settled(bot, discord_server)
    assert world.rhian.id not in post.reactors(MAYBE_EMOJI)
    assert "cancelled" in driver.dms(world.rhian)[-1].content


async def test_reactions_while_offline_are_counted_on_start(
    start_bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    async with start_bot() as first:
        post = await announce(driver, world, meeting, capacity=1)
        await driver.react(world.rhian, post, MAYBE_EMOJI)
        await settled(first, discord_server)
    # while the bot is stopped: Rhian switches by hand (holding two), two members say going
    await driver.react(world.rhian, post, GOING_EMOJI)
    await driver.react(world.dafydd, post, GOING_EMOJI)
    await driver.react(world.organiser, post, CANT_EMOJI)
    async with start_bot() as second:
        workers = second.rsvp_workers
        await discord_server.wait_for(
            lambda: workers.reconciling is not None and workers.reconciling.done(), timeout=10
        )
        await settled(second, discord_server)
        assert workers.reconciling.result()["posts"] == 1
        # Rhian's stored 🤔 is still there, so it wins over her ✅, which the bot takes off
        assert await counts(second, post) == RsvpCounts(going=1, maybe=1, cant=1)
        assert world.rhian.id not in post.reactors(GOING_EMOJI)
        assert "✅ 1/1 going · 🤔 1 maybe · ❌ 1 can't go" in counts_on_post(post)


async def test_attendees_lists_and_csv(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    post = await announce(driver, world, meeting, capacity=1)
    await driver.react(world.rhian, post, GOING_EMOJI)
    await driver.react(world.dafydd, post, GOING_EMOJI)
    await driver.react(world.organiser, post, MAYBE_EMOJI)
    await settled(bot, discord_server)
    reply = await driver.slash(world.organiser, "events attendees", event=TITLE)
    assert reply.ephemeral
    names = [f.name for f in reply.embed().fields]
    assert names == ["✅ Going (1)", "🤔 Maybe (1)", "❌ Can't go (0)", "⏳ Waitlist (1)"]
    [(filename, data)] = reply.files.items()
    assert filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [
        "status",
        "place",
        "user_id",
        "member",
        "answered_at_utc",
        "attended",
    ]
    body = [(r[0], r[1], r[2], r[3], r[5]) for r in rows[1:]]
    assert body == [  # nobody has been marked as there yet
        ("going", "", str(world.rhian.id), "Rhian Evans", ""),
        ("maybe", "", str(world.organiser.id), "Gareth Morgan", ""),
        ("waitlist", "1", str(world.dafydd.id), "Dafydd Jones", ""),
    ]
    refused = await driver.slash(world.rhian, "events attendees", event=TITLE)
    assert refused.ephemeral and "Only organisers" in refused.text and refused.files == {}
