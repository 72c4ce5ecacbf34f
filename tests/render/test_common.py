"""The renderers' shared rules: member text shown as typed (escaped, then cut without breaking
an escape), and embeds kept within 6,000 characters."""

from __future__ import annotations

import discord
import pytest

from bot.render.common import (
    ELLIPSIS,
    EMBED_TOTAL_MAX,
    clip,
    embed_size_ok,
    escape_markdown,
    fit_together,
    fit_total,
    safe,
)
from tests.e2e.hostile_corpus import TEXTS
from tests.support.markdown import formatting, read, shown_as_typed

IDS = {"role": "123456789012345678", "user": "223456789012345678", "channel": "1"}

HOSTILE = [
    "[Click](https://evil.example) # Big **bold** `x` -# small ||spoiler||",
    "# Heading",
    "## Two",
    "### Three",
    "-# small print",
    "> quote",
    ">>> long quote",
    "- item",
    "* item",
    "+ item",
    "1. first",
    "12) twelfth",
    "   - indented item",
    "line one\n# heading\n> quote\n2. two\n- three",
    "one\u2028# two\u2029> three\r- four",
    "no inline marks\n  3. but a list",
    "next-line\x85- and vertical tab\v# (line breaks to Python, not to Discord)",
    "*it* _it_ __under__ ~~strike~~ ||spoiler|| `code` ```block```",
    "\\*already escaped\\* and a lone \\ backslash at the end \\",
    "C:\\Users\\ŵ and \\ŵ",
    "[x](<https://evil.example>) [y]( https://evil.example )",
    "<t:0:F> <t:0:R> </events create:1> <#1> <a:x:1> <:y:2> <https://evil.example>",
    "text https://example.com/a_b_c?x=1*2* more",
    "https://example.com/path_(with)_parens) and (https://example.com/x_y)",
    "steam://run/_1_ and HTTPS://EXAMPLE.COM/_a_",
    "Meeting #4 - the 2nd - at 10.30",
    "emoji 🎉 and Welsh ŵŷ **bold**",
]


@pytest.mark.parametrize("typed", HOSTILE + [value for _, value in TEXTS])
@pytest.mark.parametrize("links", [True, False])
def test_safe_text_is_shown_as_typed(typed: str, links: bool) -> None:
    for name, number in IDS.items():
        typed = typed.replace("{" + name + "}", number)
    rendered = escape_markdown(typed, links=links)
    assert shown_as_typed(rendered, typed, links=links) is None


@pytest.mark.parametrize("typed", HOSTILE)
def test_escaped_text_placed_after_a_line_break_stays_plain(typed: str) -> None:
    rendered = "Bot line\n" + escape_markdown(typed)
    assert shown_as_typed(rendered, typed, links=True) is None


def test_urls_are_left_whole_where_discord_makes_links() -> None:
    typed = "Join at https://zoom.us/j/1?pwd=a_b_c or https://teams.example/l/x_y*z"
    assert escape_markdown(typed) == typed
    assert "a\\_b\\_c" in escape_markdown(typed, links=False)  # titles show no links


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Cardiff Uni Policy Café — co-pro@work", "Cardiff Uni Policy Café — co-pro@work"),
        ("S. Wales Network Meeting 4", "S. Wales Network Meeting 4"),
        ("**bold**", "\\*\\*bold\\*\\*"),
        ("# Heading", "\\# Heading"),
        ("-# small", "\\-# small"),
        ("1. first", "1\\. first"),
        ("a\\b", "a\\\\b"),
        ("@everyone [x](https://e.x)", "@\u200beveryone \\[x\\](https://e.x)"),
    ],
)
def test_safe(typed: str, expected: str) -> None:
    assert safe(typed) == expected


def test_the_model_sees_raw_markdown() -> None:
    """The test oracle itself: unescaped text is caught, escaped text is not."""
    raw = "# [x](https://e.x) **b**"
    assert shown_as_typed(raw, raw, links=True) is not None
    reading = read("\\# ok", links=False)
    assert reading.shown == "# ok" and formatting(reading, 0, len(reading.shown)) == []


@pytest.mark.parametrize("typed", ["\\" * 50, "*" * 50, "a\\*" * 20, "ŵ_" * 30, "x \\* " * 15])
@pytest.mark.parametrize("limit", range(5, 40))
def test_clip_never_cuts_an_escape_in_half(typed: str, limit: int) -> None:
    cut = clip(safe(typed), limit)
    assert len(cut) <= limit
    kept = cut.removesuffix(ELLIPSIS)
    assert (len(kept) - len(kept.rstrip("\\"))) % 2 == 0, cut
    if cut.endswith(ELLIPSIS):
        assert typed.startswith(read(kept, links=True).shown)


def test_fit_total_shortens_the_description_only() -> None:
    embed = discord.Embed(title="t" * 256, description=safe("*" * 2000) + "\\" + "x" * 10)
    for _ in range(3):
        embed.add_field(name="n" * 256, value="v" * 1024)
    fit_total(embed)
    assert len(embed) <= EMBED_TOTAL_MAX
    assert embed.title == "t" * 256 and all(f.value == "v" * 1024 for f in embed.fields)
    assert (embed.description or "").endswith(ELLIPSIS)


def test_embeds_of_two_languages_fit_together_and_a_short_one_is_not_cut() -> None:
    long_welsh = discord.Embed(title="Cyfarfod", description="gair " * 819)  # 4,095 chars
    long_welsh.add_field(name="Ble", value="lle " * 250)
    long_english = discord.Embed(title="Meeting", description="word " * 819)
    long_english.add_field(name="Where", value="place " * 166)
    both = fit_together([long_welsh, long_english])
    assert embed_size_ok(*both) and [e.title for e in both] == ["Cyfarfod", "Meeting"]
    assert all((e.description or "").endswith(ELLIPSIS) for e in both)
    assert sum(len(e) for e in both) > EMBED_TOTAL_MAX - 20  # cut no more than needed

    short = discord.Embed(title="Short", description="just this")
    long_one = discord.Embed(title="Long", description="word " * 819)
    long_one.add_field(name="More", value="x" * 1024)
    long_one.add_field(name="Again", value="y" * 1024)
    fitted = fit_together([long_one, short])
    assert fitted[1].description == "just this" and embed_size_ok(*fitted)
