"""The matching rule for organisations, and what a typed organisation name may be."""

from __future__ import annotations

import pytest

from bot.domain.errors import UserError
from bot.domain.organisations import (
    PUNCTUATION,
    Organisation,
    check_merge,
    clean_optional_organisation,
    clean_organisation_name,
    match_key,
    name_keys,
    pages_for,
    parse_aliases,
    shown_name,
)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Cardiff Council", "cardiff council"),
        ("Cardiff Council", "  CARDIFF   COUNCIL "),
        ("Cardiff Council", "Cardiff-Council."),
        ("St. David's Hospice", "St Davids Hospice"),
        ("St David’s Hospice", "st davids hospice"),
        ("Tai Tarian (Ltd)", "tai tarian ltd"),
        ("ＣＡＲＤＩＦＦ", "cardiff"),  # full-width forms folded
        ("Cyngor Sir Gâr", "CYNGOR SIR GÂR"),
        ("Straße", "STRASSE"),  # casefolded, not just lowered
    ],
)
def test_spellings_of_one_body_share_a_key(one: str, other: str) -> None:
    assert match_key(one) == match_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Cardiff Council", "Cyngor Caerdydd"),  # a Welsh name is matched as an alias, not here
        ("Cardiff Council", "Cardiff Councils"),
        ("Cyngor Sir Gâr", "Cyngor Sir Gar"),  # accents are letters: not ignored
        ("Tai 1", "Tai 2"),
    ],
)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert match_key(one) != match_key(other)


def test_every_punctuation_character_is_ignored() -> None:
    assert match_key(f"a{PUNCTUATION}b") == "ab"


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "organisation_empty"),
        ("   ", "organisation_empty"),
        (None, "organisation_empty"),
        ("...", "organisation_punctuation"),
        ("— – !", "organisation_punctuation"),
        ("x" * 101, "too_long"),
        ("<@123456789012345678>", "organisation_mention"),
        ("Friends of <@&123456789012345678>", "organisation_mention"),
        ("See <#123456789012345678>", "organisation_mention"),
        ("@everyone", "organisation_mention"),
        ("Ask @here", "organisation_mention"),
    ],
)
def test_bad_names_are_refused_with_their_rule(typed: str | None, error: str) -> None:
    with pytest.raises(UserError) as caught:
        clean_organisation_name(typed)
    assert caught.value.key == error


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Cardiff   Council ", "Cardiff Council"),
        ("x" * 100, "x" * 100),
        ("AT&T", "AT&T"),
        ("hello@example.org", "hello@example.org"),  # an address is not a mention
    ],
)
def test_good_names_are_kept_tidied(typed: str, kept: str) -> None:
    assert clean_organisation_name(typed) == kept


def test_an_organisation_left_out_is_none_but_a_bad_one_is_still_refused() -> None:
    for nothing in (None, "", "   ", "\u200b\u200b", "\u200d"):
        assert clean_optional_organisation(nothing) is None
    assert clean_optional_organisation(" Tai  Tarian ") == "Tai Tarian"
    for bad, error in (
        ("<@123456789012345678>", "organisation_mention"),
        ("…", "organisation_punctuation"),
    ):
        with pytest.raises(UserError) as caught:
            clean_optional_organisation(bad)
        assert caught.value.key == error


def test_aliases_are_comma_separated_once_each() -> None:
    assert parse_aliases("Cyngor Caerdydd, , CCC, c.c.c., Cardiff CC") == (
        "Cyngor Caerdydd",
        "CCC",
        "Cardiff CC",
    )
    assert parse_aliases(" - ") == ()
    with pytest.raises(UserError) as caught:
        parse_aliases("Good, <@1234>")
    assert caught.value.key == "organisation_mention"
    with pytest.raises(UserError) as too_many:
        parse_aliases(",".join(f"Name {n}" for n in range(21)))
    assert too_many.value.key == "organisation_aliases_too_many"


def test_name_keys_and_the_name_shown() -> None:
    keys = name_keys("Cardiff Council", "Cyngor Caerdydd", ["cardiff council", "CCC"])
    assert keys == {
        "cardiffcouncil": "Cardiff Council",
        "cyngorcaerdydd": "Cyngor Caerdydd",
        "ccc": "CCC",
    }
    record = Organisation(1, 1, "Cardiff Council", "Cyngor Caerdydd", ("CCC",))
    assert record.shown("cy") == "Cyngor Caerdydd"
    assert record.shown("en") == "Cardiff Council"
    assert shown_name("Tai Tarian", None, "cy") == "Tai Tarian"
    assert record.names() == ["Cardiff Council", "Cyngor Caerdydd", "CCC"]


def test_merge_into_itself_is_refused() -> None:
    check_merge(1, 2)
    with pytest.raises(UserError) as caught:
        check_merge(3, 3)
    assert caught.value.key == "organisation_merge_itself"


@pytest.mark.parametrize(("total", "pages"), [(0, 1), (1, 1), (20, 1), (21, 2), (217, 11)])
def test_pages(total: int, pages: int) -> None:
    assert pages_for(total) == pages
