"""Network profiles and members' data rights on a real SQLite file."""

from __future__ import annotations

import pytest

from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.events import Event, Region
from bot.domain.guilds import Actor
from bot.domain.rsvps import CANT_EMOJI, GOING_EMOJI, MAYBE_EMOJI, RSVP_EMOJI, RsvpStatus
from bot.services.events import EventInput, EventService
from bot.services.network import NetworkService
from bot.services.ports import Reaction
from bot.services.privacy import PrivacyService
from bot.services.reminders import ReminderService
from bot.services.rsvps import RsvpService
from bot.stores.organisations import OrganisationStore
from tests.conftest import GUILD
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeClock, FakeJobs, FakePostTouch

pytestmark = pytest.mark.usefixtures("configured")

RHIAN, DAFYDD, CARYS = 11, 12, 13


@pytest.fixture
def network(db: Database, clock: FakeClock) -> NetworkService:
    return NetworkService(db, clock)


@pytest.fixture
def privacy(
    db: Database, clock: FakeClock, post_touch: FakePostTouch, reminders: ReminderService
) -> PrivacyService:
    return PrivacyService(db, clock, post_touch, reminders)


async def test_stats_count_name_variants_as_one(network: NetworkService) -> None:
    await network.join(GUILD, 1, "Swansea County Council", Region.SOUTH)
    await network.join(GUILD, 2, "swansea  county council", Region.SOUTH)
    await network.join(GUILD, 3, "Patchwork Circles", Region.NORTH)
    await network.join(GUILD, 4, "United Welsh Housing", None)
    await network.join(GUILD + 1, 5, "Elsewhere Ltd", None)  # another server
    stats = await network.stats(GUILD)
    assert (stats.people, stats.organisations) == (4, 3)
    by_region = {(c.region, c.people, c.organisations) for c in stats.by_region}
    assert by_region == {(Region.SOUTH, 2, 1), (Region.NORTH, 1, 1), (None, 1, 1)}
    _, new = await network.join(GUILD, 3, "Patchwork Circles CIC", None)  # update keeps region
    assert not new
    after = await network.stats(GUILD)
    assert after.organisations == 3
    assert {(c.region, c.people) for c in after.by_region} >= {(Region.NORTH, 1)}
    await network.leave(GUILD, 4)
    with pytest.raises(UserError) as caught:
        await network.leave(GUILD, 4)
    assert caught.value.key == "network_not_member"
    assert await network.organisations(GUILD, "swansea") == ["Swansea County Council"]


async def seed(
    db: Database,
    events: EventService,
    rsvps: RsvpService,
    reminders: ReminderService,
    network: NetworkService,
    organiser: Actor,
    clock: FakeClock,
) -> Event:
    when = typed(at_local(clock(), days=5))  # 18:30 in Cardiff, five days on
    event = (
        await events.create(
            GUILD,
            organiser,
            EventInput(when=when, title="S. Wales Network Meeting 4", capacity=1),
            None,
        )
    ).event
    assert event.message_id is not None
    for user, emoji in ((RHIAN, GOING_EMOJI), (DAFYDD, GOING_EMOJI), (CARYS, MAYBE_EMOJI)):
        await rsvps.apply([Reaction(True, event.message_id, user, emoji)])
    await reminders.add_personal(event, RHIAN, "2h")
    await reminders.add_personal(event, DAFYDD, "2h")
    await reminders.set_dms(GUILD, RHIAN, False)
    await network.join(GUILD, RHIAN, "Swansea County Council", Region.SOUTH)
    await network.join(GUILD, DAFYDD, "Patchwork Circles", Region.NORTH)
    async with db.transaction() as conn:  # a letter with two signatures
        await conn.execute(
            "INSERT INTO letters (id, guild_id, title, addressee, body, channel_id, message_id, "
            "created_by, created_at, updated_at) VALUES (1, ?, 'Open Letter to the First "
            "Minister', 'The First Minister', 'Put co-production at the heart.', 5, 6, ?, 0, 0)",
            (GUILD, RHIAN),
        )
        org = await OrganisationStore(db).resolve(GUILD, "Org", clock())
        for user, name in ((RHIAN, "Rhian Evans"), (DAFYDD, "Dafydd Jones")):
            await conn.execute(
                "INSERT INTO signatures (letter_id, user_id, name, organisation, "
                "organisation_key, organisation_id, signed_at, updated_at) "
                "VALUES (1, ?, ?, 'Org', 'org', ?, 0, 0)",
                (user, name, org.id),
            )
    return event


async def test_mydata_holds_exactly_the_members_rows(
    db: Database,
    events: EventService,
    rsvps: RsvpService,
    reminders: ReminderService,
    network: NetworkService,
    privacy: PrivacyService,
    organiser: Actor,
    clock: FakeClock,
) -> None:
    event = await seed(db, events, rsvps, reminders, network, organiser, clock)
    held = (await privacy.mydata(DAFYDD))["data"]
    assert [(r["event_title"], r["status"], r["waitlist_place"]) for r in held["rsvps"]] == [
        ("S. Wales Network Meeting 4", "waitlist", 1)
    ]
    assert [s["name"] for s in held["signatures"]] == ["Dafydd Jones"]
    assert [r["event_id"] for r in held["reminders"]] == [event.id]
    assert [p["organisation"] for p in held["network_profile"]] == ["Patchwork Circles"]
    assert held["reminder_settings"] == [] and held["letters_created"] == []
    rhian = (await privacy.mydata(RHIAN))["data"]
    assert [s["name"] for s in rhian["signatures"]] == ["Rhian Evans"]
    assert [r["reminder_dms"] for r in rhian["reminder_settings"]] == [0]
    assert len(rhian["letters_created"]) == 1


