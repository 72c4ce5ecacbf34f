"""Members' data rights: everything held about a member, and forgetting it all at once.

Forgetting runs in one transaction: RSVPs are withdrawn the way a removed reaction would
withdraw them (so the first waiting member moves up), every other row is deleted or, for
the network's own records (events and letters a member created), stripped of their id.
Posts and jobs are brought in line after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.db import Database
from bot.domain.notices import Notice
from bot.domain.rsvps import EMOJI_OF, EventRsvps
from bot.services.reminders import ReminderService
from bot.services.rsvps import PostTouch, notice_for
from bot.stores.events import EventStore
from bot.stores.privacy import PrivacyStore
from bot.stores.rsvps import RsvpStore


@dataclass(frozen=True)
class Forgotten:
    removed: dict[str, int]  # rows per section of /privacy mydata
    notices: list[Notice] = field(default_factory=list)  # DMs to members moved up a waitlist
    # (channel, message, emoji): the member's RSVP reactions to take off, so that the next
    # reconciliation does not read the answers back in
    reactions: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.removed.values())


class PrivacyService:
    def __init__(
        self, db: Database, clock: Clock, posts: PostTouch, reminders: ReminderService
    ) -> None:
        self.db = db
        self.clock = clock
        self.posts = posts
        self.reminders = reminders
        self.store = PrivacyStore(db)
        self.events = EventStore(db)
        self.rsvps = RsvpStore(db)

    async def mydata(self, user_id: int) -> dict[str, Any]:
        async with self.db.reading():
            held = await self.store.export(user_id)
        return {
            "user_id": str(user_id),
            "generated_at": _iso(self.clock()),
            "note": "Times are Unix seconds (UTC). Ids are Discord snowflakes or this bot's ids.",
            "data": held,
        }

    async def forget(self, user_id: int) -> Forgotten:
        now = self.clock()
        notices: list[Notice] = []
        reactions: list[tuple[int, int, str]] = []
        touched_events = []
        async with self.db.transaction():
            letters = await self.store.signed_letters(user_id)
            reminder_ids = await self.store.pending_reminders(user_id)
            withdrawn = 0
            for event_id in await self.store.rsvp_events(user_id):
                event = await self.events.get(event_id)
                assert event is not None
                state = EventRsvps.load(
                    event.id, event.capacity, await self.rsvps.for_event(event.id)
                )
                answer = state.answers[user_id]
                if event.message_id is not None:
                    reactions.append((event.channel_id, event.message_id, EMOJI_OF[answer.status]))
                outcomes = state.forget(user_id, now, promote=event.takes_rsvps(now))
                notices += [n for o in outcomes if (n := notice_for(event, o)) is not None]
                await self.rsvps.delete(event.id, sorted(state.removed))
                await self.rsvps.save(event.id, [state.answers[u] for u in sorted(state.changed)])
                withdrawn += 1
                touched_events.append(event)
            removed = {"rsvps": withdrawn, **await self.store.forget_plain(user_id)}
        self.reminders.unschedule(reminder_ids)
        for event in touched_events:
            self.posts.touch("event", event.id, event.channel_id, event.message_id)
        for letter_id, channel_id, message_id in letters:
            self.posts.touch("letter", letter_id, channel_id, message_id)
        return Forgotten(removed, notices, reactions)


def _iso(at: datetime) -> str:
    return at.isoformat()
