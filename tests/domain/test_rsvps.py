"""The pure RSVP rules of one event: answers, switching, withdrawing, capacity, waitlist."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from bot.domain.rsvps import (
    CANT_EMOJI,
    EMOJI_OF,
    GOING_EMOJI,
    MAYBE_EMOJI,
    Effect,
    EventRsvps,
    Outcome,
    RsvpCounts,
    RsvpStatus,
    wanted_for,
)

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def statuses(state: EventRsvps) -> dict[int, RsvpStatus]:
    return {user: answer.status for user, answer in state.answers.items()}


@pytest.mark.parametrize(
    ("emoji", "wanted"),
    [
        ("✅", RsvpStatus.GOING),
        ("🤔", RsvpStatus.MAYBE),
        ("❌", RsvpStatus.CANT),
        ("✅\ufe0f", RsvpStatus.GOING),
        ("👍", None),
        ("custom:123", None),
    ],
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
    assert [(o.user_id, o.effect) for o in outcomes] == [
        (1, Effect.WITHDRAWN),
        (3, Effect.PROMOTED),
    ]
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


# --- the tally and the waitlist kept beside the answers ---------------------------------------


def check_in_step(state: EventRsvps) -> None:
    """The kept tally and waitlist equal what a full pass over the answers gives."""
    every = list(state.answers.values())
    assert state.tally == Counter(a.status for a in every)
    assert state.counts() == RsvpCounts(
        going=sum(a.status is RsvpStatus.GOING for a in every),
        maybe=sum(a.status is RsvpStatus.MAYBE for a in every),
        cant=sum(a.status is RsvpStatus.CANT for a in every),
        waitlist=sum(a.status is RsvpStatus.WAITLIST for a in every),
    )
    in_order = sorted((a for a in every if a.status is RsvpStatus.WAITLIST), key=lambda a: a.seq)
    assert state.waitlist() == in_order
    for number, answer in enumerate(in_order, start=1):
        assert state.place(answer.user_id) == number
    assert all(state.place(a.user_id) is None for a in every if a.status is not RsvpStatus.WAITLIST)


def test_tally_and_waitlist_follow_forget_promote_and_capacity_changes() -> None:
    state = EventRsvps(1, capacity=2)
    for user in (1, 2, 3, 4, 5):
        state.add(user, GOING_EMOJI, NOW)
    check_in_step(state)
    assert [a.user_id for a in state.waitlist()] == [3, 4, 5]
    assert state.forget(4, NOW) == [Outcome(4, Effect.WITHDRAWN)]  # from the middle
    check_in_step(state)
    assert [a.user_id for a in state.waitlist()] == [3, 5]
    # forgetting a going member without promotion (an event that has started) frees a place
    state.forget(1, NOW, promote=False)
    check_in_step(state)
    assert state.counts() == RsvpCounts(going=1, waitlist=2)
    assert [o.user_id for o in state.promote(NOW)] == [3]
    check_in_step(state)
    state.capacity = 1  # lowering demotes nobody; the tally is unchanged
    assert state.promote(NOW) == [] and state.counts() == RsvpCounts(going=2, waitlist=1)
    state.add(6, GOING_EMOJI, NOW)
    state.capacity = None  # no limit: everyone waiting goes, first come first
    assert [o.user_id for o in state.promote(NOW)] == [5, 6]
    check_in_step(state)
    assert state.counts() == RsvpCounts(going=4)


def test_a_promoted_member_keeps_their_seq_and_a_later_waitlister_queues_behind() -> None:
    state = EventRsvps(1, capacity=1)
    state.add(1, GOING_EMOJI, NOW)
    state.add(2, GOING_EMOJI, NOW)
    state.add(3, GOING_EMOJI, NOW)
    state.add(1, CANT_EMOJI, NOW)  # 2 promoted
    [waiting] = state.add(1, GOING_EMOJI, NOW)  # back to ✅: behind 3
    assert (waiting.effect, waiting.place) == (Effect.WAITLISTED, 2)
    check_in_step(state)
    again = EventRsvps.load(1, 1, reversed(list(state.answers.values())))  # rows in any order
    check_in_step(again)
    assert [a.user_id for a in again.waitlist()] == [3, 1]


@pytest.mark.parametrize("seed", range(6))
def test_tally_stays_in_step_through_random_reactions(seed: int) -> None:
    """Random adds, removals, forgets, promotions, capacity changes and reloads, checked
    after every step against a full pass; each promotion takes the first waiting by seq."""
    rng = random.Random(seed)
    state = EventRsvps(1, capacity=rng.choice([None, 1, 3, 5]))
    for _ in range(400):
        step = rng.random()
        user = rng.randrange(12)
        before = [a.user_id for a in state.waitlist()]
        if step < 0.45:
            outcomes = state.add(user, rng.choice((GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI)), NOW)
        elif step < 0.75:
            outcomes = state.remove(user, rng.choice((GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI)), NOW)
        elif step < 0.85:
            outcomes = state.forget(user, NOW, promote=rng.random() < 0.7)
        elif step < 0.92:
            state.capacity = rng.choice([None, 0, 1, 2, 4, 6])
            outcomes = state.promote(NOW)
        elif step < 0.96:
            present = {
                u: {EMOJI_OF[a.status]} for u, a in state.answers.items() if rng.random() < 0.8
            }
            outcomes = state.reconcile(present, NOW)
        else:
            state = EventRsvps.load(1, state.capacity, list(state.answers.values()))
            outcomes = []
        check_in_step(state)
        promoted = [o.user_id for o in outcomes if o.effect is Effect.PROMOTED]
        # nobody still waiting answered before anyone promoted: the queue is kept in order
        seqs = [state.answers[u].seq for u in promoted if u in state.answers]
        assert all(a.seq > max(seqs) for a in state.waitlist()) if seqs else True
        if step < 0.92:  # not a reconcile: those promoted were the first waiting before it
            acted = user if step < 0.85 else None  # a capacity change acts for nobody
            assert promoted == [u for u in before if u != acted][: len(promoted)]
