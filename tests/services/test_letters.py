"""LetterService against a real SQLite file with a frozen clock, the fake Jobs port and a
recording poster."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.guilds import Actor
from bot.domain.letters import Letter, Tally
from bot.runtime.post_updater import PostUpdater
from bot.services.guilds import GuildService
from bot.services.letters import CELEBRATION_KIND, LetterInput, LetterService, close_job_id
from bot.services.ports import LetterPoster
from tests.conftest import ANNOUNCE, GUILD
from tests.support.dates import LONDON, at_local, typed
from tests.support.fakes import FakeClock, FakeJobs, FakePostTouch

pytestmark = pytest.mark.usefixtures("configured")

FIRST_MINISTER = LetterInput(
    title="Open Letter to the First Minister",
    addressee="The First Minister of Wales",
    body="We ask that the principles of co-production are placed at the heart of Welsh "
    "public services.",
)  # closes: see `first_minister`


def closing(now: datetime) -> datetime:
    """The letter's closing time: 17:00 London time, 33 days after `now`'s day."""
    return at_local(now, days=33, at="17:00")


def first_minister(now: datetime) -> LetterInput:
    """The letter as typed at `now`, closing at `closing(now)`."""
    return replace(FIRST_MINISTER, closes=typed(closing(now)))


@pytest.fixture
def closes_at(clock: FakeClock) -> datetime:
    return closing(clock())


@dataclass
class Posted:
    letter: Letter
    tally: Tally
    closed: bool


@dataclass
class FakeLetterPoster:
    """Records letters' posts and celebrations; `forbidden_channels` refuse to post."""

    posts: dict[int, Posted] = field(default_factory=dict)
    celebrations: list[tuple[int, int]] = field(default_factory=list)
    forbidden_channels: set[int] = field(default_factory=set)
    next_id: int = 5000

    async def publish(self, letter: Letter, tally: Tally, now: datetime) -> int:
        if letter.channel_id in self.forbidden_channels:
            raise UserError("cannot_post", channel=f"<#{letter.channel_id}>")
        self.next_id += 1
        self.posts[self.next_id] = Posted(letter, tally, letter.is_closed(now))
        return self.next_id

    async def refresh(self, letter: Letter, tally: Tally, now: datetime) -> bool:
        if letter.message_id not in self.posts:
            return False
        self.posts[letter.message_id] = Posted(letter, tally, letter.is_closed(now))
        return True

    async def celebrate(self, letter: Letter, count: int) -> None:
        self.celebrations.append((letter.id, count))

    async def withdraw(self, channel_id: int, message_id: int) -> None:
        self.posts.pop(message_id, None)


if TYPE_CHECKING:  # the fake drifting from its port fails mypy
    _poster: LetterPoster = FakeLetterPoster()


@pytest.fixture
def poster() -> FakeLetterPoster:
    return FakeLetterPoster()


@pytest.fixture
def letters(
    db: Database,
    clock: FakeClock,
    guilds: GuildService,
    poster: FakeLetterPoster,
    post_touch: FakePostTouch,
    jobs: FakeJobs,
) -> LetterService:
    return LetterService(db, clock, guilds, poster, post_touch, jobs)


async def create(letters: LetterService, organiser: Actor, **changes: object) -> Letter:
    """The first minister's letter as typed now (by the service's clock), with `changes`."""
    fields = {**vars(first_minister(letters.clock())), **changes}
    typed_in = LetterInput(**fields)  # type: ignore[arg-type]
    return (await letters.create(GUILD, organiser, typed_in, None)).letter


async def count_rows(db: Database, table: str) -> int:
    async with db.reading() as conn:
        return next(iter(await conn.execute_fetchall(f"SELECT count(*) FROM {table}")))[0]


async def sign(
    letters: LetterService, letter: Letter, user_id: int, name: str | None, **more: object
):  # type: ignore[no-untyped-def]
    return await letters.sign(
        GUILD,
        user_id,
        letter.id,
        name=name,
        organisation=more.get("organisation"),  # type: ignore[arg-type]
        public=more.get("public"),  # type: ignore[arg-type]
    )


# --- create ------------------------------------------------------------------------------


