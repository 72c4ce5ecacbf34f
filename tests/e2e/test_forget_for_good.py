"""/privacy forget is for good, end to end: a reaction the bot may not take off a post never
brings the member's RSVP back — not at a restart, not in a new gateway session — and the
rest of what was forgotten stays gone; only what the member does after the forget counts."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import discord

from bot import text
from bot.domain.rsvps import CANT_EMOJI, GOING_EMOJI, MAYBE_EMOJI, RsvpCounts
from tests.e2e.conftest import CoproWorld, no_identify_pause
from tests.e2e.steps import counts, counts_on_post, settled
from tests.fakediscord import Driver, FakeDiscord, Reply
from tests.fakediscord.models import Message, Overwrite
from tests.support.dates import typed
from tests.support.fakes import FakeClock

StartBot = Callable[..., contextlib.AbstractAsyncContextManager[Any]]
TITLE = "S. Wales Network Meeting 4"
LETTER = "Open Letter to the First Minister"
MANAGE_MESSAGES = discord.Permissions(manage_messages=True).value
READ_POST = "GET /channels/{channel_id}/messages/{message_id}"  # reconciliation reads a post


def no_tidying(server: FakeDiscord) -> Overwrite:
    """The bot's own overwrite on a channel: everything but Manage Messages."""
    return Overwrite(server.bot_user.id, 1, deny=MANAGE_MESSAGES)


async def reconciled(bot: Any, server: FakeDiscord, after: Any = None) -> Any:
    """Wait for the reconciliation of a new gateway session (not `after`) and its effects."""
    workers = bot.rsvp_workers
    await server.wait_for(
        lambda: (
            workers.reconciling is not None
            and workers.reconciling is not after
            and workers.reconciling.done()
        ),
        timeout=15,
        message="the posts were not reconciled",
    )
    await settled(bot, server)
    return workers.reconciling


async def held(driver: Driver, who: Any) -> dict[str, list[dict[str, Any]]]:
    reply = await driver.slash(who, "privacy mydata")
    data: dict[str, list[dict[str, Any]]] = json.loads(reply.files["my-data.json"])["data"]
    return data


async def automatic_reminder(bot: Any, event_id: int) -> int:
    async with bot.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT id FROM reminders WHERE event_id = ? AND user_id IS NULL "
            "AND status = 'pending' ORDER BY due_at",
            (event_id,),
        )
    return int(rows[0]["id"])


def final_text(done: Reply, prompt: Reply) -> str:
    """The forget reply: the confirmation prompt, edited into what was done."""
    message = done.message or prompt.message
    assert message is not None
    return message.content


def reminders_to(driver: Driver, who: Any) -> list[Message]:
    return [m for m in driver.dms(who) if "Reminder" in m.content]


