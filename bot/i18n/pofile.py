"""Writing gettext catalogues (`.pot`, `.po`) in a fixed, diff-friendly form.

Babel reads them (`babel.messages.pofile.read_po`); this writes them, so that a catalogue
regenerated from the same input is byte for byte the file on disk (no dates in the header,
entries in `bot/text.py` order, one `#: bot/text.py NAME` reference line per place).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

Msgid = str | tuple[str, str]  # a sentence, or (singular, plural) for a count sentence
# A message is known by its context (None for most) and its msgid.
Key = tuple[str | None, Msgid]


@dataclass
class Entry:
    """One message: its English, where it is used, and (in a `.po`) its translation."""

    msgid: str
    plural: str | None = None
    refs: list[str] = field(default_factory=list)  # "bot/text.py ERRORS[when_empty]"
    strings: tuple[str, ...] = ()  # msgstr, or msgstr[0..n-1] for a plural entry
    comments: list[str] = field(default_factory=list)  # "#." lines for the translator
    context: str | None = None  # msgctxt: tells apart one English word with two meanings
    fuzzy: bool = False  # a translator's draft: kept, but not used until they clear the flag

    @property
    def key(self) -> Key:
        return self.context, self.msgid if self.plural is None else (self.msgid, self.plural)


def fields(text: str) -> list[str]:
    """The `str.format` field names in `text`, sorted: what must survive translation."""
    names = []
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None:
            names.append(name)
    return sorted(names)


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    )
    return '"' + escaped.replace("\n", "\\n") + '"'


def _keyword(keyword: str, text: str) -> list[str]:
    if "\n" not in text.rstrip("\n"):
        return [f"{keyword} {_quote(text)}"]
    pieces = text.splitlines(keepends=True)
    return [f'{keyword} ""', *(_quote(piece) for piece in pieces)]


def _entry_lines(entry: Entry, nplurals: int, prefix: str = "") -> list[str]:
    lines = [f"#. {comment}" for comment in entry.comments]
    lines += [f"#: {ref}" for ref in entry.refs]
    flags = ["fuzzy"] if entry.fuzzy else []
    if any(fields(text) for text in (entry.msgid, entry.plural or "")):
        flags.append("python-brace-format")
    if flags:
        lines.append("#, " + ", ".join(flags))
    if entry.context is not None:
        lines += _keyword("msgctxt", entry.context)
    lines += _keyword("msgid", entry.msgid)
    if entry.plural is None:
        lines += _keyword("msgstr", entry.strings[0] if entry.strings else "")
    else:
        lines += _keyword("msgid_plural", entry.plural)
        strings = list(entry.strings) + [""] * (nplurals - len(entry.strings))
        for index, text in enumerate(strings[:nplurals]):
            lines += _keyword(f"msgstr[{index}]", text)
    return [prefix + line if not line.startswith("#") else line for line in lines]


def render(
    header_comments: Sequence[str],
    header: Mapping[str, str],
    entries: Iterable[Entry],
    nplurals: int,
    obsolete: Iterable[Entry] = (),
) -> str:
    """The whole catalogue as text. `obsolete` entries (no longer in the English) are kept
    at the end as `#~` lines, so a translator can reuse a translation of an old wording."""
    out = [f"# {line}".rstrip() for line in header_comments]
    out += ['msgid ""', 'msgstr ""']
    out += [_quote(f"{name}: {value}\n") for name, value in header.items()]
    for entry in entries:
        out.append("")
        out += _entry_lines(entry, nplurals)
    for entry in obsolete:
        out.append("")
        out += [
            "#~ " + line
            for line in _entry_lines(
                Entry(entry.msgid, entry.plural, [], entry.strings, context=entry.context), nplurals
            )
            if not line.startswith("#")
        ]
    return "\n".join(out) + "\n"
