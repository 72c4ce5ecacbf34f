"""The clean-up of old RSVP reactions recovers, end to end: in a channel where Discord refused
it (no Manage Messages), the removals still owed are made once the bot may again — when the
channel or a role changes, or after a while — without a restart, and without knocking on a
closed door for every reaction meanwhile."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord

from bot.domain.rsvps import CANT_EMOJI, GOING_EMOJI, MAYBE_EMOJI, RsvpCounts
from bot.runtime.rsvp_workers import TIDY_RETRY_AFTER
from tests.e2e.conftest import CoproWorld
from tests.e2e.steps import counts, settled
from tests.e2e.test_forget_for_good import no_tidying
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.models import Message
from tests.support.dates import typed
from tests.support.fakes import FakeClock

REMOVE_ROUTE = "DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}"


def refused_removals(server: FakeDiscord) -> int:
    return sum(1 for r in server.request_log if r.route == REMOVE_ROUTE and r.status == 403)


async def switched_answers(
    bot: Any, driver: Driver, world: CoproWorld, server: FakeDiscord, start: datetime
) -> Message:
    """An announcement where Rhian went ✅ → ❌ and Dafydd 🤔 → ✅: two old reactions to take off."""
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await driver.slash(world.organiser, "events create", when=typed(start), title="Policy Cafe")
    [post] = [m for m in driver.messages(world.announcements) if m.embeds]
    for member, old, new in (
        (world.rhian, GOING_EMOJI, CANT_EMOJI),
        (world.dafydd, MAYBE_EMOJI, GOING_EMOJI),
    ):
        await driver.react(member, post, old)
        await settled(bot, server)
        await driver.react(member, post, new)
        await settled(bot, server)
    assert world.rhian.id in post.reactors(GOING_EMOJI)  # refused: both old ones stay
    assert world.dafydd.id in post.reactors(MAYBE_EMOJI)
    assert refused_removals(server) == 1  # one refusal for the channel, not one per reaction
    assert await counts(bot, post) == RsvpCounts(going=1, cant=1)
    return post


async def tidied(driver: Driver, world: CoproWorld, post: Message) -> None:
    await driver.wait_for(
        lambda: (
            world.rhian.id not in post.reactors(GOING_EMOJI)
            and world.dafydd.id not in post.reactors(MAYBE_EMOJI)
        ),
        timeout=10,
        message="the old reactions were not taken off",
    )


async def test_tidy_up_resumes_when_the_channel_allows_it_again(
    bot_app: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord, start: datetime
) -> None:
    discord_server.set_overwrites(world.announcements, [no_tidying(discord_server)])
    post = await switched_answers(bot_app, driver, world, discord_server, start)
    discord_server.set_overwrites(world.announcements, [])  # Manage Messages given back
    await tidied(driver, world, post)
    await settled(bot_app, discord_server)
    # the answers are the new ones; the clean-up's removals did not erase them
    assert await counts(bot_app, post) == RsvpCounts(going=1, cant=1)
    assert world.rhian.id in post.reactors(CANT_EMOJI)
    assert world.dafydd.id in post.reactors(GOING_EMOJI)


async def test_tidy_up_resumes_when_the_bots_role_gains_manage_messages(
    start_bot: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord, start: datetime
) -> None:
    [bot_role] = [r for r in world.guild.roles.values() if r.bot_id == discord_server.bot_user.id]
    allowed = discord.Permissions(bot_role.permissions)
    without = discord.Permissions(bot_role.permissions)
    without.manage_messages = False
    discord_server.set_role_permissions(bot_role, without)
    async with start_bot() as bot:
        post = await switched_answers(bot, driver, world, discord_server, start)
        discord_server.set_role_permissions(bot_role, allowed)
        await tidied(driver, world, post)
        assert await counts(bot, post) == RsvpCounts(going=1, cant=1)


async def test_tidy_up_is_tried_again_after_a_while(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: FakeClock,
    start: datetime,
) -> None:
    """A change the bot is not told of (here: an overwrite changed without an event) is found
    by trying again once the refusal is old, at the next reaction in that channel."""
    discord_server.set_overwrites(world.announcements, [no_tidying(discord_server)])
    post = await switched_answers(bot_app, driver, world, discord_server, start)
    world.announcements.overwrites.clear()  # allowed again, silently
    await driver.react(world.organiser, post, MAYBE_EMOJI)
    await settled(bot_app, discord_server)
    assert world.rhian.id in post.reactors(GOING_EMOJI)  # too soon: not asked again yet
    assert refused_removals(discord_server) == 1
    clock.advance(TIDY_RETRY_AFTER)
    await driver.react(world.admin, post, CANT_EMOJI)
    await tidied(driver, world, post)
    await settled(bot_app, discord_server)
    assert await counts(bot_app, post) == RsvpCounts(going=1, maybe=1, cant=2)


async def test_a_retry_still_refused_waits_again(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: FakeClock,
    start: datetime,
) -> None:
    """A change that does not give Manage Messages back costs one refused request, then the
    removals wait again (and are still made when it does come back)."""
    discord_server.set_overwrites(world.announcements, [no_tidying(discord_server)])
    post = await switched_answers(bot_app, driver, world, discord_server, start)
    clock.advance(TIDY_RETRY_AFTER)
    await driver.react(world.organiser, post, MAYBE_EMOJI)
    await settled(bot_app, discord_server)
    assert refused_removals(discord_server) == 2
    assert world.rhian.id in post.reactors(GOING_EMOJI)
    discord_server.set_overwrites(world.announcements, [])
    await tidied(driver, world, post)