async def test_forget_holds_where_the_bot_may_not_remove_reactions(
    start_bot: StartBot,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: FakeClock,
    start: datetime,
) -> None:
    discord_server.set_overwrites(world.announcements, [no_tidying(discord_server)])
    rhian = world.rhian
    async with start_bot() as first:
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        await driver.slash(
            world.organiser, "events create", when=typed(start), title=TITLE, capacity=1
        )
        [post] = [m for m in driver.messages(world.announcements) if m.embeds]
        await driver.react(rhian, post, GOING_EMOJI)
        await settled(first, discord_server)
        await driver.react(world.dafydd, post, GOING_EMOJI)  # the waitlist's first
        await settled(first, discord_server)
        await driver.react(rhian, post, MAYBE_EMOJI)  # her ✅ can't be taken off here
        await settled(first, discord_server)
        assert rhian.id in post.reactors(GOING_EMOJI) and rhian.id in post.reactors(MAYBE_EMOJI)
        assert await counts(first, post) == RsvpCounts(going=1, maybe=1)
        # the rest of what she leaves with the bot
        await driver.slash(
            world.organiser, "letter create", title=LETTER, addressee="FM", body="Yes"
        )
        await driver.slash(rhian, "letter sign", letter=LETTER, name="Rhian Evans")
        await driver.slash(rhian, "reminders add", event=TITLE, before="2h")
        await driver.slash(rhian, "network join", organisation="Swansea County Council")

        prompt = await driver.slash(rhian, "privacy forget")
        done = await driver.click(rhian, prompt.message, text.PRIVACY_FORGET_BUTTON)
        await settled(first, discord_server)
        reply = final_text(done, prompt)
        # she is told which reactions stay, where, and how to take them off herself
        link = f"https://discord.com/channels/{world.guild.id}/{world.announcements.id}/{post.id}"
        assert link in reply and f"<#{world.announcements.id}>" in reply, reply
        assert "click" in reply.lower()
        assert rhian.id in post.reactors(GOING_EMOJI)  # still on the post: the bot may not
        assert await counts(first, post) == RsvpCounts(going=1)
        # what is kept, and why, is in her data: nothing but the reactions left on the post
        kept = await held(driver, rhian)
        assert {label for label, rows in kept.items() if rows} == {"reactions_left_on_posts"}
        assert {row["message_id"] for row in kept["reactions_left_on_posts"]} == {str(post.id)}
        first_session = first.rsvp_workers.reconciling

    async with start_bot() as second:  # a restart: the post is read again
        second.before_identify_hook = no_identify_pause
        session = await reconciled(second, discord_server, after=first_session)
        assert await counts(second, post) == RsvpCounts(going=1)
        assert counts_on_post(post) == "✅ 1/1 going · 🤔 0 maybe · ❌ 0 can't go"
        after_restart = await held(driver, rhian)
        assert after_restart["rsvps"] == [] and after_restart["signatures"] == []
        assert after_restart["reminders"] == [] and after_restart["network_profile"] == []
        assert after_restart["reminders_received"] == []

        # a new gateway session reads the post again: still nothing of hers comes back
        discord_server.gateway.invalidate_all()
        await driver.drop_gateway(timeout=15)
        session = await reconciled(second, discord_server, after=session)
        assert await counts(second, post) == RsvpCounts(going=1)

        # no reminder is owed to her: the automatic one goes to Dafydd only
        [event] = [e for e in await second.event_service.open_posts() if e.message_id == post.id]
        reminder = await automatic_reminder(second, event.id)
        back = clock()
        clock.set(start - timedelta(days=1))
        await second.reminder_service.deliver(reminder)
        assert len(reminders_to(driver, world.dafydd)) == 1
        assert reminders_to(driver, rhian) == []
        clock.set(back)  # the post is fresh again: its edits keep the short gap

        # what she does after the forget counts again, and stays counted
        await driver.react(rhian, post, CANT_EMOJI)
        await settled(second, discord_server)
        assert await counts(second, post) == RsvpCounts(going=1, cant=1)
        discord_server.gateway.invalidate_all()
        await driver.drop_gateway(timeout=15)
        await reconciled(second, discord_server, after=session)
        assert await counts(second, post) == RsvpCounts(going=1, cant=1)
        # taking her new answer off withdraws it; the reactions from before still don't count
        await driver.unreact(rhian, post, CANT_EMOJI)
        await settled(second, discord_server)
        assert await counts(second, post) == RsvpCounts(going=1)
    async with start_bot() as third:
        await reconciled(third, discord_server)
        assert await counts(third, post) == RsvpCounts(going=1)
        assert [r["status"] for r in (await held(driver, rhian))["rsvps"]] == []


