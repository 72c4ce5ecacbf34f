"""RSVPs by reaction: the pure rules for one event's answers, capacity and waitlist.

`EventRsvps` holds one event's answers in memory and applies reaction adds and removals in
order, returning what each one means for the member (and for anyone moved up the
waitlist). The service loads it from the database, applies a batch of reactions, and writes
back only what changed — so many reactions cost a few statements, not a few each.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.domain.events import Event
from bot.domain.notices import Notice


class RsvpStatus(enum.StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    CANT = "cant"
    WAITLIST = "waitlist"


GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI = "✅", "🤔", "❌"
RSVP_EMOJI = (GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI)
# The reaction that stands for each answer (a waitlisted member reacted ✅).
EMOJI_OF = {
    RsvpStatus.GOING: GOING_EMOJI,
    RsvpStatus.WAITLIST: GOING_EMOJI,
    RsvpStatus.MAYBE: MAYBE_EMOJI,
    RsvpStatus.CANT: CANT_EMOJI,
}
WANTED_BY_EMOJI = {
    GOING_EMOJI: RsvpStatus.GOING,
    MAYBE_EMOJI: RsvpStatus.MAYBE,
    CANT_EMOJI: RsvpStatus.CANT,
}
# The answers whose members get an event's reminders.
REMINDED = (RsvpStatus.GOING, RsvpStatus.MAYBE)
# Several reactions from one member, none of them the stored answer: this order wins.
PRECEDENCE = (GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI)


def wanted_for(emoji: str) -> RsvpStatus | None:
    """The answer a reaction gives, or None for any other emoji."""
    return WANTED_BY_EMOJI.get(emoji.replace("\ufe0f", ""))


@dataclass(frozen=True)
class Rsvp:
    user_id: int
    status: RsvpStatus
    responded_at: datetime
    seq: int  # order of answers within the event: the waitlist's order


@dataclass(frozen=True)
class RsvpCounts:
    going: int = 0
    maybe: int = 0
    cant: int = 0
    waitlist: int = 0


class Effect(enum.Enum):
    """What an applied reaction means, for the Discord side to act on."""

    ANSWERED = "answered"  # a new or changed answer
    WAITLISTED = "waitlisted"  # ✅ on a full event: tell the member their place
    PROMOTED = "promoted"  # moved up from the waitlist: tell them
    WITHDRAWN = "withdrawn"
    REFUSED_STARTED = "refused_started"  # remove the reaction, tell the member
    REFUSED_CANCELLED = "refused_cancelled"
    TIDIED = "tidied"  # extra reactions of one member to take off; the answer is unchanged


@dataclass(frozen=True)
class Outcome:
    user_id: int
    effect: Effect
    status: RsvpStatus | None = None
    place: int | None = None  # waitlist place, 1-based
    remove_emoji: tuple[str, ...] = ()  # the member's reactions the bot should take off


@dataclass
class EventRsvps:
    """One event's answers. Apply reactions in the order they happened.

    Change `answers` only through the methods below: they keep a tally of answers by status
    and the waitlist in order beside it, so no reaction costs a pass over every answer.
    """

    event_id: int
    capacity: int | None
    answers: dict[int, Rsvp] = field(default_factory=dict)
    next_seq: int = 1
    changed: set[int] = field(default_factory=set)  # users whose row must be written
    removed: set[int] = field(default_factory=set)  # users whose row must be deleted
    tally: Counter[RsvpStatus] = field(init=False, repr=False)
    # Waiting members in waitlist order (by seq). A member joins it only with a new, highest
    # seq, so appending keeps the order; leaving it (withdrawal, switch, promotion) deletes.
    _waiting: dict[int, None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.tally = Counter(answer.status for answer in self.answers.values())
        waiting = [a for a in self.answers.values() if a.status is RsvpStatus.WAITLIST]
        self._waiting = dict.fromkeys(a.user_id for a in sorted(waiting, key=lambda a: a.seq))

    @classmethod
    def load(cls, event_id: int, capacity: int | None, rows: Iterable[Rsvp]) -> EventRsvps:
        answers = {row.user_id: row for row in rows}
        next_seq = max((row.seq for row in answers.values()), default=0) + 1
        return cls(event_id, capacity, answers, next_seq)

    # --- reading ---------------------------------------------------------------------------

    def counts(self) -> RsvpCounts:
        tally = self.tally
        return RsvpCounts(
            tally[RsvpStatus.GOING],
            tally[RsvpStatus.MAYBE],
            tally[RsvpStatus.CANT],
            tally[RsvpStatus.WAITLIST],
        )

    def waitlist(self) -> list[Rsvp]:
        return [self.answers[user_id] for user_id in self._waiting]

    def place(self, user_id: int) -> int | None:
        if user_id not in self._waiting:
            return None
        for number, waiting in enumerate(self._waiting, start=1):
            if waiting == user_id:
                return number
        return None  # pragma: no cover - checked above

    def _going(self) -> int:
        return self.tally[RsvpStatus.GOING]

    def _full(self) -> bool:
        return self.capacity is not None and self._going() >= self.capacity

    # --- changing --------------------------------------------------------------------------

    def _put(self, answer: Rsvp) -> None:
        """Store a member's answer (replacing any), keeping the tally and waitlist in step."""
        old = self.answers.get(answer.user_id)
        if old is not None:
            self._take_out(old)
        self.answers[answer.user_id] = answer
        self.tally[answer.status] += 1
        if answer.status is RsvpStatus.WAITLIST:
            self._waiting[answer.user_id] = None  # a new highest seq, or already in place
        self.changed.add(answer.user_id)
        self.removed.discard(answer.user_id)

    def _take_out(self, answer: Rsvp) -> None:
        self.tally[answer.status] -= 1
        if answer.status is RsvpStatus.WAITLIST:
            self._waiting.pop(answer.user_id, None)

    def _set(self, user_id: int, status: RsvpStatus, now: datetime) -> None:
        self._put(Rsvp(user_id, status, now, self.next_seq))
        self.next_seq += 1

    def _drop(self, user_id: int) -> None:
        self._take_out(self.answers.pop(user_id))
        self.removed.add(user_id)
        self.changed.discard(user_id)

    def promote(self, now: datetime) -> list[Outcome]:
        """Move waiting members up while there are places (never demotes anyone)."""
        promoted = []
        while self._waiting and not self._full():
            first = self.answers[next(iter(self._waiting))]
            self._put(Rsvp(first.user_id, RsvpStatus.GOING, now, first.seq))
            promoted.append(Outcome(first.user_id, Effect.PROMOTED, RsvpStatus.GOING))
        return promoted

    def add(self, user_id: int, emoji: str, now: datetime) -> list[Outcome]:
        """A member reacted with `emoji`: their answer becomes it, replacing any other."""
        wanted = wanted_for(emoji)
        if wanted is None:
            return []
        current = self.answers.get(user_id)
        if current is not None and EMOJI_OF[current.status] == EMOJI_OF[wanted]:
            return []  # the same answer again: nothing changes, the waitlist place is kept
        remove = (EMOJI_OF[current.status],) if current is not None else ()
        was_going = current is not None and current.status is RsvpStatus.GOING
        if current is not None:
            self._drop(user_id)
        outcomes: list[Outcome] = []
        if wanted is RsvpStatus.GOING and self._full():
            self._set(user_id, RsvpStatus.WAITLIST, now)
            outcomes.append(
                Outcome(
                    user_id,
                    Effect.WAITLISTED,
                    RsvpStatus.WAITLIST,
                    place=len(self._waiting),  # joined last: a new, highest seq
                    remove_emoji=remove,
                )
            )
        else:
            self._set(user_id, wanted, now)
            outcomes.append(Outcome(user_id, Effect.ANSWERED, wanted, remove_emoji=remove))
        if was_going:
            outcomes.extend(self.promote(now))
        return outcomes

    def remove(self, user_id: int, emoji: str, now: datetime) -> list[Outcome]:
        """A member took a reaction off: it withdraws only if it is their stored answer's
        (so the bot's own clean-up of an old reaction never erases the new answer)."""
        current = self.answers.get(user_id)
        if current is None or wanted_for(emoji) is None:
            return []
        if EMOJI_OF[current.status] != emoji.replace("\ufe0f", ""):
            return []
        return self.forget(user_id, now)

    def forget(self, user_id: int, now: datetime, *, promote: bool = True) -> list[Outcome]:
        """Drop a member's answer whatever it is; a freed place goes to the waitlist's first."""
        current = self.answers.get(user_id)
        if current is None:
            return []
        self._drop(user_id)
        outcomes = [Outcome(user_id, Effect.WITHDRAWN)]
        if promote and current.status is RsvpStatus.GOING:
            outcomes.extend(self.promote(now))
        return outcomes

    def reconcile(self, present: Mapping[int, set[str]], now: datetime) -> list[Outcome]:
        """Bring the answers in line with the reactions on the post.

        `present` maps each member (bots left out) to the RSVP emoji they hold. Several: the
        stored answer wins if still present, else ✅ > 🤔 > ❌; the others are to be removed.
        """
        outcomes: list[Outcome] = []
        for user_id in sorted(set(self.answers) - set(present)):
            gone = self.answers[user_id]
            outcomes.extend(self.remove(user_id, EMOJI_OF[gone.status], now))
        for user_id in sorted(present):
            held = {e.replace("\ufe0f", "") for e in present[user_id]} & set(RSVP_EMOJI)
            if not held:
                continue
            current = self.answers.get(user_id)
            stored = EMOJI_OF[current.status] if current is not None else None
            keep = stored if stored in held else next(e for e in PRECEDENCE if e in held)
            extra = tuple(sorted(held - {keep}))
            if keep != stored:  # the stored reaction is gone, so there is nothing of it to take off
                outcomes.extend(replace(o, remove_emoji=()) for o in self.add(user_id, keep, now))
            if extra:
                outcomes.append(Outcome(user_id, Effect.TIDIED, remove_emoji=extra))
        return outcomes


