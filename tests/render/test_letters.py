"""Rendering letters: codecs round-trip, every embed within Discord's limits at maximum
lengths, long text cut cleanly, member text never pings, exports safe and grouped."""

from __future__ import annotations

import csv
import io
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
    SignaturesPage,
    SignForm,
    celebration,
    choice_label,
    clip_text,
    csv_cell,
    decode_sign,
    decode_sign_form,
    decode_signatures_page,
    encode_sign,
    encode_sign_form,
    encode_signatures_page,
    export_csv,
    export_markdown,
    info_embed,
    letter_embed,
    list_embed,
    sign_modal_title,
    signatures_embed,
    tally_line,
)

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
HOSTILE = "@everyone @here <@&900000000000000200> <@900000000000000300> "


def make_letter(**changes: object) -> Letter:
    fields: dict[str, object] = dict(
        id=42,
        guild_id=1,
        title="Open Letter to the First Minister",
        addressee="The First Minister of Wales",
        body="We ask that co-production principles are placed at the heart of Welsh public services.",
        closes_at=NOW + timedelta(days=30),
        milestone=25,
        celebrated=0,
        channel_id=2,
        message_id=3,
        closed_at=None,
        body_changed_at=None,
        created_by=4,
        created_at=NOW,
        updated_at=NOW,
    )
    fields.update(changes)
    return Letter(**fields)  # type: ignore[arg-type]


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
    values = {f.name: f.value for f in embed.fields}
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
        [embed.title or "", embed.description or ""] + [f.value for f in embed.fields]
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


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 29 2000 0000", "'+44 29 2000 0000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("Cardiff University", "Cardiff University"),
        ("", ""),
        ("O'Brien = fine", "O'Brien = fine"),
    ],
)
def test_csv_cells_never_run_as_formulas(value: str, expected: str) -> None:
    assert csv_cell(value) == expected


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
