"""Meeting series and the Events-tab mirror, on a real SQLite file with fakes for Discord."""

from __future__ import annotations

import pytest

from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.events import Event, Region
from bot.domain.guilds import Actor
from bot.domain.series import Series, host_for, parse_hosts
from bot.services.events import EventInput, EventService
from bot.services.guilds import GuildService
from bot.services.series import SeriesService
from tests.conftest import GUILD
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeAnnouncer, FakeClock, FakeMirror

pytestmark = pytest.mark.usefixtures("configured")

ROTA = "Swansea County Council, Voluntary Action Merthyr Tydfil, Monmouth County Council, United Welsh Housing"


@pytest.mark.parametrize(
    ("number", "host"),
    [(1, "A"), (2, "B"), (3, "C"), (4, "D"), (5, "A"), (8, "D"), (9, "A")],
)
def test_rota_counts_round(number: int, host: str) -> None:
    series = Series(1, GUILD, "S", ("A", "B", "C", "D"), None, 1)
    assert host_for(series, number) == host


def test_parse_hosts_cleans_and_limits() -> None:
    assert parse_hosts(" A ,, B  b ,") == ("A", "B b")
    with pytest.raises(UserError):
        parse_hosts(",".join(f"Org {n}" for n in range(21)))


def on(clock: FakeClock, days: int) -> str:
    """18:30 in Cardiff `days` on, as an organiser types it."""
    return typed(at_local(clock(), days=days))


async def meeting(
    events: EventService,
    organiser: Actor,
    when: str,
    *,
    host: str | None = None,
    title: str | None = None,
) -> Event:
    return (
        await events.create(
            GUILD,
            organiser,
            EventInput(when=when, series="S. Wales Network Meeting", host=host, title=title),
            None,
        )
    ).event


async def test_series_numbers_titles_and_hosts_in_turn(
    events: EventService, series_service: SeriesService, organiser: Actor, clock: FakeClock
) -> None:
    series, created = await series_service.define(
        GUILD, organiser, "S. Wales Network Meeting", ROTA, Region.SOUTH, 4
    )
    assert created and series.next_number == 4
    fourth = await meeting(events, organiser, on(clock, 5))
    assert (fourth.title, fourth.host, fourth.series_number, fourth.region) == (
        "S. Wales Network Meeting 4",
        "United Welsh Housing",
        4,
        Region.SOUTH,
    )
    fifth = await meeting(events, organiser, on(clock, 47), host="Patchwork Circles")
    assert (fifth.series_number, fifth.host) == (5, "Patchwork Circles")  # by hand: rota unshifted
    await events.cancel(GUILD, organiser, fifth.id, None)
    sixth = await meeting(events, organiser, on(clock, 75), title="Special meeting")
    assert (sixth.title, sixth.series_number, sixth.host) == (
        "Special meeting",
        6,
        "Voluntary Action Merthyr Tydfil",
    )
    details = await events.details(sixth)
    assert details.series is not None and details.series.next_number == 7
    assert [(e.series_number, e.cancelled) for e in details.history] == [
        (4, False),
        (5, True),
        (6, False),
    ]


async def test_series_update_keeps_what_is_not_given(
    events: EventService,
    series_service: SeriesService,
    organiser: Actor,
    member: Actor,
    clock: FakeClock,
) -> None:
    await series_service.define(
        GUILD, organiser, "N. Wales Network Meeting", "Patchwork Circles", Region.NORTH, None
    )
    series, created = await series_service.define(
        GUILD, organiser, "n. wales network meeting", None, None, 4
    )
    assert not created
    assert (series.name, series.hosts, series.region, series.next_number) == (
        "N. Wales Network Meeting",
        ("Patchwork Circles",),
        Region.NORTH,
        4,
    )
    for call, key in [
        (series_service.define(GUILD, member, "X", None, None, None), "not_organiser"),
        (series_service.define(GUILD, organiser, "   ", None, None, None), "series_name_missing"),
        (
            series_service.define(GUILD, organiser, "X", None, None, 10000),
            "series_number_out_of_range",
        ),
    ]:
        with pytest.raises(UserError) as caught:
            await call
        assert caught.value.key == key
    with pytest.raises(UserError) as caught:
        await events.create(GUILD, organiser, EventInput(when=on(clock, 5), series="Nope"), None)
    assert caught.value.key == "series_not_found"


