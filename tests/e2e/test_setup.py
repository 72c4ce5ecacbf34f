"""/setup end to end: every subcommand through the local Discord, as server managers and not."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import discord
import pytest

from bot import text
from bot.domain.guilds import GuildSettings
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, DriverError, FakeDiscord, Reply
from tests.fakediscord.models import Overwrite
from tests.support.dates import at_local, on_day, stamp, typed
from tests.support.fakes import FakeClock
from tests.support.markdown import read


@pytest.fixture
def meeting_4(clock: FakeClock) -> dict[str, str]:
    """S. Wales Network Meeting 4, typed for 18:30 five days on."""
    return {"when": typed(at_local(clock(), days=5)), "title": "S. Wales Network Meeting 4"}


async def settings_of(bot: Any, world: CoproWorld) -> GuildSettings:
    settings: GuildSettings = await bot.guild_service.settings(world.guild.id)
    return settings


def fields(reply: Reply) -> dict[str, str]:
    """The `/setup show` embed as {field name: value}."""
    embed = reply.embed()
    assert embed.title == text.SETUP_TITLE
    return {str(f.name): str(f.value) for f in embed.fields}


async def show(driver: Driver, world: CoproWorld) -> dict[str, str]:
    reply = await driver.slash(world.admin, "setup show")
    assert reply.ephemeral
    return fields(reply)


def seen(markdown: str) -> str:
    """What a reader sees of a reply's text."""
    return read(markdown, links=True).shown


def public_messages(driver: Driver, world: CoproWorld) -> list[Any]:
    return [m for c in (world.general, world.announcements) for m in driver.messages(c)]


# --- show ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("bot_app")
async def test_show_lists_the_defaults(driver: Driver, world: CoproWorld) -> None:
    reply = await driver.slash(world.admin, "setup show")
    assert reply.ephemeral
    shown = fields(reply)
    assert shown[text.SETUP_CHANNEL] == text.SETUP_NOT_SET
    assert shown[text.SETUP_ORGANISER_ROLE].startswith(text.SETUP_NOT_SET)
    assert text.SETUP_ORGANISERS_NOTE in shown[text.SETUP_ORGANISER_ROLE]
    assert shown[text.SETUP_PING_ROLE] == text.SETUP_NO_PING
    assert shown[text.SETUP_TIMEZONE] == "Europe/London"
    assert shown[text.SETUP_REMINDERS] == "`7d,1d,1h`"
    assert shown[text.SETUP_DIGEST] == text.SETUP_DIGEST_ON.format(
        day="Monday", time="09:00", tz="Europe/London"
    )
    assert public_messages(driver, world) == []


# --- channel ------------------------------------------------------------------------------------


async def test_channel_sets_the_announcements_channel(
    bot_app: Any, driver: Driver, world: CoproWorld
) -> None:
    reply = await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    assert reply.ephemeral
    assert reply.text == text.SETUP_SAVED_CHANNEL.format(channel=f"<#{world.announcements.id}>")
    assert (await settings_of(bot_app, world)).announcements_channel_id == world.announcements.id
    assert (await show(driver, world))[text.SETUP_CHANNEL] == f"<#{world.announcements.id}>"

    again = await driver.slash(world.admin, "setup channel", announcements=world.general)
    assert again.ephemeral and f"<#{world.general.id}>" in again.text
    assert (await settings_of(bot_app, world)).announcements_channel_id == world.general.id
    assert public_messages(driver, world) == []


async def test_channel_offers_only_text_channels(
    bot_app: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord
) -> None:
    voice = discord_server.add_channel(world.guild, "Cuppa and chat", type=2)
    with pytest.raises(DriverError, match="channel type"):
        await driver.slash(world.admin, "setup channel", announcements=voice)
    assert (await settings_of(bot_app, world)).announcements_channel_id is None


# --- organiser-role -----------------------------------------------------------------------------


async def test_organiser_role_is_saved_and_shown(
    bot_app: Any, driver: Driver, world: CoproWorld
) -> None:
    reply = await driver.slash(world.admin, "setup organiser-role", role=world.members)
    assert reply.ephemeral
    assert reply.text == text.SETUP_SAVED_ORGANISER_ROLE.format(role=f"<@&{world.members.id}>")
    assert (await settings_of(bot_app, world)).organiser_role_id == world.members.id
    assert (await show(driver, world))[text.SETUP_ORGANISER_ROLE].startswith(
        f"<@&{world.members.id}>"
    )
    # The reply names the role but pings nobody.
    assert reply.message is not None
    assert reply.message.mentions() == {"users": [], "roles": [], "everyone": False}