async def test_create_stores_posts_and_plans_the_closing(
    letters: LetterService,
    organiser: Actor,
    poster: FakeLetterPoster,
    jobs: FakeJobs,
    closes_at: datetime,
) -> None:
    letter = await create(letters, organiser)
    assert letter.closes_at == closes_at
    assert letter.channel_id == ANNOUNCE
    assert letter.milestone == 25
    assert await letters.resolve(GUILD, str(letter.id)) == letter
    assert letter.message_id is not None
    assert poster.posts[letter.message_id].letter.id == letter.id
    assert jobs.jobs[close_job_id(letter.id)].when == closes_at


async def test_without_closes_there_is_no_job(
    letters: LetterService, organiser: Actor, jobs: FakeJobs
) -> None:
    letter = await create(letters, organiser, closes=None)
    assert letter.closes_at is None and jobs.one_offs() == []


async def test_prepare_create_allows_a_missing_body_but_create_needs_one(
    letters: LetterService, organiser: Actor, db: Database, closes_at: datetime
) -> None:
    day = closes_at.astimezone(LONDON)
    closes = f"{day.day} {day:%b} 5pm"  # as free text: "31 Dec 5pm"
    typed_in = LetterInput(FIRST_MINISTER.title, FIRST_MINISTER.addressee, None, closes)
    await letters.prepare_create(GUILD, organiser, typed_in, None)
    with pytest.raises(UserError) as caught:
        await letters.create(GUILD, organiser, typed_in, None)
    assert caught.value.key == "letter_body_missing"
    assert await count_rows(db, "letters") == 0


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"closes": "yesterday 5pm"}, "when_past"),
        ({"closes": "whenever"}, "when_unreadable"),
        ({"milestone": 0}, "letter_milestone_out_of_range"),
        ({"title": "x" * 151}, "too_long"),
    ],
)
async def test_create_refusals_store_nothing(
    letters: LetterService,
    organiser: Actor,
    db: Database,
    clock: FakeClock,
    changes: dict[str, object],
    key: str,
) -> None:
    fields = {**vars(first_minister(clock())), **changes}
    typed_in = LetterInput(**fields)  # type: ignore[arg-type]
    for attempt in (letters.prepare_create, letters.create):
        with pytest.raises(UserError) as caught:
            await attempt(GUILD, organiser, typed_in, None)
        assert caught.value.key == key
    assert await count_rows(db, "letters") == 0


async def test_non_organiser_cannot_create(
    letters: LetterService, member: Actor, db: Database, poster: FakeLetterPoster, clock: FakeClock
) -> None:
    typed_in = first_minister(clock())
    with pytest.raises(UserError) as caught:
        await letters.prepare_create(GUILD, member, typed_in, None)
    assert caught.value.key == "not_organiser"
    with pytest.raises(UserError):
        await letters.create(GUILD, member, typed_in, None)
    assert await count_rows(db, "letters") == 0 and poster.posts == {}


async def test_a_post_that_fails_leaves_nothing_behind(
    letters: LetterService, organiser: Actor, poster: FakeLetterPoster, db: Database
) -> None:
    poster.forbidden_channels.add(ANNOUNCE)
    with pytest.raises(UserError) as caught:
        await create(letters, organiser)
    assert caught.value.key == "cannot_post"
    assert await count_rows(db, "letters") == 0


# --- signing -----------------------------------------------------------------------------


async def test_one_signature_per_person_updated_on_signing_again(
    letters: LetterService, organiser: Actor, db: Database, post_touch: FakePostTouch
) -> None:
    letter = await create(letters, organiser)
    first = await sign(letters, letter, 10, "Rhian Evans", organisation="Cardiff University")
    assert first.first and first.tally == Tally(1, 1, 1)
    again = await sign(letters, letter, 10, None, public=False)
    assert not again.first
    assert again.signature.name == "Rhian Evans"
    assert again.signature.organisation == "Cardiff University"  # blank kept its value
    assert again.tally == Tally(1, 1, 0)  # still counted, no longer listed
    assert await count_rows(db, "signatures") == 1
    assert post_touch.touched == [("letter", letter.id), ("letter", letter.id)]


