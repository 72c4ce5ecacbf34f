"""Exports in their languages: /letter export gives the letter's Welsh text, then its
English; CSV headers (letter signatories, /events attendees) are in the organiser's
language, the catalogue's words for each column."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot import text
from bot.domain.letters import Tally
from bot.domain.rsvps import Rsvp, RsvpStatus
from bot.i18n import Catalogue, Language, speaking
from bot.render.exports import attendees_csv, export_csv, export_markdown, full_text, letter_files
from tests.render.test_letters import NOW, make_letter, signature
from tests.support.welsh import welsh

WELSH = Catalogue.load(Language.CY)
WELSH_LETTER = dict(
    title_cy="Llythyr Agored at y Prif Weinidog",
    body_cy="Gofynnwn i egwyddorion cydgynhyrchu fod wrth galon gwasanaethau cyhoeddus.",
)


def rows(data: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.lstrip("\ufeff"))))


def test_markdown_has_the_welsh_text_then_the_english() -> None:
    letter = make_letter(**WELSH_LETTER)
    with speaking(Language.EN):
        document = export_markdown(
            letter, Tally(1, 1, 1), [signature(0, "Rhian Evans", org := "Tai Cymru")], NOW
        )
    welsh = document.index("# Llythyr Agored at y Prif Weinidog\n")
    english = document.index("# Open Letter to the First Minister\n")
    assert welsh == 0 and welsh < document.index(letter.body_cy or "") < english
    assert english < document.index(letter.body) < document.index(f"## {text.EXPORT_SIGNATORIES}")
    # Each text is introduced in its own language; the rest is the organiser's.
    assert "**At: The First Minister of Wales**" in document
    assert "**To: The First Minister of Wales**" in document
    assert f"### {org}" in document


def test_a_letter_without_welsh_is_exported_in_english_only() -> None:
    letter = make_letter()
    with speaking(Language.CY):
        document = export_markdown(letter, Tally(), [], NOW)
    assert document.startswith("# Open Letter to the First Minister\n")
    assert document.count("\n# ") == 0 and "At: " not in document
    # A Welsh-speaking organiser gets the frame in Welsh.
    assert f"## {welsh(text.EXPORT_SIGNATORIES)}" in document
    assert welsh(text.EXPORT_NONE) in document


def test_the_text_file_beside_a_csv_is_in_the_letters_languages() -> None:
    letter = make_letter(title_cy="Llythyr", body_cy="Testun Cymraeg.")
    plain = full_text(letter)
    assert plain.index("Llythyr\n") < plain.index("Testun Cymraeg.") < plain.index(letter.title)
    with speaking(Language.CY):
        files = letter_files(letter, Tally(), [], NOW, as_csv=True)
    assert [name.rsplit(".", 1)[1] for name, _ in files] == ["csv", "txt"]
    assert files[1][1].decode() == plain


def test_signatory_csv_headers_are_in_the_organisers_language() -> None:
    signatures = [signature(0, "Sian Hughes", "Cardiff University")]
    with speaking(Language.CY):
        cymraeg = rows(export_csv(signatures))
    with speaking(Language.EN):
        english = rows(export_csv(signatures))
    assert english[0] == list(text.EXPORT_CSV_HEADER)
    assert cymraeg[0] == [WELSH.get(c, "EXPORT_CSV_HEADER") for c in text.EXPORT_CSV_HEADER]
    assert cymraeg[0] != english[0] and cymraeg[1:] == english[1:]


def test_attendee_csv_headers_are_in_the_organisers_language() -> None:
    going = Rsvp(11, RsvpStatus.GOING, NOW - timedelta(days=1), 1)
    with speaking(Language.CY):
        data = attendees_csv({RsvpStatus.GOING: [going]}, {11: "Rhian"}).decode("utf-8-sig")
    header, row = rows(data)
    assert header == [WELSH.get(c, "ATTENDEES_CSV_HEADER") for c in text.ATTENDEES_CSV_HEADER]
    assert None not in header and header[0] == "statws"
    assert row[0] == welsh(text.ATTENDEE_STATUS["going"]) and row[3] == "Rhian"
