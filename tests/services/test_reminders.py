"""ReminderService on a real SQLite file, stepping the fake Jobs port and a frozen clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.events import Event
from bot.domain.guilds import Actor
from bot.domain.notices import Notice
from bot.domain.rsvps import CANT_EMOJI, GOING_EMOJI, MAYBE_EMOJI
from bot.services.events import EventInput, EventService
from bot.services.guilds import GuildService
from bot.services.ports import Reaction
from bot.services.reminders import DMS_IN_FLIGHT, ReminderService, previous_weekly
from bot.services.rsvps import RsvpService
from tests.conftest import ANNOUNCE, GUILD
from tests.support.dates import (
    TZ,
    at_local,
    clock_change,
    local_date,
    next_weekday,
    on_day,
    typed,
)
from tests.support.fakes import FakeAnnouncer, FakeClock, FakeJobs, FakeNotifier

pytestmark = pytest.mark.usefixtures("configured")


async def statuses(db: Database) -> dict[int, str]:
    async with db.reading() as conn:
        rows = await conn.execute_fetchall("SELECT id, status FROM reminders ORDER BY id")
    return {row["id"]: row["status"] for row in rows}


@pytest.fixture
def start(clock: FakeClock) -> datetime:
    """The event's start: 18:30 five days on, so its week-before reminder is already past."""
    return at_local(clock(), days=5)


@pytest.fixture
async def event(events: EventService, organiser: Actor, start: datetime) -> Event:
    created = await events.create(
        GUILD,
        organiser,
        EventInput(when=typed(start), title="S. Wales Network Meeting 4", capacity=2),
        None,
    )
    return created.event


async def answer(rsvps: RsvpService, event: Event, user: int, emoji: str) -> None:
    assert event.message_id is not None
    await rsvps.apply([Reaction(True, event.message_id, user, emoji)])


async def test_create_plans_the_default_offsets_still_ahead(
    event: Event, jobs: FakeJobs, db: Database, start: datetime
) -> None:
    # created 5 days ahead: the 7d reminder is already past, 1d and 1h are planned
    assert jobs.run_times() == [
        start - timedelta(days=1),
        start - timedelta(hours=1),
    ]
    assert list((await statuses(db)).values()) == ["pending", "pending"]


async def test_event_own_offsets(
    events: EventService, organiser: Actor, jobs: FakeJobs, start: datetime
) -> None:
    created = await events.create(
        GUILD, organiser, EventInput(when=typed(start), title="x", reminders="2d,30m"), None
    )
    assert created.event.reminder_offsets == (timedelta(days=2), timedelta(minutes=30))
    assert jobs.run_times() == [
        start - timedelta(days=2),
        start - timedelta(minutes=30),
    ]


async def test_due_reminder_posts_and_dms_going_and_maybe_only(
    event: Event,
    rsvps: RsvpService,
    reminders: ReminderService,
    jobs: FakeJobs,
    clock: FakeClock,
    notifier: FakeNotifier,
    announcer: FakeAnnouncer,
    start: datetime,
) -> None:
    await answer(rsvps, event, 11, GOING_EMOJI)
    await answer(rsvps, event, 12, MAYBE_EMOJI)
    await answer(rsvps, event, 13, CANT_EMOJI)
    await answer(rsvps, event, 14, GOING_EMOJI)
    await answer(rsvps, event, 15, GOING_EMOJI)  # waitlisted (capacity 2)
    await answer(rsvps, event, 16, MAYBE_EMOJI)  # switched reminder DMs off
    await reminders.set_dms(GUILD, 16, False)
    notifier.closed.add(14)  # DMs closed
    clock.set(start - timedelta(days=1))
    assert len(await jobs.run_due(clock())) == 1
    assert sorted(n.user_id for n in notifier.sent) == [11, 12]
    assert {n.key for n in notifier.sent} == {"reminder_auto"}
    [(event_id, counts, unreachable, _)] = announcer.reminders
    assert event_id == event.id and unreachable == [14]
    assert (counts.going, counts.maybe, counts.waitlist) == (2, 2, 1)


