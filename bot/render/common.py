"""Small pure helpers every renderer uses: timestamps, safe member text, clean cuts, links."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

import discord

from bot import text
from bot.domain.events import Region
from bot.domain.languages import Language
from bot.i18n import BOTH_INLINE, current, each, gettext, speaking, tr, welsh_datetime
from bot.i18n.dates import short_datetime

ELLIPSIS = "…"

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
CONTENT_MAX = 2000
CHOICE_NAME_MAX = 100

COLOUR_EVENT = discord.Colour(0x2E8B57)
COLOUR_CANCELLED = discord.Colour(0x808080)
COLOUR_INFO = discord.Colour(0x3B6EA5)


def ts(at: datetime, style: str = "F") -> str:
    """Discord timestamp markup: every reader sees it in their own zone and language."""
    return f"<t:{int(at.timestamp())}:{style}>"


def local_time(at: datetime, tz: str, *, year: bool = False) -> str:
    """A short local time in the language being rendered, where markup can't show."""
    return short_datetime(at, tz, welsh=current() is Language.CY, year=year)


def when_markup(at: datetime) -> str:
    """The date as Discord markup and how far off it is; in Welsh the date is in words in
    the zone being spoken in (Discord never shows its markup in Welsh)."""
    return tr(text.WHEN_FULL, at=at)


def when_for(at: datetime, languages: Sequence[Language], tz: str) -> str:
    """A date said once for readers of every language in `languages`: in Welsh, words in
    zone `tz` (Discord never shows its markup in Welsh); else Discord's markup, which each
    reader sees in their own zone; then how far off it is, as markup
    ("Dydd Iau, 3 Rhagfyr 2026 am 18:30 · <t:…:F> (<t:…:R>)")."""
    dates = [
        welsh_datetime(at, tz) if language is Language.CY else ts(at) for language in languages
    ]
    template = gettext(languages[0], text.WHEN_FULL)
    return template.format(at_full=BOTH_INLINE.join(dates), at_rel=ts(at, "R"))