async def test_the_sign_form_is_filled_with_the_members_own_earlier_signature(
    letters: LetterService, organiser: Actor
) -> None:
    """prepare_sign reads the letter and the member's signature in one statement: the
    member's own, its organisation as the record names it; none for someone else."""
    letter = await create(letters, organiser)
    assert await letters.prepare_sign(GUILD, 10, letter.id) == (letter, None)
    await sign(letters, letter, 10, "Rhian Evans", organisation="cardiff  university")
    await sign(letters, letter, 11, "Dafydd Jones", organisation="Tai Pawb", public=False)
    shown, mine = await letters.prepare_sign(GUILD, 11, letter.id)
    assert shown.id == letter.id and mine is not None
    assert (mine.user_id, mine.name, mine.organisation, mine.public) == (
        11,
        "Dafydd Jones",
        "Tai Pawb",
        False,
    )
    assert (await letters.prepare_sign(GUILD, 12, letter.id))[1] is None
    with pytest.raises(UserError) as caught:
        await letters.prepare_sign(GUILD + 1, 10, letter.id)  # another server's letter
    assert caught.value.key == "letter_not_found"


async def test_organisation_variants_count_once(letters: LetterService, organiser: Actor) -> None:
    letter = await create(letters, organiser)
    for user_id, org in enumerate(
        ["Cardiff University", "cardiff  university", "CARDIFF UNIVERSITY", "Patchwork Circles"]
    ):
        await sign(letters, letter, 100 + user_id, f"Member {user_id}", organisation=org)
    signed = await sign(letters, letter, 200, "Owain Price")  # for himself
    assert signed.tally == Tally(5, 2, 5)
    assert await letters.suggest_organisations(GUILD, "cardiff") == ["Cardiff University"]
    assert await letters.suggest_organisations(GUILD, "") == [
        "Cardiff University",
        "Patchwork Circles",
    ]


async def test_first_signature_needs_a_name(letters: LetterService, organiser: Actor) -> None:
    letter = await create(letters, organiser)
    with pytest.raises(UserError) as caught:
        await sign(letters, letter, 10, None, organisation="Cardiff University")
    assert caught.value.key == "letter_name_missing"


async def test_withdraw(letters: LetterService, organiser: Actor, db: Database) -> None:
    letter = await create(letters, organiser)
    await sign(letters, letter, 10, "Rhian Evans")
    await sign(letters, letter, 11, "Dafydd Jones")
    shown = await letters.withdraw(GUILD, 10, letter.id)
    assert shown.tally == Tally(1, 0, 1)
    with pytest.raises(UserError) as caught:
        await letters.withdraw(GUILD, 10, letter.id)
    assert caught.value.key == "letter_not_signed"
    page = await letters.signatures_page(GUILD, letter.id, 0)
    assert [s.name for s in page.signatures] == ["Dafydd Jones"]


async def celebrate_due(letters: LetterService, post_touch: FakePostTouch) -> None:
    """What the paced worker does for each touched celebration (once per touch)."""
    while post_touch.touched:
        kind, item_id = post_touch.touched.pop(0)
        if kind == CELEBRATION_KIND:
            await letters.celebrate_due(item_id)


async def celebrated(db: Database, letter: Letter) -> int:
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT celebrated FROM letters WHERE id = ?", (letter.id,)
        )
    return int(next(iter(rows))[0])


async def test_milestone_celebrated_once_across_withdraw_and_resign(
    letters: LetterService, organiser: Actor, poster: FakeLetterPoster, post_touch: FakePostTouch
) -> None:
    letter = await create(letters, organiser, milestone=2)
    await sign(letters, letter, 1, "A")
    second = await sign(letters, letter, 2, "B")
    assert second.milestone == 2
    assert poster.celebrations == []  # not posted by the signer: queued for the worker
    assert (CELEBRATION_KIND, letter.id) in post_touch.touched
    await celebrate_due(letters, post_touch)
    assert poster.celebrations == [(letter.id, 2)]
    await letters.withdraw(GUILD, 2, letter.id)
    again = await sign(letters, letter, 2, "B")
    assert again.milestone is None
    assert (CELEBRATION_KIND, letter.id) not in post_touch.touched
    await sign(letters, letter, 3, "C")
    fourth = await sign(letters, letter, 4, "D")
    assert fourth.milestone == 4
    await celebrate_due(letters, post_touch)
    assert poster.celebrations == [(letter.id, 2), (letter.id, 4)]