async def test_delivered_once_even_if_the_job_runs_twice_or_races(
    event: Event,
    rsvps: RsvpService,
    reminders: ReminderService,
    clock: FakeClock,
    notifier: FakeNotifier,
    announcer: FakeAnnouncer,
    db: Database,
    start: datetime,
) -> None:
    await answer(rsvps, event, 11, GOING_EMOJI)
    first_id = min(await statuses(db))
    clock.set(start - timedelta(days=1))
    await asyncio.gather(reminders.deliver(first_id), reminders.deliver(first_id))
    await reminders.deliver(first_id)
    assert [n.user_id for n in notifier.sent] == [11]
    assert len(announcer.reminders) == 1
    assert (await statuses(db))[first_id] == "sent"


class SlowNotifier(FakeNotifier):
    """DMs that take a few turns of the loop each (a round trip), counting how many overlap;
    `fail_at` raises (not a refused DM) for that member."""

    def __init__(self, fail_at: int | None = None) -> None:
        super().__init__()
        self.fail_at = fail_at
        self.in_flight = self.most_in_flight = 0

    async def send(self, notice: Notice) -> bool:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            for _ in range(3):
                await asyncio.sleep(0)
            if notice.user_id == self.fail_at:
                raise RuntimeError("gateway gone")
            return await super().send(notice)
        finally:
            self.in_flight -= 1


async def many_going(
    events: EventService, organiser: Actor, rsvps: RsvpService, start: datetime
) -> Event:
    created = await events.create(
        GUILD, organiser, EventInput(when=typed(start), title="Big meeting"), None
    )
    assert created.event.message_id is not None
    await rsvps.apply(
        [Reaction(True, created.event.message_id, 100 + n, GOING_EMOJI) for n in range(60)]
    )
    return created.event


async def deliveries(db: Database, reminder_id: int) -> list[int]:
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT user_id FROM reminder_deliveries WHERE reminder_id = ? ORDER BY user_id",
            (reminder_id,),
        )
    return [row["user_id"] for row in rows]


async def test_dms_go_out_several_at_a_time_each_member_once(
    events: EventService,
    organiser: Actor,
    rsvps: RsvpService,
    db: Database,
    clock: FakeClock,
    announcer: FakeAnnouncer,
    start: datetime,
) -> None:
    event = await many_going(events, organiser, rsvps, start)
    first_id = min(await statuses(db))
    clock.set(start - timedelta(days=1))
    dms = SlowNotifier()
    await ReminderService(db, clock, FakeJobs(), dms, announcer).deliver(first_id)
    assert sorted(n.user_id for n in dms.sent) == [100 + n for n in range(60)]
    assert 1 < dms.most_in_flight <= DMS_IN_FLIGHT
    # sent: it can never run again, so the record of who got it (kept against doubling) goes
    assert await deliveries(db, first_id) == []
    assert [r[0] for r in announcer.reminders] == [event.id]
    assert (await statuses(db))[first_id] == "sent"


async def test_a_failing_dm_stops_the_rest_and_a_retry_finishes_once(
    events: EventService,
    organiser: Actor,
    rsvps: RsvpService,
    db: Database,
    clock: FakeClock,
    announcer: FakeAnnouncer,
    start: datetime,
) -> None:
    await many_going(events, organiser, rsvps, start)
    first_id = min(await statuses(db))
    clock.set(start - timedelta(days=1))
    dying = SlowNotifier(fail_at=120)
    with pytest.raises(RuntimeError, match="gateway gone"):
        await ReminderService(db, clock, FakeJobs(), dying, announcer).deliver(first_id)
    assert (await statuses(db))[first_id] == "claimed"
    recorded = await deliveries(db, first_id)
    assert sorted(n.user_id for n in dying.sent) == recorded  # each DM in hand was recorded
    assert 120 not in recorded and len(recorded) < 60 and announcer.reminders == []

    clock.advance(timedelta(minutes=1))
    again_jobs, again_dms = FakeJobs(), SlowNotifier()
    assert (await ReminderService(db, clock, again_jobs, again_dms, announcer).rebuild())[
        "retried"
    ] == 1
    await again_jobs.run_due(clock())
    assert sorted(n.user_id for n in again_dms.sent) == sorted(set(range(100, 160)) - set(recorded))
    assert (await statuses(db))[first_id] == "sent"
    assert await deliveries(db, first_id) == []  # done: nothing kept of who got it
    assert len(announcer.reminders) == 1
    assert (await statuses(db))[first_id] == "sent"


