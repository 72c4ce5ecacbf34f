"""Build the gettext template `bot/locale/messages.pot` from `bot/text.py`, and bring each
language's `bot.po` up to date with it.

    python -m bot.i18n.extract           # write messages.pot, merge it into every bot.po
    python -m bot.i18n.extract --check   # exit 1 if any of them is out of date

A message's msgid is its English sentence, exactly as in `bot/text.py`: every upper-case
`str` constant, every `str` value of a dict (ERRORS, NOTICES, KIND_NAMES, ...) and every
`str` in a tuple (CSV headers, word pairs), each with a `#: bot/text.py NAME` reference
(`ERRORS[when_empty]`, `EXPORT_CSV_HEADER[1]`). The columns of a CSV header (a tuple named
`…_HEADER`) carry the tuple's name as msgctxt: "place" there is a place in the list, not
where an event is. Then the count sentences of
`bot/i18n/plurals.py` as plural entries. A sentence used in several places is one entry
with several references. Merging keeps every translation whose English is unchanged, adds
new English with an empty translation (the catalogue test then fails until it is
translated) and keeps translations of English that went away at the end as `#~` lines.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from babel.messages.pofile import read_po

import bot.text as text_module
from bot.i18n.plurals import PLURALS
from bot.i18n.pofile import Entry, Key, Msgid, render

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
POT_PATH = LOCALE_DIR / "messages.pot"
DOMAIN = "bot"
TEXT_FILE = "bot/text.py"
PLURALS_FILE = "bot/i18n/plurals.py"

POT_COMMENTS = (
    "Every sentence the Co-pro Network Bot says, in English (the msgids), from bot/text.py",
    "and the count sentences of bot/i18n/plurals.py.",
    "Generated: do not edit. Regenerate with `python -m bot.i18n.extract`.",
)
POT_HEADER = {
    "Project-Id-Version": "copro-network-bot",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Language": "en",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


# Notes for the translator ("#." lines), by reference name.
NOTES = {
    "POLL_LOCAL_FORMAT": "A strftime format, not a sentence: keep it as it is (Welsh button "
    "labels are to be written with bot.i18n.welsh_datetime).",
    "ERRORS[too_long]": "{field} is the field's name, already in Welsh (FIELD_NAMES): "
    "“teitl”, “disgrifiad Cymraeg”.",
    "AND_LIST": "The last two of a list: {last} is a time typed as code (`24h`).",
    "ERRORS[offsets_repeated]": "{same} lists the repeated times, like `1d` and `24h`.",
    "ANNOUNCE_PING": "{role} is the mention of a role, at the start of the message.",
    "HELP_TITLE": "The bot's name.",
}
PLURAL_NOTE = (
    "Welsh forms in order: [0] zero (0), [1] one (1), [2] two (2), [3] few (3), [4] many (6), "
    "[5] other; mutate after the number as spoken (2 lofnod, 3 chofnod)."
)
CSV_NOTE = "A CSV column name: lower case, words joined by _, no spaces."


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def context_of(name: str) -> str | None:
    """The msgctxt of the tuple `name` in `bot/text.py`: its name for a CSV header."""
    return name if name.endswith("_HEADER") else None


def _strings(namespace: dict[str, object]) -> Iterable[tuple[str, str, str | None]]:
    """(reference, English, context) for every member-facing string in `bot/text.py`."""
    for name, value in namespace.items():
        if not name.isupper() or name.startswith("_"):
            continue
        if isinstance(value, str):
            yield name, value, None
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str):
                    yield f"{name}[{key}]", item, None
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    yield f"{name}[{index}]", item, context_of(name)


def extract(namespace: dict[str, object] | None = None) -> list[Entry]:
    """The template's entries, in `bot/text.py` order, then the plural entries."""
    found: dict[Key, Entry] = {}
    source = vars(text_module) if namespace is None else namespace
    for name, english, context in _strings(source):
        entry = found.setdefault((context, english), Entry(english, context=context))
        entry.refs.append(f"{TEXT_FILE} {name}")
        notes = [NOTES.get(name, ""), CSV_NOTE if context else ""]
        entry.comments += [note for note in notes if note and note not in entry.comments]
    for name, (singular, plural) in PLURALS.items():
        entry = found.setdefault(
            (None, (singular, plural)), Entry(singular, plural, comments=[PLURAL_NOTE])
        )
        entry.refs.append(f"{PLURALS_FILE} {name}")
    return list(found.values())


