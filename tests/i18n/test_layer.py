"""The small language layer: who reads which language, filling, bilingual text, fallback."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

import bot.i18n as i18n
import bot.text as text
from bot.i18n import (
    Catalogue,
    Language,
    Mode,
    Voice,
    both_inline,
    both_lines,
    current,
    each,
    gettext,
    in_languages,
    label,
    languages_for,
    ngettext,
    ntr,
    pgettext,
    said,
    set_voice,
    speaking,
    tr,
    translate,
)

PLURAL_FORMS = (
    "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("cy", Language.CY),
        (" CY ", Language.CY),
        ("Cymraeg", Language.CY),
        ("en", Language.EN),
        ("English", Language.EN),
        ("fr", None),
        ("", None),
        (None, None),
    ],
)
def test_a_language_is_one_of_two(typed: str | None, expected: Language | None) -> None:
    assert Language.parse(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("en", Mode.EN),
        ("cy", Mode.CY),
        ("bilingual", Mode.BILINGUAL),
        ("Dwyieithog", Mode.BILINGUAL),
        ("de", None),
    ],
)
def test_a_server_mode_is_one_of_three(typed: str, expected: Mode | None) -> None:
    assert Mode.parse(typed) == expected


@pytest.mark.parametrize(
    ("member", "mode", "expected"),
    [
        (Language.CY, Mode.EN, (Language.CY,)),  # the member's own choice wins
        (Language.EN, Mode.BILINGUAL, (Language.EN,)),
        (None, Mode.EN, (Language.EN,)),
        (None, Mode.CY, (Language.CY,)),
        (None, Mode.BILINGUAL, (Language.CY, Language.EN)),  # Welsh first
    ],
)
def test_who_reads_what(
    member: Language | None, mode: Mode, expected: tuple[Language, ...]
) -> None:
    assert languages_for(member, mode) == expected


def test_english_is_the_msgid_itself() -> None:
    assert gettext(Language.EN, text.BUTTON_SIGN) == "Sign"
    assert translate(Language.EN, text.EMBED_FOOTER, id=7) == "Event #7"


def test_welsh_is_filled_like_text_fill_with_the_date_in_words() -> None:
    """Discord never renders <t:…:F> in Welsh: Welsh text says the date in words, in the
    server's zone (here BST: 17:30 UTC in June is 18:30 in Cardiff), beside <t:…:R>."""
    at = datetime(2026, 6, 4, 17, 30, tzinfo=UTC)  # formatted only, never compared with now
    stamp = int(at.timestamp())
    with speaking(Language.CY, "Europe/London"):
        welsh = translate(Language.CY, text.NOTICES["reminder_personal"], title="Cyfarfod", at=at)
    assert welsh == (
        f"Eich nodyn atgoffa: mae **Cyfarfod** yn dechrau <t:{stamp}:R>, "
        "Dydd Iau, 4 Mehefin 2026 am 18:30."
    )
    english = translate(Language.EN, text.NOTICES["reminder_personal"], title="Meeting", at=at)
    assert english.endswith(f"<t:{stamp}:R>, <t:{stamp}:F>.")


def test_each_renders_once_per_language_and_said_puts_welsh_first() -> None:
    set_voice(Voice((Language.CY, Language.EN)))
    try:
        assert each(lambda: tr(text.BUTTON_SIGN)) == ["Llofnodi", "Sign"]
        assert label(text.BUTTON_SIGN) == "Llofnodi · Sign"
        assert said(lambda: ntr("LETTER_SIGNATURE_WORDS", 2)) == "2 lofnod\n2 signatures"
        with speaking(Language.EN):
            assert current() is Language.EN
        assert current() is Language.CY
    finally:
        set_voice(Voice())
    assert tr(text.BUTTON_SIGN) == "Sign"


def test_a_csv_column_is_found_by_its_context() -> None:
    assert pgettext(Language.CY, "ATTENDEES_CSV_HEADER", "place") == "safle"
    assert gettext(Language.CY, "place") == "lleoliad"
    assert pgettext(Language.EN, "ATTENDEES_CSV_HEADER", "place") == "place"


