"""RsvpService against a real SQLite file: batches, refusals, reconciliation, attendees."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.errors import UserError
from bot.domain.events import Event
from bot.domain.guilds import Actor
from bot.domain.rsvps import (
    CANT_EMOJI,
    GOING_EMOJI,
    MAYBE_EMOJI,
    Effect,
    RsvpCounts,
    RsvpStatus,
    notice_for,
)
from bot.services.events import EventInput, EventService
from bot.services.ports import Reaction
from bot.services.rsvps import RsvpService
from tests.conftest import GUILD
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeAnnouncer, FakeClock, FakePostTouch

pytestmark = pytest.mark.usefixtures("configured")


@pytest.fixture
async def event(events: EventService, organiser: Actor, clock: FakeClock) -> Event:
    when = typed(at_local(clock(), days=5))  # 18:30 in Cardiff, five days on
    created = await events.create(
        GUILD,
        organiser,
        EventInput(when=when, title="S. Wales Network Meeting 4", capacity=2),
        None,
    )
    return created.event


def add(event: Event, user: int, emoji: str = GOING_EMOJI) -> Reaction:
    assert event.message_id is not None
    return Reaction(True, event.message_id, user, emoji)


def remove(event: Event, user: int, emoji: str = GOING_EMOJI) -> Reaction:
    assert event.message_id is not None
    return Reaction(False, event.message_id, user, emoji)


async def counts(events: EventService, event: Event) -> RsvpCounts:
    return (await events.details(event)).counts


async def test_batch_applies_in_order_and_writes_the_final_state(
    rsvps: RsvpService, events: EventService, event: Event, post_touch: FakePostTouch
) -> None:
    batch = [
        add(event, 1),
        add(event, 2),
        add(event, 3),  # waitlisted
        add(event, 1, MAYBE_EMOJI),  # frees a place: 3 promoted
        remove(event, 1, GOING_EMOJI),  # the bot's clean-up: no effect
        add(event, 4, CANT_EMOJI),
        add(event, 5),  # waitlisted
        remove(event, 4, CANT_EMOJI),  # withdrawn
    ]
    applied = await rsvps.apply(batch)
    effects = [(o.user_id, o.effect) for a in applied for o in a.outcomes]
    assert effects == [
        (1, Effect.ANSWERED),
        (2, Effect.ANSWERED),
        (3, Effect.WAITLISTED),
        (1, Effect.ANSWERED),
        (3, Effect.PROMOTED),
        (4, Effect.ANSWERED),
        (5, Effect.WAITLISTED),
        (4, Effect.WITHDRAWN),
    ]
    # each result names the very reaction it follows from (the worker keeps the batch's order)
    assert [batch.index(r) for a in applied if (r := a.reaction)] == [0, 1, 2, 3, 5, 6, 7]
    assert all(a.reaction is batch[i] for a, i in zip(applied, [0, 1, 2, 3, 5, 6, 7], strict=True))
    assert await counts(events, event) == RsvpCounts(going=2, maybe=1, waitlist=1)
    assert post_touch.touched == [("event", event.id)]


async def test_reactions_elsewhere_and_other_emoji_are_ignored(
    rsvps: RsvpService, event: Event, post_touch: FakePostTouch, events: EventService
) -> None:
    applied = await rsvps.apply([Reaction(True, 123456, 1, GOING_EMOJI), add(event, 2, "🎉")])
    assert applied == [] and post_touch.touched == []
    assert await counts(events, event) == RsvpCounts()


async def test_after_start_and_after_cancel_reactions_are_refused(
    rsvps: RsvpService, events: EventService, event: Event, clock: FakeClock, organiser: Actor
) -> None:
    await rsvps.apply([add(event, 1)])
    clock.set(event.starts_at + timedelta(minutes=5))
    [refused] = await rsvps.apply([add(event, 2), remove(event, 1)])
    assert refused.outcomes[0].effect is Effect.REFUSED_STARTED
    assert refused.outcomes[0].remove_emoji == (GOING_EMOJI,)
    notice = notice_for(event, refused.outcomes[0])
    assert notice is not None and notice.key == "rsvp_closed_started"
    assert await counts(events, event) == RsvpCounts(going=1)  # a removal after the start keeps it

    clock.set(event.starts_at - timedelta(days=1))
    await events.cancel(GUILD, organiser, event.id, None)
    [refused] = await rsvps.apply([add(event, 3)])
    assert refused.outcomes[0].effect is Effect.REFUSED_CANCELLED


async def test_reconcile_matches_the_post(
    rsvps: RsvpService, events: EventService, event: Event
) -> None:
    await rsvps.apply([add(event, 1), add(event, 2, MAYBE_EMOJI)])
    outcomes = await rsvps.reconcile(
        event.id, {2: {MAYBE_EMOJI, CANT_EMOJI}, 3: {GOING_EMOJI}, 4: {GOING_EMOJI}}
    )
    assert sorted((o.user_id, o.effect) for o in outcomes) == [
        (1, Effect.WITHDRAWN),
        (2, Effect.TIDIED),
        (3, Effect.ANSWERED),
        (4, Effect.ANSWERED),
    ]
    assert await counts(events, event) == RsvpCounts(going=2, maybe=1)
    assert (
        await rsvps.reconcile(event.id, {2: {MAYBE_EMOJI}, 3: {GOING_EMOJI}, 4: {GOING_EMOJI}})
        == []
    )


async def test_raising_capacity_promotes_and_owes_dms(
    rsvps: RsvpService, events: EventService, event: Event, organiser: Actor
) -> None:
    await rsvps.apply([add(event, u) for u in (1, 2, 3, 4)])
    lowered = await events.edit(GUILD, organiser, event, EventInput(capacity=1))
    assert lowered.notices == [] and (await counts(events, event)).going == 2
    raised = await events.edit(GUILD, organiser, event, EventInput(capacity=3))
    assert [(n.user_id, n.key) for n in raised.notices] == [(3, "rsvp_promoted")]
    assert await counts(events, event) == RsvpCounts(going=3, waitlist=1)


async def test_attendees_for_organisers_only(
    rsvps: RsvpService, event: Event, organiser: Actor, member: Actor
) -> None:
    await rsvps.apply([add(event, 5), add(event, 6, CANT_EMOJI), add(event, 7), add(event, 8)])
    listed = await rsvps.attendees(event, GUILD, organiser)
    assert [r.user_id for r in listed.of(RsvpStatus.GOING)] == [5, 7]
    assert [r.user_id for r in listed.of(RsvpStatus.WAITLIST)] == [8]
    assert [r.user_id for r in listed.of(RsvpStatus.CANT)] == [6]
    with pytest.raises(UserError) as caught:
        await rsvps.attendees(event, GUILD, member)
    assert caught.value.key == "not_organiser"


async def test_post_shows_counts_after_refresh(
    rsvps: RsvpService, events: EventService, event: Event, announcer: FakeAnnouncer
) -> None:
    await rsvps.apply([add(event, u) for u in (1, 2, 3)])
    await events.refresh_post(event.id)
    assert event.message_id is not None
    assert announcer.posts[event.message_id].counts == RsvpCounts(going=2, waitlist=1)
