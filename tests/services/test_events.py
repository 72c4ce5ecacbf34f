"""EventService against a real SQLite file with a frozen clock and a recording announcer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.events import EventStatus, Kind, Region
from bot.domain.guilds import Actor
from bot.services.events import PAGE_SIZE, EventInput, EventService
from bot.services.guilds import GuildService
from bot.services.reminders import ReminderService
from bot.services.rsvps import RsvpService
from bot.services.series import SeriesService
from tests.conftest import ANNOUNCE, GUILD, ORGANISER_ROLE
from tests.support.dates import LONDON, at_local, clock_change, local_date, typed
from tests.support.fakes import FakeAnnouncer, FakeClock, FakeJobs, FakeMirror

pytestmark = pytest.mark.usefixtures("configured")


@pytest.fixture
def meeting_4(start: datetime) -> EventInput:
    return EventInput(
        when=typed(start),
        title="S. Wales Network Meeting 4",
        where="United Welsh Housing, Caerphilly",
        host="United Welsh Housing",
        region=Region.SOUTH,
    )


def night_clocks_change(now: datetime, *, forward: bool) -> date:
    """The local date of the next night, at least a day after `now`, on which the clocks in
    Cardiff go forward (01:00-02:00 never happens) or back (01:00-02:00 happens twice)."""
    return local_date(clock_change(now + timedelta(days=1), forward=forward))


def summer_day(now: datetime) -> date:
    """A local date ahead of `now` on which Cardiff keeps summer time (BST)."""
    return local_date(clock_change(now, forward=True) + timedelta(days=7))


async def count_events(db: Database) -> int:
    async with db.reading() as conn:
        return next(iter(await conn.execute_fetchall("SELECT count(*) FROM events")))[0]


async def test_create_stores_and_announces(
    events: EventService,
    organiser: Actor,
    announcer: FakeAnnouncer,
    meeting_4: EventInput,
    start: datetime,
) -> None:
    created = await events.create(GUILD, organiser, meeting_4, None)
    event = created.event
    assert event.starts_at == start  # 18:30 wall time in Cardiff, GMT or BST as that day keeps
    assert event.starts_at.astimezone(LONDON).strftime("%H:%M") == "18:30"
    assert event.duration == timedelta(hours=2)
    assert event.kind is Kind.MEETING
    assert event.channel_id == ANNOUNCE
    assert created.ambiguous_local is None
    stored = await events.resolve(GUILD, str(event.id))
    assert stored == event
    assert event.message_id is not None
    assert announcer.posts[event.message_id].event.title == "S. Wales Network Meeting 4"


async def test_create_reads_summer_time_in_the_server_zone(
    events: EventService, organiser: Actor, clock: FakeClock
) -> None:
    day = summer_day(clock())
    created = await events.create(
        GUILD, organiser, EventInput(when=f"{day} 10:00", title="Finding our voices"), None
    )
    expected = datetime.combine(day, time(9, 0), tzinfo=UTC)
    assert created.event.starts_at == expected  # BST


async def test_create_in_the_autumn_overlap_takes_the_first_and_says_so(
    events: EventService, organiser: Actor, clock: FakeClock
) -> None:
    night = night_clocks_change(clock(), forward=False)
    created = await events.create(
        GUILD, organiser, EventInput(when=f"{night} 01:30", title="Night walk"), None
    )
    first = datetime.combine(night, time(0, 30), tzinfo=UTC)
    assert created.event.starts_at == first  # 01:30 BST; 01:30 GMT comes an hour later
    assert created.ambiguous_local is not None


def soon(now: datetime) -> str:
    """A good start time, as typed: 18:30 five days on."""
    return typed(at_local(now, days=5))


def spring_gap(now: datetime) -> str:
    """01:30 on the night the clocks go forward: a wall time that never happens."""
    return f"{night_clocks_change(now, forward=True)} 01:30"


@pytest.mark.parametrize(
    ("bad", "key"),
    [
        (lambda now: EventInput(when="yesterday 10am", title="x"), "when_past"),
        (lambda now: EventInput(when="banana", title="x"), "when_unreadable"),
        (lambda now: EventInput(when=spring_gap(now), title="x"), "when_nonexistent"),
        (lambda now: EventInput(when=soon(now)), "title_missing"),
        (lambda now: EventInput(when=soon(now), title="   "), "title_missing"),
        (
            lambda now: EventInput(when=soon(now), title="x", duration="0m"),
            "duration_out_of_range",
        ),
        (
            lambda now: EventInput(when=soon(now), title="x", duration="8d"),
            "duration_out_of_range",
        ),
        (lambda now: EventInput(when=soon(now), title="x" * 101), "too_long"),
        (lambda now: EventInput(when=soon(now), title="x", where="y" * 101), "too_long"),
    ],
    ids=[
        "yesterday",
        "unreadable",
        "spring-gap",
        "no-title",
        "blank-title",
        "no-duration",
        "eight-days",
        "long-title",
        "long-place",
    ],
)
async def test_create_refuses_bad_input_and_stores_nothing(
    events: EventService,
    organiser: Actor,
    db: Database,
    announcer: FakeAnnouncer,
    clock: FakeClock,
    bad: Callable[[datetime], EventInput],
    key: str,
) -> None:
    with pytest.raises(UserError) as caught:
        await events.create(GUILD, organiser, bad(clock()), None)
    assert caught.value.key == key
    assert await count_events(db) == 0
    assert announcer.posts == {}


async def test_non_organiser_is_refused(
    events: EventService,
    member: Actor,
    db: Database,
    announcer: FakeAnnouncer,
    meeting_4: EventInput,
) -> None:
    with pytest.raises(UserError) as caught:
        await events.create(GUILD, member, meeting_4, None)
    assert caught.value.key == "not_organiser"
    assert await count_events(db) == 0 and announcer.posts == {}


async def test_organiser_role_counts_as_organiser(
    events: EventService, guilds: GuildService, admin: Actor, meeting_4: EventInput
) -> None:
    await guilds.set_organiser_role(GUILD, admin, ORGANISER_ROLE)
    role_holder = Actor.of(7, [ORGANISER_ROLE])
    created = await events.create(GUILD, role_holder, meeting_4, None)
    assert created.event.created_by == 7


async def test_no_channel_anywhere_is_refused(
    db: Database,
    clock: FakeClock,
    organiser: Actor,
    guilds: GuildService,
    series_service: SeriesService,
    rsvps: RsvpService,
    reminders: ReminderService,
    meeting_4: EventInput,
) -> None:
    service = EventService(
        db, clock, guilds, series_service, FakeAnnouncer(), rsvps, reminders, FakeMirror()
    )
    with pytest.raises(UserError) as caught:
        await service.create(GUILD + 1, organiser, meeting_4, None)
    assert caught.value.key == "no_announcements_channel"


async def test_channel_that_cannot_be_posted_in_stores_nothing(
    events: EventService,
    organiser: Actor,
    announcer: FakeAnnouncer,
    db: Database,
    meeting_4: EventInput,
) -> None:
    announcer.forbidden_channels.add(555)
    with pytest.raises(UserError) as caught:
        await events.create(GUILD, organiser, meeting_4, 555)
    assert caught.value.key == "cannot_post"
    assert await count_events(db) == 0


async def rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    async with db.reading() as conn:
        return [tuple(row) for row in await conn.execute_fetchall(sql)]


async def test_nothing_is_announced_when_storing_fails(
    events: EventService,
    organiser: Actor,
    announcer: FakeAnnouncer,
    db: Database,
    meeting_4: EventInput,
) -> None:
    async with db.transaction() as conn:  # make inserts fail
        await conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
    with pytest.raises(Exception, match="no"):
        await events.create(GUILD, organiser, meeting_4, None)
    assert announcer.posts == {} and announcer.withdrawn == []  # never posted, nobody pinged
    assert await count_events(db) == 0


async def nothing_kept(db: Database, jobs: FakeJobs) -> None:
    """A create that failed left no event, no reminder and no job behind."""
    assert await count_events(db) == 0
    assert await rows(db, "SELECT count(*) FROM reminders") == [(0,)]
    assert jobs.one_offs() == []


async def test_post_taken_down_and_event_removed_when_marking_it_posted_fails(
    events: EventService,
    organiser: Actor,
    announcer: FakeAnnouncer,
    db: Database,
    jobs: FakeJobs,
    meeting_4: EventInput,
) -> None:
    async with db.transaction() as conn:  # the event saves, but recording its post fails
        await conn.execute(
            "CREATE TRIGGER refuse BEFORE UPDATE OF posted ON events "
            "BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
    with pytest.raises(Exception, match="no"):
        await events.create(GUILD, organiser, meeting_4, None)
    assert announcer.posts == {} and len(announcer.withdrawn) == 1
    await nothing_kept(db, jobs)


async def test_a_channel_that_refuses_the_post_leaves_no_reminders_or_jobs(
    events: EventService,
    organiser: Actor,
    announcer: FakeAnnouncer,
    db: Database,
    jobs: FakeJobs,
    meeting_4: EventInput,
) -> None:
    announcer.forbidden_channels.add(555)
    with pytest.raises(UserError, match="cannot_post"):
        await events.create(GUILD, organiser, meeting_4, 555)
    await nothing_kept(db, jobs)


async def test_start_up_sweep_removes_only_events_whose_post_never_went_out(
    events: EventService,
    organiser: Actor,
    announcer: FakeAnnouncer,
    db: Database,
    meeting_4: EventInput,
) -> None:
    kept = (await events.create(GUILD, organiser, meeting_4, None)).event
    [(planned,)] = await rows(db, "SELECT count(*) FROM reminders")
    assert isinstance(planned, int) and planned > 0
    announcer.forbidden_channels.add(555)
    async with db.transaction() as conn:  # the clean-up after the refused post fails too
        await conn.execute(
            "CREATE TRIGGER refuse BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
    with pytest.raises(UserError, match="cannot_post"):
        await events.create(GUILD, organiser, meeting_4, 555)
    async with db.transaction() as conn:
        await conn.execute("DROP TRIGGER refuse")
    assert await rows(db, "SELECT posted, count(*) FROM events GROUP BY posted") == [
        (0, 1),
        (1, 1),
    ]
    assert await rows(db, "SELECT count(*) FROM reminders") == [(2 * planned,)]

    assert await events.sweep_unposted() == 1
    assert await rows(db, "SELECT id FROM events") == [(kept.id,)]
    assert await rows(db, "SELECT DISTINCT event_id FROM reminders") == [(kept.id,)]
    assert await events.sweep_unposted() == 0


async def test_edit_changes_time_keeps_duration_and_refreshes_post(
    events: EventService,
    organiser: Actor,
    announcer: FakeAnnouncer,
    meeting_4: EventInput,
    start: datetime,
) -> None:
    created = await events.create(GUILD, organiser, meeting_4, None)
    moved = at_local(start, days=7, at="18:00")  # a week later, half an hour earlier
    edited = await events.edit(
        GUILD, organiser, created.event, EventInput(when=typed(moved), host="-")
    )
    assert edited.changes == ("time", "host")
    assert edited.event.starts_at == moved
    assert edited.event.duration == timedelta(hours=2)
    assert edited.event.host is None
    assert not edited.reposted
    assert created.event.message_id is not None
    assert announcer.posts[created.event.message_id].event == edited.event


async def test_edit_reposts_when_the_announcement_was_deleted(
    events: EventService, organiser: Actor, announcer: FakeAnnouncer, meeting_4: EventInput
) -> None:
    created = await events.create(GUILD, organiser, meeting_4, None)
    assert created.event.message_id is not None
    del announcer.posts[created.event.message_id]
    edited = await events.edit(GUILD, organiser, created.event, EventInput(where="Online"))
    assert edited.reposted
    assert edited.event.message_id is not None
    assert edited.event.message_id != created.event.message_id
    stored = await events.resolve(GUILD, str(created.event.id))
    assert stored is not None and stored.message_id in announcer.posts
    assert announcer.posts[stored.message_id].ping_role_id is None  # a re-post never pings


async def test_edit_by_exact_title_and_refusals(
    events: EventService, organiser: Actor, member: Actor, meeting_4: EventInput
) -> None:
    await events.create(GUILD, organiser, meeting_4, None)
    found = await events.resolve(GUILD, "s. wales network meeting 4")
    edited = await events.edit(GUILD, organiser, found, EventInput(duration="3h"))
    assert edited.event.duration == timedelta(hours=3)
    for ref, given, key, actor in [
        ("S. Wales Network Meeting 4", EventInput(), "edit_nothing", organiser),
        ("Nope", EventInput(where="x"), "event_not_found", organiser),
        ("S. Wales Network Meeting 4", EventInput(when="yesterday 9am"), "when_past", organiser),
        ("S. Wales Network Meeting 4", EventInput(where="x"), "not_organiser", member),
    ]:
        with pytest.raises(UserError) as caught:
            await events.edit(GUILD, actor, await events.resolve(GUILD, ref), given)
        assert caught.value.key == key


async def test_same_title_twice_is_ambiguous(
    events: EventService, organiser: Actor, meeting_4: EventInput
) -> None:
    await events.create(GUILD, organiser, meeting_4, None)
    await events.create(GUILD, organiser, meeting_4, None)
    with pytest.raises(UserError) as caught:
        await events.resolve(GUILD, "S. Wales Network Meeting 4")
    assert caught.value.key == "event_ambiguous"


async def test_event_of_another_server_is_not_found(
    events: EventService, organiser: Actor, meeting_4: EventInput
) -> None:
    created = await events.create(GUILD, organiser, meeting_4, None)
    with pytest.raises(UserError):
        await events.resolve(GUILD + 1, str(created.event.id))


async def test_cancel_marks_cancelled_once_and_refreshes(
    events: EventService, organiser: Actor, announcer: FakeAnnouncer, meeting_4: EventInput
) -> None:
    created = await events.create(GUILD, organiser, meeting_4, None)
    event, reason = await events.prepare_cancel(
        GUILD, organiser, created.event, "  venue   flooded "
    )
    assert reason == "venue flooded"
    cancelled = (await events.cancel(GUILD, organiser, event.id, reason)).event
    assert cancelled.status is EventStatus.CANCELLED
    assert cancelled.cancel_reason == "venue flooded"
    assert created.event.message_id is not None
    assert announcer.posts[created.event.message_id].event.cancelled
    with pytest.raises(UserError) as caught:
        await events.cancel(GUILD, organiser, event.id, None)
    assert caught.value.key == "event_cancelled_already"
    with pytest.raises(UserError) as caught:
        await events.edit(GUILD, organiser, event, EventInput(where="x"))
    assert caught.value.key == "event_cancelled_already"


async def test_finished_event_cannot_be_edited_or_cancelled(
    events: EventService, organiser: Actor, clock: FakeClock, meeting_4: EventInput
) -> None:
    created = await events.create(GUILD, organiser, meeting_4, None)
    clock.advance(timedelta(days=30))
    for call in (
        events.edit(GUILD, organiser, created.event, EventInput(where="x")),
        events.prepare_cancel(GUILD, organiser, created.event, None),
    ):
        with pytest.raises(UserError) as caught:
            await call
        assert caught.value.key == "event_over"


async def test_upcoming_and_past_filter_and_page(
    events: EventService, organiser: Actor, clock: FakeClock
) -> None:
    now = clock()
    for n in range(23):  # one a day at 10:00, from three days on
        region = Region.NORTH if n % 2 else Region.SOUTH
        kind = Kind.SEMINAR if n % 3 == 0 else Kind.MEETING
        when = typed(at_local(now, days=3 + n, at="10:00"))
        await events.create(
            GUILD,
            organiser,
            EventInput(when=when, title=f"Event {n:02d}", region=region, kind=kind),
            None,
        )
    first = await events.list_events(GUILD, 0)
    assert (first.total, first.pages, first.page) == (23, 3, 0)
    assert [e.title for e in first.events] == [f"Event {n:02d}" for n in range(PAGE_SIZE)]
    last = await events.list_events(GUILD, 99)  # clamped to the last page
    assert last.page == 2 and [e.title for e in last.events] == ["Event 20", "Event 21", "Event 22"]
    north = await events.list_events(GUILD, 0, region=Region.NORTH)
    assert north.total == 11 and all(e.region is Region.NORTH for e in north.events)
    seminars = await events.list_events(GUILD, 0, kind=Kind.SEMINAR, region=Region.SOUTH)
    assert [e.title for e in seminars.events] == ["Event 00", "Event 06", "Event 12", "Event 18"]

    clock.set(at_local(now, days=3 + 4, at="11:00"))  # events 0–3 over, 4 in progress
    past = await events.list_events(GUILD, 0, past=True)
    assert [e.title for e in past.events] == ["Event 03", "Event 02", "Event 01", "Event 00"]
    upcoming = await events.list_events(GUILD, 0)
    assert upcoming.events[0].title == "Event 04" and upcoming.total == 19


async def test_cancelled_events_leave_both_lists(
    events: EventService, organiser: Actor, clock: FakeClock, meeting_4: EventInput
) -> None:
    created = await events.create(GUILD, organiser, meeting_4, None)
    await events.cancel(GUILD, organiser, created.event.id, None)
    assert (await events.list_events(GUILD, 0)).total == 0
    clock.advance(timedelta(days=30))
    assert (await events.list_events(GUILD, 0, past=True)).total == 0


async def test_suggest_by_part_of_title(
    events: EventService, organiser: Actor, clock: FakeClock, meeting_4: EventInput, start: datetime
) -> None:
    await events.create(GUILD, organiser, meeting_4, None)
    cafe = at_local(start, days=2, at="10:00")
    await events.create(
        GUILD, organiser, EventInput(when=typed(cafe), title="Policy Cafe 100%"), None
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
    now = clock()
    for days, title in [(2, "Past one"), (3, "Past two"), (93, "Later"), (65, "Sooner")]:
        when = typed(at_local(now, days=days, at="10:00"))
        await events.create(GUILD, organiser, EventInput(when=when, title=title), None)
    clock.set(at_local(now, days=43, at="12:00"))
    found = await events.suggest(GUILD, "", include_past=True, include_cancelled=True)
    assert [e.title for e in found] == ["Sooner", "Later", "Past two", "Past one"]


@pytest.mark.parametrize("ref", ["²", "١٢", "9" * 40, "-1", "0x10"])
async def test_odd_references_are_not_found_cleanly(events: EventService, ref: str) -> None:
    with pytest.raises(UserError) as caught:
        await events.resolve(GUILD, ref)
    assert caught.value.key == "event_not_found"