async def test_organiser_role_lets_its_members_create_events(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting_4: dict[str, str],
) -> None:
    hosts = discord_server.add_role(world.guild, "Event Hosts")
    discord_server.set_roles(world.rhian, [world.members, hosts])
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)

    before = await driver.slash(world.rhian, "events create", options=meeting_4)
    assert before.ephemeral and before.text == text.error_text("not_organiser")
    assert driver.messages(world.announcements) == []

    saved = await driver.slash(world.admin, "setup organiser-role", role=hosts)
    assert saved.ephemeral and f"<@&{hosts.id}>" in saved.text

    created = await driver.slash(world.rhian, "events create", options=meeting_4)
    assert created.ephemeral
    assert "S. Wales Network Meeting 4" in created.text
    [post] = driver.messages(world.announcements)
    assert post.embeds[0]["title"] == "S. Wales Network Meeting 4"

    # Members without the role are still refused.
    other = await driver.slash(
        world.dafydd, "events create", options={**meeting_4, "title": "Another"}
    )
    assert other.ephemeral and other.text == text.error_text("not_organiser")
    assert len(driver.messages(world.announcements)) == 1


# --- ping-role ----------------------------------------------------------------------------------


async def test_ping_role_set_and_cleared(bot_app: Any, driver: Driver, world: CoproWorld) -> None:
    reply = await driver.slash(world.admin, "setup ping-role", role=world.members)
    assert reply.ephemeral
    assert reply.text == text.SETUP_SAVED_PING_ROLE.format(role=f"<@&{world.members.id}>")
    assert (await settings_of(bot_app, world)).ping_role_id == world.members.id
    assert (await show(driver, world))[text.SETUP_PING_ROLE] == f"<@&{world.members.id}>"
    assert reply.message is not None and reply.message.mentions()["roles"] == []

    cleared = await driver.slash(world.admin, "setup ping-role")
    assert cleared.ephemeral and cleared.text == text.SETUP_SAVED_NO_PING
    assert (await settings_of(bot_app, world)).ping_role_id is None
    assert (await show(driver, world))[text.SETUP_PING_ROLE] == text.SETUP_NO_PING


# --- timezone -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed_zone", "zone"),
    [
        ("Europe/Paris", "Europe/Paris"),
        ("america/new york", "America/New_York"),
        ("Pacific/Auckland", "Pacific/Auckland"),
    ],
)
async def test_timezone_is_saved_in_its_proper_name(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    clock: FakeClock,
    typed_zone: str,
    zone: str,
) -> None:
    reply = await driver.slash(world.admin, "setup timezone", zone=typed_zone)
    assert reply.ephemeral
    # the reply tells the time there now: e.g. "Sat 28 Nov 23:00" in Auckland
    local = f"{clock().astimezone(ZoneInfo(zone)):%a %-d %b %H:%M}"
    # as a reader sees it: the underscore in New_York is escaped, never italics
    assert seen(reply.text) == text.SETUP_SAVED_TIMEZONE.format(tz=zone, local=local)
    assert (await settings_of(bot_app, world)).tz == zone
    shown = await show(driver, world)
    assert seen(shown[text.SETUP_TIMEZONE]) == zone
    assert f"({zone})" in seen(shown[text.SETUP_DIGEST])


async def test_timezone_changes_how_typed_times_are_read(
    bot_app: Any, driver: Driver, world: CoproWorld, meeting_4: dict[str, str]
) -> None:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await driver.slash(world.admin, "setup timezone", zone="America/New_York")
    await driver.slash(world.organiser, "events create", options=meeting_4)
    [post] = driver.messages(world.announcements)
    # The same typed "YYYY-MM-DD 18:30" is read as 18:30 in New York (e.g. 23:30 UTC in winter).
    day = date.fromisoformat(meeting_4["when"].split()[0])
    in_new_york = on_day(day, "18:30", "America/New_York")
    assert in_new_york != on_day(day, "18:30")  # not London's 18:30
    assert f"<t:{stamp(in_new_york)}:F>" in " ".join(f["value"] for f in post.embeds[0]["fields"])


