"""The reference the RSVP benchmarks check the bot against: what each member's answer must be
after the reactions they made, worked out without the bot."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class Action(Protocol):
    """A reaction added or taken off (read-only, so frozen dataclasses qualify)."""

    @property
    def added(self) -> bool: ...

    @property
    def user_id(self) -> int: ...

    @property
    def emoji(self) -> str: ...


def last_answers(played: Iterable[Action]) -> dict[int, str]:
    """Each member's answer (an emoji) after their last action: an add sets it; taking off the
    answer's own reaction withdraws it; any other removal changes nothing."""
    answer: dict[int, str] = {}
    for p in played:
        if p.added:
            answer[p.user_id] = p.emoji
        elif answer.get(p.user_id) == p.emoji:
            del answer[p.user_id]
    return answer
