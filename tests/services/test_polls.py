"""PollService against a real SQLite file with a frozen clock, the fake Jobs port, a recording
poll poster, and the real EventService (over the fake announcer) for announcing."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.guilds import Actor
from bot.domain.polls import Poll, PollCounts
from bot.domain.retention import RETENTION_DEFAULT
from bot.services.events import EventService
from bot.services.guilds import GuildService
from bot.services.polls import PollInput, PollService, close_job_id
from bot.services.privacy import PrivacyService
from bot.services.reminders import ReminderService
from bot.services.retention import RetentionService
from bot.services.series import SeriesService
from tests.conftest import ANNOUNCE, GUILD
from tests.support.dates import at_local, typed
from tests.support.fakes import (
    FakeAnnouncer,
    FakeClock,
    FakeJobs,
    FakeNotifier,
    FakePostTouch,
)

pytestmark = pytest.mark.usefixtures("configured")
TITLE = "S. Wales Network Meeting"
RHIAN, DAFYDD, CARYS = 7001, 7002, 7003


@dataclass
class FakePollPoster:
    """Records polls' posts; `forbidden_channels` refuse to post."""

    posts: dict[int, tuple[Poll, PollCounts]] = field(default_factory=dict)
    forbidden_channels: set[int] = field(default_factory=set)
    withdrawn: list[int] = field(default_factory=list)
    next_id: int = 3000

    async def publish(self, poll: Poll, counts: PollCounts, tz: str, now: datetime) -> int:
        if poll.channel_id in self.forbidden_channels:
            raise UserError("cannot_post", channel=f"<#{poll.channel_id}>")
        self.next_id += 1
        self.posts[self.next_id] = (poll, counts)
        return self.next_id

    async def refresh(self, poll: Poll, counts: PollCounts, tz: str, now: datetime) -> bool:
        if poll.message_id not in self.posts:
            return False
        self.posts[poll.message_id] = (poll, counts)
        return True

    async def withdraw(self, channel_id: int, message_id: int) -> None:
        self.posts.pop(message_id, None)
        self.withdrawn.append(message_id)


@pytest.fixture
def poster() -> FakePollPoster:
    return FakePollPoster()


@pytest.fixture
def service(
    db: Database,
    clock: FakeClock,
    guilds: GuildService,
    series_service: SeriesService,
    events: EventService,
    poster: FakePollPoster,
    post_touch: FakePostTouch,
    jobs: FakeJobs,
    notifier: FakeNotifier,
) -> PollService:
    return PollService(
        db, clock, guilds, series_service, events, poster, post_touch, jobs, notifier
    )


@pytest.fixture
def times(clock: FakeClock) -> list[datetime]:
    return [at_local(clock(), days=days) for days in (8, 15, 22)]


def typed_options(times: list[datetime]) -> str:
    return "; ".join(typed(t) for t in times)


async def created(
    service: PollService, organiser: Actor, times: list[datetime], **extra: str | None
) -> Poll:
    typed_in = PollInput(title=TITLE, options=typed_options(times), **extra)  # type: ignore[arg-type]
    return (await service.create(GUILD, organiser, typed_in, None)).poll


async def count_rows(db: Database, table: str) -> int:
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(f"SELECT count(*) FROM {table}")
    return int(next(iter(rows))[0])


async def test_create_stores_the_options_and_posts_in_the_announcements_channel(
    service: PollService, organiser: Actor, times: list[datetime], poster: FakePollPoster
) -> None:
    poll = await created(service, organiser, times)
    assert poll.channel_id == ANNOUNCE and poll.message_id in poster.posts
    assert [o.starts_at for o in poll.options] == times
    assert [o.position for o in poll.options] == [1, 2, 3]
    assert (await service.resolve(GUILD, TITLE.upper())).id == poll.id


async def test_a_refused_option_stores_nothing(
    service: PollService, organiser: Actor, times: list[datetime], db: Database
) -> None:
    with pytest.raises(UserError) as caught:
        await service.create(
            GUILD, organiser, PollInput(TITLE, f"{typed(times[0])}; last friday 6pm"), None
        )
    assert caught.value.key == "poll_option_when_past" and caught.value.params["number"] == 2
    assert await count_rows(db, "polls") == 0


async def test_members_may_not_create(
    service: PollService, member: Actor, times: list[datetime]
) -> None:
    with pytest.raises(UserError) as caught:
        await created(service, member, times)
    assert caught.value.key == "not_organiser"


async def test_a_post_that_fails_leaves_no_poll(
    service: PollService,
    organiser: Actor,
    times: list[datetime],
    poster: FakePollPoster,
    db: Database,
) -> None:
    poster.forbidden_channels.add(ANNOUNCE)
    with pytest.raises(UserError):
        await created(service, organiser, times)
    assert await count_rows(db, "polls") == 0 and await count_rows(db, "poll_options") == 0


