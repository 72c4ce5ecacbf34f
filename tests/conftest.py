"""Shared fixtures: a real migrated SQLite file in tmp_path, a frozen clock, plain fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.db import Database
from bot.domain.guilds import Actor
from bot.services.events import EventService
from bot.services.guilds import GuildService
from bot.services.reminders import ReminderService
from bot.services.rsvps import RsvpService
from bot.services.series import SeriesService
from tests.support.dates import at_local
from tests.support.fakes import (
    FakeAnnouncer,
    FakeClock,
    FakeJobs,
    FakeMirror,
    FakeNotifier,
    FakePostTouch,
)

GUILD = 900_000_000_000_000_001
ANNOUNCE = 900_000_000_000_000_100
ORGANISER_ROLE = 900_000_000_000_000_200


@pytest.fixture
def clock() -> FakeClock:
    # The real now, standing still: dates in tests are built from it (tests/support/dates.py).
    return FakeClock()


@pytest.fixture
def start(clock: FakeClock) -> datetime:
    """When the test's meeting starts: 18:30 in Cardiff five days on, so it and its 1d and 1h
    reminders fall days after the test (a file may override it)."""
    return at_local(clock(), days=5)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3")
    await database.migrate()
    yield database
    await database.close()


@pytest.fixture
def announcer() -> FakeAnnouncer:
    return FakeAnnouncer()


@pytest.fixture
def guilds(db: Database, clock: FakeClock, reminders: ReminderService) -> GuildService:
    return GuildService(db, clock, reminders)


@pytest.fixture
def series_service(db: Database, clock: FakeClock, guilds: GuildService) -> SeriesService:
    return SeriesService(db, clock, guilds)


@pytest.fixture
def post_touch() -> FakePostTouch:
    return FakePostTouch()


@pytest.fixture
def rsvps(
    db: Database, clock: FakeClock, guilds: GuildService, post_touch: FakePostTouch
) -> RsvpService:
    return RsvpService(db, clock, guilds, post_touch)


@pytest.fixture
def jobs() -> FakeJobs:
    return FakeJobs()


@pytest.fixture
def notifier() -> FakeNotifier:
    return FakeNotifier()


@pytest.fixture
def reminders(
    db: Database,
    clock: FakeClock,
    jobs: FakeJobs,
    notifier: FakeNotifier,
    announcer: FakeAnnouncer,
) -> ReminderService:
    return ReminderService(db, clock, jobs, notifier, announcer)


@pytest.fixture
def events(
    db: Database,
    clock: FakeClock,
    guilds: GuildService,
    series_service: SeriesService,
    announcer: FakeAnnouncer,
    rsvps: RsvpService,
    reminders: ReminderService,
    mirror: FakeMirror,
) -> EventService:
    return EventService(db, clock, guilds, series_service, announcer, rsvps, reminders, mirror)


@pytest.fixture
def mirror() -> FakeMirror:
    return FakeMirror()


@pytest.fixture
def admin() -> Actor:
    return Actor.of(1, [], manage_guild=True)


@pytest.fixture
def organiser() -> Actor:
    return Actor.of(2, [], manage_events=True)


@pytest.fixture
def member() -> Actor:
    return Actor.of(3, [])


@pytest.fixture
async def configured(guilds: GuildService, admin: Actor) -> None:
    await guilds.set_channel(GUILD, admin, ANNOUNCE)
