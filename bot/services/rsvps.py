"""Use cases for RSVPs: reactions applied in batches, reconciliation, attendee lists.

Reactions arrive in bursts, so the Discord side queues them and hands over whatever has
piled up: one transaction loads each touched event's answers once, applies the reactions
in order with the pure rules of `EventRsvps`, and writes back only the rows that changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.clock import Clock
from bot.db import Database
from bot.domain.events import Event
from bot.domain.guilds import Actor
from bot.domain.notices import Notice
from bot.domain.rsvps import Effect, EventRsvps, Outcome, Rsvp, RsvpStatus, wanted_for
from bot.services.guilds import GuildService
from bot.stores.events import EventStore
from bot.stores.rsvps import RsvpStore

log = logging.getLogger(__name__)


class PostTouch(Protocol):
    def touch(self, kind: str, item_id: int, channel_id: int, message_id: int | None) -> None:
        """Ask for a post to be re-rendered from the database soon (coalesced, paced)."""


@dataclass(frozen=True)
class Reaction:
    added: bool
    message_id: int
    user_id: int
    emoji: str


@dataclass(frozen=True)
class Applied:
    event: Event
    outcomes: list[Outcome]
    reaction: Reaction | None = None  # the reaction they follow from (the very object given)


@dataclass(frozen=True)
class Attendees:
    event: Event
    by_status: dict[RsvpStatus, list[Rsvp]] = field(default_factory=dict)

    def of(self, status: RsvpStatus) -> list[Rsvp]:
        return self.by_status.get(status, [])


def notice_for(event: Event, outcome: Outcome) -> Notice | None:
    """The DM an outcome owes its member, if any."""
    params: dict[str, object] = {"title": event.title, "at": event.starts_at}
    if outcome.effect is Effect.WAITLISTED:
        return Notice(outcome.user_id, "rsvp_waitlisted", {**params, "place": outcome.place})
    if outcome.effect is Effect.PROMOTED:
        return Notice(outcome.user_id, "rsvp_promoted", params)
    if outcome.effect is Effect.REFUSED_STARTED:
        return Notice(outcome.user_id, "rsvp_closed_started", params)
    if outcome.effect is Effect.REFUSED_CANCELLED:
        return Notice(outcome.user_id, "rsvp_closed_cancelled", params)
    return None


class RsvpService:
    def __init__(self, db: Database, clock: Clock, guilds: GuildService, posts: PostTouch) -> None:
        self.db = db
        self.clock = clock
        self.guilds = guilds
        self.posts = posts
        self.events = EventStore(db)
        self.store = RsvpStore(db)

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
        """Apply reactions in order, in one transaction; non-RSVP ones are ignored."""
        now = self.clock()
        results: list[Applied] = []
        touched: dict[int, Event] = {}
        async with self.db.transaction():
            events: dict[int, Event | None] = {}
            states: dict[int, EventRsvps] = {}
            for reaction in reactions:
                if wanted_for(reaction.emoji) is None:
                    continue
                if reaction.message_id not in events:
                    events[reaction.message_id] = await self.events.get_by_message(
                        reaction.message_id
                    )
                event = events[reaction.message_id]
                if event is None:
                    continue
                if not event.takes_rsvps(now):
                    if reaction.added:
                        effect = (
                            Effect.REFUSED_CANCELLED if event.cancelled else Effect.REFUSED_STARTED
                        )
                        refusal = Outcome(reaction.user_id, effect, remove_emoji=(reaction.emoji,))
                        results.append(Applied(event, [refusal], reaction))
                    continue
                if event.id not in states:
                    states[event.id] = await self._state(event)
                state = states[event.id]
                if reaction.added:
                    outcomes = state.add(reaction.user_id, reaction.emoji, now)
                else:
                    outcomes = state.remove(reaction.user_id, reaction.emoji, now)
                if outcomes:
                    results.append(Applied(event, outcomes, reaction))
                    touched[event.id] = event
            for state in states.values():
                await self._write(state)
        for event in touched.values():
            self._touch(event)
        return results

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

    async def reconcile(self, event_id: int, present: Mapping[int, set[str]]) -> list[Outcome]:
        """Bring one event's stored answers in line with the reactions on its post."""
        return await self._change(event_id, lambda state, now: state.reconcile(present, now))

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
        by_status: dict[RsvpStatus, list[Rsvp]] = {}
        for row in rows:  # ordered by seq: the order people answered, the waitlist's order
            by_status.setdefault(row.status, []).append(row)
        return Attendees(event, by_status)
