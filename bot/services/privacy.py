"""Members' data rights: everything held about a member, and forgetting it all at once.

Forgetting runs in one transaction: RSVPs are withdrawn the way a removed reaction would
withdraw them (so the first waiting member moves up), every other row is deleted or, for
the network's own records (events and letters a member created), stripped of their id.
Posts and jobs are brought in line after the commit.

Forgetting is for good: the member's RSVP reactions may still be on posts (the bot may not
remove them in a channel, or Discord fails), and reading a post again must not bring an
answer back. So the same transaction remembers, for every post still taking answers, that the
member's reactions there are from before the forget (message, member and emoji, nothing
else); reconciliation sets those aside. The Discord side takes the reactions off and then
tells `reactions_taken_off`; what it cannot take off stays remembered until it is seen gone
or the member makes it anew.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.clock import Clock
from bot.db import Database
from bot.domain.events import Event
from bot.domain.notices import Notice
from bot.domain.rsvps import EMOJI_OF, RSVP_EMOJI, EventRsvps, notice_for
from bot.services.ports import PostTouch
from bot.stores.attendance import AttendanceStore
from bot.stores.events import EventStore
from bot.stores.forgotten import ForgottenReactionStore
from bot.stores.privacy import PrivacyStore
from bot.stores.rsvps import RsvpStore

if TYPE_CHECKING:
    from bot.services.reminders import ReminderService


@dataclass(frozen=True)
class AnswerOnPost:
    """A post the member had answered on: their RSVP reactions there are to be taken off."""

    event: Event
    emoji: str  # the reaction of the answer that was forgotten (others may be there too)


@dataclass(frozen=True)
class Forgotten:
    removed: dict[str, int]  # rows per section of /privacy mydata
    notices: list[Notice] = field(default_factory=list)  # DMs to members moved up a waitlist
    reactions: list[AnswerOnPost] = field(default_factory=list)

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
        self.forgotten = ForgottenReactionStore(db)
        self.attendance = AttendanceStore(db)

    async def mydata(self, user_id: int) -> dict[str, Any]:
        async with self.db.reading():
            held = await self.store.export(user_id)
        return {
            "user_id": str(user_id),
            "generated_at": _iso(self.clock()),
            "note": "Times are Unix seconds (UTC). Ids are Discord snowflakes or this bot's ids.",
            "data": held,
        }

    async def forget(self, user_id: int, guild_id: int | None = None) -> Forgotten:
        """Erase everything held about the member. Their RSVP reactions on the open posts
        they answered, and on every open post of `guild_id` (the server they asked in: a
        reaction there may not have been read yet), are marked never to count again."""
        now = self.clock()
        notices: list[Notice] = []
        reactions: list[AnswerOnPost] = []
        still_open: list[int] = []  # posts whose reactions of theirs must never count again
        touched_events = []
        async with self.db.transaction():
            letters = await self.store.signed_letters(user_id)
            polls = await self.store.answered_polls(user_id)
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
                    reactions.append(AnswerOnPost(event, EMOJI_OF[answer.status]))
                    if event.takes_rsvps(now):
                        still_open.append(event.message_id)
                outcomes = state.forget(user_id, now, promote=event.takes_rsvps(now))
                notices += [n for o in outcomes if (n := notice_for(event, o)) is not None]
                await self.rsvps.delete(event.id, sorted(state.removed))
                await self.rsvps.save(event.id, [state.answers[u] for u in sorted(state.changed)])
                withdrawn += 1
                touched_events.append(event)
            if guild_id is not None:
                unread = await self.events.list_open_posts(now)
                still_open += [
                    e.message_id for e in unread if e.guild_id == guild_id and e.message_id
                ]
            await self.forgotten.remember(user_id, sorted(set(still_open)), RSVP_EMOJI)
            attended = await self.attendance.forget_member(user_id)
            for event_id in attended:  # their counts change
                if (counted := await self.events.get(event_id)) is not None:
                    touched_events.append(counted)
            removed = {
                "rsvps": withdrawn,
                "attendance": len(attended),
                **await self.store.forget_plain(user_id),
            }
        self.reminders.unschedule(reminder_ids)
        for event in touched_events:
            self.posts.touch("event", event.id, event.channel_id, event.message_id)
        for letter_id, channel_id, message_id in letters:
            self.posts.touch("letter", letter_id, channel_id, message_id)
        for poll_id, channel_id, message_id in polls:
            self.posts.touch("poll", poll_id, channel_id, message_id)
        return Forgotten(removed, notices, reactions)

    async def reactions_taken_off(self, user_id: int, message_id: int) -> None:
        """None of a forgotten member's RSVP reactions is on this post any more."""
        async with self.db.transaction():
            await self.forgotten.forget(message_id, {user_id: RSVP_EMOJI})


def _iso(at: datetime) -> str:
    return at.isoformat()
