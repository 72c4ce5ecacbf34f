"""Custom-id codecs: every id round-trips within Discord's 100 characters, and ids of another
shape (or another component's) are refused."""

from __future__ import annotations

import pytest

from bot.custom_ids import (
    ListPage,
    PollOptionPress,
    SignaturesPage,
    SignForm,
    decode_list_page,
    decode_poll_announce,
    decode_poll_option,
    decode_sign,
    decode_sign_form,
    decode_signatures_page,
    encode_list_page,
    encode_poll_announce,
    encode_poll_option,
    encode_sign,
    encode_sign_form,
    encode_signatures_page,
)
from bot.domain.events import Kind, Region


@pytest.mark.parametrize(
    "target",
    [
        ListPage(False, 0, None, None),
        ListPage(True, 12, Region.NORTH, None),
        ListPage(False, 3, Region.ONLINE, Kind.CAMPAIGN),
        ListPage(True, 999999, None, Kind.OTHER),
    ],
)
def test_list_page_custom_id_round_trip(target: ListPage) -> None:
    custom_id = encode_list_page(target)
    assert len(custom_id) <= 100
    assert decode_list_page(custom_id) == target


@pytest.mark.parametrize(
    "bad", ["ev:list:up:1:NOWHERE:-", "ev:list:sideways:1:-:-", "ev:list:up:x:-:-", ""]
)
def test_list_page_custom_id_rejects_garbage(bad: str) -> None:
    assert decode_list_page(bad) is None


@pytest.mark.parametrize("letter_id", [1, 42, 9_999_999_999_999_999_999 // 10])
def test_sign_id_round_trip(letter_id: int) -> None:
    custom_id = encode_sign(letter_id)
    assert len(custom_id) <= 100
    assert decode_sign(custom_id) == letter_id


@pytest.mark.parametrize(
    "custom_id", ["letter:sign:", "letter:sign:0", "letter:sign:x", "letter:sign:1:2", "ev:sign:1"]
)
def test_bad_sign_ids_are_refused(custom_id: str) -> None:
    assert decode_sign(custom_id) is None


@pytest.mark.parametrize(
    "form",
    [SignForm(1), SignForm(42, True), SignForm(42, False), SignForm(10**18, None)],
)
def test_sign_form_id_round_trip(form: SignForm) -> None:
    custom_id = encode_sign_form(form)
    assert len(custom_id) <= 100
    assert decode_sign_form(custom_id) == form
    assert decode_sign(custom_id) is None  # never mistaken for the post's Sign button


@pytest.mark.parametrize(
    "custom_id",
    [
        "letter:signform:",
        "letter:signform:0",
        "letter:signform:x",
        "letter:signform:1:2",
        "letter:signform:1:",
        "letter:signform:1:1:1",
        "letter:sign:1",
        "letter:signform:01",
    ],
)
def test_bad_sign_form_ids_are_refused(custom_id: str) -> None:
    assert decode_sign_form(custom_id) is None


def test_sign_form_id_keeps_the_public_choice() -> None:
    assert encode_sign_form(SignForm(7)) == "letter:signform:7"
    assert encode_sign_form(SignForm(7, False)) == "letter:signform:7:0"
    assert encode_sign_form(SignForm(7, True)) == "letter:signform:7:1"


@pytest.mark.parametrize(
    "target", [SignaturesPage(1, 0), SignaturesPage(42, 7), SignaturesPage(10**18, 999_999)]
)
def test_signatures_page_id_round_trip(target: SignaturesPage) -> None:
    custom_id = encode_signatures_page(target)
    assert len(custom_id) <= 100
    assert decode_signatures_page(custom_id) == target


@pytest.mark.parametrize("custom_id", ["letter:sigs:1", "letter:sigs:1:-1", "letter:sigs:a:1"])
def test_bad_signatures_page_ids_are_refused(custom_id: str) -> None:
    assert decode_signatures_page(custom_id) is None


@pytest.mark.parametrize("target", [(1, 1), (42, 10), (10**18, 5)])
def test_poll_ids_round_trip(target: tuple[int, int]) -> None:
    press = PollOptionPress(*target)
    assert len(encode_poll_option(press)) <= 100
    assert decode_poll_option(encode_poll_option(press)) == press
    assert decode_poll_announce(encode_poll_announce(target[0])) == target[0]


@pytest.mark.parametrize(
    "custom_id",
    ["poll:opt:1:0", "poll:opt:1:11", "poll:opt:0:1", "poll:opt:1", "poll:announce:1", "x"],
)
def test_bad_poll_option_ids_are_refused(custom_id: str) -> None:
    assert decode_poll_option(custom_id) is None
