"""Exports: CSV cells no spreadsheet runs as a formula, whatever separator it reads the file
with; letters' signatories grouped by organisation; a letter ready to deliver."""

from __future__ import annotations

import csv
import io

import pytest

from bot import text
from bot.domain.letters import Tally
from bot.render.exports import csv_cell, export_csv, export_markdown
from tests.render.test_letters import NOW, make_letter, signature

# --- spreadsheet cells -------------------------------------------------------------------------

FORMULA = set("=+-@\t\r\n") | set("＝＋－＠﹦﹢﹣﹫")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 29 2000 0000", "'+44 29 2000 0000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturn", "'\rReturn"),
        ("Cardiff University", "Cardiff University"),
        ("", ""),
        ("O'Brien = fine", "O'Brien = fine"),
        ("Smith-Jones, Ltd", "Smith-Jones, Ltd"),
        ("x;=1+1", "x;'=1+1"),
        ("x,=1+1", "x,'=1+1"),
        ("x\t=1+1", "x\t'=1+1"),
        ("x\n+1", "x\n'+1"),
        ("  =1+1", "'  =1+1"),
        ('"=1+1"', '\'"=1+1"'),
        ("x; \"'=1", "x;' \"'=1"),
        ("＝1+1", "'＝1+1"),
        ("a;＋1", "a;'＋1"),
        ("﹦1", "'﹦1"),
        ("\u00a0@x", "'\u00a0@x"),
    ],
)
def test_csv_cells_never_run_as_formulas(value: str, expected: str) -> None:
    assert csv_cell(value) == expected


CELLS = [
    "x;=1+1",
    "Cardiff; +SUM(A1)",
    "a,\"=cmd|' /C calc'!A0\"",
    "tab\t@x",
    "line\n-1",
    " ＝HYPERLINK(1)",
    "'; DROP TABLE x; --",
    "ok, fine; really",
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_no_cell_starts_a_formula_whatever_the_separator(delimiter: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["going", "", "123", *map(csv_cell, CELLS), "2026-12-03 18:30:00"])
    writer.writerow(list(map(csv_cell, CELLS)))
    for row in csv.reader(io.StringIO(out.getvalue()), delimiter=delimiter):
        for cell in row:
            start = cell.lstrip(" \u00a0\"'")
            assert cell.startswith("'") or not start or start[0] not in FORMULA, (cell, row)


def test_csv_export_groups_by_organisation_with_a_header() -> None:
    signatures = [
        signature(0, "Sian Hughes", "Cardiff University"),
        signature(1, "=cmd|' /C calc'!A0", "cardiff university"),
        signature(2, "Owain Price", None),
        signature(3, "Aled Rees", "Patchwork Circles"),
    ]
    rows = list(csv.reader(io.StringIO(export_csv(signatures))))
    assert rows[0] == list(text.EXPORT_CSV_HEADER)
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("Cardiff University", "'=cmd|' /C calc'!A0"),
        ("Cardiff University", "Sian Hughes"),
        ("Patchwork Circles", "Aled Rees"),
        ("", "Owain Price"),
    ]
    assert rows[1][2] == "2026-11-28 10:01:00"


def test_markdown_export_is_ready_to_deliver() -> None:
    letter = make_letter(closed_at=NOW)
    signatures = [
        signature(0, "Sian Hughes", "Cardiff University"),
        signature(1, "Gareth *Bold* Morgan", "United Welsh Housing"),
        signature(2, "Owain Price", None),
    ]
    document = export_markdown(letter, Tally(4, 2, 3), signatures, NOW)
    assert document.startswith("# Open Letter to the First Minister\n")
    assert letter.body in document
    assert "4 signatures from 2 organisations" in document and "3 listed here" in document
    assert document.index("### Cardiff University") < document.index("### United Welsh Housing")
    assert document.index("### United Welsh Housing") < document.index(
        f"### {text.EXPORT_INDIVIDUALS}"
    )
    assert "- Gareth \\*Bold\\* Morgan" in document
    assert "Signing closed 2026-11-28 10:00 UTC." in document
    assert text.EXPORT_NONE in export_markdown(letter, Tally(), [], NOW)
