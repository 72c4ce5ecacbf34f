"""Reactions from before a member's /privacy forget, set aside when a post is read again."""

from __future__ import annotations

import pytest

from bot.domain.rsvps import CANT_EMOJI, GOING_EMOJI, MAYBE_EMOJI, split_forgotten

Y, M, N = GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI
ALL = {Y, M, N}


@pytest.mark.parametrize(
    ("present", "forgotten", "counted", "still_held", "gone"),
    [
        # nobody forgotten: everything counts
        ({1: {Y}, 2: {M}}, {}, {1: {Y}, 2: {M}}, {}, {}),
        # forgotten with all three remembered, still holding ✅: nothing counts, ✅ to take off
        ({1: {Y}}, {1: ALL}, {}, {1: (Y,)}, {1: {M, N}}),
        # two old reactions left, none new
        ({1: {Y, M}}, {1: ALL}, {}, {1: tuple(sorted({Y, M}))}, {1: {N}}),
        # an old ✅ and a new ❌ (made after the forget): only ❌ counts
        ({1: {Y, N}}, {1: {Y, M}}, {1: {N}}, {1: (Y,)}, {1: {M}}),
        # all gone from the post: nothing left to remember
        ({2: {M}}, {1: ALL}, {2: {M}}, {}, {1: ALL}),
        # a variation selector on the emoji is the same reaction
        ({1: {Y + "\ufe0f"}}, {1: {Y}}, {}, {1: (Y,)}, {}),
        # another member's reactions are not touched by someone else's forget
        ({1: {Y}, 2: {Y}}, {1: {Y}}, {2: {Y}}, {1: (Y,)}, {}),
    ],
)
def test_split_forgotten(
    present: dict[int, set[str]],
    forgotten: dict[int, set[str]],
    counted: dict[int, set[str]],
    still_held: dict[int, tuple[str, ...]],
    gone: dict[int, set[str]],
) -> None:
    split = split_forgotten(present, forgotten)
    assert split.counted == counted
    assert split.still_held == still_held
    assert split.gone == gone
