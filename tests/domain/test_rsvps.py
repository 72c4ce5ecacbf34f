"""The pure RSVP rules of one event: answers, switching, withdrawing, capacity, waitlist."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.rsvps import (
    CANT_EMOJI,
    GOING_EMOJI,
    MAYBE_EMOJI,
    Effect,
    EventRsvps,
    RsvpCounts,
    RsvpStatus,
    wanted_for,
)

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def statuses(state: EventRsvps) -> dict[int, RsvpStatus]:
    return {user: answer.status for user, answer in state.answers.items()}


@pytest.mark.parametrize(
    ("emoji", "wanted"),
    [("✅", RsvpStatus.GOING), ("🤔", RsvpStatus.MAYBE), ("❌", RsvpStatus.CANT),
     ("✅\ufe0f", RsvpStatus.GOING), ("👍", None), ("custom:123", None)],
)
def test_wanted_for(emoji: str, wanted: RsvpStatus | None) -> None:
    assert wanted_for(emoji) is wanted


def test_one_answer_per_member_and_switching_asks_to_remove_the_old_reaction() -> None:
    state = EventRsvps(1, None)
    [first] = state.add(10, GOING_EMOJI, NOW)
    assert first.effect is Effect.ANSWERED and first.remove_emoji == ()
    [switched] = state.add(10, MAYBE_EMOJI, NOW)
    assert switched.status is RsvpStatus.MAYBE and switched.remove_emoji == (GOING_EMOJI,)
    assert statuses(state) == {10: RsvpStatus.MAYBE}
    assert state.add(10, MAYBE_EMOJI, NOW) == []  # the same again changes nothing


def test_cleanup_removal_of_the_old_reaction_does_not_erase_the_new_answer() -> None:
    state = EventRsvps(1, None)
    state.add(10, GOING_EMOJI, NOW)
    state.add(10, CANT_EMOJI, NOW)
    assert state.remove(10, GOING_EMOJI, NOW) == []  # the bot took the old ✅ off
    assert statuses(state) == {10: RsvpStatus.CANT}
    [withdrawn] = state.remove(10, CANT_EMOJI, NOW)
    assert withdrawn.effect is Effect.WITHDRAWN and state.answers == {}
    assert state.removed == {10} and state.changed == set()


def test_non_rsvp_emoji_ignored() -> None:
    state = EventRsvps(1, None)
    assert state.add(10, "👍", NOW) == [] and state.remove(10, "👍", NOW) == []
    assert state.answers == {}


def test_capacity_waitlist_in_order_and_promotion_of_the_first() -> None:
    state = EventRsvps(1, capacity=2)
    for user in (1, 2):
        state.add(user, GOING_EMOJI, NOW)
    [third] = state.add(3, GOING_EMOJI, NOW)
    [fourth] = state.add(4, GOING_EMOJI, NOW)
    assert (third.effect, third.place) == (Effect.WAITLISTED, 1)
    assert (fourth.effect, fourth.place) == (Effect.WAITLISTED, 2)
    assert state.counts() == RsvpCounts(going=2, waitlist=2)
    outcomes = state.remove(1, GOING_EMOJI, NOW)
    assert [(o.user_id, o.effect) for o in outcomes] == [(1, Effect.WITHDRAWN), (3, Effect.PROMOTED)]
    assert statuses(state) == {2: RsvpStatus.GOING, 3: RsvpStatus.GOING, 4: RsvpStatus.WAITLIST}
    assert state.place(4) == 1


def test_going_member_switching_to_maybe_frees_a_place() -> None:
    state = EventRsvps(1, capacity=1)
    state.add(1, GOING_EMOJI, NOW)
    state.add(2, GOING_EMOJI, NOW)
    outcomes = state.add(1, MAYBE_EMOJI, NOW)
    assert [(o.user_id, o.effect) for o in outcomes] == [(1, Effect.ANSWERED), (2, Effect.PROMOTED)]


def test_waitlisted_member_reacting_going_again_keeps_their_place() -> None:
    state = EventRsvps(1, capacity=1)
    state.add(1, GOING_EMOJI, NOW)
    state.add(2, GOING_EMOJI, NOW)
    state.add(3, GOING_EMOJI, NOW)
    assert state.add(2, GOING_EMOJI, NOW) == []
    assert state.place(2) == 1
    [left] = state.remove(2, GOING_EMOJI, NOW)  # leaving the waitlist promotes nobody
    assert left.effect is Effect.WITHDRAWN and state.place(3) == 1


def test_lowering_capacity_demotes_nobody_and_raising_promotes() -> None:
    state = EventRsvps(1, capacity=3)
    for user in (1, 2, 3):
        state.add(user, GOING_EMOJI, NOW)
    state.capacity = 1
    assert state.promote(NOW) == []
    assert state.counts().going == 3
    [waiting] = state.add(4, GOING_EMOJI, NOW)
    assert waiting.effect is Effect.WAITLISTED
    state.remove(1, GOING_EMOJI, NOW)  # still over capacity: nobody promoted
    assert state.place(4) == 1
    state.capacity = 5
    assert [o.user_id for o in state.promote(NOW)] == [4]


def test_load_continues_the_order() -> None:
    state = EventRsvps(1, capacity=1)
    state.add(1, GOING_EMOJI, NOW)
    state.add(2, GOING_EMOJI, NOW)
    again = EventRsvps.load(1, 1, state.answers.values())
    again.add(3, GOING_EMOJI, NOW)
    assert [a.user_id for a in again.waitlist()] == [2, 3]


@pytest.mark.parametrize(
    ("stored", "present", "expected", "tidy"),
    [
        (None, {GOING_EMOJI}, RsvpStatus.GOING, ()),
        (None, {MAYBE_EMOJI, CANT_EMOJI}, RsvpStatus.MAYBE, (CANT_EMOJI,)),
        (None, {GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI}, RsvpStatus.GOING, (CANT_EMOJI, MAYBE_EMOJI)),
        (CANT_EMOJI, {CANT_EMOJI, GOING_EMOJI}, RsvpStatus.CANT, (GOING_EMOJI,)),
        (GOING_EMOJI, {MAYBE_EMOJI}, RsvpStatus.MAYBE, ()),
        (MAYBE_EMOJI, set(), None, ()),
    ],
)
def test_reconcile_resolves_several_reactions(
    stored: str | None, present: set[str], expected: RsvpStatus | None, tidy: tuple[str, ...]
) -> None:
    state = EventRsvps(1, None)
    if stored:
        state.add(7, stored, NOW)
        state.changed.clear()
    outcomes = state.reconcile({7: present} if present else {}, NOW)
    assert statuses(state).get(7) is expected
    tidied = [o for o in outcomes if o.effect is Effect.TIDIED]
    assert (tidied[0].remove_emoji if tidied else ()) == tidy
    assert all(o.remove_emoji == () for o in outcomes if o.effect is not Effect.TIDIED)


def test_reconcile_waitlists_beyond_capacity() -> None:
    state = EventRsvps(1, capacity=1)
    outcomes = state.reconcile({5: {GOING_EMOJI}, 6: {GOING_EMOJI}}, NOW)
    assert [o.effect for o in outcomes] == [Effect.ANSWERED, Effect.WAITLISTED]
    assert state.counts() == RsvpCounts(going=1, waitlist=1)
