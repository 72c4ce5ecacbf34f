"""The first second counts, at the service level: reactions that came on a post before its
id was saved are applied in order when it is saved, their effects handed to the worker; a
post whose id can't be saved is taken down and nothing of it is kept."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from bot.domain.events import Event
from bot.domain.guilds import Actor
from bot.domain.rsvps import GOING_EMOJI, MAYBE_EMOJI, Effect, RsvpCounts, RsvpStatus
from bot.services.events import EventInput, EventService
from bot.services.ports import Applied, Reaction
from bot.services.rsvps import RsvpService
from bot.stores.events import EventStore
from tests.conftest import GUILD
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeAnnouncer, FakeClock, FakePostTouch

pytestmark = pytest.mark.usefixtures("configured")


@dataclass
class Worker:
    """The reaction worker's side: what early reactions call for."""

    followed: list[Applied] = field(default_factory=list)

    def follow(self, applied: Sequence[Applied]) -> None:
        self.followed.extend(applied)

    def effects(self) -> list[tuple[int, Effect, tuple[str, ...]]]:
        return [(o.user_id, o.effect, o.remove_emoji) for a in self.followed for o in a.outcomes]


@pytest.fixture
def worker(rsvps: RsvpService) -> Worker:
    rsvps.effects = worker = Worker()
    return worker


def meeting(clock: FakeClock, **more: object) -> EventInput:
    return EventInput(when=typed(at_local(clock(), days=5)), title="Meeting 4", **more)  # type: ignore[arg-type]


def on_next_post(announcer: FakeAnnouncer, user: int, emoji: str, added: bool = True) -> Reaction:
    """A reaction on the post the announcer makes next (its id is known to Discord first)."""
    return Reaction(added, announcer.next_id + 1, user, emoji)


async def answers(
    rsvps: RsvpService, event: Event, organiser: Actor
) -> dict[RsvpStatus, list[int]]:
    listed = await rsvps.attendees(event, GUILD, organiser)
    return {s: [r.user_id for r in listed.of(s)] for s in RsvpStatus if listed.of(s)}


async def test_reactions_before_the_id_is_saved_count_in_order_with_their_effects(
    rsvps: RsvpService,
    events: EventService,
    announcer: FakeAnnouncer,
    organiser: Actor,
    clock: FakeClock,
    worker: Worker,
    post_touch: FakePostTouch,
) -> None:
    early = [
        on_next_post(announcer, 1, GOING_EMOJI),
        on_next_post(announcer, 2, GOING_EMOJI),  # full: waits
        on_next_post(announcer, 1, MAYBE_EMOJI),  # frees the place: 2 moves up
        on_next_post(announcer, 3, GOING_EMOJI),  # full again: waits, then withdraws
        on_next_post(announcer, 3, GOING_EMOJI, added=False),
    ]
    assert await rsvps.apply(early) == []  # no event has that post yet: held
    event = (await events.create(GUILD, organiser, meeting(clock, capacity=1), None)).event
    assert await answers(rsvps, event, organiser) == {
        RsvpStatus.GOING: [2],
        RsvpStatus.MAYBE: [1],
    }
    assert worker.effects() == [
        (1, Effect.ANSWERED, ()),
        (2, Effect.WAITLISTED, ()),
        (1, Effect.ANSWERED, (GOING_EMOJI,)),
        (2, Effect.PROMOTED, ()),
        (3, Effect.WAITLISTED, ()),
        (3, Effect.WITHDRAWN, ()),
    ]
    assert ("event", event.id) in post_touch.touched
    assert announcer.offered == [event.message_id]
    # taken once: a later batch on the post is applied as usual, the early ones not again
    assert event.message_id is not None
    await rsvps.apply([Reaction(True, event.message_id, 4, GOING_EMOJI)])
    assert (await answers(rsvps, event, organiser))[RsvpStatus.WAITLIST] == [4]


async def test_a_reaction_on_a_post_made_again_counts(
    rsvps: RsvpService,
    events: EventService,
    announcer: FakeAnnouncer,
    organiser: Actor,
    clock: FakeClock,
    worker: Worker,
) -> None:
    event = (await events.create(GUILD, organiser, meeting(clock), None)).event
    assert event.message_id is not None
    await rsvps.apply([Reaction(True, event.message_id, 1, GOING_EMOJI)])
    announcer.posts.pop(event.message_id)  # deleted by hand
    await rsvps.apply([on_next_post(announcer, 2, MAYBE_EMOJI)])
    edited = await events.edit(GUILD, organiser, event, EventInput(where="Online"))
    assert edited.reposted
    assert await answers(rsvps, event, organiser) == {
        RsvpStatus.GOING: [1],
        RsvpStatus.MAYBE: [2],
    }
    assert announcer.offered[-1] == edited.event.message_id


async def test_a_post_whose_id_cannot_be_saved_is_taken_down_and_nothing_kept(
    rsvps: RsvpService,
    events: EventService,
    announcer: FakeAnnouncer,
    organiser: Actor,
    clock: FakeClock,
    worker: Worker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def refuse(self: EventStore, event_id: int, message_id: int) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    await rsvps.apply([on_next_post(announcer, 1, GOING_EMOJI)])
    with monkeypatch.context() as patched:
        patched.setattr(EventStore, "set_message", refuse)
        with pytest.raises(sqlite3.OperationalError):
            await events.create(GUILD, organiser, meeting(clock), None)
    assert announcer.withdrawn == [announcer.next_id] and announcer.posts == {}
    assert announcer.offered == []
    assert (await events.list_events(GUILD, 0)).events == []
    assert worker.followed == []
    again = (await events.create(GUILD, organiser, meeting(clock), None)).event
    assert (await events.details(again)).counts == RsvpCounts()


async def test_a_cancelled_post_made_again_refuses_early_reactions(
    rsvps: RsvpService,
    events: EventService,
    announcer: FakeAnnouncer,
    organiser: Actor,
    clock: FakeClock,
    worker: Worker,
) -> None:
    event = (await events.create(GUILD, organiser, meeting(clock), None)).event
    assert event.message_id is not None
    announcer.posts.pop(event.message_id)
    await rsvps.apply([on_next_post(announcer, 1, GOING_EMOJI)])
    await events.cancel(GUILD, organiser, event.id, None)
    assert worker.effects() == [(1, Effect.REFUSED_CANCELLED, (GOING_EMOJI,))]
    assert announcer.offered == [event.message_id]  # a cancelled post offers no reactions
