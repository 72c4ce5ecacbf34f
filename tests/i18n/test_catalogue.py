"""The Welsh catalogue is complete and in step with bot/text.py.

The template is extracted again from `bot/text.py` in memory here, so a new English sentence
without Welsh, a placeholder lost in translation or a missing plural form fails the suite.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po

import bot.text as text
from bot.i18n import Catalogue, Language, ngettext
from bot.i18n.extract import POT_PATH, extract, merged, po_path, pot_text
from bot.i18n.plurals import PLURALS
from bot.i18n.pofile import Entry, fields

WELSH_PLURAL_FORMS = (
    "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"
)
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
ENTRIES = extract()


@cache
def welsh_po():
    return read_po(BytesIO(po_path("cy").read_bytes()), abort_invalid=True)


def welsh_strings(entry: Entry) -> tuple[str, ...]:
    message = welsh_po().get(entry.key[1], context=entry.context)
    assert message is not None, f"no Welsh entry for {entry.msgid!r}"
    assert not message.fuzzy, f"the Welsh of {entry.msgid!r} is marked fuzzy"
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return tuple(strings)


def name(entry: Entry) -> str:
    return entry.refs[0].split(" ", 1)[1]


def untranslated(entries: list[Entry]) -> list[str]:
    po = welsh_po()
    missing = []
    for entry in entries:
        message = po.get(entry.key[1], context=entry.context)
        strings = () if message is None else message.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not strings or not all(strings):
            missing.append(entry.msgid)
    return missing


def test_every_message_of_text_py_is_extracted() -> None:
    msgids = {entry.msgid for entry in ENTRIES}
    assert text.ERRORS["when_empty"] in msgids
    assert text.NOTICES["reminder_auto"] in msgids
    assert text.KIND_NAMES["workshop"] in msgids
    assert text.WEB_LETTER["how_to_sign"] in msgids
    assert text.HELP_FOOTER in msgids
    assert all(column in msgids for column in text.EXPORT_CSV_HEADER)
    assert "fill" not in msgids and "Mapping" not in msgids  # functions and imports are not
    refs = {ref for entry in ENTRIES for ref in entry.refs}
    assert "bot/text.py ERRORS[when_empty]" in refs
    assert "bot/text.py ATTENDEES_CSV_HEADER[1]" in refs


def test_a_csv_column_has_its_own_context() -> None:
    # "place" is where an event is, and a place on the waitlist: two entries, two Welsh words.
    places = [entry for entry in ENTRIES if entry.msgid == "place"]
    assert {entry.context for entry in places} == {None, "ATTENDEES_CSV_HEADER"}
    welsh = {welsh_strings(entry)[0] for entry in places}
    assert welsh == {"lleoliad", "safle"}


def test_the_template_on_disk_is_up_to_date() -> None:
    assert POT_PATH.read_text(encoding="utf-8") == pot_text(ENTRIES), (
        "bot/locale/messages.pot is stale: run `python -m bot.i18n.extract`"
    )


def test_the_welsh_catalogue_is_merged_with_the_template() -> None:
    assert po_path("cy").read_text(encoding="utf-8") == merged(po_path("cy"), ENTRIES), (
        "bot/locale/cy/LC_MESSAGES/bot.po is stale: run `python -m bot.i18n.extract`"
    )


def test_every_message_has_welsh() -> None:
    assert untranslated(ENTRIES) == []


def test_a_new_english_sentence_without_welsh_is_caught() -> None:
    namespace = {**vars(text), "BRAND_NEW_SENTENCE": "A sentence nobody has translated."}
    assert untranslated(extract(namespace)) == ["A sentence nobody has translated."]


def test_the_header_is_welsh_with_six_plural_forms() -> None:
    po = welsh_po()
    assert str(po.locale) == "cy"
    assert po.num_plurals == 6
    raw = po_path("cy").read_text(encoding="utf-8")
    assert f'"Plural-Forms: {WELSH_PLURAL_FORMS}\\n"' in raw
    assert '"Language: cy\\n"' in raw


@pytest.mark.parametrize("entry", ENTRIES, ids=name)
def test_placeholders_are_the_same_in_welsh(entry: Entry) -> None:
    english = fields(entry.msgid)
    if entry.plural is not None:
        assert fields(entry.plural) == english
    for welsh in welsh_strings(entry):
        assert fields(welsh) == english, welsh


@pytest.mark.parametrize("entry", ENTRIES, ids=name)
def test_discord_markup_survives(entry: Entry) -> None:
    for welsh in welsh_strings(entry):
        for mark in ("`", "**", "<t:", "<@", "\n", "<{", "]("):
            assert welsh.count(mark) == entry.msgid.count(mark), (mark, welsh)


@pytest.mark.parametrize(
    "entry", [entry for entry in ENTRIES if entry.plural is not None], ids=name
)
def test_every_plural_entry_has_all_six_welsh_forms(entry: Entry) -> None:
    forms = welsh_strings(entry)
    assert len(forms) == 6
    assert all(form.strip() for form in forms)


def test_the_plural_rule_is_cldr_s() -> None:
    rule = gettext.c2py(welsh_po().plural_expr)
    cldr = Locale("cy").plural_form
    for n in range(0, 1001):
        assert CLDR_ORDER[rule(n)] == cldr(n), n


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 llofnodion"),
        (1, "1 llofnod"),
        (2, "2 lofnod"),
        (3, "3 llofnod"),
        (4, "4 llofnod"),
        (6, "6 llofnod"),
        (7, "7 llofnod"),
        (100, "100 llofnod"),
    ],
)
def test_signature_counts_in_welsh(n: int, expected: str) -> None:
    singular, plural = PLURALS["LETTER_SIGNATURE_WORDS"]
    assert ngettext(Language.CY, singular, plural, n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "0 cofnodion"), (1, "1 cofnod"), (2, "2 gofnod"), (3, "3 chofnod"), (6, "6 chofnod")],
)
def test_mutations_after_numbers(n: int, expected: str) -> None:
    singular, plural = PLURALS["PRIVACY_SECTIONS[reminders_received]"]
    assert ngettext(Language.CY, singular, plural, n).startswith(expected)


def test_every_count_sentence_stands_for_a_name_in_text_py_or_is_used() -> None:
    """A count sentence replaces a name of bot/text.py, or is a noun phrase ("2 lofnod") that
    some renderer asks for by name with `ntr`."""
    root = Path(__file__).resolve().parents[2]
    code = "".join(p.read_text() for d in ("bot", "cogs") for p in (root / d).rglob("*.py"))
    for key in PLURALS:
        base, _, item = key.partition("[")
        if not hasattr(text, base):
            assert f'ntr("{key}"' in code, key
        elif item:
            assert item.rstrip("]") in getattr(text, base), key


def test_the_catalogue_loads_every_entry() -> None:
    catalogue = Catalogue.load(Language.CY)
    singles = [entry for entry in ENTRIES if entry.plural is None]
    assert all(catalogue.get(entry.msgid, entry.context) for entry in singles)
    assert len(catalogue.plurals) == len(ENTRIES) - len(singles)


def test_merging_keeps_translations_adds_new_english_and_keeps_old_as_obsolete(tmp_path) -> None:
    po = tmp_path / "bot.po"
    po.write_text(
        "# a test catalogue\n"
        'msgid ""\nmsgstr ""\n"Language: cy\\n"\n'
        '"Plural-Forms: ' + WELSH_PLURAL_FORMS + '\\n"\n\n'
        'msgid "Kept"\nmsgstr "Wedi cadw"\n\n'
        '#, fuzzy\nmsgid "Draft"\nmsgstr "Drafft"\n\n'
        'msgid "Gone"\nmsgstr "Wedi mynd"\n',
        encoding="utf-8",
    )
    entries = [Entry("Kept", refs=["bot/text.py A"]), Entry("Draft"), Entry("New")]
    out = merged(po, entries)
    assert out.startswith("# a test catalogue\n")
    assert '#: bot/text.py A\nmsgid "Kept"\nmsgstr "Wedi cadw"' in out
    assert '#, fuzzy\nmsgid "Draft"\nmsgstr "Drafft"' in out
    assert 'msgid "New"\nmsgstr ""' in out
    assert '#~ msgid "Gone"\n#~ msgstr "Wedi mynd"' in out
    po.write_text(out, encoding="utf-8")
    assert merged(po, entries) == out  # merging again changes nothing


# Discord's limits (PLATFORM.md, "Welsh on Discord"): button label 80, modal title and text
# input label 45, text input placeholder 100.
LIMITS = {"BUTTON_": 80, "_BUTTON": 80, "_MODAL_TITLE": 45, "_LABEL": 45, "_PLACEHOLDER": 100}


def limit_of(name: str) -> int | None:
    for part, limit in LIMITS.items():
        if name.startswith(part) if part.endswith("_") else name.endswith(part):
            return limit
    return None


@pytest.mark.parametrize(
    "name",
    [name for name, value in vars(text).items() if isinstance(value, str) and limit_of(name)],
)
def test_welsh_labels_fit_discord(name: str) -> None:
    limit = limit_of(name)
    assert limit is not None
    english = getattr(text, name)
    assert len(english) <= limit
    welsh = Catalogue.load(Language.CY).get(english)
    assert welsh is not None and len(welsh) <= limit, welsh