async def test_pressing_toggles_and_touches_the_post(
    service: PollService, organiser: Actor, times: list[datetime], post_touch: FakePostTouch
) -> None:
    poll = await created(service, organiser, times)
    first = await service.press(GUILD, RHIAN, poll.id, 1)
    assert first.given and [o.position for o in first.choices] == [1]
    both = await service.press(GUILD, RHIAN, poll.id, 3)
    assert [o.position for o in both.choices] == [1, 3]
    back = await service.press(GUILD, RHIAN, poll.id, 1)
    assert not back.given and [o.position for o in back.choices] == [3]
    shown = await service.info(poll)
    assert shown.counts.by_position == {3: 1} and shown.counts.members == 1
    assert post_touch.touched.count(("poll", poll.id)) == 3
    with pytest.raises(UserError) as caught:
        await service.press(GUILD + 1, RHIAN, poll.id, 1)  # another server's button
    assert caught.value.key == "poll_not_found"


async def test_many_presses_at_once_store_what_each_members_presses_add_up_to(
    service: PollService, organiser: Actor, times: list[datetime]
) -> None:
    poll = await created(service, organiser, times)
    presses = [(8000 + n % 50, 1 + n % 3) for n in range(350)]
    await asyncio.gather(*(service.press(GUILD, u, poll.id, p) for u, p in presses))
    expected: set[tuple[int, int]] = set()
    for press in presses:  # each press toggles: order does not change where they end
        expected ^= {press}
    counts = (await service.info(poll)).counts
    assert counts.members == len({u for u, _ in expected}) == 50
    for position in (1, 2, 3):
        assert counts.of(position) == sum(1 for _, p in expected if p == position)
    assert sum(counts.by_position.values()) == len(expected) == 50


async def test_close_marks_the_winner_once_and_owes_the_voters_the_result(
    service: PollService, organiser: Actor, times: list[datetime], jobs: FakeJobs
) -> None:
    poll = await created(service, organiser, [times[2], times[0], times[1]], closes="in 2 hours")
    assert close_job_id(poll.id) in jobs.pending()
    await service.press(GUILD, RHIAN, poll.id, 1)
    await service.press(GUILD, DAFYDD, poll.id, 2)
    closed = await service.close(GUILD, organiser, poll.id)
    assert closed.now_closed and closed.poll.winner_position == 2  # a tie: the earliest
    assert sorted(n.user_id for n in closed.notices) == [RHIAN, DAFYDD]
    assert close_job_id(poll.id) not in jobs.pending()
    again = await service.close(GUILD, organiser, poll.id)
    assert not again.now_closed and again.notices == []
    with pytest.raises(UserError) as caught:
        await service.press(GUILD, CARYS, poll.id, 1)
    assert caught.value.key == "poll_closed"


async def test_the_closing_job_closes_once_and_tells_the_organiser(
    service: PollService,
    organiser: Actor,
    times: list[datetime],
    jobs: FakeJobs,
    clock: FakeClock,
    notifier: FakeNotifier,
) -> None:
    poll = await created(service, organiser, times, closes="in 2 hours")
    await service.press(GUILD, RHIAN, poll.id, 2)
    assert not await service.close_due(poll.id)  # early: nothing
    clock.advance(timedelta(hours=2, seconds=1))
    assert await jobs.run_due(clock()) == [close_job_id(poll.id)]
    assert not await service.close_due(poll.id)  # a repeated run is harmless
    assert [(n.user_id, n.key) for n in notifier.sent] == [
        (RHIAN, "poll_result"),
        (organiser.user_id, "poll_closed_organiser"),
    ]
    found = await service.resolve(GUILD, str(poll.id))
    assert found.closed_at == found.closes_at and found.winner_position == 2


async def test_plan_closings_closes_what_passed_and_plans_the_rest(
    service: PollService,
    organiser: Actor,
    times: list[datetime],
    jobs: FakeJobs,
    clock: FakeClock,
) -> None:
    soon = await created(service, organiser, times, closes="in 1 hour")
    later = await created(service, organiser, times, closes="in 5 hours")
    jobs.jobs.clear()  # a restart: jobs live in memory only
    clock.advance(timedelta(hours=2))
    assert await service.plan_closings() == 1
    assert (await service.resolve(GUILD, str(soon.id))).closed_at is not None
    assert jobs.pending() == [close_job_id(later.id)]


async def test_announce_creates_the_series_meeting_once(
    service: PollService,
    organiser: Actor,
    times: list[datetime],
    series_service: SeriesService,
    announcer: FakeAnnouncer,
) -> None:
    await series_service.define(GUILD, organiser, TITLE, "Grŵp Cynefin, Adra", None, 4)
    poll = await created(service, organiser, times, series=TITLE)
    await service.press(GUILD, RHIAN, poll.id, 3)
    await service.close(GUILD, organiser, poll.id)
    done = await service.announce(GUILD, organiser, poll.id)
    assert not done.already and done.event is not None
    assert (done.event.title, done.event.host) == (f"{TITLE} 4", "Adra")
    assert done.event.starts_at == times[2] and done.event.series_number == 4
    again = await service.announce(GUILD, organiser, poll.id)
    assert again.already and again.event is not None and again.event.id == done.event.id
    assert len(announcer.posts) == 1
    assert (await series_service.resolve(GUILD, TITLE)).next_number == 5