async def test_forget_removes_everything_promotes_and_leaves_others_alone(
    db: Database,
    events: EventService,
    rsvps: RsvpService,
    reminders: ReminderService,
    network: NetworkService,
    privacy: PrivacyService,
    organiser: Actor,
    post_touch: FakePostTouch,
    jobs: FakeJobs,
    clock: FakeClock,
) -> None:
    event = await seed(db, events, rsvps, reminders, network, organiser, clock)
    before_others = (await privacy.mydata(CARYS))["data"]
    jobs_before = len(jobs.jobs)
    forgotten = await privacy.forget(RHIAN)
    assert forgotten.removed["rsvps"] == 1 and forgotten.removed["signatures"] == 1
    assert forgotten.removed["letters_created"] == 1
    held = (await privacy.mydata(RHIAN))["data"]
    # kept until the Discord side says her reactions are off the post: which post, which
    # reactions (all three, her answer not among what it tells), so they never count again
    left = held.pop("reactions_left_on_posts")
    assert [(r["message_id"], r["emoji"]) for r in left] == [
        (str(event.message_id), emoji) for emoji in sorted(RSVP_EMOJI)
    ]
    assert all(rows == [] for rows in held.values()), held
    assert [(a.event.id, a.emoji) for a in forgotten.reactions] == [(event.id, GOING_EMOJI)]
    assert event.message_id is not None
    await privacy.reactions_taken_off(RHIAN, event.message_id)
    assert all(rows == [] for rows in (await privacy.mydata(RHIAN))["data"].values())
    # Dafydd, first on the waitlist, moved up as if Rhian had withdrawn, and is told
    assert [(n.user_id, n.key) for n in forgotten.notices] == [(DAFYDD, "rsvp_promoted")]
    listed = await rsvps.attendees(event, GUILD, organiser)
    assert [r.user_id for r in listed.of(RsvpStatus.GOING)] == [DAFYDD]
    assert ("event", event.id) in post_touch.touched and ("letter", 1) in post_touch.touched
    assert len(jobs.jobs) == jobs_before - 1  # Rhian's own reminder job is gone
    assert (await privacy.mydata(CARYS))["data"] == before_others
    dafydd = (await privacy.mydata(DAFYDD))["data"]
    assert len(dafydd["signatures"]) == 1 and len(dafydd["reminders"]) == 1
    again = await privacy.forget(RHIAN)
    assert again.total == 0


async def test_reactions_from_before_the_forget_never_count_again(
    db: Database,
    events: EventService,
    rsvps: RsvpService,
    reminders: ReminderService,
    network: NetworkService,
    privacy: PrivacyService,
    organiser: Actor,
    clock: FakeClock,
) -> None:
    """Her ✅ and an old 🤔 stay on the post (the bot may not take them off): reading the post
    again sets them aside; a reaction made after the forget counts, and one seen gone is no
    longer remembered."""
    event = await seed(db, events, rsvps, reminders, network, organiser, clock)
    assert event.message_id is not None
    await privacy.forget(RHIAN)
    on_post = {RHIAN: {GOING_EMOJI, MAYBE_EMOJI}, DAFYDD: {GOING_EMOJI}, CARYS: {MAYBE_EMOJI}}
    outcomes = await rsvps.reconcile(event.id, on_post)
    assert [(o.user_id, o.remove_emoji) for o in outcomes] == [
        (RHIAN, tuple(sorted((GOING_EMOJI, MAYBE_EMOJI))))  # to take off; nothing else changes
    ]
    assert await rsvps.answer_of(event.id, RHIAN) is None
    left = (await privacy.mydata(RHIAN))["data"]["reactions_left_on_posts"]
    assert sorted(r["emoji"] for r in left) == sorted((GOING_EMOJI, MAYBE_EMOJI))  # ❌ not there
    # she reacts ❌ after the forget: it counts, and a second reading keeps it
    [applied] = await rsvps.apply([Reaction(True, event.message_id, RHIAN, CANT_EMOJI)])
    assert applied.outcomes[0].status is RsvpStatus.CANT
    await rsvps.reconcile(event.id, {**on_post, RHIAN: {GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI}})
    assert await rsvps.answer_of(event.id, RHIAN) is RsvpStatus.CANT
    # she takes the old 🤔 off herself; then ✅ goes too, seen by the next reading
    await rsvps.apply([Reaction(False, event.message_id, RHIAN, MAYBE_EMOJI)])
    await rsvps.reconcile(event.id, {**on_post, RHIAN: {CANT_EMOJI}})
    assert (await privacy.mydata(RHIAN))["data"]["reactions_left_on_posts"] == []
    assert await rsvps.answer_of(event.id, RHIAN) is RsvpStatus.CANT


async def test_forgotten_reactions_go_with_the_posts_that_no_longer_take_answers(
    db: Database,
    events: EventService,
    rsvps: RsvpService,
    reminders: ReminderService,
    network: NetworkService,
    privacy: PrivacyService,
    organiser: Actor,
    clock: FakeClock,
) -> None:
    event = await seed(db, events, rsvps, reminders, network, organiser, clock)
    await privacy.forget(RHIAN)
    assert await rsvps.prune_forgotten() == 0  # the post still takes answers
    clock.set(event.starts_at)
    assert await rsvps.prune_forgotten() == len(RSVP_EMOJI)
    assert (await privacy.mydata(RHIAN))["data"]["reactions_left_on_posts"] == []