@pytest.mark.usefixtures("bot_app")
async def test_timezone_autocomplete(driver: Driver, world: CoproWorld) -> None:
    london = await driver.autocomplete(world.admin, "setup timezone", "zone", "london")
    assert london[0] == {"name": "Europe/London", "value": "Europe/London"}
    assert all("london" in c["value"].lower() for c in london)

    new_york = await driver.autocomplete(world.admin, "setup timezone", "zone", "new york")
    assert "America/New_York" in [c["value"] for c in new_york]

    europe = await driver.autocomplete(world.admin, "setup timezone", "zone", "Europe/")
    assert len(europe) == 25  # Discord's most; there are more European zones than that
    assert all(c["value"].startswith("Europe/") for c in europe)
    assert [c["value"] for c in europe] == sorted(c["value"] for c in europe)

    everything = await driver.autocomplete(world.admin, "setup timezone", "zone", "")
    assert len(everything) == 25
    assert await driver.autocomplete(world.admin, "setup timezone", "zone", "Mars/Olympus") == []

    # What autocomplete offers is accepted as it is.
    reply = await driver.slash(world.admin, "setup timezone", zone=new_york[0]["value"])
    assert reply.ephemeral and new_york[0]["value"] in seen(reply.text)


# --- reminders ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "label", "offsets"),
    [
        ("2d, 3h,30m", "2d,3h,30m", (timedelta(days=2), timedelta(hours=3), timedelta(minutes=30))),
        ("1h,7d", "7d,1h", (timedelta(days=7), timedelta(hours=1))),
        ("90m", "90m", (timedelta(minutes=90),)),
    ],
)
async def test_reminders_are_saved_largest_first(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    typed: str,
    label: str,
    offsets: tuple[timedelta, ...],
) -> None:
    reply = await driver.slash(world.admin, "setup reminders", offsets=typed)
    assert reply.ephemeral
    assert reply.text == text.SETUP_SAVED_REMINDERS.format(offsets=f"`{label}`")
    assert (await settings_of(bot_app, world)).reminder_offsets == offsets
    assert (await show(driver, world))[text.SETUP_REMINDERS] == f"`{label}`"


# --- digest -------------------------------------------------------------------------------------


async def test_digest_off_and_on_with_day_and_time(
    bot_app: Any, driver: Driver, world: CoproWorld
) -> None:
    off = await driver.slash(world.admin, "setup digest", enabled=False)
    assert off.ephemeral and off.text == text.SETUP_SAVED_DIGEST_OFF
    settings = await settings_of(bot_app, world)
    assert not settings.digest_enabled
    assert (settings.digest_day, settings.digest_time) == ("monday", time(9, 0))
    assert (await show(driver, world))[text.SETUP_DIGEST] == text.SETUP_DIGEST_OFF

    on = await driver.slash(world.admin, "setup digest", enabled=True, day="friday", time="5:30pm")
    assert on.ephemeral
    assert on.text == text.SETUP_SAVED_DIGEST_ON.format(
        day="Friday", time="17:30", tz="Europe/London"
    )
    settings = await settings_of(bot_app, world)
    assert settings.digest_enabled
    assert (settings.digest_day, settings.digest_time) == ("friday", time(17, 30))
    assert (await show(driver, world))[text.SETUP_DIGEST] == text.SETUP_DIGEST_ON.format(
        day="Friday", time="17:30", tz="Europe/London"
    )

    # Only what is given changes.
    later = await driver.slash(world.admin, "setup digest", enabled=True, time="08:15")
    assert later.ephemeral and "Fridays at 08:15" in later.text
    settings = await settings_of(bot_app, world)
    assert (settings.digest_day, settings.digest_time) == ("friday", time(8, 15))


