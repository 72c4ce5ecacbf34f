"""/help end to end: a private embed naming every command the bot offers."""

from __future__ import annotations

import pytest

from bot import text
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, FakeDiscord, Reply

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2


def synced_command_paths(server: FakeDiscord) -> list[str]:
    """Every slash command a member can run, as '/group sub' paths, from what the bot synced."""
    paths = []
    for command in server.commands.values():
        if command.type != 1:
            continue
        subs = [
            o
            for o in command.data.get("options") or []
            if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)
        ]
        if not subs:
            paths.append(f"/{command.name}")
        for sub in subs:
            if sub["type"] == SUB_COMMAND_GROUP:
                paths += [f"/{command.name} {sub['name']} {s['name']}" for s in sub["options"]]
            else:
                paths.append(f"/{command.name} {sub['name']}")
    return sorted(paths)


def embed_text(reply: Reply) -> str:
    embed = reply.embed()
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


@pytest.mark.usefixtures("bot_app")
async def test_help_is_private_and_names_every_command(
    driver: Driver, world: CoproWorld, discord_server: FakeDiscord
) -> None:
    reply = await driver.slash(world.rhian, "help")
    assert reply.ephemeral
    embed = reply.embed()
    assert embed.title == text.HELP_TITLE
    names = [f.name for f in embed.fields]
    assert {text.HELP_EVERYONE, text.HELP_ORGANISERS, text.HELP_ADMINS} <= set(names)
    assert names.index(text.HELP_EVERYONE) < names.index(text.HELP_ADMINS)
    shown = embed_text(reply)
    paths = synced_command_paths(discord_server)
    assert "/help" in paths and "/events create" in paths and "/setup digest" in paths
    missing = [p for p in paths if f"`{p}`" not in shown]
    assert missing == [], f"/help does not mention {missing}"
    # Nothing went to the channel.
    assert driver.messages(world.general) == []


@pytest.mark.usefixtures("bot_app")
async def test_help_names_commands_under_who_may_use_them(
    driver: Driver, world: CoproWorld
) -> None:
    embed = (await driver.slash(world.dafydd, "help")).embed()
    by_name = {f.name: f.value or "" for f in embed.fields}
    assert "`/events upcoming`" in by_name[text.HELP_EVERYONE]
    assert "`/events create`" in by_name[text.HELP_ORGANISERS]
    assert "`/setup channel`" in by_name[text.HELP_ADMINS]
    assert "/setup" not in by_name[text.HELP_EVERYONE] + by_name[text.HELP_ORGANISERS]
    assert "/events create" not in by_name[text.HELP_EVERYONE]


@pytest.mark.parametrize("who", ["rhian", "organiser", "admin"])
@pytest.mark.usefixtures("bot_app")
async def test_help_works_for_everyone_in_any_channel(
    driver: Driver, world: CoproWorld, who: str
) -> None:
    member = getattr(world, who)
    for channel in (world.general, world.announcements):
        reply = await driver.slash(member, "help", in_channel=channel)
        assert reply.ephemeral
        assert reply.embed().title == text.HELP_TITLE
        assert reply.message is not None
        assert reply.message.mentions() == {"users": [], "roles": [], "everyone": False}
    assert driver.messages(world.general) == driver.messages(world.announcements) == []


@pytest.mark.usefixtures("bot_app")
async def test_help_is_offered_to_everyone(driver: Driver) -> None:
    command = driver.command("help")
    assert command.data.get("default_member_permissions") is None  # no permission needed
    assert [o for o in command.data.get("options") or [] if o.get("required")] == []
