"""What an option naming a stored thing may hold: an id only when it is plain ASCII digits
that fit the database; anything else is read as a title."""

from __future__ import annotations

import pytest

from bot.domain.refs import ref_id


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1", 1),
        ("42", 42),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),  # past SQLite's INTEGER
        ("0", 0),
        ("", None),
        ("-1", None),
        ("+1", None),
        ("1.5", None),
        ("1e3", None),
        ("０", None),  # a full-width digit
        ("١٢", None),  # Arabic-Indic digits
        ("1_000", None),
        ("0x1", None),
        ("S. Wales Network Meeting 4", None),
    ],
)
def test_ref_id(typed: str, expected: int | None) -> None:
    assert ref_id(typed) == expected
