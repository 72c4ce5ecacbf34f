"""Use cases for RSVPs: reactions applied in batches, reconciliation, attendee lists.

Reactions arrive in bursts, so the Discord side queues them and hands over whatever has
piled up: one transaction loads each touched event's answers once, applies the reactions
in order with the pure rules of `EventRsvps`, and writes back only the rows that changed.

The first second counts: a member can react on an announcement before the bot has saved its
message id. An RSVP reaction on a message no event is known by is held (`Held`, a couple of
minutes); the unit of work that saves a post's id takes the reactions held for it
(`adopt_in_tx`), in the order they came, so they count as if the id had been known all
along, and reactions applied after it see the post. What they call for (the clean-up of an
old reaction, DMs) goes to `effects`, the reaction worker, as its own batches' does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.db import Database
from bot.domain.events import Event
from bot.domain.guilds import Actor
from bot.domain.held import Held
from bot.domain.rsvps import (
    Effect,
    EventRsvps,
    Outcome,
    Rsvp,
    RsvpCounts,
    RsvpStatus,
    split_forgotten,
    wanted_for,
)
from bot.services.ports import Applied, Effects, Guilds, PostTouch, Reaction
from bot.stores.events import EventStore
from bot.stores.forgotten import ForgottenReactionStore
from bot.stores.rsvps import RsvpStore

log = logging.getLogger(__name__)

# How long, and how many, RSVP reactions on messages not known as posts are held in case
# the message is a post whose id is about to be saved (that takes milliseconds).
EARLY_KEEP = timedelta(minutes=2)
EARLY_MAX = 5000


class _NoEffects:
    """Until the reaction worker is there (and in tests that have none)."""

    def follow(self, applied: Sequence[Applied]) -> None:
        if applied:
            log.warning(
                "no reaction worker: what %d early reaction(s) call for is left", len(applied)
            )


@dataclass(frozen=True)
class Attendees:
    event: Event
    by_status: dict[RsvpStatus, list[Rsvp]] = field(default_factory=dict)
    counts: RsvpCounts = field(default_factory=RsvpCounts)  # with answers retention erased

    def of(self, status: RsvpStatus) -> list[Rsvp]:
        return self.by_status.get(status, [])


class RsvpService:
    def __init__(self, db: Database, clock: Clock, guilds: Guilds, posts: PostTouch) -> None:
        self.db = db
        self.clock = clock
        self.guilds = guilds
        self.posts = posts
        self.events = EventStore(db)
        self.store = RsvpStore(db)
        self.forgotten = ForgottenReactionStore(db)
        self.effects: Effects = _NoEffects()  # the reaction worker sets itself here
        self._early: Held[Reaction] = Held(EARLY_KEEP, EARLY_MAX)

    async def _state(self, event: Event) -> EventRsvps:
        return EventRsvps.load(event.id, event.capacity, await self.store.for_event(event.id))

    async def _write(self, state: EventRsvps) -> bool:
        if not state.changed and not state.removed:
            return False
        await self.store.delete(state.event_id, sorted(state.removed))
        await self.store.save(state.event_id, [state.answers[u] for u in sorted(state.changed)])
        state.changed.clear()
        state.removed.clear()
        return True

    def _touch(self, event: Event) -> None:
        self.posts.touch("event", event.id, event.channel_id, event.message_id)

    async def apply(self, reactions: Sequence[Reaction]) -> list[Applied]:
        """Apply reactions in order, in one transaction; non-RSVP ones are ignored, and RSVP
        ones on a message no event is known by are held (see `adopt_in_tx`)."""
        now = self.clock()
        async with self.db.transaction():
            results, touched, unknown = await self._apply_in_tx(reactions, now)
        for reaction in unknown:  # only once the batch is saved: a retried batch holds once
            self._early.hold(reaction.message_id, reaction, now)
        for event in touched.values():
            self._touch(event)
        return results

    async def adopt_in_tx(self, event: Event) -> list[Applied]:
        """Inside the unit of work that saves `event`'s new post id: apply the reactions held
        for that message, in the order they came. Hand the result to `adopted` once the unit
        of work is over."""
        assert event.message_id is not None
        early = self._early.take(event.message_id, self.clock())
        if not early:
            return []
        results, _, _ = await self._apply_in_tx(early, self.clock())
        log.info(
            "%d reaction(s) came on event %d's post before its id was saved", len(early), event.id
        )
        return results

    def adopted(self, event: Event, applied: list[Applied]) -> None:
        """After `adopt_in_tx`'s unit of work: the post shows the answers, the worker does
        what they call for."""
        if applied:
            self._touch(event)
            self.effects.follow(applied)

    async def _apply_in_tx(
        self, reactions: Sequence[Reaction], now: datetime
    ) -> tuple[list[Applied], dict[int, Event], list[Reaction]]:
        """`apply` inside the caller's unit of work: the results, the events whose answers
        changed, and the RSVP reactions on messages no event is known by."""
        results: list[Applied] = []
        touched: dict[int, Event] = {}
        unknown: list[Reaction] = []
        events: dict[int, Event | None] = {}
        states: dict[int, EventRsvps] = {}
        marks: dict[int, dict[int, set[str]]] = {}  # forgotten reactions, by post
        for reaction in reactions:
            if wanted_for(reaction.emoji) is None:
                continue
            if reaction.message_id not in events:
                events[reaction.message_id] = await self.events.get_by_message(reaction.message_id)
            event = events[reaction.message_id]
            if event is None:
                unknown.append(reaction)
                continue
            if not event.takes_rsvps(now):
                if reaction.added:
                    effect = Effect.REFUSED_CANCELLED if event.cancelled else Effect.REFUSED_STARTED
                    refusal = Outcome(reaction.user_id, effect, remove_emoji=(reaction.emoji,))
                    results.append(Applied(event, [refusal], reaction))
                continue
            if event.id not in states:
                states[event.id] = await self._state(event)
            state = states[event.id]
            await self._made_anew(reaction, marks)
            if reaction.added:
                outcomes = state.add(reaction.user_id, reaction.emoji, now)
            else:
                outcomes = state.remove(reaction.user_id, reaction.emoji, now)
            if outcomes:
                results.append(Applied(event, outcomes, reaction))
                touched[event.id] = event
        for state in states.values():
            await self._write(state)
        return results, touched, unknown

    async def _change(
        self, event_id: int, step: Callable[[EventRsvps, datetime], list[Outcome]]
    ) -> list[Outcome]:
        """Apply one rule to an event still taking RSVPs, in one transaction."""
        now = self.clock()
        async with self.db.transaction():
            event = await self.events.get(event_id)
            if event is None or not event.takes_rsvps(now):
                return []
            state = await self._state(event)
            outcomes = step(state, now)
            changed = await self._write(state)
        if changed:
            self._touch(event)
        return outcomes

    async def _made_anew(self, reaction: Reaction, marks: dict[int, dict[int, set[str]]]) -> None:
        """A forgotten member adds or takes off a reaction they held before the forget: it is
        theirs anew (an add counts) or gone, so it is no longer set aside."""
        if reaction.message_id not in marks:
            marks[reaction.message_id] = await self.forgotten.on_message(reaction.message_id)
        mine = marks[reaction.message_id].get(reaction.user_id)
        emoji = reaction.emoji.replace("\ufe0f", "")
        if mine is not None and emoji in mine:
            mine.discard(emoji)
            await self.forgotten.forget(reaction.message_id, {reaction.user_id: [emoji]})

    async def reconcile(self, event_id: int, present: Mapping[int, set[str]]) -> list[Outcome]:
        """Bring one event's stored answers in line with the reactions on its post.

        Reactions a member held when they were forgotten never count: they are set aside and
        to be taken off; those no longer there are no longer remembered."""
        now = self.clock()
        async with self.db.transaction():
            event = await self.events.get(event_id)
            if event is None or event.message_id is None or not event.takes_rsvps(now):
                return []
            split = split_forgotten(present, await self.forgotten.on_message(event.message_id))
            await self.forgotten.forget(event.message_id, split.gone)
            state = await self._state(event)
            outcomes = state.reconcile(split.counted, now)
            changed = await self._write(state)
        if changed:
            self._touch(event)
        return outcomes + [
            Outcome(user_id, Effect.TIDIED, remove_emoji=emoji)
            for user_id, emoji in sorted(split.still_held.items())
        ]

    async def prune_forgotten(self) -> int:
        """Stop remembering forgotten reactions on posts that no longer take answers."""
        async with self.db.transaction():
            return await self.forgotten.prune(self.clock())

    async def rebalance(self, event_id: int) -> list[Outcome]:
        """Promote waiting members into places a raised capacity made."""
        return await self._change(event_id, EventRsvps.promote)

    async def answer_of(self, event_id: int, user_id: int) -> RsvpStatus | None:
        """A member's stored answer now (the clean-up must not take its reaction off)."""
        async with self.db.reading():
            return await self.store.status_of(event_id, user_id)

    async def attendees(self, event: Event, guild_id: int, actor: Actor) -> Attendees:
        await self.guilds.require_organiser(guild_id, actor)
        async with self.db.reading():
            rows = await self.store.for_event(event.id)
            counts = await self.store.counts(event.id)
        by_status: dict[RsvpStatus, list[Rsvp]] = {}
        for row in rows:  # ordered by seq: the order people answered, the waitlist's order
            by_status.setdefault(row.status, []).append(row)
        return Attendees(event, by_status, counts)
