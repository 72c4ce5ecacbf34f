"""Meeting series and the Events-tab mirror end to end, through the local Discord."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord

from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, FakeDiscord
from tests.support.dates import at_local, typed
from tests.support.markdown import shown_as_typed

ROTA = "Swansea County Council, Voluntary Action Merthyr Tydfil, Monmouth County Council, United Welsh Housing"


async def channel_set(driver: Driver, world: CoproWorld) -> None:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)


async def test_series_defined_numbered_and_shown_in_info(
    bot_app: Any, driver: Driver, world: CoproWorld, start: datetime
) -> None:
    await channel_set(driver, world)
    defined = await driver.slash(
        world.organiser,
        "events series",
        name="S. Wales Network Meeting",
        hosts=ROTA,
        region="South Wales",
        next_number=4,
    )
    assert (
        defined.ephemeral and "number 4" in defined.text and "United Welsh Housing" in defined.text
    )
    refused = await driver.slash(world.rhian, "events series", name="Rogue series")
    assert refused.ephemeral and "Only organisers" in refused.text
    choices = await driver.autocomplete(world.organiser, "events create", "series", "wales")
    assert [c["name"] for c in choices] == ["S. Wales Network Meeting"]
    created = await driver.slash(
        world.organiser, "events create", when=typed(start), series=choices[0]["value"]
    )
    assert created.ephemeral and "S. Wales Network Meeting 4" in created.text
    post = driver.last_message(world.announcements)
    assert post.embeds[0]["title"] == "S. Wales Network Meeting 4"
    assert any(f["value"] == "United Welsh Housing" for f in post.embeds[0]["fields"])
    six_weeks_on = at_local(start, days=42)
    await driver.slash(
        world.organiser,
        "events create",
        when=typed(six_weeks_on),
        series="S. Wales Network Meeting",
    )
    info = await driver.slash(world.rhian, "events info", event="S. Wales Network Meeting 5")
    series_field = next(f for f in info.embed().fields if f.name == "Series")
    assert "Meeting 5 of S. Wales Network Meeting" in (series_field.value or "")
    assert "4: hosted by United Welsh Housing" in (series_field.value or "")
    hosts = await driver.autocomplete(world.organiser, "events create", "host", "monmouth")
    assert [c["value"] for c in hosts] == ["Monmouth County Council"]


AGENDA = "Agenda: **co-production** in_practice_ and `voices`, [notes](https://example.org)"


async def test_native_events_follow_create_edit_cancel(
    bot_app: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord, start: datetime
) -> None:
    await channel_set(driver, world)
    await driver.slash(
        world.organiser,
        "events create",
        when=typed(start),
        title="Finding our voices",
        where="Cardiff",
        description=AGENDA,
    )
    [native] = discord_server.events(world.guild)
    assert shown_as_typed(native.description or "", AGENDA, links=True) is None
    assert (native.name, native.location, native.entity_type) == (
        "Finding our voices",
        "Cardiff",
        3,
    )
    assert native.start == start
    next_day = at_local(start, days=1)
    await driver.slash(
        world.organiser, "events edit", event="Finding our voices", when=typed(next_day)
    )
    [native] = discord_server.events(world.guild)
    assert native.start == next_day
    native.deleted = True  # someone deletes it by hand in Discord
    await driver.slash(world.organiser, "events edit", event="Finding our voices", where="Swansea")
    live = [e for e in discord_server.events(world.guild) if not e.deleted]
    assert [e.location for e in live] == ["Swansea"]
    prompt = await driver.slash(world.organiser, "events cancel", event="Finding our voices")
    await driver.click(world.organiser, prompt.message, "Cancel the event")
    assert [e.status for e in discord_server.events(world.guild) if not e.deleted] == [4]
    shown = await driver.slash(world.admin, "setup show")
    assert "events are mirrored there" in shown.text


async def test_without_manage_events_the_bot_carries_on(
    start_bot: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord, start: datetime
) -> None:
    bot_role = next(r for r in world.guild.roles.values() if r.bot_id is not None)
    allowed = discord.Permissions(bot_role.permissions)
    allowed.manage_events = False
    allowed.create_events = False
    bot_role.permissions = allowed.value
    async with start_bot():
        await channel_set(driver, world)
        reply = await driver.slash(world.organiser, "events create", when=typed(start), title="x")
        assert "Posted" in reply.text
        assert [e for e in discord_server.events(world.guild) if not e.deleted] == []
        shown = await driver.slash(world.admin, "setup show")
        assert "Manage Events" in shown.text and "Off" in shown.text
