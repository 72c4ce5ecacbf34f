"""Reminders before events: when they fall due, which missed ones are still worth sending,
and the nonces that let Discord drop a repeated send."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.errors import UserError

# Discord drops a message whose nonce it saw in the channel within the last few minutes;
# retry a half-done delivery only well inside that window.
NONCE_WINDOW = timedelta(minutes=4)
CHANNEL = 0  # the recipient id that stands for the channel post of an automatic reminder
DIGEST_AHEAD = timedelta(days=7)
# A member's own reminders (SPEC, "Limits that hold everywhere").
PERSONAL_PER_EVENT_MAX = 5
PERSONAL_UPCOMING_MAX = 50


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Reminder:
    id: int
    event_id: int
    user_id: int | None  # None: the event's automatic reminder; else a member's own
    offset: timedelta
    due_at: datetime
    status: ReminderStatus
    claimed_at: datetime | None = None

    @property
    def personal(self) -> bool:
        return self.user_id is not None


def due_times(
    starts_at: datetime, offsets: Iterable[timedelta], now: datetime
) -> list[tuple[timedelta, datetime]]:
    """(offset, due) for each offset still ahead of `now`; offsets already past are skipped."""
    planned = [(offset, starts_at - offset) for offset in sorted(set(offsets), reverse=True)]
    return [(offset, due) for offset, due in planned if due > now]


def check_personal_room(title: str, for_event: int, upcoming: int) -> None:
    """Refuse a member's own reminder past the limits: `for_event` and `upcoming` count the
    member's pending reminders (this one included) for the event and in all."""
    if for_event > PERSONAL_PER_EVENT_MAX:
        raise UserError("reminder_limit_event", title=title, limit=PERSONAL_PER_EVENT_MAX)
    if upcoming > PERSONAL_UPCOMING_MAX:
        raise UserError("reminder_limit_upcoming", limit=PERSONAL_UPCOMING_MAX)


def catch_up(
    missed: Sequence[Reminder], starts_at: datetime, cancelled: bool, now: datetime
) -> tuple[list[Reminder], list[Reminder]]:
    """Reminders that fell due while the bot was down: (send late, skip).

    Late only if the event has not started (nor been cancelled), and only the latest missed
    one per event and person; the rest are skipped.
    """
    if cancelled or now >= starts_at:
        return [], list(missed)
    latest: dict[int | None, Reminder] = {}
    for reminder in missed:
        best = latest.get(reminder.user_id)
        if best is None or (reminder.due_at, reminder.id) > (best.due_at, best.id):
            latest[reminder.user_id] = reminder
    send = sorted(latest.values(), key=lambda r: r.id)
    chosen = {r.id for r in send}
    return send, [r for r in missed if r.id not in chosen]


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def nonce(reminder_id: int, recipient_id: int) -> str:
    """The same for every attempt at one reminder to one recipient; at most 25 characters."""
    value = f"r{_base36(reminder_id)}.{_base36(recipient_id)}"
    if len(value) > 25:
        raise ValueError("nonce too long")
    return value
