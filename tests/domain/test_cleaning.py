"""How member text is cleaned before it is stored (titles, places, names, letter bodies)."""

from __future__ import annotations

import pytest

from bot.domain.errors import UserError
from bot.domain.events import clean_block, clean_line


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  S. Wales   Network\tMeeting 4 ", "S. Wales Network Meeting 4"),
        ("Cyfarfod\nRhwydwaith", "Cyfarfod Rhwydwaith"),
        ("Tŵr a Thŷ", "Tŵr a Thŷ"),
        ("Tw\u0302r a Thy\u0302", "Tŵr a Thŷ"),  # typed with combining marks: stored as NFC
        ("\u202egnp.exe\u202c Cyfarfod", "gnp.exe Cyfarfod"),  # no reversed layout
        ("\u2067שלום\u2069 Caerdydd", "שלום Caerdydd"),
        ("👩\u200d👩\u200d👧 Family day", "👩\u200d👩\u200d👧 Family day"),  # joiners kept
        ("…", "…"),
        ("🎉", "🎉"),
    ],
)
def test_a_line_is_stored_plain(typed: str, stored: str) -> None:
    assert clean_line(typed, "title", 200) == stored


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "\u200b\u200b", "\u200d", "\u0301\u0302", "\u202e\u202c", "\ufeff", "\x00\x07"],
)
def test_nothing_visible_counts_as_empty(typed: str) -> None:
    assert clean_line(typed, "title", 200) is None
    assert clean_block(typed, "body", 200) is None


def test_length_is_counted_after_cleaning_and_never_cut() -> None:
    assert clean_line("a" * 90 + "\u202e" * 50, "title", 90) == "a" * 90
    with pytest.raises(UserError) as caught:
        clean_line("a" * 91, "title", 90)
    assert caught.value.key == "too_long" and caught.value.params["length"] == 91


def test_a_block_keeps_its_paragraphs() -> None:
    typed = "Annwyl Brif Weinidog,\r\n\r\n\r\n  We the undersigned\u202e \n\u200b\nDiolch"
    assert (
        clean_block(typed, "body", 4000) == "Annwyl Brif Weinidog,\n\nWe the undersigned\n\nDiolch"
    )