async def test_crash_between_claim_and_mark_is_finished_once_on_restart(
    event: Event,
    rsvps: RsvpService,
    db: Database,
    clock: FakeClock,
    announcer: FakeAnnouncer,
    start: datetime,
) -> None:
    for user in (11, 12):
        await answer(rsvps, event, user, GOING_EMOJI if user == 11 else MAYBE_EMOJI)
    first_id = min(await statuses(db))
    clock.set(start - timedelta(days=1))
    dying = FakeNotifier(fail_after=1)
    crashed = ReminderService(db, clock, FakeJobs(), dying, announcer)
    with pytest.raises(RuntimeError):
        await crashed.deliver(first_id)
    assert (await statuses(db))[first_id] == "claimed"

    clock.advance(timedelta(minutes=1))  # back inside the nonce window
    again_jobs, again_dms = FakeJobs(), FakeNotifier(sent=list(dying.sent))
    restarted = ReminderService(db, clock, again_jobs, again_dms, announcer)
    tally = await restarted.rebuild()
    assert tally["retried"] == 1
    await again_jobs.run_due(clock())
    assert sorted(n.user_id for n in again_dms.sent) == [11, 12]  # 11 not twice
    assert len(announcer.reminders) == 1
    assert (await statuses(db))[first_id] == "sent"


async def test_claimed_row_outside_the_nonce_window_is_marked_failed(
    event: Event,
    db: Database,
    clock: FakeClock,
    announcer: FakeAnnouncer,
    rsvps: RsvpService,
    start: datetime,
) -> None:
    await answer(rsvps, event, 11, GOING_EMOJI)
    first_id = min(await statuses(db))
    clock.set(start - timedelta(days=1))
    with pytest.raises(RuntimeError):
        await ReminderService(db, clock, FakeJobs(), FakeNotifier(fail_after=0), announcer).deliver(
            first_id
        )
    clock.advance(timedelta(minutes=30))
    again = FakeNotifier()
    tally = await ReminderService(db, clock, FakeJobs(), again, announcer).rebuild()
    assert tally["failed"] == 1 and again.sent == []
    assert (await statuses(db))[first_id] == "failed"


async def test_missed_while_down_sent_late_once_if_still_ahead(
    event: Event,
    rsvps: RsvpService,
    db: Database,
    clock: FakeClock,
    announcer: FakeAnnouncer,
    start: datetime,
) -> None:
    await answer(rsvps, event, 11, GOING_EMOJI)
    clock.set(start - timedelta(minutes=30))  # both the 1d and the 1h reminders were missed
    jobs, dms = FakeJobs(), FakeNotifier()
    tally = await ReminderService(db, clock, jobs, dms, announcer).rebuild()
    assert (tally["late"], tally["skipped"]) == (1, 1)
    await jobs.run_due(clock())
    assert [n.user_id for n in dms.sent] == [11]
    assert sorted((await statuses(db)).values()) == ["sent", "skipped"]
    # two starts back to back never duplicate
    jobs2, dms2 = FakeJobs(), FakeNotifier()
    await ReminderService(db, clock, jobs2, dms2, announcer).rebuild()
    await jobs2.run_due(clock())
    assert dms2.sent == [] and len(announcer.reminders) == 1


async def test_missed_while_down_never_sent_once_started(
    event: Event,
    rsvps: RsvpService,
    db: Database,
    clock: FakeClock,
    announcer: FakeAnnouncer,
    start: datetime,
) -> None:
    await answer(rsvps, event, 11, GOING_EMOJI)
    clock.set(start + timedelta(minutes=5))
    jobs, dms = FakeJobs(), FakeNotifier()
    tally = await ReminderService(db, clock, jobs, dms, announcer).rebuild()
    await jobs.run_due(clock())
    assert tally["skipped"] == 2 and dms.sent == [] and announcer.reminders == []


