"""The Welsh text of events and letters (issue #16): checked with the English fields'
limits, kept by edits that don't name it, cleared with `-`, and named among the changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import UserError
from bot.domain.events import DESCRIPTION_MAX, TITLE_MAX, EventChanges, make_draft, what_changed
from bot.domain.events import apply_changes as apply_event_changes
from bot.domain.letters import BODY_MAX, LetterChanges
from bot.domain.letters import TITLE_MAX as LETTER_TITLE_MAX
from bot.domain.letters import apply_changes as apply_letter_changes
from bot.domain.letters import make_draft as make_letter_draft
from bot.domain.letters import what_changed as what_letter_changed
from tests.render.test_events import make_event
from tests.render.test_public_languages import make_letter

START = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
BEFORE = START - timedelta(days=2)


def test_an_events_welsh_is_cleaned_and_held_to_the_english_limits() -> None:
    draft = make_draft(
        title="Meeting",
        starts_at=START,
        duration=None,
        title_cy="  Cyfarfod\u202e  y  De ",
        description_cy="Croeso\n\n\n\ni bawb",
    )
    assert (draft.title_cy, draft.description_cy) == ("Cyfarfod y De", "Croeso\n\ni bawb")
    with pytest.raises(UserError) as title:
        make_draft(title="M", starts_at=START, duration=None, title_cy="ŵ" * (TITLE_MAX + 1))
    assert title.value.key == "too_long" and title.value.params["limit"] == TITLE_MAX
    with pytest.raises(UserError) as about:
        make_draft(
            title="M", starts_at=START, duration=None, description_cy="ŵ" * (DESCRIPTION_MAX + 1)
        )
    assert about.value.params["limit"] == DESCRIPTION_MAX


def test_an_event_edit_keeps_sets_and_clears_the_welsh() -> None:
    event = make_event(starts_at=START, ends_at=START + timedelta(hours=2), title_cy="Cyfarfod")
    kept = apply_event_changes(event, EventChanges(place="Bangor"), BEFORE)
    assert kept.title_cy == "Cyfarfod"
    changed = apply_event_changes(event, EventChanges(description_cy="Croeso"), BEFORE)
    assert what_changed(event, changed) == ("description_cy",)
    cleared = apply_event_changes(event, EventChanges(title_cy=" - "), BEFORE)
    assert cleared.title_cy is None and what_changed(event, cleared) == ("title_cy",)


def test_a_letters_welsh_is_held_to_the_english_limits_and_cleared_with_a_dash() -> None:
    draft = make_letter_draft(
        title="Letter", addressee="The FM", body="Text", title_cy="Llythyr", body_cy="Testun"
    )
    assert (draft.title_cy, draft.body_cy) == ("Llythyr", "Testun")
    with pytest.raises(UserError):
        make_letter_draft(title="L", addressee="A", body="B", title_cy="ŵ" * (LETTER_TITLE_MAX + 1))
    with pytest.raises(UserError):
        make_letter_draft(title="L", addressee="A", body="B", body_cy="ŵ" * (BODY_MAX + 1))
    letter = make_letter(title_cy="Llythyr", body_cy="Testun")
    only_welsh = apply_letter_changes(letter, LetterChanges(body_cy="Testun newydd"))
    assert what_letter_changed(letter, only_welsh) == ("body_cy",)
    assert only_welsh.title_cy == "Llythyr" and only_welsh.body == letter.body
    cleared = apply_letter_changes(letter, LetterChanges(title_cy="-", body_cy="-"))
    assert (cleared.title_cy, cleared.body_cy) == (None, None)
    assert what_letter_changed(letter, cleared) == ("title_cy", "body_cy")