def clip(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, at a word boundary where one is near.

    Never in the middle of an escape made by `safe`: a cut that would end on a lone
    backslash loses it too (else it would escape the "…", or whatever follows)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    cut = cut.rstrip()
    if (len(cut) - len(cut.rstrip("\\"))) % 2:
        cut = cut[:-1]
    return cut + ELLIPSIS


# Discord's markdown. A backslash before any character that is not an ASCII letter, digit or
# space shows that character as typed; these are the characters that could start formatting:
# anywhere (bold, italic, underline, strike-through, spoilers, code, masked links, and behind
# `<` mentions, timestamps, channel and command links, custom emoji, angle-bracket links)...
MARKDOWN_INLINE = frozenset("\\*_~|`[]<")
# ...and at the start of a line, after spaces: headings (#), small print (-#), quotes (>),
# lists (- * + and 1. or 1)).
MARKDOWN_LINE_START = re.compile(
    r"(?:^|(?<=[\n\r\u2028\u2029]))[ \t]*(?:(?P<mark>[#>\-+*])|\d+(?P<number>[.)]))"
)
# The same marks at the start of one line; `str.splitlines` breaks at every break above and
# a few more, so a text none of whose lines starts so has no mark (a quick test before the walk).
LINE_MARK = re.compile(r"[ \t]*(?:[#>\-+*]|\d+[.)])")
MARKDOWN_ANY = re.compile("[" + re.escape("".join(sorted(MARKDOWN_INLINE))) + "]")
# A plain URL, as Discord finds one where it makes links; left as typed so the link works.
URL = re.compile(r"(?:https?|steam)://[^\s<]+[^<.,:;\"')\]\s]")


def escape_markdown(text: str, *, links: bool = True) -> str:
    """`text` as Discord will show it, character for character: every character that could
    start formatting is escaped. `links`: the text goes where Discord makes plain URLs into
    links (contents, descriptions, field values), so URLs are left whole; without (embed
    titles, field names, documents) their characters are escaped like the rest."""
    if not MARKDOWN_ANY.search(text) and not any(map(LINE_MARK.match, text.splitlines())):
        return text  # nothing to escape (most member text): the walk below would keep it all
    kept: set[int] = set()
    if links:
        for url in URL.finditer(text):
            kept.update(range(url.start(), url.end()))
    marks = {
        match.start("mark") if match["mark"] else match.start("number")
        for match in MARKDOWN_LINE_START.finditer(text)
    }
    out: list[str] = []
    for at, char in enumerate(text):
        if at not in kept and (char in MARKDOWN_INLINE or at in marks):
            out.append("\\")
        out.append(char)
    return "".join(out)


def safe(text: str, *, links: bool = True) -> str:
    """Member text made harmless and shown as typed: no @everyone/@here, role or user
    mention can fire, and no markdown takes effect (see `escape_markdown`; `links=False` for
    embed titles and field names). Escaping lengthens text: clip after it, never before."""
    escaped = escape_markdown(text, links=links)
    return discord.utils.escape_mentions(escaped) if "@" in escaped else escaped


def message_link(guild_id: int, channel_id: int, message_id: int | None) -> str | None:
    if message_id is None:
        return None
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def region_name(region: Region) -> str:
    """A region's name in the language being rendered ("Gogledd Cymru")."""
    return tr(text.REGION_NAMES.get(region.value, region.value))


def fit_total(embed: discord.Embed) -> discord.Embed:
    """Shorten the description (cleanly) so the embed holds at most Discord's 6,000
    characters in all, however long its escaped member text came out."""
    return fit_together([embed])[0]


def shares(sizes: Sequence[int], room: int) -> list[int]:
    """`room` shared out among parts of `sizes`: a part smaller than an equal share keeps
    its size, and the room it leaves goes to the others in equal shares."""
    out = [0] * len(sizes)
    for done, index in enumerate(sorted(range(len(sizes)), key=sizes.__getitem__)):
        out[index] = min(sizes[index], room // (len(sizes) - done))
        room -= out[index]
    return out


def share_out(texts: Sequence[str], room: int, between: str) -> str:
    """Texts (a repeat given once) joined by `between` within `room` characters, each cut
    cleanly to its share (see `shares`): a title or description in each language."""
    parts = list(dict.fromkeys(texts))
    if sum(map(len, parts)) + len(between) * (len(parts) - 1) <= room:
        return between.join(parts)  # most posts: nothing to cut
    cuts = shares([len(part) for part in parts], room - len(between) * (len(parts) - 1))
    return between.join(clip(part, max(cut, 1)) for part, cut in zip(parts, cuts, strict=True))


def fit_together(embeds: list[discord.Embed]) -> list[discord.Embed]:
    """The embeds of one message (a text in each language) cut to Discord's 6,000
    characters in all: each gets its share (see `shares`), and one over its share loses the
    excess from its description, then from its longest field values, cut cleanly with "…"."""
    sizes = [len(embed) for embed in embeds]
    if sum(sizes) <= EMBED_TOTAL_MAX:
        return embeds  # most posts: nothing to cut, so nothing more to measure
    for embed, size, share in zip(embeds, sizes, shares(sizes, EMBED_TOTAL_MAX), strict=True):
        excess = size - share
        if excess > 0 and embed.description:
            keep = max(len(embed.description) - excess, 1)
            embed.description = clip(embed.description, keep)
            excess = len(embed) - share
        if excess <= 0:
            continue
        longest_first = sorted(enumerate(embed.fields), key=lambda pair: -len(pair[1].value or ""))
        for at, field in longest_first:
            if excess <= 0:
                break
            value = field.value or ""
            keep = max(len(value) - excess, 1)
            embed.set_field_at(at, name=field.name, value=clip(value, keep), inline=field.inline)
            excess = len(embed) - share
    return embeds


T = TypeVar("T")


def public(build: Callable[[], T], languages: Sequence[Language], tz: str) -> list[T]:
    """A public post's parts, `build()` once in each language of the server's mode (Welsh
    first), with Welsh dates in words in the server's zone `tz`."""
    with speaking(languages[0], zone=tz):
        return each(build, languages)


def embed_size_ok(*embeds: discord.Embed) -> bool:
    """True when the embeds together respect every Discord limit (used by tests and asserts)."""
    total = 0
    for embed in embeds:
        if len(embed.title or "") > EMBED_TITLE_MAX:
            return False
        if len(embed.description or "") > EMBED_DESCRIPTION_MAX:
            return False
        if len(embed.fields) > EMBED_FIELDS_MAX:
            return False
        for field in embed.fields:
            if len(field.name or "") > FIELD_NAME_MAX or len(field.value or "") > FIELD_VALUE_MAX:
                return False
        if len(embed.footer.text or "") > FOOTER_MAX:
            return False
        total += len(embed)
    return total <= EMBED_TOTAL_MAX and len(embeds) <= 10
