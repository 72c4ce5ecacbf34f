"""Rendering letters: every embed within Discord's limits at maximum lengths, long text cut
cleanly, member text never pings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import text
from bot.domain.letters import (
    ADDRESSEE_MAX,
    BODY_MAX,
    NAME_MAX,
    ORGANISATION_MAX,
    SIGNATURES_PAGE_SIZE,
    TITLE_MAX,
    Letter,
    Signature,
    Tally,
)
from bot.render.common import CHOICE_NAME_MAX, embed_size_ok
from bot.render.letters import (
    POST_BODY_MAX,
    celebration,
    choice_label,
    clip_text,
    info_embed,
    letter_embed,
    list_embed,
    sign_modal_title,
    signatures_embed,
    tally_line,
)
from tests.support.letters import make_letter as letter_at

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
HOSTILE = "@everyone @here <@&900000000000000200> <@900000000000000300> "


def make_letter(**changes: object) -> Letter:
    body = "We ask that co-production principles are placed at the heart of Welsh public services."
    return letter_at(NOW, **{"id": 42, "body": body, **changes})


def longest_letter(**changes: object) -> Letter:
    return make_letter(
        title="T" * TITLE_MAX,
        addressee="A" * ADDRESSEE_MAX,
        body=(HOSTILE * 200)[:BODY_MAX],  # escaping mentions makes it longer still
        body_changed_at=NOW,
        **changes,
    )


def signature(n: int, name: str = "Rhian Evans", organisation: str | None = None) -> Signature:
    return Signature(
        letter_id=42,
        user_id=1000 + n,
        name=name,
        organisation=organisation,
        public=True,
        signed_at=NOW + timedelta(minutes=n),
        updated_at=NOW + timedelta(minutes=n),
    )


@pytest.mark.parametrize(
    ("tally", "line"),
    [
        (Tally(0, 0), "0 signatures from 0 organisations"),
        (Tally(1, 1), "1 signature from 1 organisation"),
        (Tally(130, 41), "130 signatures from 41 organisations"),
    ],
)
def test_tally_line(tally: Tally, line: str) -> None:
    assert tally_line(tally) == line


@pytest.mark.parametrize(
    ("body", "limit", "expected"),
    [
        ("Short.", 100, "Short."),
        ("First paragraph here.\n\nSecond paragraph is long.", 30, "First paragraph here. …"),
        ("One sentence here. Another one follows on.", 28, "One sentence here. …"),
        ("words " * 10, 25, "words words words words…"),
    ],
)
def test_long_text_is_cut_cleanly(body: str, limit: int, expected: str) -> None:
    cut = clip_text(body, limit)
    assert cut == expected
    assert len(cut) <= limit


@pytest.mark.parametrize(
    "letter",
    [
        make_letter(),
        longest_letter(),
        longest_letter(closed_at=NOW),
        longest_letter(closes_at=None),
        make_letter(body="x" * BODY_MAX),
    ],
)
def test_post_and_info_fit_discord_at_maximum_lengths(letter: Letter) -> None:
    tally = Tally(1_000_000, 999_999, 1_000_000)
    post = letter_embed(letter, tally, NOW)
    assert embed_size_ok(post)
    assert len(post.description or "") <= POST_BODY_MAX
    info, _cut = info_embed(letter, tally, NOW)
    assert embed_size_ok(info)


def test_post_shows_the_letter_count_and_closing_time() -> None:
    letter = make_letter()
    embed = letter_embed(letter, Tally(130, 41, 120), NOW)
    assert embed.title == "Open Letter to the First Minister"
    values = {f.name: f.value or "" for f in embed.fields}
    assert values[text.LETTER_TO] == "The First Minister of Wales"
    assert "130 signatures from 41 organisations" in values[text.LETTER_SIGNATURES]
    assert f"<t:{int((NOW + timedelta(days=30)).timestamp())}:F>" in values[text.LETTER_CLOSES]
    closed = letter_embed(make_letter(closed_at=NOW), Tally(), NOW)
    assert closed.title == "CLOSED: Open Letter to the First Minister"
    assert text.LETTER_CLOSED in [f.name for f in closed.fields]


def test_a_long_letter_is_cut_on_the_post_and_whole_in_info() -> None:
    body = "\n\n".join(f"Paragraph {n}: " + "co-production " * 20 for n in range(20))
    letter = make_letter(body=body[:BODY_MAX])
    post = letter_embed(letter, Tally(), NOW)
    assert (post.description or "").endswith(text.LETTER_READ_MORE)
    info, cut = info_embed(letter, Tally(), NOW)
    assert not cut and info.description == letter.body


def test_info_says_when_the_text_was_cut() -> None:
    _, cut = info_embed(longest_letter(), Tally(), NOW)
    assert cut


def test_member_text_never_pings() -> None:
    letter = make_letter(title=HOSTILE, addressee=HOSTILE, body=HOSTILE)
    embed = letter_embed(letter, Tally(), NOW)
    rendered = " ".join(
        [embed.title or "", embed.description or ""] + [f.value or "" for f in embed.fields]
    )
    assert "@everyone" not in rendered and "@here" not in rendered
    assert "<@&900000000000000200>" not in rendered and "<@900000000000000300>" not in rendered
    assert "@everyone" not in celebration(letter, 25)


def test_signatures_page_fits_at_maximum_lengths() -> None:
    page = [
        signature(n, "@" * NAME_MAX, "@everyone" * (ORGANISATION_MAX // 9))
        for n in range(SIGNATURES_PAGE_SIZE)
    ]
    embed = signatures_embed(longest_letter(), Tally(500, 200, 480), page, 3, 25)
    assert embed_size_ok(embed)
    assert (embed.description or "").startswith("61. ")
    assert "20 more signed without their names shown" in (embed.description or "")
    assert "Page 4 of 25" in (embed.footer.text or "")


def test_list_fits_however_many_letters_there_are() -> None:
    letters = [
        (longest_letter(id=n, closed_at=NOW if n % 2 else None), Tally(n, n)) for n in range(40)
    ]
    embed = list_embed(letters, 60, NOW)
    assert embed_size_ok(embed)
    assert 0 < len(embed.fields) < 40
    assert f"{60 - len(embed.fields)} more" in (embed.footer.text or "")
    empty = list_embed([], 0, NOW)
    assert empty.description == text.LETTERS_EMPTY


def test_choice_and_modal_titles_fit() -> None:
    letter = longest_letter(closed_at=NOW)
    assert len(choice_label(letter, NOW)) <= CHOICE_NAME_MAX
    assert choice_label(letter, NOW).startswith(text.CHOICE_CLOSED)
    assert len(sign_modal_title(letter)) <= 45


MARKDOWN = "*_~|`[]<\\"


def test_escaped_signatures_page_fits_and_shows_every_signatory() -> None:
    page = [
        signature(n, (MARKDOWN * 10)[:NAME_MAX], ("# " + MARKDOWN * 12)[:ORGANISATION_MAX])
        for n in range(SIGNATURES_PAGE_SIZE)
    ]
    letter = make_letter(title=(MARKDOWN * 20)[:TITLE_MAX])
    embed = signatures_embed(letter, Tally(500, 200, 480), page, 3, 25)
    assert embed_size_ok(embed)
    lines = (embed.description or "").split("\n")
    assert [line.split(".")[0] for line in lines[:SIGNATURES_PAGE_SIZE]] == [
        str(n) for n in range(61, 81)
    ]
    assert "20 more signed without their names shown" in (embed.description or "")


def test_escaped_letter_fits_and_the_list_keeps_its_state() -> None:
    letter = make_letter(
        title=(MARKDOWN * 20)[:TITLE_MAX],
        addressee=("# " + MARKDOWN * 30)[:ADDRESSEE_MAX],
        body=("> " + MARKDOWN * 500)[:BODY_MAX],
        body_changed_at=NOW,
    )
    embed, cut = info_embed(letter, Tally(3, 2, 3), NOW)
    assert embed_size_ok(embed) and cut
    assert embed_size_ok(letter_embed(letter, Tally(3, 2, 3), NOW))
    listed = list_embed([(letter, Tally(3, 2))], 1, NOW)
    assert embed_size_ok(listed)
    assert (listed.fields[0].name or "").endswith(f"({text.LETTER_STATE_OPEN})")
