"""Reactions held for a message not known (yet) as a post.

An announcement exists on Discord a moment before the bot has saved its message id: a member
who reacts in that moment reacts on a message no event is known by. Such reactions are held
here, in the order they came, for a while (`keep`) and up to a number (`limit`, the oldest
go first); when the post's id is saved, the reactions held for it are taken, in order, and
count like any other. Reactions on messages that never become posts just age out.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta
from typing import Generic, TypeVar

T = TypeVar("T")


class Held(Generic[T]):
    def __init__(self, keep: timedelta, limit: int) -> None:
        self.keep = keep
        self._items: deque[tuple[datetime, int, T]] = deque(maxlen=limit)

    def __len__(self) -> int:
        return len(self._items)

    def _age_out(self, now: datetime) -> None:
        oldest = now - self.keep
        while self._items and self._items[0][0] < oldest:
            self._items.popleft()

    def hold(self, message_id: int, item: T, now: datetime) -> None:
        """Keep `item`, which came for `message_id` at `now`."""
        self._age_out(now)
        self._items.append((now, message_id, item))

    def take(self, message_id: int, now: datetime) -> list[T]:
        """The items held for `message_id`, in the order they came; they are held no more."""
        self._age_out(now)
        taken = [item for _, held_for, item in self._items if held_for == message_id]
        if taken:
            kept = [entry for entry in self._items if entry[1] != message_id]
            self._items = deque(kept, maxlen=self._items.maxlen)
        return taken