async def test_a_burst_of_signatures_claims_each_multiple_once_and_celebrates_the_highest(
    letters: LetterService,
    organiser: Actor,
    poster: FakeLetterPoster,
    post_touch: FakePostTouch,
    db: Database,
) -> None:
    letter = await create(letters, organiser, milestone=5)
    signed = await asyncio.gather(
        *(sign(letters, letter, 100 + n, f"Member {n}") for n in range(12))
    )
    assert await count_rows(db, "signatures") == 12
    assert sorted(s.milestone for s in signed if s.milestone) == [5, 10]  # each claimed once
    assert await celebrated(db, letter) == 10
    await celebrate_due(letters, post_touch)
    assert poster.celebrations == [(letter.id, 10)]  # 5 folded into the one message
    await letters.withdraw(GUILD, 100, letter.id)
    await sign(letters, letter, 100, "Member 0")
    await celebrate_due(letters, post_touch)
    assert poster.celebrations == [(letter.id, 10)]


@dataclass
class GatedPoster(FakeLetterPoster):
    """A poster whose celebrations wait at a gate (a channel slow to take messages)."""

    gate: asyncio.Event = field(default_factory=asyncio.Event)
    waiting: asyncio.Event = field(default_factory=asyncio.Event)

    async def celebrate(self, letter: Letter, count: int) -> None:
        self.waiting.set()
        await self.gate.wait()
        await super().celebrate(letter, count)


async def test_signing_never_waits_for_a_celebration_and_the_worker_posts_the_highest(
    db: Database, clock: FakeClock, guilds: GuildService, jobs: FakeJobs, organiser: Actor
) -> None:
    poster = GatedPoster()
    updater = PostUpdater(clock, gap_s=0.0, old_gap_s=0.0)
    letters = LetterService(db, clock, guilds, poster, updater, jobs)
    updater.register("letter", letters.refresh_post)
    updater.register(CELEBRATION_KIND, letters.celebrate_due)
    letter = await create(letters, organiser, milestone=2)
    for n in range(2):
        await sign(letters, letter, 100 + n, f"Member {n}")  # returns: the gate is shut
    await asyncio.wait_for(poster.waiting.wait(), 5)  # 2 is being posted, and is stuck
    for n in range(2, 7):
        signed = await sign(letters, letter, 100 + n, f"Member {n}")
    assert signed.tally.signatures == 7 and poster.celebrations == []
    poster.gate.set()
    await updater.drain(5)
    assert poster.celebrations == [(letter.id, 2), (letter.id, 6)]  # 4 folded into 6
    assert await celebrated(db, letter) == 6
    assert letter.message_id is not None
    assert poster.posts[letter.message_id].tally.signatures == 7  # the post's count too


async def test_signatures_are_paged_and_unlisted_ones_count(
    letters: LetterService, organiser: Actor
) -> None:
    letter = await create(letters, organiser)
    for n in range(45):
        await sign(letters, letter, 100 + n, f"Member {n:02d}", public=n % 9 != 0)
    first = await letters.signatures_page(GUILD, letter.id, 0)
    assert first.pages == 2 and len(first.signatures) == 20
    assert first.tally == Tally(45, 0, 40)
    last = await letters.signatures_page(GUILD, letter.id, 5)  # clamped
    assert last.page == 1 and len(last.signatures) == 20
    assert "Member 00" not in [s.name for s in first.signatures]


# --- closing -----------------------------------------------------------------------------


async def test_closing_job_closes_and_signing_is_refused(
    letters: LetterService,
    organiser: Actor,
    clock: FakeClock,
    jobs: FakeJobs,
    poster: FakeLetterPoster,
    post_touch: FakePostTouch,
    closes_at: datetime,
) -> None:
    letter = await create(letters, organiser)
    assert await letters.close_due(letter.id) is False  # too early: nothing happens
    clock.set(closes_at + timedelta(seconds=1))
    with pytest.raises(UserError) as caught:  # closed by time even before the job runs
        await sign(letters, letter, 10, "Rhian Evans")
    assert caught.value.key == "letter_closed"
    assert await jobs.run_due(clock()) == [close_job_id(letter.id)]
    closed = await letters.resolve(GUILD, str(letter.id))
    assert closed is not None and closed.closed_at == closes_at
    assert post_touch.touched[-1] == ("letter", letter.id)
    assert await letters.close_due(letter.id) is False  # a second run is a no-op