# --- reactions left on posts by members who were forgotten ------------------------------------


@dataclass(frozen=True)
class ForgottenSplit:
    """A post's reactions once those made before a member's /privacy forget are set aside."""

    counted: dict[int, set[str]]  # the reactions that count, by member
    still_held: dict[int, tuple[str, ...]]  # forgotten reactions still on the post: take off
    gone: dict[int, set[str]]  # forgotten reactions no longer there: stop remembering them


def split_forgotten(
    present: Mapping[int, set[str]], forgotten: Mapping[int, set[str]]
) -> ForgottenSplit:
    """Set aside the reactions a member held when they were forgotten (`forgotten`: member →
    RSVP emoji remembered on this post), so reading the post again never brings an answer
    back; a member left with none that count is not among `counted` at all."""
    counted: dict[int, set[str]] = {}
    still_held: dict[int, tuple[str, ...]] = {}
    gone: dict[int, set[str]] = {}
    for user_id, emoji in present.items():
        held = {one.replace("\ufe0f", "") for one in emoji} & set(RSVP_EMOJI)
        old = held & forgotten.get(user_id, set())
        if held - old:
            counted[user_id] = held - old
        if old:
            still_held[user_id] = tuple(sorted(old))
    for user_id, marked in forgotten.items():
        held = {one.replace("\ufe0f", "") for one in present.get(user_id, set())}
        if marked - held:
            gone[user_id] = marked - held
    return ForgottenSplit(counted, still_held, gone)


def notice_for(event: Event, outcome: Outcome) -> Notice | None:
    """The DM an outcome owes its member, if any."""
    params: dict[str, object] = {"title": event.title, "at": event.starts_at}
    if outcome.effect is Effect.WAITLISTED:
        return Notice(
            outcome.user_id,
            "rsvp_waitlisted",
            {**params, "place": outcome.place},
            guild_id=event.guild_id,
        )
    if outcome.effect is Effect.PROMOTED:
        return Notice(outcome.user_id, "rsvp_promoted", params, guild_id=event.guild_id)
    if outcome.effect is Effect.REFUSED_STARTED:
        return Notice(outcome.user_id, "rsvp_closed_started", params, guild_id=event.guild_id)
    if outcome.effect is Effect.REFUSED_CANCELLED:
        return Notice(outcome.user_id, "rsvp_closed_cancelled", params, guild_id=event.guild_id)
    return None
