"""Organiser means server-wide (issue 15): who may organise is read from the member's
server-wide permissions (their roles, or the organiser role), never from the overwrites of
the channel a command is typed in; and `channel:` on /events create and /letter create needs
the organiser to be able to see and send messages in that channel.

Both directions of the first rule:
* a channel overwrite granting Manage Events (or Manage Server) to a member who has neither
  server-wide does not make them an organiser (or a server manager) in that channel;
* an organiser (or server manager) in a channel whose overwrite denies them Manage Events
  (Manage Server) is still one there.

For `channel:`: a channel the organiser cannot see, or can see but not send in, is refused
privately with a sentence naming the channel, before anything is stored, posted or a form
opened; a channel they can post in (given by an overwrite) is used as before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import discord
import pytest

from bot import text
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.models import Channel, Overwrite
from tests.support.dates import at_local, typed

VIEW = discord.Permissions(view_channel=True).value
SEND = discord.Permissions(send_messages=True).value
BOT_NEEDS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    add_reactions=True,
    read_message_history=True,
    manage_messages=True,
).value
ORGANISING = discord.Permissions(manage_events=True, manage_guild=True).value


async def counts(bot: Any) -> dict[str, int]:
    """Rows of what organisers and server managers create or change."""
    async with bot.db.reading() as conn:
        found = {}
        for table in ("events", "letters", "series"):
            [(n,)] = await conn.execute_fetchall(f"SELECT count(*) FROM {table}")
            found[table] = n
        [(n,)] = await conn.execute_fetchall(
            "SELECT count(*) FROM guild_settings WHERE organiser_role_id IS NOT NULL"
        )
        found["organiser_role_set"] = n
        return found


def public_messages(server: FakeDiscord) -> set[int]:
    return {m.id for m in server.messages.values() if not m.ephemeral and not m.deleted}


def forms_opened(server: FakeDiscord) -> int:
    return sum(1 for r in server.interactions.values() if r.modal is not None)


@pytest.fixture
async def ready(bot_app: Any, driver: Driver, world: CoproWorld) -> Any:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    return bot_app


def later(clock: Callable[[], datetime]) -> str:
    return typed(at_local(clock(), days=9))


# --- an overwrite in one channel is not a server-wide permission -------------------------------


def granted_commands(when: str, world: CoproWorld) -> list[tuple[str, dict[str, Any], str]]:
    return [
        ("events create", {"when": when, "title": "Not by overwrite"}, "not_organiser"),
        ("events series", {"name": "Overwrite series", "hosts": "Adra"}, "not_organiser"),
        (
            "letter create",
            {"title": "Not by overwrite", "addressee": "Senedd", "body": "Text"},
            "not_organiser",
        ),
        ("letter create", {"title": "No form either", "addressee": "Senedd"}, "not_organiser"),
        ("setup show", {}, "not_admin"),
        ("setup organiser-role", {"role": world.members}, "not_admin"),
    ]


@pytest.mark.parametrize("by", ["member overwrite", "role overwrite"])
async def test_a_channel_overwrite_granting_manage_events_does_not_make_an_organiser(
    by: str,
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: Callable[[], datetime],
) -> None:
    target = world.rhian.id if by == "member overwrite" else world.members.id
    corner = discord_server.add_channel(
        world.guild,
        "events-team",
        overwrites=[Overwrite(target, 1 if by == "member overwrite" else 0, allow=ORGANISING)],
    )
    # Discord itself reports the overwrite in the interaction's channel permissions.
    assert discord_server.guilds[world.guild.id].permissions_in(world.rhian, corner) & ORGANISING
    before, messages = await counts(ready), public_messages(discord_server)
    forms = forms_opened(discord_server)
    for path, options, refusal in granted_commands(later(clock), world):
        reply = await driver.slash(world.rhian, path, in_channel=corner, options=options)
        assert reply.type != 9, f"/{path} opened a form"
        assert await counts(ready) == before, f"/{path} changed something"
        assert reply.ephemeral and reply.text == text.error_text(refusal), (path, reply.text)
    assert public_messages(discord_server) == messages
    assert forms_opened(discord_server) == forms


async def test_an_organiser_in_a_channel_whose_overwrite_denies_it_is_still_an_organiser(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: Callable[[], datetime],
) -> None:
    quiet = discord_server.add_channel(
        world.guild,
        "quiet-corner",
        overwrites=[
            Overwrite(world.organisers.id, 0, deny=ORGANISING),
            Overwrite(world.admins.id, 0, deny=ORGANISING),
        ],
    )
    guild = discord_server.guilds[world.guild.id]
    assert not guild.permissions_in(world.organiser, quiet) & ORGANISING
    assert not guild.permissions_in(world.admin, quiet) & ORGANISING
    before = await counts(ready)

    created = await driver.slash(
        world.organiser, "events create", in_channel=quiet, when=later(clock), title="Still mine"
    )
    assert created.ephemeral and text.error_text("not_organiser") not in created.text
    series = await driver.slash(
        world.organiser, "events series", in_channel=quiet, name="Quiet series", hosts="Adra"
    )
    assert series.ephemeral and text.error_text("not_organiser") not in series.text
    form = await driver.slash(
        world.organiser, "letter create", in_channel=quiet, title="Quiet letter", addressee="S"
    )
    assert form.type == 9  # the letter's text form opens
    shown = await driver.slash(world.admin, "setup show", in_channel=quiet)
    assert shown.ephemeral and text.error_text("not_admin") not in shown.text
    role = await driver.slash(
        world.admin, "setup organiser-role", in_channel=quiet, role=world.members
    )
    assert role.ephemeral and text.error_text("not_admin") not in role.text

    after = await counts(ready)
    assert after["events"] == before["events"] + 1
    assert after["series"] == before["series"] + 1
    assert after["organiser_role_set"] == 1
    assert any("Still mine" in m.text for m in driver.messages(world.announcements))


# --- channel: needs the organiser to see and send there -----------------------------------------


def private_channel(server: FakeDiscord, world: CoproWorld, *, organisers: Overwrite) -> Channel:
    """A channel the bot may post in, with an overwrite for the Organiser role."""
    return server.add_channel(
        world.guild,
        "steering-group",
        overwrites=[organisers, Overwrite(server.bot_user.id, 1, allow=BOT_NEEDS)],
    )


def channel_commands(when: str, channel: Channel) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("events create", {"when": when, "title": "Hidden meeting", "channel": channel}),
        (
            "letter create",
            {"title": "Hidden letter", "addressee": "Senedd", "body": "Text", "channel": channel},
        ),
        ("letter create", {"title": "Hidden form", "addressee": "Senedd", "channel": channel}),
    ]


@pytest.mark.parametrize("cannot", ["see", "send"])
async def test_channel_option_the_organiser_cannot_post_in_is_refused_naming_it(
    cannot: str,
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: Callable[[], datetime],
) -> None:
    denied = VIEW if cannot == "see" else SEND
    hidden = private_channel(
        discord_server, world, organisers=Overwrite(world.organisers.id, 0, deny=denied)
    )
    assert discord_server.bot_permissions_in(hidden) & BOT_NEEDS == BOT_NEEDS
    before, messages = await counts(ready), public_messages(discord_server)
    forms = forms_opened(discord_server)
    for path, options in channel_commands(later(clock), hidden):
        reply = await driver.slash(world.organiser, path, options=options)
        assert reply.type != 9, f"/{path} opened a form"
        assert await counts(ready) == before, f"/{path} stored something"
        assert public_messages(discord_server) == messages, f"/{path} posted"
        assert reply.ephemeral
        assert reply.text == text.error_text("channel_not_yours", channel=f"<#{hidden.id}>"), (
            path,
            reply.text,
        )
        assert f"<#{hidden.id}>" in reply.text
    assert forms_opened(discord_server) == forms
    assert driver.messages(hidden) == []


async def test_channel_option_the_organiser_can_post_in_is_used(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: Callable[[], datetime],
) -> None:
    """Seeing and sending given by an overwrite (in a channel @everyone cannot see) is enough."""
    hidden = discord_server.add_channel(
        world.guild,
        "steering-group",
        overwrites=[
            Overwrite(world.guild.id, 0, deny=VIEW),
            Overwrite(world.organisers.id, 0, allow=VIEW | SEND),
            Overwrite(discord_server.bot_user.id, 1, allow=BOT_NEEDS),
        ],
    )
    commands = channel_commands(later(clock), hidden)
    for number, (path, options) in enumerate(commands[:2], start=1):
        reply = await driver.slash(world.organiser, path, options=options)
        assert reply.ephemeral

        def posted(n: int = number) -> bool:
            return len(driver.messages(hidden)) == n

        await driver.wait_for(posted)
    path, options = commands[2]
    form = await driver.slash(world.organiser, path, options=options)
    assert form.type == 9
    done = await driver.submit_modal(world.organiser, {"body": "The text of the letter."})
    assert done.ephemeral
    await driver.wait_for(lambda: len(driver.messages(hidden)) == 3)
    # Members who cannot see it are not asked: a member is refused as a non-organiser.
    refused = await driver.slash(
        world.rhian, "events create", when=later(clock), title="x", channel=hidden
    )
    assert refused.text == text.error_text("not_organiser")
