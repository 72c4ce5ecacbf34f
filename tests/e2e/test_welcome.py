"""The welcome panel through the local Discord: posted, its buttons answered after a restart,
moved (not doubled) when posted again; organisations typed three ways are one; autocomplete
offers the record."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import discord

from bot import text
from tests.e2e.conftest import CoproWorld
from tests.e2e.test_web import feed_of, fetch, free_port
from tests.fakediscord import Driver, FakeDiscord


def _panel(driver: Driver, world: CoproWorld) -> Any:
    return driver.last_message(world.general)


async def test_panel_works_after_a_restart_and_moves(
    start_bot: Callable[..., contextlib.AbstractAsyncContextManager[Any]],
    discord_server: FakeDiscord,
    driver: Driver,
    world: CoproWorld,
) -> None:
    pings = discord_server.add_role(world.guild, "Event pings")
    async with start_bot():
        await driver.slash(world.admin, "setup ping-role", role=pings)
        refused = await driver.slash(world.rhian, "setup welcome", channel=world.general)
        assert refused.ephemeral
        posted = await driver.slash(world.admin, "setup welcome", channel=world.general)
        assert "Posted the welcome panel" in posted.text
        panel = _panel(driver, world)
        assert [b["custom_id"] for b in panel.buttons()] == [
            "welcome:cy",
            "welcome:en",
            "welcome:join",
            "welcome:ping",
        ]
        no_roles = await driver.click(world.rhian, panel, "welcome:ping")
        assert "Manage Roles" in no_roles.text  # the bot may not manage roles yet
    # a manager gives the bot Manage Roles and puts its role on top; the bot restarts
    bot_role = next(r for r in world.guild.roles.values() if r.bot_id)
    bot_role.permissions |= discord.Permissions(manage_roles=True).value
    bot_role.position = 99
    async with start_bot():
        welsh = await driver.click(world.rhian, panel, "welcome:cy")
        assert welsh.ephemeral and "Cymraeg" in welsh.text
        await driver.slash(world.rhian, "network join", organisation="Cardiff Council")
        opened = await driver.click(world.dafydd, panel, "welcome:join")
        assert opened.modal is not None
        joined = await driver.submit_modal(
            world.dafydd, {"organisation": "cardiff  COUNCIL", "region": "south wales"}
        )
        assert "Cardiff Council (South Wales)" in joined.text  # the record's name
        await driver.slash(world.organiser, "network join", organisation="Cardiff-Council.")
        stats = await driver.slash(world.admin, "network stats")
        assert "3" in stats.text or "3" in str(stats.embeds)
        assert "1 organisation" in str(stats.embeds) or "1 sefydliad" in str(stats.embeds)
        choices = await driver.autocomplete(world.rhian, "network join", "organisation", "card")
        assert [c["value"] for c in choices] == ["Cardiff Council"]
        took = await driver.click(world.dafydd, panel, "welcome:ping")
        assert pings.id in world.guild.members[world.dafydd.user.id].role_ids, took.text
        dropped = await driver.click(world.dafydd, panel, "welcome:ping")
        assert pings.id not in world.guild.members[world.dafydd.user.id].role_ids, dropped.text
        bad = await driver.click(world.dafydd, panel, "welcome:join")
        assert bad.modal is not None
        refused_form = await driver.submit_modal(
            world.dafydd, {"organisation": "!!!", "region": ""}
        )
        assert refused_form.ephemeral and "punctuation" in refused_form.text
        moved = await driver.slash(world.admin, "setup welcome", channel=world.announcements)
        assert "Moved the welcome panel" in moved.text
        assert panel.deleted
        assert driver.last_message(world.announcements).buttons()[0]["custom_id"] == "welcome:cy"
        assert text.WELCOME_TITLE in str(driver.last_message(world.announcements).embeds)


ROLE_CHANGES = (
    "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}",
    "DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}",
)


async def test_ping_role_above_the_bots_own_says_what_to_change_and_changes_nothing(
    bot_app: Any, discord_server: FakeDiscord, driver: Driver, world: CoproWorld
) -> None:
    """The bot has Manage Roles, but the ping role sits above its role: the member is told,
    privately, that a manager must drag the bot's role above it; no role change is tried.
    Once the bot's role is moved above it, the same button works."""
    pings = discord_server.add_role(world.guild, "Event pings")  # the newest role: the top
    bot_role = next(r for r in world.guild.roles.values() if r.bot_id)
    assert pings.position > bot_role.position
    discord_server.set_role_permissions(
        bot_role, bot_role.permissions | discord.Permissions(manage_roles=True).value
    )

    def me() -> Any:  # the bot's own view of itself in the guild
        return bot_app.get_guild(world.guild.id).me

    await driver.wait_for(
        lambda: me().guild_permissions.manage_roles, message="the bot never saw Manage Roles"
    )
    await driver.slash(world.admin, "setup ping-role", role=pings)
    await driver.slash(world.admin, "setup welcome", channel=world.general)
    panel = _panel(driver, world)

    too_high = await driver.click(world.rhian, panel, "welcome:ping")
    assert too_high.ephemeral
    # the sentence that says what to change, naming the role as a mention the client shows
    role = f"<@&{pings.id}>"
    assert too_high.text == text.error_text("welcome_ping_role_too_high", role=role)
    assert pings.id not in world.guild.members[world.rhian.user.id].role_ids
    assert not any(discord_server.requests.get(route) for route in ROLE_CHANGES)

    # a manager drags the bot's role above the ping role (GUILD_ROLE_UPDATE reaches the bot)
    bot_role.position = pings.position + 1
    discord_server.set_role_permissions(bot_role, bot_role.permissions)
    await driver.wait_for(lambda: me().top_role.position > pings.position)
    took = await driver.click(world.rhian, panel, "welcome:ping")
    assert took.text == text.WELCOME_PING_ON.format(role=f"<@&{pings.id}>")
    assert pings.id in world.guild.members[world.rhian.user.id].role_ids
    assert discord_server.requests.get(ROLE_CHANGES[0]) == 1  # the route the check above watches


async def test_feed_button_gives_the_member_a_live_feed_privately(
    start_bot: Callable[..., contextlib.AbstractAsyncContextManager[Any]],
    bot_env: dict[str, str],
    driver: Driver,
    world: CoproWorld,
) -> None:
    port = free_port()
    bot_env["WEB_PORT"] = str(port)
    async with start_bot():
        await driver.slash(world.admin, "setup welcome", channel=world.general)
        panel = _panel(driver, world)
        feed_button = panel.button("welcome:feed")
        assert feed_button["label"] == text.BUTTON_WELCOME_FEED
        assert text.WELCOME_FEED in str(panel.embeds)
        reply = await driver.click(world.rhian, panel, "welcome:feed")
        assert reply.ephemeral
        url = feed_of(reply)  # the same feed /events subscribe hands out
        assert url.startswith(f"http://localhost:{port}/feeds/")
        assert reply.text.startswith(text.SUBSCRIBE_SERVER.format(narrowed=""))
        status, _, headers = await fetch(url)
        assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
        again = await driver.click(world.dafydd, panel, "welcome:feed")
        assert feed_of(again) != url  # each member has a feed address of their own
        assert driver.last_message(world.general) is panel  # nothing posted in the channel
