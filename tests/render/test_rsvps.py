"""Attendee lists: names where they are kept, counts where retention erased them."""

from __future__ import annotations

from datetime import timedelta

from bot import text
from bot.domain.rsvps import Rsvp, RsvpCounts, RsvpStatus
from bot.render.rsvps import attendees_embed
from tests.render.test_events import START, make_event


def fields(embed: object) -> dict[str, str]:
    return {f.name or "": f.value or "" for f in embed.fields}  # type: ignore[attr-defined]


def test_answers_erased_by_retention_are_counted_not_named() -> None:
    event = make_event(starts_at=START - timedelta(days=800), ends_at=START - timedelta(days=799))
    shown = fields(attendees_embed(event, {}, RsvpCounts(going=34, maybe=3)))
    assert shown[text.ATTENDEES_GOING.format(count=34)] == text.ATTENDEES_ERASED.format(count=34)
    assert shown[text.ATTENDEES_MAYBE.format(count=3)] == text.ATTENDEES_ERASED.format(count=3)
    assert shown[text.ATTENDEES_CANT.format(count=0)] == text.ATTENDEES_NONE


def test_kept_answers_are_named_in_the_order_given() -> None:
    event = make_event(capacity=1)
    going = Rsvp(11, RsvpStatus.GOING, START - timedelta(days=2), 1)
    waiting = [Rsvp(12 + n, RsvpStatus.WAITLIST, START - timedelta(days=1), 2 + n) for n in (0, 1)]
    by_status = {RsvpStatus.GOING: [going], RsvpStatus.WAITLIST: waiting}
    shown = fields(attendees_embed(event, by_status, RsvpCounts(going=1, waitlist=2)))
    assert shown[text.ATTENDEES_GOING.format(count=1)].startswith("<@11> · <t:")
    lines = shown[text.ATTENDEES_WAITLIST.format(count=2)].splitlines()
    assert [line.split(" · ")[0] for line in lines] == ["1. <@12>", "2. <@13>"]