def pot_text(entries: list[Entry] | None = None) -> str:
    return render(POT_COMMENTS, POT_HEADER, extract() if entries is None else entries, 2)


def read_header(text: str) -> dict[str, str]:
    """The header fields exactly as written (Babel's own view adds and rewrites fields)."""
    lines = text.splitlines()
    start = lines.index('msgstr ""') + 1
    raw = ""
    for line in lines[start:]:
        if not line.startswith('"'):
            break
        raw += ast.literal_eval(line)
    fields = {}
    for line in raw.splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


Translations = dict[Key, tuple[tuple[str, ...], bool]]  # (msgctxt, msgid) → (msgstrs, fuzzy)


def read_translations(path: Path) -> tuple[dict[str, str], Translations, int]:
    """A `.po`'s header, its translations (obsolete ones too) with their fuzzy flags, and its
    number of plural forms."""
    catalog = read_po(BytesIO(path.read_bytes()), abort_invalid=True)
    header = read_header(path.read_text(encoding="utf-8"))
    found: Translations = {}
    for message in [*catalog, *catalog.obsolete.values()]:
        if not message.id:
            continue
        key: Msgid = message.id if isinstance(message.id, str) else tuple(message.id)  # type: ignore[assignment]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found[(message.context, key)] = (tuple(str(s) for s in strings), message.fuzzy)
    return header, found, catalog.num_plurals


def po_text(language: str, entries: list[Entry] | None = None) -> str:
    """The language's `bot.po` merged with the template as it is now."""
    return merged(po_path(language), extract() if entries is None else entries)


def merged(path: Path, entries: list[Entry]) -> str:
    """The `.po` at `path` brought up to date with `entries` (its header kept as written)."""
    header, translations, nplurals = read_translations(path)
    # The header comments are those before the first entry: up to the first blank line.
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[: lines.index("")] if "" in lines else lines
    comments = [line[2:] if line.startswith("# ") else line[1:] for line in head if line[:1] == "#"]
    kept = []
    for entry in entries:
        strings, fuzzy = translations.pop(entry.key, ((), False))
        kept.append(
            Entry(
                entry.msgid,
                entry.plural,
                list(entry.refs),
                strings,
                list(entry.comments),
                context=entry.context,
                fuzzy=fuzzy,
            )
        )
    obsolete = [
        Entry(msgid, None, [], strings, context=context)
        if isinstance(msgid, str)
        else Entry(msgid[0], msgid[1], [], strings, context=context)
        for (context, msgid), (strings, _) in translations.items()
        if any(strings)
    ]
    return render(comments, header, kept, nplurals, obsolete)


def languages() -> list[str]:
    return sorted(path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n.extract", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report files out of date")
    args = parser.parse_args(argv)
    entries = extract()
    wanted = {POT_PATH: pot_text(entries)}
    wanted.update({po_path(lang): po_text(lang, entries) for lang in languages()})
    stale = [
        path
        for path, text in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    for path in stale:
        if args.check:
            print(f"out of date: {path.relative_to(LOCALE_DIR.parent.parent)}")
        else:
            path.write_text(wanted[path], encoding="utf-8")
            print(f"wrote {path.relative_to(LOCALE_DIR.parent.parent)}")
    if not args.check:
        for lang in languages():
            translations = read_translations(po_path(lang))[1]
            for entry in entries:
                strings, fuzzy = translations.get(entry.key, (("",), False))
                if fuzzy or not all(strings):
                    print(f"untranslated ({lang}): {entry.msgid[:70]!r}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