def test_bilingual_text_is_welsh_first() -> None:
    assert both_inline(text.BUTTON_SIGN) == "Llofnodi · Sign"
    assert both_lines(text.EMBED_FOOTER, id=3) == "Digwyddiad #3\nEvent #3"
    assert in_languages((Language.CY, Language.EN), text.BUTTON_NEXT) == "Nesaf\nNext"
    assert in_languages((Language.EN,), text.BUTTON_NEXT) == "Next"


def test_text_the_same_in_both_languages_is_given_once() -> None:
    assert both_inline(text.FEED_NAME_REGION, name="Cyd", region="De") == "Cyd · De"


def test_counts_use_each_language_s_rule() -> None:
    singular, plural = "{count} signature", "{count} signatures"
    assert ngettext(Language.EN, singular, plural, 1) == "1 signature"
    assert ngettext(Language.EN, singular, plural, 0) == "0 signatures"
    assert ngettext(Language.CY, singular, plural, 2) == "2 lofnod"
    celebration = ngettext(
        Language.CY,
        "🎉 **{count} signature** on **{title}**! Thank you, everyone. {link}",
        "🎉 **{count} signatures** on **{title}**! Thank you, everyone. {link}",
        2,
        title="Llythyr",
        link="<url>",
    )
    assert celebration == "🎉 **2 lofnod** ar **Llythyr**! Diolch i bawb. <url>"


def test_missing_welsh_falls_back_to_english_and_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.i18n")
    sentence = "A sentence the catalogue has never seen."
    assert gettext(Language.CY, sentence) == sentence
    assert gettext(Language.CY, sentence) == sentence
    assert translate(Language.CY, "Hello {name}.", name="Siân") == "Hello Siân."
    assert ngettext(Language.CY, "{count} thing", "{count} things", 3) == "3 things"
    logged = [r.getMessage() for r in caplog.records if "No cy translation" in r.getMessage()]
    assert len([line for line in logged if "never seen" in line]) == 1
    assert len(logged) == 3


def test_a_fuzzy_or_empty_translation_is_not_used() -> None:
    po = (
        'msgid ""\nmsgstr ""\n"Language: cy\\n"\n"Plural-Forms: ' + PLURAL_FORMS + '\\n"\n\n'
        '#, fuzzy\nmsgid "Sign"\nmsgstr "Arwydd"\n\n'
        'msgid "Next"\nmsgstr ""\n\n'
        'msgid "Previous"\nmsgstr "Blaenorol"\n\n'
        'msgid "{count} cat"\nmsgid_plural "{count} cats"\n'
        + "".join(f'msgstr[{i}] "{{count}} cath{i}"\n' for i in range(5))
        + 'msgstr[5] ""\n'
    ).encode()
    catalogue = Catalogue.from_po(Language.CY, po)
    assert catalogue.get("Sign") is None
    assert catalogue.get("Next") is None
    assert catalogue.get("Previous") == "Blaenorol"
    assert catalogue.get_plural("{count} cat", "{count} cats", 2) is None  # a form is missing


def test_the_plural_rule_comes_from_the_po_header() -> None:
    po = (
        'msgid ""\nmsgstr ""\n"Language: cy\\n"\n"Plural-Forms: ' + PLURAL_FORMS + '\\n"\n\n'
        'msgid "{count} dog"\nmsgid_plural "{count} dogs"\n'
        + "".join(f'msgstr[{i}] "{{count}} ci{i}"\n' for i in range(6))
    ).encode()
    catalogue = Catalogue.from_po(Language.CY, po)
    got = [catalogue.get_plural("{count} dog", "{count} dogs", n) for n in (0, 1, 2, 3, 4, 6, 7)]
    assert got == [
        "{count} ci0",
        "{count} ci1",
        "{count} ci2",
        "{count} ci3",
        "{count} ci5",
        "{count} ci4",
        "{count} ci5",
    ]


def test_no_catalogue_at_all_means_english(
    monkeypatch: pytest.MonkeyPatch, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.i18n")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._load.cache_clear()
    try:
        assert gettext(Language.CY, text.BUTTON_SIGN) == "Sign"
        assert any("No cy catalogue" in r.getMessage() for r in caplog.records)
    finally:
        monkeypatch.undo()
        i18n._load.cache_clear()
    assert gettext(Language.CY, text.BUTTON_SIGN) == "Llofnodi"


def test_the_catalogue_is_read_once() -> None:
    assert Catalogue.load(Language.CY) is Catalogue.load(Language.CY)