async def test_host_suggestions_from_events_and_rotas(
    events: EventService, series_service: SeriesService, organiser: Actor, clock: FakeClock
) -> None:
    await series_service.define(GUILD, organiser, "S. Wales Network Meeting", ROTA, None, None)
    await events.create(
        GUILD,
        organiser,
        EventInput(when=on(clock, 5), title="x", host="Cardiff University"),
        None,
    )
    await events.create(
        GUILD,
        organiser,
        EventInput(when=on(clock, 6), title="y", host="cardiff  university"),
        None,
    )
    found = await events.suggest_hosts(GUILD, "cardiff")
    assert [h.casefold() for h in found] == ["cardiff university"]  # variants shown once
    assert "Monmouth County Council" in await events.suggest_hosts(GUILD, "monmouth")


async def test_mirror_created_edited_cancelled(
    events: EventService, organiser: Actor, mirror: FakeMirror, clock: FakeClock
) -> None:
    created = (
        await events.create(
            GUILD, organiser, EventInput(when=on(clock, 5), title="Policy Cafe"), None
        )
    ).event
    assert created.native_event_id in mirror.natives
    edited = await events.edit(GUILD, organiser, created, EventInput(title="Policy Café"))
    assert edited.event.native_event_id == created.native_event_id
    assert mirror.natives[created.native_event_id] == ("Policy Café", False)
    del mirror.natives[created.native_event_id]  # deleted by hand in Discord
    again = await events.edit(GUILD, organiser, created, EventInput(where="Online"))
    assert again.event.native_event_id in mirror.natives
    await events.cancel(GUILD, organiser, created.id, None)
    assert mirror.natives[again.event.native_event_id] == ("Policy Café", True)


async def test_without_permission_the_bot_carries_on_and_says_why(
    events: EventService,
    organiser: Actor,
    mirror: FakeMirror,
    guilds: GuildService,
    clock: FakeClock,
) -> None:
    mirror.allowed = False
    created = (
        await events.create(GUILD, organiser, EventInput(when=on(clock, 5), title="x"), None)
    ).event
    assert created.native_event_id is None
    assert (await guilds.settings(GUILD)).mirror_problem == "no Manage Events"
    mirror.allowed = True
    await events.edit(GUILD, organiser, created, EventInput(where="Online"))
    assert (await guilds.settings(GUILD)).mirror_problem is None


async def test_a_meeting_never_announced_gives_its_number_back(
    events: EventService,
    series_service: SeriesService,
    organiser: Actor,
    announcer: FakeAnnouncer,
    db: Database,
    clock: FakeClock,
) -> None:
    await series_service.define(GUILD, organiser, "S. Wales Network Meeting", ROTA, None, 4)
    announcer.forbidden_channels.add(555)
    with pytest.raises(UserError, match="cannot_post"):
        await events.create(
            GUILD, organiser, EventInput(when=on(clock, 5), series="S. Wales Network Meeting"), 555
        )
    fourth = await meeting(events, organiser, on(clock, 5))
    assert (fourth.series_number, fourth.title) == (4, "S. Wales Network Meeting 4")

    async with db.transaction() as conn:  # a stop between saving and posting meeting 5
        await conn.execute(
            "CREATE TRIGGER refuse BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
    with pytest.raises(UserError, match="cannot_post"):
        await events.create(
            GUILD, organiser, EventInput(when=on(clock, 47), series="S. Wales Network Meeting"), 555
        )
    async with db.transaction() as conn:
        await conn.execute("DROP TRIGGER refuse")
    assert (await series_service.resolve(GUILD, "S. Wales Network Meeting")).next_number == 6
    assert await events.sweep_unposted() == 1
    assert (await series_service.resolve(GUILD, "S. Wales Network Meeting")).next_number == 5
    fifth = await meeting(events, organiser, on(clock, 47))
    assert fifth.series_number == 5