async def test_retiming_replans_and_moving_dms_going_and_maybe(
    event: Event,
    events: EventService,
    rsvps: RsvpService,
    organiser: Actor,
    jobs: FakeJobs,
    clock: FakeClock,
) -> None:
    await answer(rsvps, event, 11, GOING_EMOJI)
    await answer(rsvps, event, 12, CANT_EMOJI)
    new_start = at_local(clock(), days=22)
    edited = await events.edit(GUILD, organiser, event, EventInput(when=typed(new_start)))
    assert jobs.run_times() == [
        new_start - timedelta(days=7),
        new_start - timedelta(days=1),
        new_start - timedelta(hours=1),
    ]
    assert [(n.user_id, n.key) for n in edited.notices] == [(11, "event_moved")]
    # moved to tomorrow morning: the 1d reminder is already past, the 1h one is kept
    clock.set(at_local(clock(), days=3, at="12:00"))
    tomorrow = at_local(clock(), days=1, at="10:00")
    await events.edit(GUILD, organiser, event, EventInput(when=typed(tomorrow)))
    assert jobs.run_times() == [tomorrow - timedelta(hours=1)]


async def test_cancel_removes_pending_reminders_and_dms(
    event: Event,
    events: EventService,
    rsvps: RsvpService,
    organiser: Actor,
    jobs: FakeJobs,
    db: Database,
) -> None:
    await answer(rsvps, event, 11, MAYBE_EMOJI)
    cancelled = await events.cancel(GUILD, organiser, event.id, "Venue flooded")
    assert jobs.one_offs() == []
    assert set((await statuses(db)).values()) == {"cancelled"}
    assert [(n.user_id, n.key, n.params["reason"]) for n in cancelled.notices] == [
        (11, "event_cancelled", "Venue flooded")
    ]


async def test_personal_reminders(
    event: Event,
    reminders: ReminderService,
    jobs: FakeJobs,
    clock: FakeClock,
    notifier: FakeNotifier,
    announcer: FakeAnnouncer,
    start: datetime,
) -> None:
    mine = await reminders.add_personal(event, 21, "30m")
    assert mine.due_at == start - timedelta(minutes=30)
    for before, key in [
        ("30m", "reminder_duplicate"),
        ("7x", "offsets_unreadable"),
        ("1d,1h", "reminder_one_offset"),
        ("6d", "reminder_too_late"),
    ]:
        with pytest.raises(UserError) as caught:
            await reminders.add_personal(event, 21, before)
        assert caught.value.key == key
    await reminders.add_personal(event, 21, "2h")
    listed = await reminders.mine(GUILD, 21)
    assert [m.reminder.offset for m in listed] == [timedelta(hours=2), timedelta(minutes=30)]
    assert await reminders.mine(GUILD, 22) == []
    with pytest.raises(UserError):
        await reminders.cancel_personal(GUILD, 22, str(mine.id))  # not theirs
    await reminders.cancel_personal(GUILD, 21, str(listed[0].reminder.id))
    clock.set(start - timedelta(minutes=30))
    await jobs.run_due(clock())
    personal = [n for n in notifier.sent if n.key == "reminder_personal"]
    assert [n.user_id for n in personal] == [21]
    assert announcer.reminders != [] and all(r[0] == event.id for r in announcer.reminders)


def test_previous_weekly_across_the_clock_change(clock: FakeClock) -> None:
    monday_nine = time(9, 0)
    back = clock_change(clock(), forward=False)  # early on a Sunday, 01:00 UTC
    sunday = local_date(back)
    assert sunday.weekday() == 6
    # the Tuesday after (GMT): the last Monday 09:00 London was the day before, 09:00 UTC
    tuesday_noon = on_day(sunday + timedelta(days=2), "12:00")
    assert previous_weekly(tuesday_noon, "monday", monday_nine, TZ) == datetime.combine(
        sunday + timedelta(days=1), time(9, 0), tzinfo=UTC
    )
    # that Sunday, just after the change: the last Monday was 6 days before, 08:00 UTC (BST)
    assert previous_weekly(back + timedelta(hours=2), "monday", monday_nine, TZ) == (
        datetime.combine(sunday - timedelta(days=6), time(8, 0), tzinfo=UTC)
    )