async def test_forget_where_the_bot_may_tidy_leaves_nothing_behind(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    start: datetime,
) -> None:
    """With Manage Messages every reaction of hers is taken off, so nothing is kept."""
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await driver.slash(world.organiser, "events create", when=typed(start), title=TITLE)
    [post] = [m for m in driver.messages(world.announcements) if m.embeds]
    await driver.react(world.rhian, post, CANT_EMOJI)
    await settled(bot_app, discord_server)
    prompt = await driver.slash(world.rhian, "privacy forget")
    done = await driver.click(world.rhian, prompt.message, text.PRIVACY_FORGET_BUTTON)
    await settled(bot_app, discord_server)
    reply = final_text(done, prompt)
    assert "click" not in reply.lower() and str(post.id) not in reply
    assert world.rhian.id not in post.reactors(CANT_EMOJI)
    assert all(rows == [] for rows in (await held(driver, world.rhian)).values())
    await driver.react(world.rhian, post, GOING_EMOJI)  # a new answer counts at once
    await settled(bot_app, discord_server)
    assert await counts(bot_app, post) == RsvpCounts(going=1)


async def test_reactions_left_at_a_forget_come_off_once_the_bot_may(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    start: datetime,
) -> None:
    """Left on the post at the forget (no Manage Messages), her reactions are taken off when
    the permission is given back, and then nothing of hers is kept at all."""
    discord_server.set_overwrites(world.announcements, [no_tidying(discord_server)])
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await driver.slash(world.organiser, "events create", when=typed(start), title=TITLE)
    [post] = [m for m in driver.messages(world.announcements) if m.embeds]
    await driver.react(world.rhian, post, MAYBE_EMOJI)
    await settled(bot_app, discord_server)
    prompt = await driver.slash(world.rhian, "privacy forget")
    done = await driver.click(world.rhian, prompt.message, text.PRIVACY_FORGET_BUTTON)
    assert str(post.id) in final_text(done, prompt)
    assert world.rhian.id in post.reactors(MAYBE_EMOJI)
    discord_server.set_overwrites(world.announcements, [])
    await driver.wait_for(lambda: world.rhian.id not in post.reactors(MAYBE_EMOJI))
    await settled(bot_app, discord_server)
    assert await counts(bot_app, post) == RsvpCounts()
    before = bot_app.rsvp_workers.reconciling
    bot_app.before_identify_hook = no_identify_pause
    discord_server.gateway.invalidate_all()
    await driver.drop_gateway(timeout=15)
    await reconciled(bot_app, discord_server, after=before)
    assert all(rows == [] for rows in (await held(driver, world.rhian)).values())


async def test_a_reaction_not_yet_read_when_she_forgets_never_counts(
    start_bot: StartBot,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    start: datetime,
) -> None:
    """A ✅ the bot has never stored (made while it was stopped) and a forget before the posts
    are read again: the re-read that follows must not count it."""
    rhian = world.rhian
    async with start_bot() as first:
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        await driver.slash(world.organiser, "events create", when=typed(start), title=TITLE)
        [post] = [m for m in driver.messages(world.announcements) if m.embeds]
        await driver.slash(rhian, "network join", organisation="Swansea County Council")
        await settled(first, discord_server)
    await driver.react(rhian, post, GOING_EMOJI)  # while the bot is stopped
    forgot = asyncio.Event()

    async def after_the_forget(_request: Any) -> None:
        await forgot.wait()

    discord_server.before_answer(READ_POST, after_the_forget)  # the re-read waits for her
    async with start_bot() as second:
        prompt = await driver.slash(rhian, "privacy forget")
        await driver.click(rhian, prompt.message, text.PRIVACY_FORGET_BUTTON)
        forgot.set()
        await reconciled(second, discord_server)
        assert await counts(second, post) == RsvpCounts()
        # read after the forget, it is one of hers from before: taken off, never counted
        await driver.wait_for(lambda: rhian.id not in post.reactors(GOING_EMOJI))
        discord_server.before_answer(READ_POST, None)
        second.before_identify_hook = no_identify_pause
        discord_server.gateway.invalidate_all()
        await driver.drop_gateway(timeout=15)
        await reconciled(second, discord_server)
        assert await counts(second, post) == RsvpCounts()