async def test_two_announce_presses_at_once_make_one_event(
    service: PollService, organiser: Actor, times: list[datetime], announcer: FakeAnnouncer
) -> None:
    poll = await created(service, organiser, times)
    await service.press(GUILD, RHIAN, poll.id, 1)
    await service.close(GUILD, organiser, poll.id)
    both = await asyncio.gather(
        service.announce(GUILD, organiser, poll.id), service.announce(GUILD, organiser, poll.id)
    )
    assert sorted(d.already for d in both) == [False, True]
    assert len({d.event.id for d in both if d.event is not None}) == 1
    assert len(announcer.posts) == 1
    [post] = announcer.posts.values()
    assert post.event.title == TITLE and post.event.starts_at == times[0]


async def test_an_announcement_whose_post_failed_can_be_made_again(
    service: PollService, organiser: Actor, times: list[datetime], announcer: FakeAnnouncer
) -> None:
    poll = await created(service, organiser, times)
    await service.press(GUILD, RHIAN, poll.id, 1)
    await service.close(GUILD, organiser, poll.id)
    announcer.forbidden_channels.add(ANNOUNCE)
    with pytest.raises(UserError):
        await service.announce(GUILD, organiser, poll.id)
    assert (await service.resolve(GUILD, str(poll.id))).announced_event_id is None
    announcer.forbidden_channels.clear()
    done = await service.announce(GUILD, organiser, poll.id)
    assert not done.already and len(announcer.posts) == 1


async def test_announce_refuses_an_open_poll_and_one_nobody_answered(
    service: PollService, organiser: Actor, times: list[datetime]
) -> None:
    poll = await created(service, organiser, times)
    with pytest.raises(UserError) as caught:
        await service.announce(GUILD, organiser, poll.id)
    assert caught.value.key == "poll_still_open"
    closed = await service.close(GUILD, organiser, poll.id)
    assert closed.poll.winner_position is None and closed.notices == []
    with pytest.raises(UserError) as caught:
        await service.announce(GUILD, organiser, poll.id)
    assert caught.value.key == "poll_no_winner"


async def test_list_shows_open_polls_only(
    service: PollService, organiser: Actor, times: list[datetime]
) -> None:
    first = await created(service, organiser, times)
    second = await created(service, organiser, times, closes="in 3 hours")
    await service.close(GUILD, organiser, first.id)
    shown, total = await service.list_open(GUILD)
    assert [s.poll.id for s in shown] == [second.id] and total == 1


async def test_forget_erases_answers_and_touches_the_post(
    db: Database,
    clock: FakeClock,
    service: PollService,
    organiser: Actor,
    times: list[datetime],
    post_touch: FakePostTouch,
    reminders: ReminderService,
) -> None:
    poll = await created(service, organiser, times)
    await service.press(GUILD, RHIAN, poll.id, 1)
    await service.press(GUILD, RHIAN, poll.id, 2)
    privacy = PrivacyService(db, clock, post_touch, reminders)
    held = await privacy.mydata(RHIAN)
    assert [a["poll_title"] for a in held["data"]["poll_answers"]] == [TITLE, TITLE]
    post_touch.touched.clear()
    forgotten = await privacy.forget(RHIAN)
    assert forgotten.removed["poll_answers"] == 2
    assert ("poll", poll.id) in post_touch.touched
    assert (await service.info(poll)).counts.members == 0
    made = await privacy.forget(organiser.user_id)
    assert made.removed["polls_created"] == 1


async def test_sweep_removes_polls_saved_but_never_posted(
    service: PollService, organiser: Actor, times: list[datetime], db: Database
) -> None:
    kept = await created(service, organiser, times)
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE polls SET posted = 0, message_id = NULL WHERE id = ?", (kept.id,)
        )
    assert await service.sweep_unposted() == 1
    assert await count_rows(db, "polls") == 0


async def test_retention_erases_who_answered_and_keeps_the_counts(
    db: Database,
    clock: FakeClock,
    jobs: FakeJobs,
    service: PollService,
    organiser: Actor,
    times: list[datetime],
    poster: FakePollPoster,
) -> None:
    poll = await created(service, organiser, times)
    await service.press(GUILD, RHIAN, poll.id, 1)
    await service.press(GUILD, RHIAN, poll.id, 2)
    await service.press(GUILD, DAFYDD, poll.id, 2)
    still_open = await created(service, organiser, times)
    await service.press(GUILD, DAFYDD, still_open.id, 1)
    await service.close(GUILD, organiser, poll.id)
    before = (await service.info(poll)).counts
    retention = RetentionService(db, clock, jobs)
    assert (await retention.erase_expired()).poll_answers == 0  # closed just now: kept
    clock.advance(timedelta(days=RETENTION_DEFAULT * 31 + 1))
    assert (await retention.erase_expired()).poll_answers == 3
    assert await count_rows(db, "poll_answers") == 1  # the open poll's answer stays
    after = (await service.info(poll)).counts
    assert after == before and after.members == 2 and after.by_position == {1: 1, 2: 2}
    assert (await retention.erase_expired()).poll_answers == 0  # a second run: nothing
    assert (await service.info(poll)).counts == before