async def test_digest_lists_the_coming_week_and_skips_an_empty_one(
    events: EventService,
    organiser: Actor,
    guilds: GuildService,
    admin: Actor,
    reminders: ReminderService,
    announcer: FakeAnnouncer,
    clock: FakeClock,
    jobs: FakeJobs,
) -> None:
    settings = await guilds.set_digest(GUILD, admin, True, "monday", "09:00")
    reminders.schedule_digest(settings)
    assert jobs.jobs["digest:" + str(GUILD)].weekly == ("monday", time(9, 0), "Europe/London")
    # Four Mondays, the clocks going back between the second and the third: the third's
    # digest is due at 09:00 GMT, an hour later in UTC than a week after the second's.
    back = clock_change(clock(), forward=False)
    third = local_date(next_weekday(back, 0, at="09:00", after=timedelta(0)))
    first = third - timedelta(weeks=2)

    def day(days: int, at: str) -> datetime:  # `at` London time, `days` after the first Monday
        return on_day(first + timedelta(days=days), at)

    clock.set(day(0, "09:00"))  # 09:00 BST
    assert await reminders.post_digest(GUILD) is False  # nothing coming up: nothing posted
    assert announcer.digests == []

    clock.set(day(-2, "10:00"))  # the Saturday before
    await events.create(
        GUILD,
        organiser,
        EventInput(when=typed(day(3, "18:30")), title="S. Wales Network Meeting 4"),
        None,
    )
    await events.create(
        GUILD, organiser, EventInput(when=typed(day(20, "10:00")), title="Too far"), None
    )
    clock.set(day(7, "09:00") + timedelta(seconds=30))
    assert await reminders.post_digest(GUILD) is False  # the Thursday one is past; the other >7d
    clock.set(day(14, "09:00") + timedelta(seconds=30))  # 09:00 GMT, after the change
    assert await reminders.post_digest(GUILD) is True
    assert await reminders.post_digest(GUILD) is False  # a second run of the same digest
    [(channel, items)] = announcer.digests
    assert channel == ANNOUNCE and [title for title, _ in items] == ["Too far"]
    clock.set(day(21, "11:30"))  # ran 2.5 h late: skipped
    assert await reminders.post_digest(GUILD) is False


async def test_changing_the_reminder_times_replans_them(
    event: Event,
    events: EventService,
    organiser: Actor,
    jobs: FakeJobs,
    db: Database,
    start: datetime,
) -> None:
    await events.edit(GUILD, organiser, event, EventInput(reminders="2d,30m"))
    assert jobs.run_times() == [
        start - timedelta(days=2),
        start - timedelta(minutes=30),
    ]
    assert sorted((await statuses(db)).values()) == ["cancelled", "cancelled", "pending", "pending"]


async def test_deliveries_are_kept_only_while_a_reminder_is_being_sent(
    events: EventService,
    organiser: Actor,
    rsvps: RsvpService,
    db: Database,
    clock: FakeClock,
    announcer: FakeAnnouncer,
    start: datetime,
) -> None:
    await many_going(events, organiser, rsvps, start)
    first_id = min(await statuses(db))
    clock.set(start - timedelta(days=1))
    with pytest.raises(RuntimeError, match="gateway gone"):
        await ReminderService(db, clock, FakeJobs(), SlowNotifier(fail_at=120), announcer).deliver(
            first_id
        )
    assert await deliveries(db, first_id)  # claimed: a retry must not DM these again
    clock.advance(timedelta(hours=1))  # past the retry window: the rebuild marks it failed
    await ReminderService(db, clock, FakeJobs(), SlowNotifier(), announcer).rebuild()
    assert (await statuses(db))[first_id] == "failed"
    assert await deliveries(db, first_id) == []
