"""How often one member may use the bot: a sliding window per member (pure: `now` is given).

SPEC ("Limits that hold everywhere"): every command and button is limited per member,
generously enough that nobody working by hand meets it: at least `member` uses in any
`window_s` seconds are always served (`organiser` for organisers). A use beyond that is
refused and not counted, so the wait a refusal names is exact: retrying after it is served.

`now` is monotonic seconds (the caller's clock; tests hand in their own). Memory is bounded:
a member is remembered only while a use of theirs is inside the window (at most `most`
times each), and members are forgotten oldest first as others come.
"""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimits:
    """Uses served per member in any `window_s` seconds: `member`, or `organiser`."""

    window_s: float = 10.0
    member: int = 10
    organiser: int = 30

    @property
    def most(self) -> int:
        return max(self.member, self.organiser)


class RateLimiter:
    """A sliding window of served uses per key (a member's id)."""

    def __init__(self, window_s: float, most: int) -> None:
        if window_s <= 0 or most < 1:
            raise ValueError("the window must be positive and allow at least one use")
        self.window_s = window_s
        self.most = most
        # key -> times of its served uses, oldest first; keys ordered by their latest use
        self._served: OrderedDict[int, deque[float]] = OrderedDict()

    def take(self, key: int, now: float, limit: int) -> float:
        """One use by `key` at `now`, allowed `limit` uses in the window: served (counted,
        0.0 returned) when fewer than `limit` were served in the `window_s` before `now`;
        otherwise refused, not counted, and the seconds until a use would be served."""
        if not 1 <= limit <= self.most:
            raise ValueError(f"limit {limit} is outside 1..{self.most}")
        self._forget(now)
        times = self._served.get(key)
        if times is None:
            times = self._served[key] = deque(maxlen=self.most)
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if len(times) < limit:
            times.append(now)
            self._served.move_to_end(key)
            return 0.0
        # Served again once enough of the last uses have left the window: of the `limit`
        # latest, the oldest must go.
        return times[len(times) - limit] + self.window_s - now

    def _forget(self, now: float) -> None:
        """Drop members whose every use has left the window (oldest latest use first)."""
        while self._served:
            key, times = next(iter(self._served.items()))
            if times and times[-1] > now - self.window_s:
                return
            del self._served[key]

    def __len__(self) -> int:
        """How many members are remembered."""
        return len(self._served)


def retry_after_s(wait_s: float) -> int:
    """The whole number of seconds a refusal names: the wait rounded up, at least 1."""
    return max(1, math.ceil(wait_s))
