"""An open letter as `/letter create` makes one, for tests that render or rule on it."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.letters import Letter

TITLE = "Open Letter to the First Minister"
ADDRESSEE = "The First Minister of Wales"
BODY = (
    "We ask that the principles of co-production are placed at the heart of Welsh public services."
)


def make_letter(created: datetime, /, **changes: object) -> Letter:
    """Letter 7, created (and last changed) at `created`, open for 30 days, its post in
    channel 2; `changes` replace any of its fields."""
    fields: dict[str, object] = dict(
        id=7,
        guild_id=1,
        title=TITLE,
        addressee=ADDRESSEE,
        body=BODY,
        closes_at=created + timedelta(days=30),
        milestone=25,
        celebrated=0,
        channel_id=2,
        message_id=3,
        closed_at=None,
        body_changed_at=None,
        created_by=4,
        created_at=created,
        updated_at=created,
    )
    fields.update(changes)
    return Letter(**fields)  # type: ignore[arg-type]
