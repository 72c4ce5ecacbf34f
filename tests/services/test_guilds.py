"""GuildService: settings stored per server, for server managers only, with clear refusals."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.guilds import Actor, GuildSettings
from bot.services.guilds import GuildService
from bot.services.reminders import digest_job_id
from tests.conftest import GUILD
from tests.support.fakes import FakeJobs


async def test_defaults_for_a_new_server(guilds: GuildService) -> None:
    settings = await guilds.settings(GUILD)
    assert settings == GuildSettings(guild_id=GUILD)
    assert settings.tz == "Europe/London"
    assert settings.reminder_offsets == (timedelta(days=7), timedelta(days=1), timedelta(hours=1))
    assert (settings.digest_enabled, settings.digest_day, settings.digest_time) == (
        True,
        "monday",
        time(9, 0),
    )


async def test_each_setting_is_stored(guilds: GuildService, admin: Actor) -> None:
    await guilds.set_channel(GUILD, admin, 11)
    await guilds.set_organiser_role(GUILD, admin, 12)
    await guilds.set_ping_role(GUILD, admin, 13)
    await guilds.set_timezone(GUILD, admin, "america/new_york")
    await guilds.set_reminders(GUILD, admin, "2d, 30m")
    await guilds.set_digest(GUILD, admin, True, "friday", "4:30pm")
    settings = await guilds.settings(GUILD)
    assert settings.announcements_channel_id == 11
    assert settings.organiser_role_id == 12
    assert settings.ping_role_id == 13
    assert settings.tz == "America/New_York"
    assert settings.reminder_offsets == (timedelta(days=2), timedelta(minutes=30))
    assert (settings.digest_day, settings.digest_time) == ("friday", time(16, 30))
    await guilds.set_ping_role(GUILD, admin, None)
    await guilds.set_digest(GUILD, admin, False, None, None)
    settings = await guilds.settings(GUILD)
    assert settings.ping_role_id is None and not settings.digest_enabled
    assert settings.digest_day == "friday"  # untouched by switching off
    assert (await guilds.settings(GUILD + 1)) == GuildSettings(guild_id=GUILD + 1)


async def test_a_change_of_settings_replans_the_digest(
    guilds: GuildService, admin: Actor, jobs: FakeJobs
) -> None:
    job = digest_job_id(GUILD)
    await guilds.set_digest(GUILD, admin, True, "friday", "4:30pm")
    assert job not in jobs.pending()  # no channel yet: nowhere to post it
    await guilds.set_channel(GUILD, admin, 11)
    assert jobs.jobs[job].weekly == ("friday", time(16, 30), "Europe/London")
    await guilds.set_timezone(GUILD, admin, "America/New_York")
    assert jobs.jobs[job].weekly == ("friday", time(16, 30), "America/New_York")
    await guilds.set_digest(GUILD, admin, False, None, None)
    assert job not in jobs.pending()


@pytest.mark.parametrize(
    ("call", "key"),
    [
        (lambda g, a: g.set_timezone(GUILD, a, "Mars/Olympus"), "timezone_unknown"),
        (lambda g, a: g.set_reminders(GUILD, a, "7x"), "offsets_unreadable"),
        (lambda g, a: g.set_reminders(GUILD, a, "0m"), "reminders_out_of_range"),
        (lambda g, a: g.set_reminders(GUILD, a, "7d,3d,1d,6h,2h,1h,30m"), "offsets_too_many"),
        (lambda g, a: g.set_reminders(GUILD, a, "1d,24h"), "offsets_repeated"),
        (lambda g, a: g.set_digest(GUILD, a, True, None, "25:00"), "time_of_day_unreadable"),
        (lambda g, a: g.set_digest(GUILD, a, True, None, "01:30"), "digest_early_hours"),
        (lambda g, a: g.set_organiser_role(GUILD, a, GUILD), "role_everyone"),
    ],
)
async def test_bad_values_refused_and_nothing_stored(
    guilds: GuildService,
    admin: Actor,
    db: Database,
    call,
    key: str,  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(UserError) as caught:
        await call(guilds, admin)
    assert caught.value.key == key
    async with db.reading() as conn:
        assert list(await conn.execute_fetchall("SELECT * FROM guild_settings")) == []


async def test_only_server_managers_change_settings(guilds: GuildService, db: Database) -> None:
    organiser = Actor.of(2, [], manage_events=True)
    for call in (
        guilds.set_channel(GUILD, organiser, 1),
        guilds.set_timezone(GUILD, organiser, "Europe/London"),
        guilds.show(GUILD, organiser),
    ):
        with pytest.raises(UserError) as caught:
            await call
        assert caught.value.key == "not_admin"
    async with db.reading() as conn:
        assert list(await conn.execute_fetchall("SELECT * FROM guild_settings")) == []
    administrator = Actor.of(3, [], administrator=True)
    assert (await guilds.set_channel(GUILD, administrator, 1)).announcements_channel_id == 1


async def test_non_admin_hears_about_permission_before_the_value(guilds: GuildService) -> None:
    organiser = Actor.of(2, [], manage_events=True)
    for call in (
        guilds.set_timezone(GUILD, organiser, "Mars/Olympus"),
        guilds.set_reminders(GUILD, organiser, "7x"),
        guilds.set_organiser_role(GUILD, organiser, GUILD),
        guilds.set_digest(GUILD, organiser, True, None, "01:30"),
    ):
        with pytest.raises(UserError) as caught:
            await call
        assert caught.value.key == "not_admin"