@pytest.mark.usefixtures("bot_app")
async def test_digest_day_is_a_choice(driver: Driver, world: CoproWorld) -> None:
    day = next(o for o in driver.command("setup").data["options"] if o["name"] == "digest")
    [choices] = [o["choices"] for o in day["options"] if o["name"] == "day"]
    assert [c["value"] for c in choices] == [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    with pytest.raises(DriverError, match="not one of the choices"):
        await driver.slash(world.admin, "setup digest", enabled=True, day="someday")


# --- refusals -----------------------------------------------------------------------------------


EVERYONE = object()  # stands for the guild's @everyone role (its id is the guild's id)

REFUSALS: list[tuple[str, dict[str, object], tuple[str, dict[str, str]]]] = [
    ("setup timezone", {"zone": "Mars/Olympus"}, ("timezone_unknown", {"zone": "Mars/Olympus"})),
    ("setup timezone", {"zone": "   "}, ("timezone_unknown", {"zone": ""})),
    ("setup reminders", {"offsets": "7x"}, ("offsets_unreadable", {"text": "7x"})),
    ("setup reminders", {"offsets": "1d,,1h"}, ("offsets_unreadable", {"text": "1d,,1h"})),
    ("setup reminders", {"offsets": "0m"}, ("reminders_out_of_range", {"text": "0m"})),
    ("setup reminders", {"offsets": "7d,61d"}, ("reminders_out_of_range", {"text": "7d,61d"})),
    ("setup digest", {"enabled": True, "time": "01:30"}, ("digest_early_hours", {})),
    (
        "setup digest",
        {"enabled": False, "day": "friday", "time": "25:00"},
        ("time_of_day_unreadable", {"text": "25:00"}),
    ),
    (
        "setup digest",
        {"enabled": True, "time": "teatime"},
        ("time_of_day_unreadable", {"text": "teatime"}),
    ),
    ("setup organiser-role", {"role": EVERYONE}, ("role_everyone", {})),
    ("setup ping-role", {"role": EVERYONE}, ("role_everyone", {})),
]


@pytest.mark.parametrize(
    ("path", "options", "error"),
    REFUSALS,
    ids=[
        f"{path.split()[1]}:{'@everyone' if v is EVERYONE else repr(v)}"
        for path, options, _ in REFUSALS
        for v in [list(options.values())[-1]]
    ],
)
async def test_refused_input_is_private_and_changes_nothing(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    path: str,
    options: dict[str, Any],
    error: tuple[str, dict[str, Any]],
) -> None:
    options = {k: world.guild.everyone if v is EVERYONE else v for k, v in options.items()}
    expected = text.error_text(error[0], **error[1])
    # Some non-default settings, so "nothing changed" means more than "still the defaults".
    await driver.slash(world.admin, "setup reminders", offsets="2d,2h")
    await driver.slash(world.admin, "setup digest", enabled=True, day="tuesday", time="10:00")
    await driver.slash(world.admin, "setup ping-role", role=world.members)
    before = await settings_of(bot_app, world)
    shown_before = await show(driver, world)

    reply = await driver.slash(world.admin, path, options=options)
    assert reply.ephemeral
    assert reply.text == expected
    assert await settings_of(bot_app, world) == before
    assert await show(driver, world) == shown_before


# --- who may change settings --------------------------------------------------------------------


def _every_subcommand(world: CoproWorld) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("setup show", {}),
        ("setup channel", {"announcements": world.general}),
        ("setup organiser-role", {"role": world.members}),
        ("setup ping-role", {"role": world.organisers}),
        ("setup ping-role", {}),
        ("setup timezone", {"zone": "Europe/Paris"}),
        ("setup reminders", {"offsets": "30m"}),
        ("setup digest", {"enabled": False}),
        ("setup digest", {"enabled": True, "day": "sunday", "time": "20:00"}),
    ]


@pytest.mark.parametrize("who", ["rhian", "organiser"])
async def test_non_admins_are_refused_every_subcommand(
    bot_app: Any, driver: Driver, world: CoproWorld, who: str
) -> None:
    member = getattr(world, who)
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await driver.slash(world.admin, "setup ping-role", role=world.members)
    before = await settings_of(bot_app, world)
    for path, options in _every_subcommand(world):
        reply = await driver.slash(member, path, options=options)
        assert reply.ephemeral, path
        assert reply.text == text.error_text("not_admin"), path
        assert reply.embeds == [], path  # /setup show reveals nothing
    assert await settings_of(bot_app, world) == before
    assert public_messages(driver, world) == []


async def test_setup_is_hidden_from_non_managers_by_default(bot_app: Any, driver: Driver) -> None:
    # Discord hides /setup from members without Manage Server; the bot checks again anyway.
    command = driver.command("setup")
    manage_guild = 1 << 5
    assert int(command.data["default_member_permissions"]) == manage_guild
    assert command.data["contexts"] == [0]  # servers only, not DMs


async def test_administrator_permission_is_enough(
    bot_app: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord
) -> None:
    import discord

    boss = discord_server.add_role(
        world.guild, "Trustees", permissions=discord.Permissions(administrator=True)
    )
    discord_server.set_roles(world.dafydd, [boss])
    reply = await driver.slash(world.dafydd, "setup reminders", offsets="3d")
    assert reply.ephemeral and "`3d`" in reply.text
    assert (await settings_of(bot_app, world)).reminder_offsets == (timedelta(days=3),)


async def test_channel_the_bot_cannot_post_in_is_refused(
    start_bot: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord
) -> None:
    """A channel where the bot may not send messages is refused with what to fix."""
    bot_member_id = discord_server.bot_user.id
    quiet = discord_server.add_channel(
        world.guild,
        "read-only",
        overwrites=[
            Overwrite(bot_member_id, 1, deny=discord.Permissions(send_messages=True).value)
        ],
    )
    async with start_bot() as bot:
        reply = await driver.slash(world.admin, "setup channel", announcements=quiet)
        assert reply.ephemeral and "I can't post in" in reply.text
        settings = await bot.guild_service.settings(world.guild.id)
        assert settings.announcements_channel_id is None
        ok = await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        assert ok.ephemeral and "announced in" in ok.text