async def test_close_by_organiser(
    letters: LetterService,
    organiser: Actor,
    member: Actor,
    jobs: FakeJobs,
    poster: FakeLetterPoster,
) -> None:
    letter = await create(letters, organiser)
    with pytest.raises(UserError) as caught:
        await letters.prepare_close(GUILD, member, letter)
    assert caught.value.key == "not_organiser"
    with pytest.raises(UserError):
        await letters.close(GUILD, member, letter.id)
    named = await letters.resolve(GUILD, "open letter to the first minister")
    shown = await letters.prepare_close(GUILD, organiser, named)
    assert shown.letter.id == letter.id
    closed = await letters.close(GUILD, organiser, letter.id)
    assert closed.letter.closed_at is not None
    assert jobs.one_offs() == []
    assert letter.message_id is not None and poster.posts[letter.message_id].closed
    with pytest.raises(UserError) as caught:
        await letters.prepare_close(GUILD, organiser, closed.letter)
    assert caught.value.key == "letter_closed_already"
    with pytest.raises(UserError) as caught:
        await letters.prepare_sign(GUILD, 10, letter.id)
    assert caught.value.key == "letter_closed"


async def test_at_start_passed_letters_close_and_others_are_planned(
    db: Database,
    clock: FakeClock,
    guilds: GuildService,
    letters: LetterService,
    organiser: Actor,
    post_touch: FakePostTouch,
) -> None:
    noon = at_local(clock(), days=1, at="12:00")
    passed = await create(letters, organiser, closes=typed(noon))
    later_noon = at_local(clock(), days=64, at="12:00")
    later = await create(letters, organiser, title="Second letter", closes=typed(later_noon))
    open_ended = await create(letters, organiser, title="Third letter", closes=None)
    clock.set(noon + timedelta(hours=1))  # the bot was down at noon
    fresh_jobs = FakeJobs()
    restarted = LetterService(db, clock, guilds, FakeLetterPoster(), post_touch, fresh_jobs)
    assert await restarted.plan_closings() == 1
    assert fresh_jobs.one_offs() == [close_job_id(later.id)]
    closed = await restarted.resolve(GUILD, str(passed.id))
    assert closed is not None and closed.closed_at == noon
    still = await restarted.resolve(GUILD, str(open_ended.id))
    assert still is not None and still.closed_at is None


# --- editing -----------------------------------------------------------------------------


async def test_body_change_after_signatures_tells_signers(
    letters: LetterService, organiser: Actor, clock: FakeClock, poster: FakeLetterPoster
) -> None:
    letter = await create(letters, organiser)
    await sign(letters, letter, 10, "Rhian Evans")
    await sign(letters, letter, 11, "Dafydd Jones", public=False)
    clock.advance(timedelta(hours=2))
    edited = await letters.edit(
        GUILD, organiser, letter, LetterInput(body="A clearer text, with co-production.")
    )
    assert edited.changes == ("body",)
    assert edited.letter.body_changed_at == clock()
    assert sorted(n.user_id for n in edited.notices) == [10, 11]
    assert {n.key for n in edited.notices} == {"letter_body_changed"}
    assert letter.message_id is not None
    assert poster.posts[letter.message_id].letter.body_changed_at == clock()


async def test_body_change_before_anyone_signed_is_quiet(
    letters: LetterService, organiser: Actor
) -> None:
    letter = await create(letters, organiser)
    edited = await letters.edit(GUILD, organiser, letter, LetterInput(body="New text."))
    assert edited.notices == [] and edited.letter.body_changed_at is None


async def test_moving_closes_into_the_future_reopens(
    letters: LetterService, organiser: Actor, clock: FakeClock, jobs: FakeJobs
) -> None:
    noon = at_local(clock(), days=1, at="12:00")
    letter = await create(letters, organiser, closes=typed(noon))
    clock.set(noon + timedelta(hours=1))
    await jobs.run_due(clock())
    week_on = at_local(clock(), days=7, at="12:00")
    edited = await letters.edit(GUILD, organiser, letter, LetterInput(closes=typed(week_on)))
    assert edited.reopened and edited.changes == ("closes",)
    assert edited.letter.closed_at is None
    assert jobs.jobs[close_job_id(letter.id)].when == week_on
    signed = await sign(letters, letter, 10, "Rhian Evans")
    assert signed.tally.signatures == 1
    cleared = await letters.edit(GUILD, organiser, letter, LetterInput(closes="-"))
    assert cleared.letter.closes_at is None and jobs.one_offs() == []


