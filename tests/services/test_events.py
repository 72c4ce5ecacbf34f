"""EventService against a real SQLite file with a frozen clock and a recording announcer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.events import EventStatus, Kind, Region
from bot.domain.guilds import Actor
from bot.services.events import PAGE_SIZE, EventInput, EventService
from bot.services.guilds import GuildService
from bot.services.reminders import ReminderService
from bot.services.rsvps import RsvpService
from bot.stores.events import EventFilter
from tests.conftest import ANNOUNCE, GUILD, ORGANISER_ROLE
from tests.support.fakes import FakeAnnouncer, FakeClock, FakeJobs, FakeMirror

pytestmark = pytest.mark.usefixtures("configured")

MEETING_4 = EventInput(
    when="2026-12-03 18:30",
    title="S. Wales Network Meeting 4",
    where="United Welsh Housing, Caerphilly",
    host="United Welsh Housing",
    region=Region.SOUTH,
)


async def count_events(db: Database) -> int:
    async with db.reading() as conn:
        return next(iter(await conn.execute_fetchall("SELECT count(*) FROM events")))[0]


async def test_create_stores_and_announces(
    events: EventService, organiser: Actor, announcer: FakeAnnouncer
) -> None:
    created = await events.create(GUILD, organiser, MEETING_4, None)
    event = created.event
    assert event.starts_at == datetime(2026, 12, 3, 18, 30, tzinfo=UTC)  # GMT in December
    assert event.duration == timedelta(hours=2)
    assert event.kind is Kind.MEETING
    assert event.channel_id == ANNOUNCE
    assert created.ambiguous_local is None
    stored = await events.get(event.id)
    assert stored == event
    assert announcer.posts[event.message_id].event.title == "S. Wales Network Meeting 4"


async def test_create_reads_summer_time_in_the_server_zone(
    events: EventService, organiser: Actor
) -> None:
    created = await events.create(
        GUILD, organiser, EventInput(when="2027-06-05 10:00", title="Finding our voices"), None
    )
    assert created.event.starts_at == datetime(2027, 6, 5, 9, 0, tzinfo=UTC)  # BST


async def test_create_in_the_autumn_overlap_takes_the_first_and_says_so(
    events: EventService, organiser: Actor
) -> None:
    created = await events.create(
        GUILD, organiser, EventInput(when="2027-10-31 01:30", title="Night walk"), None
    )
    assert created.event.starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert created.ambiguous_local is not None


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        (EventInput(when="yesterday 10am", title="x"), "when_past"),
        (EventInput(when="banana", title="x"), "when_unreadable"),
        (EventInput(when="2027-03-28 01:30", title="x"), "when_nonexistent"),
        (EventInput(when="2026-12-03 18:30"), "title_missing"),
        (EventInput(when="2026-12-03 18:30", title="   "), "title_missing"),
        (EventInput(when="2026-12-03 18:30", title="x", duration="0m"), "duration_out_of_range"),
        (EventInput(when="2026-12-03 18:30", title="x", duration="8d"), "duration_out_of_range"),
        (EventInput(when="2026-12-03 18:30", title="x" * 101), "too_long"),
        (EventInput(when="2026-12-03 18:30", title="x", where="y" * 101), "too_long"),
    ],
)
async def test_create_refuses_bad_input_and_stores_nothing(
    events: EventService,
    organiser: Actor,
    db: Database,
    announcer: FakeAnnouncer,
    typed: EventInput,
    key: str,
) -> None:
    with pytest.raises(UserError) as caught:
        await events.create(GUILD, organiser, typed, None)
    assert caught.value.key == key
    assert await count_events(db) == 0
    assert announcer.posts == {}


async def test_non_organiser_is_refused(
    events: EventService, member: Actor, db: Database, announcer: FakeAnnouncer
) -> None:
    with pytest.raises(UserError) as caught:
        await events.create(GUILD, member, MEETING_4, None)
    assert caught.value.key == "not_organiser"
    assert await count_events(db) == 0 and announcer.posts == {}


async def test_organiser_role_counts_as_organiser(
    events: EventService, guilds: GuildService, admin: Actor
) -> None:
    await guilds.set_organiser_role(GUILD, admin, ORGANISER_ROLE)
    role_holder = Actor.of(7, [ORGANISER_ROLE])
    created = await events.create(GUILD, role_holder, MEETING_4, None)
    assert created.event.created_by == 7


async def test_no_channel_anywhere_is_refused(
    db: Database,
    clock: FakeClock,
    organiser: Actor,
    rsvps: RsvpService,
    reminders: ReminderService,
) -> None:
    service = EventService(
        db, clock, GuildService(db, clock), FakeAnnouncer(), rsvps, reminders, FakeMirror()
    )
    with pytest.raises(UserError) as caught:
        await service.create(GUILD + 1, organiser, MEETING_4, None)
    assert caught.value.key == "no_announcements_channel"


async def test_channel_that_cannot_be_posted_in_stores_nothing(
    events: EventService, organiser: Actor, announcer: FakeAnnouncer, db: Database
) -> None:
    announcer.forbidden_channels.add(555)
    with pytest.raises(UserError) as caught:
        await events.create(GUILD, organiser, MEETING_4, 555)
    assert caught.value.key == "cannot_post"
    assert await count_events(db) == 0


async def rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    async with db.reading() as conn:
        return [tuple(row) for row in await conn.execute_fetchall(sql)]


async def test_nothing_is_announced_when_storing_fails(
    events: EventService, organiser: Actor, announcer: FakeAnnouncer, db: Database
) -> None:
    async with db.transaction() as conn:  # make inserts fail
        await conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
    with pytest.raises(Exception, match="no"):
        await events.create(GUILD, organiser, MEETING_4, None)
    assert announcer.posts == {} and announcer.withdrawn == []  # never posted, nobody pinged
    assert await count_events(db) == 0


async def test_post_taken_down_and_event_removed_when_marking_it_posted_fails(
    events: EventService, organiser: Actor, announcer: FakeAnnouncer, db: Database, jobs: FakeJobs
) -> None:
    async with db.transaction() as conn:  # the event saves, but recording its post fails
        await conn.execute(
            "CREATE TRIGGER refuse BEFORE UPDATE OF posted ON events "
            "BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
    with pytest.raises(Exception, match="no"):
        await events.create(GUILD, organiser, MEETING_4, None)
    assert announcer.posts == {} and len(announcer.withdrawn) == 1
    assert await count_events(db) == 0
    assert await rows(db, "SELECT count(*) FROM reminders") == [(0,)]
    assert jobs.pending() == []


async def test_a_channel_that_refuses_the_post_leaves_no_reminders_or_jobs(
    events: EventService, organiser: Actor, announcer: FakeAnnouncer, db: Database, jobs: FakeJobs
) -> None:
    announcer.forbidden_channels.add(555)
    with pytest.raises(UserError, match="cannot_post"):
        await events.create(GUILD, organiser, MEETING_4, 555)
    assert await rows(db, "SELECT count(*) FROM reminders") == [(0,)]
    assert jobs.pending() == []


async def test_start_up_sweep_removes_only_events_whose_post_never_went_out(
    events: EventService, organiser: Actor, announcer: FakeAnnouncer, db: Database
) -> None:
    kept = (await events.create(GUILD, organiser, MEETING_4, None)).event
    planned = await rows(db, "SELECT count(*) FROM reminders")
    announcer.forbidden_channels.add(555)
    async with db.transaction() as conn:  # the clean-up after the refused post fails too
        await conn.execute(
            "CREATE TRIGGER refuse BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
    with pytest.raises(UserError, match="cannot_post"):
        await events.create(GUILD, organiser, MEETING_4, 555)
    async with db.transaction() as conn:
        await conn.execute("DROP TRIGGER refuse")
    assert await rows(db, "SELECT posted, count(*) FROM events GROUP BY posted") == [
        (0, 1),
        (1, 1),
    ]
    assert await rows(db, "SELECT count(*) FROM reminders") == [(2 * planned[0][0],)]

    assert await events.sweep_unposted() == 1
    assert await rows(db, "SELECT id FROM events") == [(kept.id,)]
    assert await rows(db, "SELECT DISTINCT event_id FROM reminders") == [(kept.id,)]
    assert await events.sweep_unposted() == 0


async def test_edit_changes_time_keeps_duration_and_refreshes_post(
    events: EventService, organiser: Actor, announcer: FakeAnnouncer
) -> None:
    created = await events.create(GUILD, organiser, MEETING_4, None)
    edited = await events.edit(
        GUILD, organiser, str(created.event.id), EventInput(when="2026-12-10 18:00", host="-")
    )
    assert edited.changes == ("time", "host")
    assert edited.event.starts_at == datetime(2026, 12, 10, 18, 0, tzinfo=UTC)
    assert edited.event.duration == timedelta(hours=2)
    assert edited.event.host is None
    assert not edited.reposted
    assert announcer.posts[created.event.message_id].event == edited.event


async def test_edit_reposts_when_the_announcement_was_deleted(
    events: EventService, organiser: Actor, announcer: FakeAnnouncer
) -> None:
    created = await events.create(GUILD, organiser, MEETING_4, None)
    del announcer.posts[created.event.message_id]
    edited = await events.edit(GUILD, organiser, str(created.event.id), EventInput(where="Online"))
    assert edited.reposted
    assert edited.event.message_id is not None
    assert edited.event.message_id != created.event.message_id
    stored = await events.get(created.event.id)
    assert stored is not None and stored.message_id in announcer.posts
    assert announcer.posts[stored.message_id].ping_role_id is None  # a re-post never pings


async def test_edit_by_exact_title_and_refusals(
    events: EventService, organiser: Actor, member: Actor
) -> None:
    await events.create(GUILD, organiser, MEETING_4, None)
    edited = await events.edit(
        GUILD, organiser, "s. wales network meeting 4", EventInput(duration="3h")
    )
    assert edited.event.duration == timedelta(hours=3)
    for ref, typed, key, actor in [
        ("S. Wales Network Meeting 4", EventInput(), "edit_nothing", organiser),
        ("Nope", EventInput(where="x"), "event_not_found", organiser),
        ("S. Wales Network Meeting 4", EventInput(when="yesterday 9am"), "when_past", organiser),
        ("S. Wales Network Meeting 4", EventInput(where="x"), "not_organiser", member),
    ]:
        with pytest.raises(UserError) as caught:
            await events.edit(GUILD, actor, ref, typed)
        assert caught.value.key == key


async def test_same_title_twice_is_ambiguous(events: EventService, organiser: Actor) -> None:
    await events.create(GUILD, organiser, MEETING_4, None)
    await events.create(GUILD, organiser, MEETING_4, None)
    with pytest.raises(UserError) as caught:
        await events.resolve(GUILD, "S. Wales Network Meeting 4")
    assert caught.value.key == "event_ambiguous"


async def test_event_of_another_server_is_not_found(events: EventService, organiser: Actor) -> None:
    created = await events.create(GUILD, organiser, MEETING_4, None)
    with pytest.raises(UserError):
        await events.resolve(GUILD + 1, str(created.event.id))


async def test_cancel_marks_cancelled_once_and_refreshes(
    events: EventService, organiser: Actor, announcer: FakeAnnouncer
) -> None:
    created = await events.create(GUILD, organiser, MEETING_4, None)
    event, reason = await events.prepare_cancel(
        GUILD, organiser, str(created.event.id), "  venue   flooded "
    )
    assert reason == "venue flooded"
    cancelled = (await events.cancel(GUILD, organiser, event.id, reason)).event
    assert cancelled.status is EventStatus.CANCELLED
    assert cancelled.cancel_reason == "venue flooded"
    assert announcer.posts[created.event.message_id].event.cancelled
    with pytest.raises(UserError) as caught:
        await events.cancel(GUILD, organiser, event.id, None)
    assert caught.value.key == "event_cancelled_already"
    with pytest.raises(UserError) as caught:
        await events.edit(GUILD, organiser, str(event.id), EventInput(where="x"))
    assert caught.value.key == "event_cancelled_already"


async def test_finished_event_cannot_be_edited_or_cancelled(
    events: EventService, organiser: Actor, clock: FakeClock
) -> None:
    created = await events.create(GUILD, organiser, MEETING_4, None)
    clock.advance(timedelta(days=30))
    for call in (
        events.edit(GUILD, organiser, str(created.event.id), EventInput(where="x")),
        events.prepare_cancel(GUILD, organiser, str(created.event.id), None),
    ):
        with pytest.raises(UserError) as caught:
            await call
        assert caught.value.key == "event_over"


async def test_upcoming_and_past_filter_and_page(
    events: EventService, organiser: Actor, clock: FakeClock
) -> None:
    start = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    for n in range(23):
        region = Region.NORTH if n % 2 else Region.SOUTH
        kind = Kind.SEMINAR if n % 3 == 0 else Kind.MEETING
        when = (start + timedelta(days=n)).strftime("%Y-%m-%d %H:%M")
        await events.create(
            GUILD,
            organiser,
            EventInput(when=when, title=f"Event {n:02d}", region=region, kind=kind),
            None,
        )
    everything = EventFilter()
    first = await events.upcoming(GUILD, everything, 0)
    assert (first.total, first.pages, first.page) == (23, 3, 0)
    assert [e.title for e in first.events] == [f"Event {n:02d}" for n in range(PAGE_SIZE)]
    last = await events.upcoming(GUILD, everything, 99)  # clamped to the last page
    assert last.page == 2 and [e.title for e in last.events] == ["Event 20", "Event 21", "Event 22"]
    north = await events.upcoming(GUILD, EventFilter(region=Region.NORTH), 0)
    assert north.total == 11 and all(e.region is Region.NORTH for e in north.events)
    seminars = await events.upcoming(GUILD, EventFilter(kind=Kind.SEMINAR, region=Region.SOUTH), 0)
    assert [e.title for e in seminars.events] == ["Event 00", "Event 06", "Event 12", "Event 18"]

    clock.set(datetime(2026, 12, 5, 11, 0, tzinfo=UTC))  # events 0–3 over, 4 in progress
    past = await events.past(GUILD, everything, 0)
    assert [e.title for e in past.events] == ["Event 03", "Event 02", "Event 01", "Event 00"]
    upcoming = await events.upcoming(GUILD, everything, 0)
    assert upcoming.events[0].title == "Event 04" and upcoming.total == 19


async def test_cancelled_events_leave_both_lists(
    events: EventService, organiser: Actor, clock: FakeClock
) -> None:
    created = await events.create(GUILD, organiser, MEETING_4, None)
    await events.cancel(GUILD, organiser, created.event.id, None)
    assert (await events.upcoming(GUILD, EventFilter(), 0)).total == 0
    clock.advance(timedelta(days=30))
    assert (await events.past(GUILD, EventFilter(), 0)).total == 0


async def test_suggest_by_part_of_title(
    events: EventService, organiser: Actor, clock: FakeClock
) -> None:
    await events.create(GUILD, organiser, MEETING_4, None)
    await events.create(
        GUILD, organiser, EventInput(when="2026-12-05 10:00", title="Policy Cafe 100%"), None
    )
    found = await events.suggest(GUILD, "wales", include_past=False, include_cancelled=False)
    assert [e.title for e in found] == ["S. Wales Network Meeting 4"]
    assert [
        e.title
        for e in await events.suggest(GUILD, "100%", include_past=False, include_cancelled=False)
    ] == ["Policy Cafe 100%"]
    assert await events.suggest(GUILD, "_", include_past=False, include_cancelled=False) == []
    clock.advance(timedelta(days=30))
    assert await events.suggest(GUILD, "", include_past=False, include_cancelled=False) == []
    assert len(await events.suggest(GUILD, "", include_past=True, include_cancelled=True)) == 2


async def test_suggesting_every_event_puts_the_coming_ones_first_then_the_latest_past(
    events: EventService, organiser: Actor, clock: FakeClock
) -> None:
    for when, title in [
        ("2026-11-30 10:00", "Past one"),
        ("2026-12-01 10:00", "Past two"),
        ("2027-03-01 10:00", "Later"),
        ("2027-02-01 10:00", "Sooner"),
    ]:
        await events.create(GUILD, organiser, EventInput(when=when, title=title), None)
    clock.set(datetime(2027, 1, 10, 12, 0, tzinfo=UTC))
    found = await events.suggest(GUILD, "", include_past=True, include_cancelled=True)
    assert [e.title for e in found] == ["Sooner", "Later", "Past two", "Past one"]


@pytest.mark.parametrize("ref", ["²", "١٢", "9" * 40, "-1", "0x10"])
async def test_odd_references_are_not_found_cleanly(events: EventService, ref: str) -> None:
    with pytest.raises(UserError) as caught:
        await events.resolve(GUILD, ref)
    assert caught.value.key == "event_not_found"
