"""How a Discord client shows text: a small model of its markdown, to check that member text
appears as typed (tests only; the bot's own escaping lives in bot/render/common.py).

The model follows the client's parser where it matters for member text:

* a backslash before any character that is not an ASCII letter, digit or whitespace shows
  that character literally (the backslash is not shown); before anything else it shows;
* where Discord turns plain URLs into links (message content, embed descriptions, field
  values), a URL is shown as typed: its characters are not read as markdown;
* formatting can start from any of ``* _ ~ | ` [ ] <`` (bold, italic, underline,
  strike-through, spoilers, code, masked links, mentions, timestamps, channel and command
  links, custom emoji, angle-bracket links), and, at the start of a line (after spaces), from
  ``#`` (headings), ``-#`` (small print), ``>`` (quotes), ``-``, ``*``, ``+`` and ``1.`` /
  ``1)`` (lists).

`read` gives what is shown and which shown characters came through unescaped; `formatting`
lists what, inside a stretch of the shown text, Discord could read as markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

URL = re.compile(r"(?:https?|steam)://[^\s<]+[^<.,:;\"')\]\s]")
ESCAPES = re.compile(r"\\([^0-9A-Za-z\s])")
INLINE = frozenset("*_~|`[]<")
LINE_BREAKS = frozenset("\n\r\u2028\u2029")
LINE_MARKS = frozenset("#>-*+")


@dataclass(frozen=True)
class Reading:
    shown: str
    raw: tuple[bool, ...]  # per shown character: it came through unescaped, outside a link


def read(text: str, *, links: bool) -> Reading:
    """What a reader sees of `text`; `links`: the place turns plain URLs into links."""
    shown: list[str] = []
    raw: list[bool] = []
    at = 0
    while at < len(text):
        url = URL.match(text, at) if links else None
        if url is not None:
            shown.extend(url.group())
            raw.extend([False] * len(url.group()))
            at = url.end()
            continue
        escape = ESCAPES.match(text, at)
        if escape is not None:
            shown.append(escape.group(1))
            raw.append(False)
            at = escape.end()
            continue
        shown.append(text[at])
        raw.append(True)
        at += 1
    return Reading("".join(shown), tuple(raw))


def _line_starts(shown: str) -> list[int]:
    """Where each line's first character other than spaces and tabs is."""
    starts = []
    for at in range(len(shown) + 1):
        if at == 0 or shown[at - 1] in LINE_BREAKS:
            first = at
            while first < len(shown) and shown[first] in " \t":
                first += 1
            starts.append(first)
    return starts


def formatting(reading: Reading, start: int, end: int) -> list[str]:
    """Every character in shown[start:end] that Discord could read as markdown."""
    shown, raw = reading.shown, reading.raw
    found = [
        f"{shown[at]!r} at {at}" for at in range(start, end) if raw[at] and shown[at] in INLINE
    ]
    for first in _line_starts(shown):
        if not start <= first < end:
            continue
        if raw[first] and shown[first] in LINE_MARKS:
            found.append(f"line starting {shown[first : first + 3]!r} at {first}")
        digits = first
        while digits < len(shown) and shown[digits].isdigit():
            digits += 1
        if digits > first and digits < end and shown[digits] in ".)" and raw[digits]:
            found.append(f"numbered line {shown[first : digits + 1]!r} at {first}")
    return found


def shown_as_typed(rendered: str, typed: str, *, links: bool) -> str | None:
    """None when `typed` is shown in `rendered` exactly as typed, with nothing in it that
    Discord could read as markdown; else what is wrong."""
    reading = read(rendered, links=links)
    at = reading.shown.find(typed)
    if at < 0:
        return f"{typed!r} is not shown as typed in {reading.shown!r} (sent {rendered!r})"
    problems = formatting(reading, at, at + len(typed))
    if problems:
        return f"{typed!r} could be read as markdown in {rendered!r}: {problems}"
    return None
