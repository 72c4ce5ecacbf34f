"""The files organisers take away: attendee lists and letters' signatories as CSV (cells no
spreadsheet runs as a formula), a letter as Markdown or plain text. Each export is a
(file name, bytes) pair; the calendar files are in render/calendar.py."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from bot import text
from bot.domain.events import Event
from bot.domain.letters import Letter, Signature, Tally, group_by_organisation
from bot.domain.rsvps import Rsvp, RsvpStatus
from bot.i18n import Language, current, pgettext, speaking, tr
from bot.render.common import escape_markdown
from bot.render.letters import tally_line
from bot.render.rsvps import SECTIONS

ExportFile = tuple[str, bytes]  # the file's name and its contents

# --- spreadsheet cells ------------------------------------------------------------------------

# Where a spreadsheet may start a cell when it opens a CSV file: the start of the field, and
# after any separator it might split on (`,` or `;` by locale, tab, or a line break in a naive
# reader), whatever separator the file was written with.
CELL_SEPARATORS = frozenset(",;\t\r\n")
FORMULA_STARTS = frozenset("=+-@")  # full-width and small forms (＝ ﹦ ＋ …) fold to these


def _starts_formula(value: str, at: int) -> bool:
    """Whether a cell starting at `at` would open as a formula: a control character there, or
    a formula character after any spaces and quotes (which spreadsheets skip or strip)."""
    if at < len(value) and value[at] in "\t\r\n":
        return True
    while at < len(value):
        char = value[at]
        folded = unicodedata.normalize("NFKC", char)
        if folded in FORMULA_STARTS:
            return True
        if not (char.isspace() or folded in ("'", '"')):
            return False
        at += 1
    return False


def csv_cell(value: str) -> str:
    """Member text as a CSV cell that no spreadsheet runs as a formula, whatever separator it
    reads the file with: an apostrophe (which makes the rest text) goes before each place a
    cell could start with one of = + - @ (or their full-width forms), a tab or a line break."""
    starts = [0] + [at + 1 for at, char in enumerate(value) if char in CELL_SEPARATORS]
    out: list[str] = []
    done = 0
    for at in starts:
        if _starts_formula(value, at):
            out.append(value[done:at] + "'")
            done = at
    out.append(value[done:])
    return "".join(out)


def header(name: str) -> list[str]:
    """The CSV header tuple `name` of bot/text.py in the language being rendered (each column
    is a catalogue entry with the tuple's name as its msgctxt)."""
    columns: tuple[str, ...] = getattr(text, name)
    return [pgettext(current(), name, column) for column in columns]


# --- attendees -------------------------------------------------------------------------------


def attendees_csv(
    by_status: Mapping[RsvpStatus, list[Rsvp]],
    names: Mapping[int, str],
    attended: Collection[int] = (),
) -> bytes:
    """Who answered, a row each; `attended`: the members marked as there."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header("ATTENDEES_CSV_HEADER"))
    for status, _ in SECTIONS:
        for number, row in enumerate(by_status.get(status, []), start=1):
            writer.writerow(
                [
                    tr(text.ATTENDEE_STATUS[status.value]),
                    number if status is RsvpStatus.WAITLIST else "",
                    str(row.user_id),
                    csv_cell(names.get(row.user_id, "")),
                    row.responded_at.strftime("%Y-%m-%d %H:%M:%S"),
                    tr(text.ATTENDEES_CSV_ATTENDED) if row.user_id in attended else "",
                ]
            )
    return out.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheets read it as UTF-8


def attendees_filename(event: Event) -> str:
    return f"attendees-event-{event.id}.csv"


def attendees_file(
    event: Event,
    by_status: Mapping[RsvpStatus, list[Rsvp]],
    names: Mapping[int, str],
    attended: Collection[int] = (),
) -> ExportFile:
    return attendees_filename(event), attendees_csv(by_status, names, attended)


# --- letters ---------------------------------------------------------------------------------


def export_filename(letter: Letter, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", letter.title.casefold()).strip("-")[:60] or "letter"
    return f"{slug}-{letter.id}.{extension}"


def letter_languages(letter: Letter) -> tuple[Language, ...]:
    """The languages a letter is written in: Welsh first when it has Welsh text."""
    if letter.title_cy or letter.body_cy:
        return (Language.CY, Language.EN)
    return (Language.EN,)


def letter_text(letter: Letter, language: Language) -> tuple[str, str]:
    """(title, body) in `language`: the Welsh where given, else the English."""
    if language is Language.CY:
        return letter.title_cy or letter.title, letter.body_cy or letter.body
    return letter.title, letter.body


def full_text(letter: Letter) -> str:
    """The letter as plain text in its languages (Welsh first), for the file /letter info
    attaches to a long letter and the one beside a CSV export."""
    parts = []
    for language in letter_languages(letter):
        title, body = letter_text(letter, language)
        with speaking(language):
            to = tr(text.EXPORT_TO, addressee=letter.addressee)
        parts.append(f"{title}\n\n{to}\n\n{body}\n")
    return "\n\n".join(parts)


def full_text_file(letter: Letter) -> ExportFile:
    return export_filename(letter, "txt"), full_text(letter).encode()


def export_csv(signatures: Sequence[Signature]) -> str:
    """The public signatories, grouped by organisation (spelling variants as one), with a
    header row; people signing for themselves last with an empty organisation."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header("EXPORT_CSV_HEADER"))
    for group in group_by_organisation(signatures):
        for signature in group.signatures:
            writer.writerow(
                [
                    csv_cell(group.shown(current()) or ""),
                    csv_cell(signature.name),
                    f"{signature.signed_at:%Y-%m-%d %H:%M:%S}",
                ]
            )
    return out.getvalue()


def md(value: str) -> str:
    """Member text that Markdown shows as typed (the one escaper, URLs escaped too)."""
    return escape_markdown(value, links=False)


def export_markdown(
    letter: Letter, tally: Tally, signatures: Sequence[Signature], at: datetime
) -> str:
    """The letter ready to deliver: its text in its languages (the Welsh first, when it has
    Welsh), then its public signatories by organisation, in the organiser's language."""
    lines = []
    for language in letter_languages(letter):
        title, body = letter_text(letter, language)
        with speaking(language):
            to = tr(text.EXPORT_TO, addressee=letter.addressee)
        lines += [f"# {md(title)}", "", f"**{md(to)}**", "", body, "", "---", ""]
    lines += [
        f"## {tr(text.EXPORT_SIGNATORIES)}",
        "",
        tr(
            text.EXPORT_COUNT,
            tally=tally_line(tally),
            at=f"{at:%Y-%m-%d %H:%M}",
            listed=len(signatures),
        ),
    ]
    closed = letter.closed_since(at)
    if closed is not None:
        lines.append(tr(text.EXPORT_CLOSED, at=f"{closed:%Y-%m-%d %H:%M}"))
    if letter.body_changed_at is not None:
        lines.append(tr(text.EXPORT_TEXT_CHANGED, at=f"{letter.body_changed_at:%Y-%m-%d %H:%M}"))
    if not signatures:
        lines += ["", tr(text.EXPORT_NONE)]
    for group in group_by_organisation(signatures):
        shown = group.shown(current())
        heading = md(shown) if shown else tr(text.EXPORT_INDIVIDUALS)
        lines += ["", f"### {heading}", ""]
        lines += [f"- {md(signature.name)}" for signature in group.signatures]
    return "\n".join(lines) + "\n"


def letter_files(
    letter: Letter, tally: Tally, signatures: Sequence[Signature], at: datetime, *, as_csv: bool
) -> list[ExportFile]:
    """/letter export's files: the Markdown document, or the signatories as CSV (the BOM
    makes spreadsheets read it as UTF-8) with the text beside it."""
    if as_csv:
        table = export_csv(signatures).encode("utf-8-sig")
        return [(export_filename(letter, "csv"), table), full_text_file(letter)]
    document = export_markdown(letter, tally, signatures, at).encode()
    return [(export_filename(letter, "md"), document)]
