"""Pure reminder rules: due times, catching up after downtime, nonces."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import UserError
from bot.domain.reminders import (
    Reminder,
    ReminderStatus,
    catch_up,
    check_personal_room,
    due_times,
    nonce,
)

START = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
D, H, M = timedelta(days=1), timedelta(hours=1), timedelta(minutes=1)


@pytest.mark.parametrize(
    ("now", "offsets", "expected"),
    [
        (START - 10 * D, (7 * D, D, H), [7 * D, D, H]),
        (START - 2 * D, (7 * D, D, H), [D, H]),  # the week-before one is already past
        (START - 30 * M, (7 * D, D, H), []),
        (START - 10 * D, (H, H, 7 * D), [7 * D, H]),  # repeats collapse, largest first
        (START - D, (D,), []),  # due exactly now is not ahead
    ],
)
def test_due_times(
    now: datetime, offsets: tuple[timedelta, ...], expected: list[timedelta]
) -> None:
    planned = due_times(START, offsets, now)
    assert [offset for offset, _ in planned] == expected
    assert all(due == START - offset for offset, due in planned)


def reminder(id_: int, offset: timedelta, user: int | None = None) -> Reminder:
    return Reminder(id_, 1, user, offset, START - offset, ReminderStatus.PENDING)


def test_catch_up_sends_only_the_latest_missed_per_person_while_the_event_is_ahead() -> None:
    missed = [
        reminder(1, 7 * D),
        reminder(2, D),
        reminder(3, 2 * D, user=9),
        reminder(4, D, user=9),
    ]
    send, skip = catch_up(missed, START, False, START - H)
    assert [r.id for r in send] == [2, 4]
    assert sorted(r.id for r in skip) == [1, 3]


@pytest.mark.parametrize(
    ("now", "cancelled"), [(START, False), (START + H, False), (START - D, True)]
)
def test_catch_up_skips_everything_once_started_or_cancelled(
    now: datetime, cancelled: bool
) -> None:
    missed = [reminder(1, 7 * D), reminder(2, D)]
    send, skip = catch_up(missed, START, cancelled, now)
    assert send == [] and [r.id for r in skip] == [1, 2]


@pytest.mark.parametrize(
    ("reminder_id", "recipient"),
    [(1, 0), (42, 1576175822438400011), (10**9, 2**63 - 1)],
)
def test_nonce_is_stable_distinct_and_short(reminder_id: int, recipient: int) -> None:
    value = nonce(reminder_id, recipient)
    assert len(value) <= 25
    assert value == nonce(reminder_id, recipient)
    assert value != nonce(reminder_id + 1, recipient)
    assert value != nonce(reminder_id, recipient + 1)


# (this event's, all upcoming: counting the one being added) -> the refusal, or None
@pytest.mark.parametrize(
    ("for_event", "upcoming", "key"),
    [
        (1, 1, None),
        (5, 5, None),
        (5, 50, None),
        (6, 6, "reminder_limit_event"),
        (6, 51, "reminder_limit_event"),  # the event's limit is the nearer one to make room in
        (1, 51, "reminder_limit_upcoming"),
        (3, 200, "reminder_limit_upcoming"),
    ],
)
def test_personal_reminder_limits(for_event: int, upcoming: int, key: str | None) -> None:
    if key is None:
        check_personal_room("Meeting", for_event, upcoming)
        return
    with pytest.raises(UserError) as caught:
        check_personal_room("Meeting", for_event, upcoming)
    assert caught.value.key == key
    assert caught.value.params["limit"] == (5 if key == "reminder_limit_event" else 50)