async def test_changing_the_milestone_never_celebrates_the_past(
    letters: LetterService, organiser: Actor, poster: FakeLetterPoster, post_touch: FakePostTouch
) -> None:
    letter = await create(letters, organiser)
    for n in range(7):
        await sign(letters, letter, 100 + n, f"Member {n}")
    await letters.edit(GUILD, organiser, letter, LetterInput(milestone=3))
    eighth = await sign(letters, letter, 200, "Eight")
    ninth = await sign(letters, letter, 201, "Nine")
    assert (eighth.milestone, ninth.milestone) == (None, 9)
    await celebrate_due(letters, post_touch)
    assert poster.celebrations == [(letter.id, 9)]


async def test_edit_refusals_change_nothing(
    letters: LetterService, organiser: Actor, member: Actor
) -> None:
    letter = await create(letters, organiser)
    with pytest.raises(UserError) as caught:
        await letters.edit(GUILD, member, letter, LetterInput(title="Hijacked"))
    assert caught.value.key == "not_organiser"
    with pytest.raises(UserError) as caught:
        await letters.edit(GUILD, organiser, letter, LetterInput())
    assert caught.value.key == "edit_nothing"
    with pytest.raises(UserError) as caught:
        await letters.edit(GUILD, organiser, letter, LetterInput(closes="last week 5pm"))
    assert caught.value.key == "when_past"
    assert await letters.resolve(GUILD, str(letter.id)) == letter


async def test_edit_reposts_a_deleted_post(
    letters: LetterService, organiser: Actor, poster: FakeLetterPoster
) -> None:
    letter = await create(letters, organiser)
    assert letter.message_id is not None
    del poster.posts[letter.message_id]
    edited = await letters.edit(GUILD, organiser, letter, LetterInput(title="Renamed"))
    assert edited.reposted and edited.letter.message_id != letter.message_id
    assert edited.letter.message_id in poster.posts


# --- reading and export ------------------------------------------------------------------


async def test_resolve_by_id_or_unique_title(letters: LetterService, organiser: Actor) -> None:
    letter = await create(letters, organiser)
    assert (await letters.resolve(GUILD, str(letter.id))).id == letter.id
    assert (await letters.resolve(GUILD, " open letter to the FIRST minister ")).id == letter.id
    await create(letters, organiser)  # a second letter with the same title
    with pytest.raises(UserError) as caught:
        await letters.resolve(GUILD, "Open Letter to the First Minister")
    assert caught.value.key == "letter_ambiguous"
    with pytest.raises(UserError) as caught:
        await letters.resolve(GUILD, "999")
    assert caught.value.key == "letter_not_found"
    with pytest.raises(UserError):
        await letters.resolve(GUILD + 1, str(letter.id))  # another server's letter


async def test_list_open_first_and_suggest(
    letters: LetterService, organiser: Actor, clock: FakeClock
) -> None:
    closed = await create(letters, organiser, title="Closed letter")
    await letters.close(GUILD, organiser, closed.id)
    second = await create(letters, organiser, title="Second letter")
    shown, total = await letters.list_letters(GUILD)
    assert total == 2
    assert [s.letter.title for s in shown] == ["Second letter", "Closed letter"]
    assert [x.id for x in await letters.suggest(GUILD, "letter", open_only=True)] == [second.id]
    assert len(await letters.suggest(GUILD, "LETTER", open_only=False)) == 2


async def test_export_lists_public_signatories_for_organisers_only(
    letters: LetterService, organiser: Actor, member: Actor
) -> None:
    letter = await create(letters, organiser)
    await sign(letters, letter, 10, "Rhian Evans", organisation="Swansea County Council")
    await sign(letters, letter, 11, "Dafydd Jones", public=False)
    with pytest.raises(UserError) as caught:
        await letters.export(GUILD, member, letter)
    assert caught.value.key == "not_organiser"
    export = await letters.export(GUILD, organiser, letter)
    assert [s.name for s in export.signatures] == ["Rhian Evans"]
    assert export.tally == Tally(2, 1, 1)
