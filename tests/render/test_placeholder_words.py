"""No English word reaches a Welsh sentence through a placeholder: the digest's day, the
field a too-long text was typed in, a repeated reminder time's "and", the list's filters and
the names of what changed are each put in the language being rendered."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest

from bot import text
from bot.adapters.errors import message_for
from bot.domain.errors import UserError
from bot.domain.events import Kind, Region
from bot.domain.guilds import GuildSettings
from bot.domain.timeparse import parse_reminder_offsets
from bot.i18n import _VOICE, Language, Voice, set_voice, speaking
from bot.render.events import edited_reply, filters_label
from bot.render.guilds import digest_label, digest_saved
from tests.render.test_events import make_event

ROOT = Path(__file__).resolve().parents[2]
TUESDAY = GuildSettings(guild_id=1, digest_day="tuesday", digest_time=time(9, 0))


def test_the_digest_day_is_named_in_welsh() -> None:
    with speaking(Language.CY):
        saved, label = digest_saved(TUESDAY), digest_label(TUESDAY)
    assert "bob dydd Mawrth am 09:00" in saved and "Tuesday" not in saved
    assert "dydd Mawrth" in label and "Tuesday" not in label
    with speaking(Language.EN):
        assert "Tuesdays at 09:00" in digest_saved(TUESDAY)


@pytest.fixture
def welsh_reader() -> Iterator[None]:
    """A reader of Welsh: what `message_for` answers in (the voice's languages)."""
    token = set_voice(Voice((Language.CY,)))
    yield
    _VOICE.reset(token)


@pytest.mark.usefixtures("welsh_reader")
def test_a_too_long_fields_name_is_welsh() -> None:
    said = message_for(UserError("too_long", field="description_cy", limit=10, length=12))
    assert "disgrifiad Cymraeg" in said and "Welsh" not in said and "description" not in said
    said = message_for(UserError("too_long", field="where", limit=10, length=12))
    assert "where" not in said and "place" not in said


@pytest.mark.usefixtures("welsh_reader")
def test_a_repeated_reminder_time_is_joined_with_welsh_and() -> None:
    with pytest.raises(UserError) as twice:
        parse_reminder_offsets("7d, 1 day,24   h")
    said = message_for(twice.value)
    assert "\\`1 day\\` a \\`24 h\\`" in said and " and " not in said


def test_a_repeated_reminder_time_in_english() -> None:
    with pytest.raises(UserError) as twice:
        parse_reminder_offsets("1h,60m,2d")
    assert "\\`1h\\` and \\`60m\\`" in message_for(twice.value)


def test_every_field_the_domain_names_has_words() -> None:
    named = set()
    for path in [
        *(ROOT / "bot" / "domain").glob("*.py"),
        *(ROOT / "bot" / "services").glob("*.py"),
    ]:
        named |= set(re.findall(r"clean_(?:line|block)\([^,]+, \"([^\"]+)\"", path.read_text()))
    assert {"title", "where", "description_cy"} <= named
    assert named - set(text.FIELD_NAMES) == set()


def test_the_list_filters_are_welsh() -> None:
    with speaking(Language.CY):
        shown = filters_label(Region.NORTH, Kind.WORKSHOP)
    assert shown.startswith("Gogledd Cymru, ") and "North" not in shown
    with speaking(Language.EN):
        assert filters_label(Region.NORTH, None) == "North Wales"


def test_the_names_of_what_changed_are_welsh() -> None:
    event = make_event(title_cy="Cyfarfod", description_cy="Disgrifiad")
    with speaking(Language.CY):
        welsh = edited_reply(event, ("title_cy", "description_cy", "place"), False, None)
    assert "teitl Cymraeg, disgrifiad Cymraeg" in welsh and "Welsh" not in welsh
